"""The console's Recebíveis (``/painel/recebiveis``), as the demo's owner and seller see it: the money released by day
as a bar chart drawn on the server (a bar per waiting day, with the same figures in a table), the next payout, the
payouts with their entries and CSVs, and what only ``payouts.manage`` is offered."""

import json
import re
from datetime import UTC, datetime, timedelta

import test_console_pages
from lambda_harness import http, json_body
from test_console_pages import PAGE_BUDGET, console_cookie, page

from local_stack.seed import DEMO_MERCHANT_ID
from vitrine import clock
from vitrine.ledger.rules import business_day, capture_entries
from vitrine.merchants import SettlementTerms
from vitrine.payments.port import PaymentMethod
from vitrine.payments.recipients import BankAccount, RecipientStatus
from vitrine.payouts.models import Payout, PayoutSchedule, PayoutSettings, PayoutStatus
from vitrine.payouts.runs import payout_id
from vitrine.payouts.statements import receivables
from vitrine.repository import ledger, payouts, table

demo = test_console_pages.demo  # the demo merchant of ``make dev``, as the console's other pages are tested
BOOKKEEPERS = {"name": "Contabilidade", "permissions": ["receivables"]}
BARS = re.compile(r'<rect x="[^"]+" y="[^"]+" width="[^"]+" height="([0-9.]+)" class="bar[^"]*" data-day="([0-9-]+)">')


def active_daily_settings() -> PayoutSettings:
    now = datetime.now(UTC)
    return PayoutSettings(
        schedule=PayoutSchedule(cadence="daily", minimum_amount=1),
        bank_account=BankAccount(
            holder_name="Loja Demo",
            holder_document="11222333000181",
            bank="341",
            branch_number="1",
            account_number="12345",
            account_check_digit="1",
            type="checking",
        ),
        recipient_id="rp_console",
        recipient_status=RecipientStatus.ACTIVE,
        recipient_checked_at=now,
        updated_at=now,
    )


def book_sale(order_id: str, amount: int, method: PaymentMethod, installments: int, captured_at: datetime) -> list:
    """A paid order's sale and fees in the ledger, as the capture books them (``vitrine.ledger.rules``)."""
    entries = capture_entries(
        merchant_id=DEMO_MERCHANT_ID,
        order_id=order_id,
        amount=amount,
        method=method,
        installments=installments,
        terms=SettlementTerms(),
        captured_at=captured_at,
        first_sequence=1,
    )
    table.transact_write([ledger.entry_put_operation(entry) for entry in entries])
    return entries


def test_the_owner_sees_a_bar_per_waiting_day_after_a_paid_order_and_the_same_figures_in_a_table(demo):
    headers, _ = console_cookie(demo.owner_login, demo.password)
    payouts.put_payout_settings(DEMO_MERCHANT_ID, active_daily_settings())

    # Given nothing sold yet: no chart, said so
    empty = page("/painel/recebiveis", headers)
    assert empty["statusCode"] == 200, empty["body"][:300]
    assert "Nada a liberar" in empty["body"] and "<svg" not in empty["body"]

    # When a card order in 3 instalments and a Pix order are paid now
    now = clock.now()
    book_sale("a" * 32, 30_000, PaymentMethod.CARD, 3, now)
    book_sale("b" * 32, 10_000, PaymentMethod.PIX, 1, now)
    waiting = receivables(DEMO_MERCHANT_ID).waiting
    assert len(waiting) == 4  # tomorrow's Pix, then the card's D+30, D+60 and D+90

    # Then the page draws one bar per waiting day, in order, with a title and a description
    answer = page("/painel/recebiveis", headers)
    body = answer["body"]
    assert answer["statusCode"] == 200 and len(body.encode()) < PAGE_BUDGET
    assert "'unsafe-inline'" not in answer["headers"]["Content-Security-Policy"]
    svg = body[body.index("<svg") : body.index("</svg>")]
    assert 'role="img"' in svg and '<title id="chart-title">' in svg and '<desc id="chart-desc">' in svg
    bars = BARS.findall(svg)
    assert [day for _, day in bars] == [row.day.isoformat() for row in waiting]
    # each bar as tall as its day's money: the ratios of the heights are those of the amounts
    tallest = max(waiting, key=lambda row: row.amount)
    for (height, _), row in zip(bars, waiting, strict=True):
        assert abs(float(height) / max(float(h) for h, _ in bars) - row.amount / tallest.amount) < 0.02
    # and the same figures for a screen reader, in a table, and the total
    table_html = body[body.index('<table class="figures">') : body.index("</table>")]
    rows = re.findall(r"<tr><td>([0-9/]+)</td><td class=\"num\">([^<]+)</td></tr>", table_html)
    assert rows == [(row.day.strftime("%d/%m/%Y"), brl(row.amount)) for row in waiting]
    assert brl(sum(row.amount for row in waiting)) in table_html
    # and the next payout (daily: the next business day), with what it would transfer
    assert "próximo repasse" in body
    # the owner holds payouts.manage: anticipation and the settings' form are offered
    assert 'data-form="simulate"' in body and 'data-form="payout-settings"' in body
    assert 'src="/painel/s/money.js"' in body


def test_a_payout_is_listed_newest_first_with_its_entries_page_and_csv_links(demo):
    headers, _ = console_cookie(demo.owner_login, demo.password)
    payouts.put_payout_settings(DEMO_MERCHANT_ID, active_daily_settings())
    # Given a Pix sale ten days ago, paid out the next business day
    captured = clock.now() - timedelta(days=10)
    entries = book_sale("c" * 32, 10_000, PaymentMethod.PIX, 1, captured)
    day = business_day(captured) + timedelta(days=2)
    pid = payout_id(DEMO_MERCHANT_ID, day)
    payouts.begin_payout(
        DEMO_MERCHANT_ID,
        Payout(
            payout_id=pid,
            merchant_id=DEMO_MERCHANT_ID,
            scheduled_on=day,
            through=day - timedelta(days=1),
            entries_amount=sum(e.amount for e in entries),
            carried_in=0,
            amount=sum(e.amount for e in entries),
            status=PayoutStatus.PAID,
            recipient_id="rp_console",
            created_at=captured,
            updated_at=captured,
        ),
    )

    body = page("/painel/recebiveis", headers)["body"]
    assert f'href="/painel/recebiveis/repasses/{pid}"' in body
    assert f'href="/merchant/v1/payouts/{pid}/entries.csv"' in body
    assert 'action="/merchant/v1/ledger.csv"' in body and 'name="from"' in body and 'name="to"' in body

    detail = page(f"/painel/recebiveis/repasses/{pid}", headers)
    assert detail["statusCode"] == 200, detail["body"][:300]
    assert len(detail["body"].encode()) < PAGE_BUDGET
    assert detail["body"].count("<tr><td>") == len(entries)
    assert "Venda" in detail["body"] and "Tarifa da plataforma" in detail["body"] and "Pago" in detail["body"]
    # The CSV link works with the console's cookie alone (a GET needs no CSRF token)
    csv = page(f"/merchant/v1/payouts/{pid}/entries.csv", headers)
    assert csv["statusCode"] == 200 and csv["body"].startswith("\ufeffDisponível em;")
    # Another merchant's (or a made-up) payout is not found
    assert page("/painel/recebiveis/repasses/po-other-20260101", headers)["statusCode"] == 404


def test_the_seller_without_receivables_gets_the_403_page(demo):
    headers, _ = console_cookie(demo.seller_login, demo.password)
    for path in (
        "/painel/recebiveis",
        f"/painel/recebiveis/repasses/{payout_id(DEMO_MERCHANT_ID, clock.now().date())}",
    ):
        answer = page(path, headers)
        assert answer["statusCode"] == 403, path
        assert "Sem permissão" in answer["body"] and "receivables" in answer["body"]
        assert "<svg" not in answer["body"]


def brl(centavos: int) -> str:
    sign = "-" if centavos < 0 else ""
    reais, cents = divmod(abs(centavos), 100)
    return f"{sign}R$ {reais:,}".replace(",", ".") + f",{cents:02d}"


def test_a_member_who_only_views_receivables_is_not_offered_anticipation_or_the_settings_form(demo):
    # Given a bookkeeper in a group holding ``receivables`` alone, made by the owner through the merchant API
    owner, session = console_cookie(demo.owner_login, demo.password)
    write = {**owner, "x-csrf-token": session["csrf_token"]}
    group = http("POST", "/merchant/v1/permission-groups", headers=write, body=json.dumps(BOOKKEEPERS))
    assert group["statusCode"] == 201, group["body"]
    member = {"name": "Bia", "email": "bia@vitrine.demo", "password": "senha-da-bia-12"}
    member["group_ids"] = [json_body(group)["group_id"]]
    assert http("POST", "/merchant/v1/staff", headers=write, body=json.dumps(member))["statusCode"] == 201
    payouts.put_payout_settings(DEMO_MERCHANT_ID, active_daily_settings())

    # When she opens Recebíveis
    headers, _ = console_cookie(member["email"], member["password"])
    answer = page("/painel/recebiveis", headers)

    # Then she reads the money and the settings, but is offered no write she could not make
    assert answer["statusCode"] == 200, answer["body"][:300]
    body = answer["body"]
    assert "disponível agora" in body and "Ativo: os repasses são transferidos" in body
    assert 'data-form="simulate"' not in body and 'data-form="payout-settings"' not in body
    assert 'data-action="kyc-link"' not in body
    assert 'href="/painel/integracao"' not in body  # nor the sections she does not hold

"""Anticipation against the sandbox gateway: a merchant simulates, then anticipates card receivables; the gateway
takes whole instalments and moves them, and the ledger books the same moves and the same fee, so the receivables
by day, the gateway's payables by day and the next payout all agree to the centavo."""

import json
from datetime import UTC, date, datetime, timedelta

import requests
import test_payout_runs as payout_runs
from lambda_harness import http, json_body
from test_checkout_payment import APPROVED, tokenize
from test_payment_lifecycle import deliver, of_order, place
from test_payout_runs import _SANDBOX, owed, register, run

from vitrine.ledger.models import Movement
from vitrine.ledger.rules import business_day
from vitrine.payments.pagarme import get_gateway
from vitrine.payouts import reconciliation
from vitrine.payouts.models import PayoutSchedule
from vitrine.repository import ledger, payouts

# The payout runs' fixtures: a sandbox of this test's own, and merchant m1 with a published catalog and its API key.
sandbox_gateway = payout_runs.sandbox_gateway
shop = payout_runs.shop


def card_sale(sandbox, installments: int = 3) -> str:
    order_id = place({"method": "card", "card_token": tokenize(sandbox, APPROVED), "installments": installments})
    deliver(of_order(sandbox, order_id))
    return order_id


def today():
    return business_day(datetime.now(UTC))


def ask(method: str, path: str, headers: dict, body: dict | None = None) -> dict:
    return http(method, path, headers=headers, body=json.dumps(body) if body is not None else None)


def limits(headers: dict, day, timeframe: str = "start") -> dict:
    query = {"payment_date": str(day), "timeframe": timeframe}
    answer = http("GET", "/merchant/v1/anticipations/limits", headers=headers, query=query)
    assert answer["statusCode"] == 200, answer["body"]
    return json_body(answer)


def gateway_by_day(sandbox, recipient_id: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for payable in sandbox.transfers.payables.of(recipient_id):
        day = payable["payment_date"][:10]
        found[day] = found.get(day, 0) + payable["amount"] - payable["anticipation_fee"]
    return found


def ledger_by_day() -> dict[str, int]:
    found: dict[str, int] = {}
    for entry in ledger.ledger_entries("m1"):
        found[entry.available_on.isoformat()] = found.get(entry.available_on.isoformat(), 0) + entry.amount
    return {day: amount for day, amount in found.items() if amount}


def test_an_anticipation_moves_the_receivables_the_gateway_took_and_books_its_fee_to_the_centavo(shop, sandbox_gateway):
    recipient_id = register(shop)
    card_sale(sandbox_gateway, installments=3)
    before = owed()
    tomorrow = today() + timedelta(days=1)
    assert ledger_by_day() == {  # the three instalments, 30, 60 and 90 days on, as the gateway holds them
        day: amount for day, amount in gateway_by_day(sandbox_gateway, recipient_id).items()
    }

    simulated = limits(shop, tomorrow)
    assert simulated["maximum"]["amount"] == before and 0 < simulated["maximum"]["fee"] < before
    assert simulated["maximum"]["net"] == before - simulated["maximum"]["fee"]
    assert simulated["minimum"]["amount"] < simulated["maximum"]["amount"]  # the nearest instalment alone

    answer = ask("POST", "/merchant/v1/anticipations", shop, {"amount": before, "payment_date": str(tomorrow)})
    assert answer["statusCode"] == 201, answer["body"]
    done = json_body(answer)
    assert done["status"] == "approved" and done["booked"] and done["approved_amount"] == before
    assert done["fee"] == simulated["maximum"]["fee"]
    assert len(done["moved"]) == 3

    # Everything is payable tomorrow now, less the fee; the slices' days are empty; the gateway says the same.
    assert owed() == before - done["fee"]
    assert ledger_by_day() == {tomorrow.isoformat(): before - done["fee"]}
    assert ledger_by_day() == gateway_by_day(sandbox_gateway, recipient_id)
    kinds = {str(e.movement) for e in ledger.ledger_entries("m1")}
    assert {Movement.ANTICIPATION, Movement.ANTICIPATION_FEE} <= kinds

    waiting = json_body(ask("GET", "/merchant/v1/receivables", shop))["waiting"]
    assert waiting == [{"day": tomorrow.isoformat(), "amount": before - done["fee"]}]

    # The next run after tomorrow pays it all, and the gateway has it available then.
    day = PayoutSchedule(cadence="daily").next_payout_on(tomorrow + timedelta(days=1))
    paid = run(day)
    assert paid.action == "paid" and paid.amount == before - done["fee"]
    _SANDBOX[0].transfers.clock.set(None)
    checked = reconciliation.reconcile(get_gateway(), "m1", today())
    assert checked.difference == 0 and checked.days_differing == ()


def test_reconciliation_finds_a_payable_the_gateway_holds_for_another_day_though_the_totals_agree(
    shop, sandbox_gateway
):
    recipient_id = register(shop)
    card_sale(sandbox_gateway, installments=2)
    assert reconciliation.reconcile(get_gateway(), "m1", today()).days_differing == ()
    first = min(sandbox_gateway.transfers.payables._payables, key=lambda p: p["payment_date"])
    ours = first["payment_date"][:10]
    moved = date.fromisoformat(ours) + timedelta(days=1)
    first["payment_date"] = first["payment_date"].replace(ours, moved.isoformat())  # the gateway's own mistake

    checked = reconciliation.reconcile(get_gateway(), "m1", today())
    assert checked.difference == 0  # the balance alone would not see it
    assert [(d.day.isoformat(), d.ledger, d.gateway) for d in checked.days_differing] == [
        (ours, first["amount"], 0),
        (moved.isoformat(), 0, first["amount"]),
    ]
    shown = json_body(ask("GET", "/merchant/v1/receivables", shop))["reconciliation"]
    assert len(shown["days_differing"]) == 2 and recipient_id


def test_the_same_anticipation_asked_twice_is_one_and_books_once(shop, sandbox_gateway):
    register(shop)
    card_sale(sandbox_gateway, installments=2)
    before = owed()
    body = {"amount": before, "payment_date": str(today() + timedelta(days=1))}
    first = json_body(ask("POST", "/merchant/v1/anticipations", shop, body))
    again = json_body(ask("POST", "/merchant/v1/anticipations", shop, body))
    assert again["anticipation_id"] == first["anticipation_id"]
    assert owed() == before - first["fee"]
    listed = json_body(ask("GET", "/merchant/v1/anticipations", shop))["anticipations"]
    assert [a["anticipation_id"] for a in listed] == [first["anticipation_id"]]


def test_end_takes_the_farthest_instalments_first_and_costs_more(shop, sandbox_gateway):
    register(shop)
    card_sale(sandbox_gateway, installments=3)
    tomorrow = today() + timedelta(days=1)
    last_instalment_day = max(ledger_by_day())
    nearest, farthest = limits(shop, tomorrow, "start")["minimum"], limits(shop, tomorrow, "end")["minimum"]
    assert farthest["fee"] > nearest["fee"]  # the same share moved 90 days costs more than moved 30
    answer = ask(
        "POST",
        "/merchant/v1/anticipations",
        shop,
        {"amount": farthest["amount"], "payment_date": str(tomorrow), "timeframe": "end"},
    )
    moved = json_body(answer)["moved"]
    assert len(moved) == 1 and moved[0]["from_day"] == last_instalment_day


def test_bad_asks_change_nothing(shop, sandbox_gateway):
    card_payment_day = today() + timedelta(days=1)
    not_registered = ask(
        "POST", "/merchant/v1/anticipations", shop, {"amount": 100, "payment_date": str(card_payment_day)}
    )
    assert not_registered["statusCode"] == 404

    recipient_id = register(shop, approve=False)
    waiting = ask("POST", "/merchant/v1/anticipations", shop, {"amount": 100, "payment_date": str(card_payment_day)})
    assert waiting["statusCode"] == 409 and json_body(waiting)["error"]["details"][0]["field"] == "recipient_status"
    requests.post(
        f"{sandbox_gateway.url}/sandbox/recipients/{recipient_id}/status", json={"status": "active"}, timeout=5
    )

    card_sale(sandbox_gateway, installments=2)
    before = sorted((e.entry_id, e.amount) for e in ledger.ledger_entries("m1"))
    for body in (
        {"amount": 100, "payment_date": str(today() - timedelta(days=1))},  # the past
        {"amount": 100, "payment_date": str(today() + timedelta(days=40))},  # too far
        {"amount": True, "payment_date": str(card_payment_day)},  # a bool is not a number
        {"amount": 0, "payment_date": str(card_payment_day)},
        {"amount": "100", "payment_date": str(card_payment_day)},
        {"amount": 100, "payment_date": str(card_payment_day), "timeframe": "middle"},
        {"amount": 1, "payment_date": str(card_payment_day)},  # below the smallest instalment
    ):
        refused = ask("POST", "/merchant/v1/anticipations", shop, body)
        assert refused["statusCode"] == 422, (body, refused["body"])
    assert sorted((e.entry_id, e.amount) for e in ledger.ledger_entries("m1")) == before
    assert json_body(ask("GET", "/merchant/v1/anticipations", shop))["anticipations"] == []
    bad_day = http("GET", "/merchant/v1/anticipations/limits", headers=shop, query={"payment_date": "amanha"})
    assert bad_day["statusCode"] == 422
    assert payouts.get_payout_settings("m1") is not None

"""Payout runs against the sandbox gateway: a merchant's sales, paid by Pix and split at the gateway, are transferred
to its bank account on its schedule, once, never early; what cannot be paid (below the minimum, a negative balance,
a failed transfer, a recipient not active) waits and is paid by a later run, to the centavo."""

import json
import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
import requests
from infra_fixtures import publish_small_catalog
from lambda_harness import handler_of, http, json_body, sqs_event
from pagarme_fixtures import BANK, company_request
from test_payment_lifecycle import charge_id, deliver, of_order, pay, place

from local_stack.lambda_context import LambdaContext
from local_stack.sandbox_gateway import SandboxGateway
from vitrine.auth.api_keys import issue_api_key
from vitrine.catalogs.models import StockLevel
from vitrine.errors import InvalidInput
from vitrine.ledger.models import LedgerEntry
from vitrine.ledger.rules import business_day
from vitrine.merchants import Merchant
from vitrine.orders import lifecycle
from vitrine.orders.gateway_sync import facts_of
from vitrine.payments.errors import PaymentGatewayUnavailable
from vitrine.payments.pagarme import PagarmeGateway, get_gateway
from vitrine.payouts import statements
from vitrine.payouts.models import PayoutSchedule, PayoutStatus
from vitrine.payouts.runs import due_merchants, pay_out, payout_id
from vitrine.repository import ledger, merchants, payouts, stock

DAILY = {"cadence": "daily", "minimum_amount": 10_00}


_SANDBOX: list[SandboxGateway] = []


@pytest.fixture
def sandbox_gateway():
    """A sandbox of its own per test (the session's keeps every recipient, payable and transfer key it saw: here
    each test's merchant m1 must be a new recipient with a balance of its own)."""
    gateway = SandboxGateway()
    gateway.start()
    _SANDBOX[:] = [gateway]
    yield gateway
    gateway.stop()


@pytest.fixture
def shop(stack):
    publish_small_catalog()
    stock.set_stock("m1", StockLevel(store_code="9900", sku="CAM-P", on_hand=100, sequence=2))
    merchants.put_merchant(Merchant(merchant_id="m1", name="Loja Um", cnpj="11222333000181"))
    return {"authorization": f"Bearer {issue_api_key('m1', scopes=['merchant'], name='m1')}"}


def register(headers: dict, *, schedule: dict = DAILY, account: dict = BANK, approve: bool = True) -> str:
    body = {"schedule": schedule, "bank_account": account, "registration": company_request().registration}
    answer = http("PUT", "/merchant/v1/payout-settings", headers=headers, body=json.dumps(body, default=_dump))
    assert answer["statusCode"] == 200, answer["body"]
    if approve:
        link = json_body(http("POST", "/merchant/v1/payout-settings/kyc-link", headers=headers))
        requests.post(link["url"], timeout=5).raise_for_status()
    return json_body(answer)["recipient"]["recipient_id"]


def _dump(value):
    return value.model_dump(mode="json")


def paid_sale(sandbox, at: datetime | None = None) -> str:
    """A Pix sale paid at the gateway; booked through its webhooks now, or, with ``at``, as if on that moment (the
    sandbox's clock on that day, so its payable is that day's too)."""
    order_id = place()
    sandbox.transfers.clock.set(business_day(at) if at else None)
    pay(sandbox, order_id)
    sandbox.transfers.clock.set(None)
    if at is None:
        deliver(of_order(sandbox, order_id))
        return order_id
    charge = get_gateway().get_charge(charge_id(order_id))
    lifecycle.record_payment("m1", order_id, charge.status, facts_of(charge), charge=charge, now=at)
    return order_id


def refund(order_id: str, recipient_id: str, at: datetime) -> None:
    """The whole order refunded at the gateway from the merchant's share, booked as if on ``at``."""
    _SANDBOX[0].transfers.clock.set(business_day(at))
    gateway = get_gateway()
    paid = gateway.get_charge(charge_id(order_id))
    refunded = gateway.cancel_charge(
        paid.charge_id, paid.paid_amount, idempotency_key=f"{order_id}-refund-test", borne_by=recipient_id
    )
    lifecycle.record_payment("m1", order_id, refunded.status, facts_of(refunded), charge=refunded, now=at)


def run(day: date):
    """The payout run of ``day``, as the schedule would fire it on that day (the sandbox's clock on that day too)."""
    _SANDBOX[0].transfers.clock.set(day)
    return pay_out(get_gateway(), "m1", day, today=day)


def noon(day: date) -> datetime:
    return datetime.combine(day, time(15, 0), tzinfo=UTC)  # 12:00 in Brasília


def owed() -> int:
    """What the ledger says the merchant is owed in all: sales less fees, refunds and chargebacks."""
    return sum(entry.amount for entry in ledger.ledger_entries("m1"))


def run_day() -> date:
    """The first day a run pays today's Pix sales: they are payable tomorrow, and a run pays what is payable
    before its day (on a business day)."""
    payable = business_day_today() + timedelta(days=1)
    return PayoutSchedule(cadence="daily").next_payout_on(payable)


def business_day_today() -> date:
    return business_day(datetime.now(UTC))


def transfers(sandbox, recipient_id: str) -> list[dict]:
    return [t for t in sandbox.transfers._transfers.values() if t["source"]["source_id"] == recipient_id]


def end_transfers(sandbox) -> None:
    """The bank answers: pending transfers end, and their webhooks reach the consumer."""
    sandbox.transfers.finish_now()
    deliver([event for event in sandbox.events if event["type"].startswith("transfer.")])


def test_a_due_run_transfers_what_the_ledger_owes_once_and_its_webhook_marks_it_paid(shop, sandbox_gateway):
    recipient_id = register(shop)
    paid_sale(sandbox_gateway)
    day = run_day()

    too_early = run(day - timedelta(days=1)) if (day - timedelta(days=1)).weekday() < 5 else None
    outcome = run(day)
    again = run(day)

    if too_early is not None:  # the sale was not payable before its day: nothing paid early
        assert too_early.action == "carried" and too_early.amount == 0
    assert outcome.action == "paid" and outcome.amount == owed() > 0
    assert again.action == "done"
    (transfer,) = transfers(sandbox_gateway, recipient_id)
    assert transfer["amount"] == owed() and transfer["metadata"]["payout_id"] == payout_id("m1", day)
    end_transfers(sandbox_gateway)
    assert payouts.get_payout("m1", day, outcome.payout_id).status is PayoutStatus.PAID


def test_the_schedule_fired_twice_and_each_message_delivered_twice_make_one_transfer(
    shop, sandbox_gateway, stack, monkeypatch
):
    recipient_id = register(shop)
    five_days_ago = datetime.now(UTC) - timedelta(days=5)
    paid_sale(sandbox_gateway, at=five_days_ago)
    day = PayoutSchedule(cadence="daily").next_payout_on(business_day(five_days_ago) + timedelta(days=1))
    queue = stack.client("sqs").create_queue(QueueName="payouts")["QueueUrl"]
    monkeypatch.setenv("PAYOUT_QUEUE_URL", queue)
    at = f"{day.isoformat()}T15:00:00Z"

    first = handler_of("PayoutFunction")({"job": "run_due_payouts", "scheduled_time": at}, LambdaContext())
    second = handler_of("PayoutFunction")({"job": "run_due_payouts", "scheduled_time": at}, LambdaContext())
    messages = stack.client("sqs").receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"]
    bodies = [message["Body"] for message in messages] * 2
    result = handler_of("MerchantPayoutFunction")(sqs_event(bodies), LambdaContext())

    assert first["merchants_queued"] == 1 and "skipped" in second  # the run is recorded once per scheduled time
    assert result == {"batchItemFailures": []}
    assert len(transfers(sandbox_gateway, recipient_id)) == 1


def test_a_crash_after_the_transfer_and_before_the_record_is_retried_without_a_second_transfer(
    shop, sandbox_gateway, monkeypatch
):
    recipient_id = register(shop)
    paid_sale(sandbox_gateway)
    day = run_day()

    def crash(*args):
        raise PaymentGatewayUnavailable("the function timed out after the gateway answered")

    with monkeypatch.context() as patch, pytest.raises(PaymentGatewayUnavailable):
        patch.setattr(payouts, "record_payout", crash)
        run(day)
    retried = run(day)

    assert retried.action == "paid" and retried.amount == owed()
    assert len(transfers(sandbox_gateway, recipient_id)) == 1  # the payout id is the key: the gateway replayed it


def test_a_refund_after_a_payout_leaves_a_negative_balance_that_the_next_payout_nets(shop, sandbox_gateway):
    recipient_id = register(shop)
    five_days_ago = datetime.now(UTC) - timedelta(days=5)
    first = paid_sale(sandbox_gateway, at=five_days_ago)
    day = PayoutSchedule(cadence="daily").next_payout_on(business_day(five_days_ago) + timedelta(days=1))
    paid = run(day).amount
    assert paid == owed() > 0

    refund(first, recipient_id, at=datetime.now(UTC))  # after the payout: the merchant owes it back
    refund_day = PayoutSchedule(cadence="daily").next_payout_on(business_day_today())
    negative = run(refund_day)
    assert negative.action == "carried" and negative.amount == owed() - paid < 0

    paid_sale(sandbox_gateway, at=noon(refund_day))  # two more sales: one alone would not cover the refund's fees
    paid_sale(sandbox_gateway, at=noon(refund_day))
    later = PayoutSchedule(cadence="daily").next_payout_on(refund_day + timedelta(days=1))
    netted = run(later)
    total_paid = sum(t["amount"] for t in transfers(sandbox_gateway, recipient_id))
    assert netted.action == "paid" and netted.amount == owed() - paid
    assert total_paid == owed()  # every centavo: paid out = sales - fees - refunds


def test_a_failed_transfer_makes_its_money_payable_again(shop, sandbox_gateway, bus_queue):
    register(shop, account={**BANK, "account_number": "12340000"})  # the sandbox bank returns transfers to it
    paid_sale(sandbox_gateway)
    day = run_day()
    outcome = run(day)

    end_transfers(sandbox_gateway)
    failed = payouts.get_payout("m1", day, outcome.payout_id)
    assert failed.status is PayoutStatus.FAILED and failed.failure_reason
    # The merchant is told (the notifier e-mails it): the payout was sent, then it failed, each announced once.
    announced = [e["detail"] for e in bus_queue() if e["detail-type"].startswith("Payout")]
    assert [(e["type"], e["data"]["payout_id"]) for e in announced] == [
        ("PayoutSent", outcome.payout_id),
        ("PayoutFailed", outcome.payout_id),
    ]
    assert announced[1]["data"]["reason"] == failed.failure_reason
    moved = http(
        "PUT",
        "/merchant/v1/payout-settings",
        headers=shop,
        body=json.dumps({"schedule": DAILY, "bank_account": {**BANK, "account_number": "12341234"}}),
    )
    assert moved["statusCode"] == 200, moved["body"]

    next_day = PayoutSchedule(cadence="daily").next_payout_on(day)
    again = run(next_day)
    assert again.action == "paid" and again.amount == owed()


def test_below_the_minimum_the_balance_is_carried_and_paid_with_the_next(shop, sandbox_gateway):
    recipient_id = register(shop, schedule={"cadence": "daily", "minimum_amount": 500_00})
    five_days_ago = datetime.now(UTC) - timedelta(days=5)
    paid_sale(sandbox_gateway, at=five_days_ago)
    day = PayoutSchedule(cadence="daily").next_payout_on(business_day(five_days_ago) + timedelta(days=1))

    carried = run(day)
    assert carried.action == "carried" and carried.amount == owed() and transfers(sandbox_gateway, recipient_id) == []

    for _ in range(5):
        paid_sale(sandbox_gateway)
    paid = run(run_day())
    assert paid.action == "paid" and paid.amount == owed()
    assert [t["amount"] for t in transfers(sandbox_gateway, recipient_id)] == [owed()]


def test_a_recipient_not_active_gets_no_transfer_until_its_identity_is_checked(shop, sandbox_gateway):
    recipient_id = register(shop, approve=False)
    paid_sale(sandbox_gateway)
    day = run_day()

    waiting = run(day)
    assert waiting.action == "waiting" and transfers(sandbox_gateway, recipient_id) == []

    link = json_body(http("POST", "/merchant/v1/payout-settings/kyc-link", headers=shop))
    requests.post(link["url"], timeout=5).raise_for_status()
    paid = run(day)
    assert paid.action == "paid" and paid.amount == owed()


def test_a_run_finds_only_the_merchants_its_day_is_due_for(shop):
    register(shop, schedule={"cadence": "weekly", "weekday": 3})
    wednesday = date(2026, 12, 9)

    assert "m1" in due_merchants(wednesday)
    assert "m1" not in due_merchants(wednesday + timedelta(days=1))
    assert run(wednesday + timedelta(days=1)).action == "not_due"
    assert isinstance(get_gateway(), PagarmeGateway)


def test_a_payout_is_never_run_ahead_of_its_day(shop):
    register(shop)
    tomorrow = business_day_today() + timedelta(days=1)

    with pytest.raises(InvalidInput, match="ahead of its day"):
        pay_out(get_gateway(), "m1", tomorrow)


def test_the_receivables_portal_shows_what_is_owed_the_payouts_and_their_entries_to_this_merchant_only(
    shop, sandbox_gateway
):
    register(shop)
    five_days_ago = datetime.now(UTC) - timedelta(days=5)
    paid_sale(sandbox_gateway, at=five_days_ago)
    day = PayoutSchedule(cadence="daily").next_payout_on(business_day(five_days_ago) + timedelta(days=1))
    assert json_body(http("GET", "/merchant/v1/payout-settings", headers=shop))["recipient"]["status"] == "active"
    before = json_body(http("GET", "/merchant/v1/receivables", headers=shop))
    assert before["available_now"] == owed() and before["recipient_status"] == "active"

    paid = run(day)
    paid_sale(sandbox_gateway)  # today's: payable tomorrow
    after = json_body(http("GET", "/merchant/v1/receivables", headers=shop))
    tomorrow = business_day_today() + timedelta(days=1)
    assert after["available_now"] == 0
    assert {row["day"]: row["amount"] for row in after["waiting"]} == {tomorrow.isoformat(): owed() - paid.amount}

    listed = json_body(http("GET", "/merchant/v1/payouts", headers=shop))["payouts"]
    assert [(p["payout_id"], p["amount"]) for p in listed] == [(paid.payout_id, paid.amount)]
    detail = json_body(http("GET", f"/merchant/v1/payouts/{paid.payout_id}", headers=shop))
    assert sum(entry["amount"] for entry in detail["entries"]) == paid.amount
    assert {entry["movement"] for entry in detail["entries"]} == {"sale", "gateway_fee", "platform_fee"}

    exported = http("GET", f"/merchant/v1/payouts/{paid.payout_id}/entries.csv", headers=shop)
    assert exported["statusCode"] == 200 and exported["headers"]["Content-Type"].startswith("text/csv")
    text = exported["body"]
    assert text.startswith("\ufeffDisponível em;Pedido;Movimento;Forma de pagamento;Parcela;Valor (R$);Lançado em")
    rows = [line.split(";") for line in text.removeprefix("\ufeff").splitlines()[1:]]
    assert {row[2] for row in rows} == {"Venda", "Tarifa do meio de pagamento", "Tarifa da plataforma"}
    assert all(re.fullmatch(r"-?\d+,\d\d", row[5]) and re.fullmatch(r"\d\d/\d\d/\d{4}", row[0]) for row in rows)

    other = {"authorization": f"Bearer {issue_api_key('m2', scopes=['merchant'], name='m2')}"}
    assert http("GET", f"/merchant/v1/payouts/{paid.payout_id}", headers=other)["statusCode"] == 404
    assert json_body(http("GET", "/merchant/v1/payouts", headers=other))["payouts"] == []
    assert json_body(http("GET", "/merchant/v1/receivables", headers=other))["available_now"] == 0


def test_the_ledger_csv_takes_a_range_of_at_most_a_year_and_a_cell_never_runs_as_a_formula(shop):
    query = {"from": "2026-01-10", "to": "2026-01-01"}
    assert http("GET", "/merchant/v1/ledger.csv", headers=shop, query=query)["statusCode"] == 422
    query = {"from": "2025-01-01", "to": "2026-06-01"}
    assert http("GET", "/merchant/v1/ledger.csv", headers=shop, query=query)["statusCode"] == 422
    empty = http("GET", "/merchant/v1/ledger.csv", headers=shop, query={"from": "2026-01-01", "to": "2026-01-31"})
    assert empty["statusCode"] == 200 and empty["body"].count("\r\n") == 1  # the header only

    entry = LedgerEntry(
        merchant_id="m1",
        order_id="=HYPERLINK(x)",
        movement="refund",
        sequence=1,
        amount=-1234,
        method="pix",
        available_on=date(2026, 1, 5),
        booked_at=datetime(2026, 1, 5, 15, tzinfo=UTC),
    )
    (row,) = [line.split(";") for line in statements.entries_csv([entry]).splitlines()[1:]]
    assert row[1] == "'=HYPERLINK(x)" and row[5] == "-12,34" and row[0] == "05/01/2026" and row[2] == "Estorno"


def test_the_daily_reconciliation_agrees_to_the_centavo_and_records_a_chargeback_the_gateway_did_not_take(
    shop, sandbox_gateway, stack, monkeypatch
):
    recipient_id = register(shop)
    five_days_ago = datetime.now(UTC) - timedelta(days=5)
    paid_sale(sandbox_gateway, at=five_days_ago)
    paid_sale(sandbox_gateway)  # today's: not payable yet, at the gateway all the same
    day = PayoutSchedule(cadence="daily").next_payout_on(business_day(five_days_ago) + timedelta(days=1))
    assert run(day).action == "paid"
    queue = stack.client("sqs").create_queue(QueueName="payouts")["QueueUrl"]
    monkeypatch.setenv("PAYOUT_QUEUE_URL", queue)

    def reconcile_today() -> dict:
        at = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        fired = handler_of("PayoutFunction")({"job": "reconcile_payouts", "scheduled_time": at}, LambdaContext())
        assert fired["merchants_queued"] == 1
        (message,) = stack.client("sqs").receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"]
        stack.client("sqs").delete_message(QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"])
        assert handler_of("MerchantPayoutFunction")(sqs_event([message["Body"]]), LambdaContext()) == {
            "batchItemFailures": []
        }
        return json_body(http("GET", "/merchant/v1/receivables", headers=shop))["reconciliation"]

    agreed = reconcile_today()
    assert agreed["difference"] == 0 and agreed["ledger_balance"] == agreed["gateway_balance"] > 0

    # A chargeback: the ledger debits the merchant, the gateway debits the liable platform, not the merchant.
    order_id = paid_sale(sandbox_gateway)
    book_chargeback(order_id, amount=1000)
    disagreed = reconcile_today()
    assert disagreed["difference"] == -1000  # recorded, shown, never booked away
    chargeback_day = business_day_today().isoformat()
    assert [d["day"] for d in disagreed["days_differing"]] == [chargeback_day]
    assert sum(entry.amount for entry in ledger.ledger_entries("m1")) == owed()
    assert recipient_id


def book_chargeback(order_id: str, amount: int) -> None:
    from vitrine.ledger.rules import debit_entry
    from vitrine.repository import table

    entry = debit_entry(
        merchant_id="m1",
        order_id=order_id,
        movement="chargeback",
        amount=amount,
        method="pix",
        at=datetime.now(UTC),
        sequence=99,
    )
    table.transact_write([ledger.entry_put_operation(entry)])

"""Payments move orders: the gateway's webhooks (as the sandbox sends them, in pagar.me's format) go through the
consumer, which reads each charge from the gateway before acting; the merchant cancels and decides reviews;
the sweeper expires unpaid orders. One state machine, one ledger entry per movement, one event per move."""

import copy
import json
import random
from collections import Counter
from datetime import timedelta

import pytest
import requests
from infra_fixtures import publish_small_catalog
from lambda_harness import handler_of, http, json_body, sqs_event
from test_checkout import CHECKOUT, available, checkout
from test_checkout_payment import REVIEW, tokenize

from local_stack.lambda_context import LambdaContext
from vitrine.auth.api_keys import issue_api_key
from vitrine.ledger.models import Movement
from vitrine.ledger.rules import business_day
from vitrine.orders import lifecycle
from vitrine.orders.state import REVIEW_WINDOW
from vitrine.repository import inbox, ledger, order_state

CONSUMER = "OrderWebhookConsumerFunction"

# What a checkout announces besides its reservation: the order placed (the notifier) and its consent records.
CHECKOUT_EVENTS = ("ConsentRecorded", "ConsentRecorded", "OrderPlaced")


@pytest.fixture
def shop(stack, sandbox_gateway):
    publish_small_catalog()
    return {"authorization": f"Bearer {issue_api_key('m1', scopes=['merchant'], name='m1')}"}


def deliver(events: list[dict]) -> dict:
    """The queue hands the consumer these webhooks, exactly as the ingest queued them."""
    bodies = [
        json.dumps({"provider": "pagarme", "received_at": "2026-11-23T10:00:00Z", "headers": {}, "body": json.dumps(e)})
        for e in events
    ]
    return handler_of(CONSUMER)(sqs_event(bodies), LambdaContext())


def place(payment=None) -> str:
    response = checkout({**CHECKOUT, "payment": payment or {"method": "pix"}})
    assert response["statusCode"] == 201, response["body"]
    return json_body(response)["order"]["order_id"]


def order(order_id: str):
    return order_state.read_order("m1", order_id)[0]


def charge_id(order_id: str) -> str:
    return order(order_id).charge.charge_id


def pay(sandbox, order_id: str) -> None:
    requests.post(f"{sandbox.url}/sandbox/charges/{charge_id(order_id)}/pay", timeout=5).raise_for_status()


def sandbox_charge(sandbox, order_id: str) -> dict:
    return requests.get(
        f"{sandbox.api_url}/charges/{charge_id(order_id)}", auth=(sandbox.secret_key, ""), timeout=5
    ).json()


def of_order(sandbox, order_id: str) -> list[dict]:
    """Every webhook the gateway has sent about this order's charge."""
    cid = charge_id(order_id)
    return [e for e in sandbox.events if e["data"].get("id") == cid or cid in json.dumps(e["data"].get("charges", []))]


def movements() -> Counter:
    return Counter(str(entry.movement) for entry in ledger.ledger_entries("m1"))


def merchant(method: str, path: str, headers: dict, body: dict | None = None) -> dict:
    return http(method, path, headers=headers, body=json.dumps(body) if body is not None else None)


def test_a_paid_pix_turns_the_order_paid_books_the_sale_and_the_shopper_sees_it(
    stack, shop, sandbox_gateway, bus_queue
):
    placed = json_body(checkout(CHECKOUT))
    order_id = placed["order"]["order_id"]
    pay(sandbox_gateway, order_id)
    assert deliver(of_order(sandbox_gateway, order_id)) == {"batchItemFailures": []}

    paid = order(order_id)
    assert paid.status == "paid" and paid.charge.status == "paid"
    assert movements() == Counter({"sale": 1, "gateway_fee": 1, "platform_fee": 1})
    sale = next(e for e in ledger.ledger_entries("m1") if e.movement is Movement.SALE)
    # Payable after the business day of the sale, which is Brasília's (the UTC date is a day ahead from 21:00).
    assert sale.amount == paid.total and sale.available_on > business_day(paid.created_at)
    # The checkout's reservation is announced to the catalogs' read models, then the payment (issue 15)
    assert sorted(e["detail-type"] for e in bus_queue()) == sorted([*CHECKOUT_EVENTS, "OrderPaid", "StockReserved"])
    seen = json_body(http("GET", f"/api/orders/{order_id}", query={"token": placed["access_token"]}))
    assert seen["status"] == "paid" and [c["status"] for c in seen["status_history"]] == ["pending_payment", "paid"]
    assert seen["payment"]["status"] == "paid"


def test_every_webhook_of_a_paid_then_refunded_order_delivered_three_times_shuffled_converges(
    stack, shop, sandbox_gateway, bus_queue
):
    # Given an order paid by Pix, then cancelled by the merchant (refunded through the gateway)
    order_id = place()
    pay(sandbox_gateway, order_id)
    deliver(of_order(sandbox_gateway, order_id))
    reserved = available()
    response = merchant("POST", f"/merchant/v1/orders/{order_id}/cancel", shop, {})
    assert response["statusCode"] == 200, response["body"]
    assert json_body(response)["status"] == "refunded"
    assert available() == reserved + 2  # the two units are back on sale
    settled = order(order_id)
    ledger_after = sorted((e.entry_id, e.amount) for e in ledger.ledger_entries("m1"))
    events_after = [e["detail-type"] for e in bus_queue()]
    assert sorted(events_after) == sorted(
        [
            *CHECKOUT_EVENTS,
            "StockReserved",
            "OrderPaid",
            "OrderCancelled",
            "RefundRequested",
            "PaymentRefunded",
            "OrderRefunded",
        ]
    )

    # When every webhook the gateway sent arrives three times, shuffled
    webhooks = of_order(sandbox_gateway, order_id) * 3
    random.Random(7).shuffle(webhooks)
    assert deliver(webhooks) == {"batchItemFailures": []}

    # Then nothing changes: the same state, one ledger entry per movement, no new event
    again = order(order_id)
    assert (again.status, again.version) == (settled.status, settled.version)
    assert sorted((e.entry_id, e.amount) for e in ledger.ledger_entries("m1")) == ledger_after
    assert bus_queue() == []
    assert sum(e.amount for e in ledger.ledger_entries("m1") if e.movement in (Movement.SALE, Movement.REFUND)) == 0
    assert sandbox_charge(sandbox_gateway, order_id)["canceled_amount"] == settled.total


def test_a_webhook_whose_amount_or_status_was_tampered_with_changes_nothing(stack, shop, sandbox_gateway):
    order_id = place()
    forged = copy.deepcopy(
        next(
            e
            for e in sandbox_gateway.events
            if e["type"].startswith("charge.") and e["data"]["id"] == charge_id(order_id)
        )
    )
    forged.update(id="hook_forged000000001", type="charge.paid")
    forged["data"].update(status="paid", paid_amount=forged["data"]["amount"], amount=1)
    assert deliver([forged]) == {"batchItemFailures": []}
    unchanged = order(order_id)
    assert unchanged.status == "pending_payment" and unchanged.version in (1, 2)
    assert ledger.ledger_entries("m1") == []


def test_a_webhook_the_gateway_cannot_confirm_fails_alone_and_is_not_marked_seen(stack, shop, sandbox_gateway):
    order_id = place()
    pay(sandbox_gateway, order_id)
    real = of_order(sandbox_gateway, order_id)
    unknown = {"id": "hook_unknown00000001", "type": "charge.paid", "created_at": "2026-11-23T10:00:00Z"}
    unknown["data"] = {"id": "ch_doesnotexist0000"}
    result = deliver([unknown, *real])
    assert len(result["batchItemFailures"]) == 1  # the unknown charge, retried by SQS and then left in the DLQ
    assert inbox.get_webhook("pagarme", "hook_unknown00000001") is None
    assert order(order_id).status == "paid"


def test_paid_after_the_order_expired_is_refunded_once_never_resurrected(stack, shop, sandbox_gateway):
    # Given an unpaid Pix order that expired while its charge stayed payable (the gateway's cancel was lost)
    order_id = place()
    before = available()
    expired_at = order(order_id).reservation_expires_at + timedelta(seconds=1)
    assert lifecycle.expire_order("m1", order_id, now=expired_at).status == "cancelled"
    assert available() == before + 2
    # When the shopper pays it anyway, and the gateway's webhooks arrive (twice)
    pay(sandbox_gateway, order_id)
    assert deliver(of_order(sandbox_gateway, order_id) * 2) == {"batchItemFailures": []}
    # Then the order is not resurrected: the money goes back, once, and the stock was released once
    final = order(order_id)
    assert final.status == "refunded"
    assert [c.status for c in final.status_history] == ["pending_payment", "cancelled", "refunded"]
    assert movements()["refund"] == 1
    assert sandbox_charge(sandbox_gateway, order_id)["canceled_amount"] == final.total
    assert available() == before + 2


def sweep(at) -> dict:
    """The scheduler runs the sweeper for the minute ``at``."""
    event = {"job": "release_expired_reservations", "scheduled_time": at.isoformat()}
    return handler_of("StockSyncFunction")(event, LambdaContext())


def test_the_sweeper_cancels_the_charge_then_the_order_and_a_later_sweep_does_nothing(stack, shop, sandbox_gateway):
    order_id = place()
    before = available()
    due = order(order_id).reservation_expires_at + timedelta(minutes=1)
    assert sweep(due)["expired"] == 1
    assert order(order_id).status == "cancelled" and available() == before + 2
    assert sandbox_charge(sandbox_gateway, order_id)["status"] == "canceled"
    assert sweep(due + timedelta(minutes=1))["due"] == 0
    assert available() == before + 2


def test_an_order_not_yet_expired_is_left_alone_by_the_sweeper(stack, shop, sandbox_gateway):
    order_id = place()
    assert sweep(order(order_id).reservation_expires_at - timedelta(minutes=1))["due"] == 0
    assert order(order_id).status == "pending_payment"


def review_order(sandbox) -> str:
    token = tokenize(sandbox, REVIEW)
    order_id = place({"method": "card", "card_token": token, "installments": 1})
    assert order(order_id).status == "on_hold"
    return order_id


def test_a_card_held_for_review_is_approved_by_the_merchant_and_becomes_paid(stack, shop, sandbox_gateway):
    order_id = review_order(sandbox_gateway)
    response = merchant("POST", f"/merchant/v1/orders/{order_id}/review", shop, {"decision": "approve"})
    assert response["statusCode"] == 200, response["body"]
    assert json_body(response)["status"] == "paid" and json_body(response)["money"]["captured"] > 0
    again = merchant("POST", f"/merchant/v1/orders/{order_id}/review", shop, {"decision": "approve"})
    assert again["statusCode"] == 409


def test_a_card_held_for_review_rejected_by_the_merchant_is_cancelled_and_its_stock_released(
    stack, shop, sandbox_gateway
):
    before = available()
    order_id = review_order(sandbox_gateway)
    assert available() == before - 2
    response = merchant("POST", f"/merchant/v1/orders/{order_id}/review", shop, {"decision": "reject"})
    assert response["statusCode"] == 200, response["body"]
    assert json_body(response)["status"] == "cancelled"
    assert available() == before
    assert sandbox_charge(sandbox_gateway, order_id)["status"] in ("canceled", "failed")
    assert ledger.ledger_entries("m1") == []


def test_a_held_card_outlives_the_checkout_timer_reminds_the_merchant_once_then_expires_at_its_deadline(
    stack, shop, sandbox_gateway, bus_queue
):
    before = available()
    order_id = review_order(sandbox_gateway)
    held = order(order_id)
    held_at, deadline = held.status_history[-1].at, held.reservation_expires_at
    assert deadline - held_at == REVIEW_WINDOW
    # The checkout's 15 minutes pass, and hours more: nobody has decided, so nothing expires and the units stay held.
    assert sweep(held_at + timedelta(hours=6))["due"] == 0
    assert order(order_id).status == "on_hold" and available() == before - 2
    # A day before the deadline the merchant is reminded, once however often the sweep runs.
    reminder = deadline - timedelta(days=1) + timedelta(minutes=1)
    assert sweep(reminder)["due"] == 1
    assert sweep(reminder + timedelta(minutes=1))["due"] == 0
    reminded = [e for e in bus_queue() if e["detail-type"] == "OrderReviewReminded"]
    assert [e["detail"]["data"]["order_id"] for e in reminded] == [order_id]
    assert order(order_id).status == "on_hold" and available() == before - 2
    # At the deadline the charge is cancelled at the gateway, the order with it, and the units go back on sale.
    assert sweep(deadline + timedelta(minutes=1))["expired"] == 1
    final = order(order_id)
    assert final.status == "cancelled" and final.status_history[-1].reason == "review_expired"
    assert sandbox_charge(sandbox_gateway, order_id)["status"] in ("canceled", "failed")
    assert available() == before


def test_bad_merchant_requests_about_orders_are_refused(stack, shop, sandbox_gateway):
    order_id = place()
    other = {"authorization": f"Bearer {issue_api_key('m2', scopes=['merchant'], name='m2')}"}
    assert merchant("GET", f"/merchant/v1/orders/{order_id}", other)["statusCode"] == 404
    assert merchant("POST", f"/merchant/v1/orders/{order_id}/cancel", other, {})["statusCode"] == 404
    assert (
        merchant("POST", f"/merchant/v1/orders/{order_id}/review", shop, {"decision": "approve"})["statusCode"] == 409
    )
    assert merchant("POST", f"/merchant/v1/orders/{order_id}/review", shop, {"decision": "maybe"})["statusCode"] == 422
    assert order(order_id).status == "pending_payment"
    listed = json_body(http("GET", "/merchant/v1/orders", headers=shop, query={"status": "pending_payment"}))
    assert [o["order_id"] for o in listed["orders"]] == [order_id]
    assert json_body(merchant("GET", "/merchant/v1/orders", other))["orders"] == []


def test_a_merchant_cancel_reads_the_order_to_decide_and_to_answer_only(stack, shop, sandbox_gateway):
    order_id = place()
    reads = []

    def count(model, params, **_):
        if model.name == "GetItem" and order_id in json.dumps(params["Key"]):
            reads.append(params["Key"])

    events = stack.client("dynamodb").meta.events
    events.register("before-parameter-build.dynamodb.GetItem", count)
    try:
        response = merchant("POST", f"/merchant/v1/orders/{order_id}/cancel", shop, {})
    finally:
        events.unregister("before-parameter-build.dynamodb.GetItem", count)
    assert response["statusCode"] == 200 and json_body(response)["status"] == "cancelled"
    # One read decides (cancel here or ask the ERP), the move re-reads in its own conditional write, one answers.
    assert len(reads) == 3, reads


def test_the_paired_webhooks_of_one_payment_read_the_charge_once_a_batch_and_again_in_the_next(
    stack, shop, sandbox_gateway, bus_queue, monkeypatch
):
    # Given a paid Pix: pagar.me notifies order.paid and charge.paid (and the earlier created pair) of one charge.
    from vitrine.payments.pagarme import PagarmeGateway

    reads = []
    real_get_charge = PagarmeGateway.get_charge
    monkeypatch.setattr(
        PagarmeGateway, "get_charge", lambda self, cid: (reads.append(cid), real_get_charge(self, cid))[1]
    )
    order_id = place()
    pay(sandbox_gateway, order_id)
    webhooks = of_order(sandbox_gateway, order_id)
    assert len(webhooks) >= 2

    # When the queue hands them to the consumer in one batch
    assert deliver(webhooks) == {"batchItemFailures": []}

    # Then the gateway was asked once, the order is paid once, and every webhook is recorded as applied.
    assert reads == [charge_id(order_id)]
    assert order(order_id).status == "paid"
    assert sorted(e["detail-type"] for e in bus_queue()) == sorted(
        [*CHECKOUT_EVENTS, "OrderPaid", "StockReserved"]
    )  # and the checkout's
    assert all(inbox.get_webhook("pagarme", w["id"]) for w in webhooks)
    # A later batch (a new notification of the same charge) reads it again: nothing is kept between batches.
    deliver([{**webhooks[-1], "id": "hook_later"}])
    assert reads == [charge_id(order_id)] * 2


def test_a_paid_pix_order_no_longer_shows_the_pix_code_and_a_repeated_webhook_rewrites_nothing(
    stack, shop, sandbox_gateway
):
    # Given an order awaiting its Pix: the shopper sees the code to pay
    placed = json_body(checkout(CHECKOUT))
    order_id = placed["order"]["order_id"]
    view = {"token": placed["access_token"]}
    pending = json_body(http("GET", f"/api/orders/{order_id}", query=view))
    assert pending["payment"]["pix"]["qr_code"]

    # When it is paid: the page has no code to pay again (and the order no longer stores it)
    pay(sandbox_gateway, order_id)
    webhooks = of_order(sandbox_gateway, order_id)
    assert deliver(webhooks) == {"batchItemFailures": []}
    paid = json_body(http("GET", f"/api/orders/{order_id}", query=view))
    assert paid["status"] == "paid" and paid["payment"]["status"] == "paid"
    assert paid["payment"]["pix"] is None
    assert order(order_id).charge.pix is None

    # Then the gateway's same word again (a new notification of the same charge) leaves the order as it was
    version = order_state.read_order("m1", order_id)[0].version
    assert deliver([{**webhooks[-1], "id": "hook_again"}]) == {"batchItemFailures": []}
    assert order_state.read_order("m1", order_id)[0].version == version


def test_the_merchant_refunds_part_of_a_paid_order_once_however_often_it_is_asked_and_then_the_rest(
    stack, shop, sandbox_gateway
):
    order_id = place()
    pay(sandbox_gateway, order_id)
    deliver(of_order(sandbox_gateway, order_id))
    total = order(order_id).total
    assert order(order_id).status == "paid"

    part = merchant("POST", f"/merchant/v1/orders/{order_id}/refunds", shop, {"amount": 1000, "refunded_before": 0})
    assert part["statusCode"] == 201, part["body"]
    assert json_body(part)["status"] == "paid" and json_body(part)["money"]["refunded"] == 1000
    assert sandbox_charge(sandbox_gateway, order_id)["canceled_amount"] == 1000
    # The same tap again (what the page showed before the first one): refused, nothing more goes back.
    again = merchant("POST", f"/merchant/v1/orders/{order_id}/refunds", shop, {"amount": 1000, "refunded_before": 0})
    assert again["statusCode"] == 409
    too_much = {"amount": total, "refunded_before": 1000}
    refused = merchant("POST", f"/merchant/v1/orders/{order_id}/refunds", shop, too_much)
    assert refused["statusCode"] == 409 and json_body(refused)["error"]["details"][0]["refundable"] == total - 1000
    assert sandbox_charge(sandbox_gateway, order_id)["canceled_amount"] == 1000
    assert [
        e.amount for e in ledger.ledger_entries("m1") if e.order_id == order_id and e.movement == Movement.REFUND
    ] == [-1000]

    rest = {"amount": total - 1000, "refunded_before": 1000}
    done = merchant("POST", f"/merchant/v1/orders/{order_id}/refunds", shop, rest)
    assert done["statusCode"] == 201, done["body"]
    assert json_body(done)["money"]["refunded"] == total
    assert json_body(done)["status"] == "refunded"
    # The webhooks of those refunds, delivered late and twice, book nothing more.
    deliver(of_order(sandbox_gateway, order_id) * 2)
    assert movements()["refund"] == 2
    assert order(order_id).status == "refunded"

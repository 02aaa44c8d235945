"""Order moves against the table: one transaction each, version-guarded, booked once, events never lost."""

from collections import Counter
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from infra_fixtures import ORDER_CREATED, ORDER_TOTAL, write_pending_order

from vitrine import aws
from vitrine.catalogs.models import StockLevel
from vitrine.events.envelope import EventEnvelope, event_model
from vitrine.events.publisher import PublishFailed
from vitrine.ledger.models import Movement
from vitrine.merchants import MethodTerms, SettlementTerms
from vitrine.orders import lifecycle
from vitrine.orders.models import Order, OrderBooks, OrderStatus, ReservationOutcome
from vitrine.orders.state import REVIEW_REMINDER, REVIEW_WINDOW, IllegalTransition, PaymentFacts, plan_transition
from vitrine.payments.port import ChargeStatus, PaymentMethod
from vitrine.repository import keys, ledger, order_state, stock, table
from vitrine.repository.order_state import ConcurrentChange
from vitrine.repository.table import TransactionCancelled

S = OrderStatus
MID = "m1"
STORE = "9900"
CREATED = ORDER_CREATED
PAID_AT = CREATED + timedelta(minutes=5)
TOTAL = ORDER_TOTAL


def place_order(*, sku="CAM-P", quantity=2, method=PaymentMethod.PIX, installments=1, merchant_id=MID) -> Order:
    return write_pending_order(
        merchant_id=merchant_id, sku=sku, quantity=quantity, method=method, installments=installments, store=STORE
    )


def stock_level(sku="CAM-P", merchant_id=MID) -> StockLevel:
    (found,) = [level for level in stock.stock_for_stores(merchant_id, [STORE]) if level.sku == sku]
    return found


def order_item(order: Order) -> dict:
    return table.get(keys.merchant_pk(order.merchant_id), keys.order_sk(order.order_id), consistent=True)


def paid_facts(**changes) -> PaymentFacts:
    return PaymentFacts(**{"method": PaymentMethod.PIX, "captured": TOTAL, "charge_id": "ch_1", **changes})


def bus_down(events, *, source):
    raise PublishFailed([{"id": e.id, "code": "InternalFailure", "message": "down"} for e in events])


@contextmanager
def dynamodb_requests():
    """DynamoDB requests by operation name, counted with botocore's event hooks on the core's own client."""
    calls: Counter[str] = Counter()

    def count(model, **_):
        calls.update([model.name])

    client = aws.client("dynamodb")
    client.meta.events.register("before-call.dynamodb", count)
    try:
        yield calls
    finally:
        client.meta.events.unregister("before-call.dynamodb", count)


@pytest.fixture
def shelf(stack):
    """Five units on the shelf; another shopper's order holds two of them, so a double release would show."""
    stock.set_stock(MID, StockLevel(store_code=STORE, sku="CAM-P", on_hand=5, sequence=1))
    place_order()
    return stock_level()


def test_a_payment_is_one_transaction_that_moves_the_order_books_the_sale_and_publishes(stack, shelf, bus_queue):
    order = place_order()
    with dynamodb_requests() as calls:
        moved = lifecycle.record_payment(MID, order.order_id, ChargeStatus.PAID, paid_facts(), now=PAID_AT).order
    # The terms and the order, read; one transaction; the published events' outbox items, deleted.
    assert calls == Counter({"GetItem": 2, "TransactWriteItems": 1, "BatchWriteItem": 1})
    assert (moved.status, moved.version) == (S.PAID, 2)
    item = order_item(order)
    assert (item["status"], item["version"], item["GSI1SK"]) == ("paid", 2, f"paid#{order.created_at.isoformat()}")
    assert "GSI2PK" not in item and "GSI2SK" not in item
    assert [c["status"] for c in item["status_history"]] == ["pending_payment", "paid"]
    assert item["money"]["captured"] == TOTAL
    entries = ledger.ledger_entries(MID)
    assert [(e.movement, e.amount, e.available_on) for e in entries] == [
        (Movement.SALE, 10000, date(2025, 3, 11)),
        (Movement.GATEWAY_FEE, -99, date(2025, 3, 11)),
        (Movement.PLATFORM_FEE, -100, date(2025, 3, 11)),
    ]
    (published,) = bus_queue()
    assert (published["source"], published["detail-type"]) == ("vitrine.orders", "OrderPaid")
    envelope = EventEnvelope.model_validate(published["detail"])
    assert event_model(envelope.type).model_validate(envelope.data).amount == TOTAL
    assert order_state.pending_events(MID) == []
    assert stock_level().reserved == 4  # paid: still held until the goods leave


def test_a_move_without_money_reads_only_the_order(stack, shelf):
    order = place_order()
    lifecycle.record_payment(MID, order.order_id, ChargeStatus.PAID, paid_facts(), now=PAID_AT)
    with dynamodb_requests() as calls:
        lifecycle.move_order(MID, order.order_id, S.IN_PREPARATION, reason="erp", now=PAID_AT)
    assert calls == Counter({"GetItem": 1, "TransactWriteItems": 1, "BatchWriteItem": 1})


def test_antifraud_review_keeps_the_order_expirable_at_its_review_reminder(stack, shelf):
    order = place_order()
    lifecycle.record_payment(MID, order.order_id, ChargeStatus.UNDER_REVIEW, paid_facts(captured=0), now=PAID_AT)
    item = order_item(order)
    reminder = (PAID_AT + REVIEW_WINDOW - REVIEW_REMINDER).isoformat()
    assert item["status"] == "on_hold" and item["GSI2PK"] == f"EXPIRES#{reminder[:13]}"
    assert item["GSI2SK"] == f"{reminder}#{MID}#{order.order_id}"
    assert order_state.read_order(MID, order.order_id)[0].reservation_expires_at == PAID_AT + REVIEW_WINDOW


def test_a_stale_plan_loses_to_the_version_and_writes_nothing(stack, shelf):
    order = place_order()
    found = order_state.read_order(MID, order.order_id)
    assert found is not None
    read, books = found
    stale = plan_transition(
        read, books, S.PAID, reason="charge_paid", now=PAID_AT, terms=SettlementTerms(), facts=paid_facts()
    )
    lifecycle.move_order(MID, order.order_id, S.CANCELLED, reason="merchant_cancelled", now=PAID_AT)
    with pytest.raises(ConcurrentChange):
        order_state.apply_transition(read, stale)
    assert order_item(order)["status"] == "cancelled"
    assert ledger.ledger_entries(MID) == [] and order_state.pending_events(MID) == []


def test_a_move_that_loses_a_race_reads_again_and_converges(stack, shelf, bus_queue, monkeypatch):
    order = place_order()
    real_apply = order_state.apply_transition
    raced = []

    def apply_after_a_concurrent_review(read, plan):
        if not raced:
            # Another consumer handles the review notification between our read and our write.
            raced.append(True)
            lifecycle.record_payment(
                MID, order.order_id, ChargeStatus.UNDER_REVIEW, paid_facts(captured=0), now=PAID_AT
            )
        real_apply(read, plan)

    monkeypatch.setattr(order_state, "apply_transition", apply_after_a_concurrent_review)
    moved = lifecycle.record_payment(MID, order.order_id, ChargeStatus.PAID, paid_facts(), now=PAID_AT).order
    assert (moved.status, moved.version) == (S.PAID, 3)
    assert [c.status for c in moved.status_history] == [S.PENDING_PAYMENT, S.ON_HOLD, S.PAID]
    assert [e["detail-type"] for e in bus_queue()] == ["OrderHeld", "OrderPaid"]
    assert len(ledger.ledger_entries(MID)) == 3


def test_a_repeated_notification_books_nothing_more(stack, shelf, bus_queue):
    order = place_order()
    for _ in range(3):
        lifecycle.record_payment(MID, order.order_id, ChargeStatus.PAID, paid_facts(), now=PAID_AT)
    assert order_item(order)["version"] == 2
    assert len(ledger.ledger_entries(MID)) == 3
    assert [e["detail-type"] for e in bus_queue()] == ["OrderPaid"]


def test_a_ledger_entry_cannot_be_booked_twice_even_by_a_plan_that_forgot_it(stack, shelf):
    order = place_order()
    lifecycle.record_payment(MID, order.order_id, ChargeStatus.PAID, paid_facts(), now=PAID_AT)
    found = order_state.read_order(MID, order.order_id)
    assert found is not None
    current, _ = found
    # Planned from empty books, the same capture has the same entry keys: the key condition refuses all of it.
    forgetful = plan_transition(
        current, OrderBooks(), S.PAID, reason="charge_paid", now=PAID_AT, terms=SettlementTerms(), facts=paid_facts()
    )
    with pytest.raises(TransactionCancelled):
        order_state.apply_transition(current, forgetful)
    assert len(ledger.ledger_entries(MID)) == 3 and order_item(order)["version"] == 2


def test_an_expired_order_releases_its_units_exactly_once(stack, shelf):
    order = place_order()
    assert stock_level().available == 1
    later = order.reservation_expires_at + timedelta(seconds=1)
    for _ in range(2):
        lifecycle.expire_order(MID, order.order_id, now=later)
    level = stock_level()
    assert (level.on_hand, level.reserved, level.available) == (5, 2, 3)
    item = order_item(order)
    assert (item["status"], item["reservation"]) == ("cancelled", "released")
    assert item["status_history"][-1]["reason"] == "expired"


def test_expiry_leaves_a_paid_or_unexpired_order_alone(stack, shelf):
    paid, waiting = place_order(), place_order(quantity=1)
    lifecycle.record_payment(MID, paid.order_id, ChargeStatus.PAID, paid_facts(), now=PAID_AT)
    late = paid.reservation_expires_at + timedelta(minutes=1)
    assert lifecycle.expire_order(MID, paid.order_id, now=late).status is S.PAID
    assert lifecycle.expire_order(MID, waiting.order_id, now=CREATED + timedelta(minutes=1)).status is S.PENDING_PAYMENT


def test_a_payment_after_expiry_is_booked_and_refunded_not_resurrected(stack, shelf, bus_queue):
    order = place_order()
    lifecycle.expire_order(MID, order.order_id, now=order.reservation_expires_at + timedelta(seconds=1))
    late = lifecycle.record_payment(MID, order.order_id, ChargeStatus.PAID, paid_facts(), now=PAID_AT).order
    assert late.status is S.CANCELLED
    assert sum(e.amount for e in ledger.ledger_entries(MID) if e.movement is Movement.SALE) == TOTAL
    published = bus_queue()
    assert [e["detail-type"] for e in published] == ["OrderCancelled", "RefundRequested"]
    request = published[1]["detail"]["data"]
    assert (request["amount"], request["charge_id"], request["cause"]) == (TOTAL, "ch_1", "paid_after_cancellation")
    assert stock_level().available == 3  # released once, at expiry


def test_invoicing_consumes_the_reservation_leaving_availability_as_it_was(stack, shelf):
    order = place_order()
    lifecycle.record_payment(MID, order.order_id, ChargeStatus.PAID, paid_facts(), now=PAID_AT)
    lifecycle.move_order(MID, order.order_id, S.INVOICED, reason="erp", now=PAID_AT)
    lifecycle.move_order(MID, order.order_id, S.DELIVERED, reason="erp", now=PAID_AT)
    level = stock_level()
    assert (level.on_hand, level.reserved, level.available) == (3, 2, 1)
    assert order_item(order)["reservation"] == "consumed"


def test_units_the_erp_already_counted_out_are_released_instead_of_consumed(stack, shelf):
    order = place_order()
    lifecycle.record_payment(MID, order.order_id, ChargeStatus.PAID, paid_facts(), now=PAID_AT)
    # The ERP's count, taken after the sale, arrives before the invoice: 1 left on the shelf, 4 still promised.
    stock.set_stock(MID, StockLevel(store_code=STORE, sku="CAM-P", on_hand=1, sequence=2))
    lifecycle.move_order(MID, order.order_id, S.INVOICED, reason="erp", now=PAID_AT)
    level = stock_level()
    assert (level.on_hand, level.reserved) == (1, 2)
    assert order_item(order)["status"] == "invoiced"


def test_an_impossible_move_is_409_and_writes_nothing(stack, shelf, bus_queue):
    order = place_order()
    with pytest.raises(IllegalTransition) as refused:
        lifecycle.move_order(MID, order.order_id, S.DISPATCHED, reason="erp", now=PAID_AT)
    assert refused.value.status == 409
    assert order_item(order)["version"] == 1 and bus_queue() == []


def test_events_whose_publish_failed_stay_in_the_outbox_until_the_sweep(stack, shelf, bus_queue, monkeypatch):
    order = place_order()
    monkeypatch.setattr(lifecycle, "publish", bus_down)
    moved = lifecycle.record_payment(MID, order.order_id, ChargeStatus.PAID, paid_facts(), now=PAID_AT).order
    assert moved.status is S.PAID  # the move stands; only its publish waits
    (pending,) = order_state.pending_events(MID)
    assert pending.envelope.type == "OrderPaid"
    monkeypatch.undo()

    # Too young for the sweep: its own move may still be publishing it.
    assert lifecycle.publish_pending_events(now=PAID_AT) == 0
    assert lifecycle.publish_pending_events(now=PAID_AT + timedelta(minutes=2)) == 1
    (published,) = bus_queue()
    assert published["detail"]["id"] == pending.envelope.id
    assert order_state.pending_events(MID) == [] and order_state.pending_events() == []


def test_the_sweep_can_be_limited_to_one_merchant(stack, bus_queue, monkeypatch):
    for merchant_id in ("m1", "m2"):
        stock.set_stock(merchant_id, StockLevel(store_code=STORE, sku="CAM-P", on_hand=5, sequence=1))
    first, second = place_order(merchant_id="m1"), place_order(merchant_id="m2")
    monkeypatch.setattr(lifecycle, "publish", bus_down)
    for order in (first, second):
        lifecycle.move_order(order.merchant_id, order.order_id, S.CANCELLED, reason="merchant_cancelled", now=PAID_AT)
    monkeypatch.undo()
    assert lifecycle.publish_pending_events("m2", now=PAID_AT + timedelta(hours=1)) == 1
    assert [e["detail"]["merchant_id"] for e in bus_queue()] == ["m2"]
    assert [e.envelope.merchant_id for e in order_state.pending_events()] == ["m1"]


def test_negotiated_terms_are_what_the_ledger_books(stack, shelf):
    ledger.put_settlement_terms(
        MID, SettlementTerms(card=MethodTerms(gateway_fee_bps=250, platform_fee_bps=0, settlement_days=30))
    )
    order = place_order(method=PaymentMethod.CARD, installments=3)
    card = PaymentFacts(method=PaymentMethod.CARD, installments=3, captured=TOTAL)
    lifecycle.record_payment(MID, order.order_id, ChargeStatus.PAID, card, now=PAID_AT)
    entries = ledger.ledger_entries(MID)
    assert [(e.movement, e.amount, e.available_on) for e in entries if e.movement is Movement.SALE] == [
        (Movement.SALE, 3333, date(2025, 4, 9)),
        (Movement.SALE, 3333, date(2025, 5, 9)),
        (Movement.SALE, 3334, date(2025, 6, 8)),
    ]
    assert sum(e.amount for e in entries) == TOTAL - 250
    assert [e.amount for e in ledger.ledger_entries(MID, payable_on=date(2025, 6, 8))] == [3334, -84]


def test_a_partial_then_full_refund_books_each_difference_and_refunds_the_order(stack, shelf, bus_queue):
    order = place_order()
    lifecycle.record_payment(MID, order.order_id, ChargeStatus.PAID, paid_facts(), now=PAID_AT)
    lifecycle.move_order(MID, order.order_id, S.INVOICED, reason="erp", now=PAID_AT)
    lifecycle.record_payment(MID, order.order_id, ChargeStatus.PAID, paid_facts(refunded=2500), now=PAID_AT)
    refunded = lifecycle.record_payment(
        MID, order.order_id, ChargeStatus.CANCELLED, paid_facts(refunded=TOTAL), now=PAID_AT
    ).order
    assert refunded.status is S.REFUNDED
    refunds = [e.amount for e in ledger.ledger_entries(MID) if e.movement is Movement.REFUND]
    assert refunds == [-2500, -7500]
    assert sum(e.amount for e in ledger.ledger_entries(MID)) == TOTAL - TOTAL - 99 - 100
    types = [e["detail-type"] for e in bus_queue()]
    assert types == ["OrderPaid", "OrderInvoiced", "PaymentRefunded", "OrderRefunded", "PaymentRefunded"]
    assert order_item(order)["reservation"] == ReservationOutcome.CONSUMED

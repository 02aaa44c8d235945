"""The order state machine as a pure function: which moves are possible, and what each one books and tells."""

from datetime import UTC, date, datetime, timedelta
from itertools import product

import pytest
from charges import card_charge

from vitrine.errors import Conflict
from vitrine.ledger.models import Movement
from vitrine.merchants import SettlementTerms
from vitrine.orders.models import CustomerInput, Fulfilment, Order, OrderLine, OrderStatus, StatusChange
from vitrine.orders.state import (
    REVIEW_REMINDER,
    REVIEW_WINDOW,
    TRANSITIONS,
    IllegalTransition,
    OrderBooks,
    OrderMoney,
    PaymentFacts,
    ReservationOutcome,
    hold_step,
    plan_review_reminder,
    plan_transition,
    target_for_payment,
)
from vitrine.payments.port import CardDetails, ChargeStatus, PaymentMethod

S = OrderStatus
TOTAL = 10000
CREATED = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
NOW = CREATED + timedelta(hours=1)

# The business table, written out independently of the module: a change to either must be deliberate.
EXPECTED_TRANSITIONS = {
    S.PENDING_PAYMENT: {S.PAID, S.ON_HOLD, S.CANCELLED, S.REFUNDED},
    S.ON_HOLD: {S.PAID, S.CANCELLED, S.REFUNDED},
    S.PAID: {S.IN_PREPARATION, S.READY_FOR_PICKUP, S.DISPATCHED, S.INVOICED, S.CANCELLED, S.REFUNDED},
    S.IN_PREPARATION: {S.READY_FOR_PICKUP, S.DISPATCHED, S.INVOICED, S.CANCELLED, S.REFUNDED},
    S.READY_FOR_PICKUP: {S.INVOICED, S.DELIVERED, S.CANCELLED, S.REFUNDED},
    S.INVOICED: {S.READY_FOR_PICKUP, S.DISPATCHED, S.DELIVERED, S.CANCELLED, S.REFUNDED},
    S.DISPATCHED: {S.DELIVERED, S.REFUNDED},
    S.DELIVERED: {S.REFUNDED},
    S.CANCELLED: {S.REFUNDED},
    S.REFUNDED: set(),
}
# Moves that are neither allowed nor stale (the order never passed through the target): a 409.
EXPECTED_REFUSED = {
    (S.PENDING_PAYMENT, S.IN_PREPARATION),
    (S.PENDING_PAYMENT, S.READY_FOR_PICKUP),
    (S.PENDING_PAYMENT, S.DISPATCHED),
    (S.PENDING_PAYMENT, S.INVOICED),
    (S.PENDING_PAYMENT, S.DELIVERED),
    (S.ON_HOLD, S.IN_PREPARATION),
    (S.ON_HOLD, S.READY_FOR_PICKUP),
    (S.ON_HOLD, S.DISPATCHED),
    (S.ON_HOLD, S.INVOICED),
    (S.ON_HOLD, S.DELIVERED),
    (S.PAID, S.DELIVERED),
    (S.IN_PREPARATION, S.DELIVERED),
    (S.READY_FOR_PICKUP, S.DISPATCHED),
    (S.DISPATCHED, S.CANCELLED),
    (S.DELIVERED, S.CANCELLED),
    (S.CANCELLED, S.DISPATCHED),
    (S.CANCELLED, S.DELIVERED),
}
ALLOWED = sorted((a, b) for a, targets in EXPECTED_TRANSITIONS.items() for b in targets)
STALE = sorted((a, b) for a, b in product(S, S) if a != b and (a, b) not in ALLOWED and (a, b) not in EXPECTED_REFUSED)
# A plausible way to reach each status, so its history holds the statuses it went through.
PATHS = {
    S.PENDING_PAYMENT: [],
    S.ON_HOLD: [S.ON_HOLD],
    S.PAID: [S.PAID],
    S.IN_PREPARATION: [S.PAID, S.IN_PREPARATION],
    S.READY_FOR_PICKUP: [S.PAID, S.IN_PREPARATION, S.READY_FOR_PICKUP],
    S.INVOICED: [S.PAID, S.IN_PREPARATION, S.INVOICED],
    S.DISPATCHED: [S.PAID, S.IN_PREPARATION, S.INVOICED, S.DISPATCHED],
    S.DELIVERED: [S.PAID, S.IN_PREPARATION, S.INVOICED, S.DISPATCHED, S.DELIVERED],
    S.CANCELLED: [S.PAID, S.CANCELLED],
    S.REFUNDED: [S.PAID, S.REFUNDED],
}
PAID_STATUSES = {S.PAID, S.IN_PREPARATION, S.READY_FOR_PICKUP, S.INVOICED, S.DISPATCHED, S.DELIVERED}


def order_in(status, *, method=PaymentMethod.PIX, installments=1, path=None):
    path = PATHS[status] if path is None else path
    history = [StatusChange(status=S.PENDING_PAYMENT, at=CREATED)]
    history += [
        StatusChange(status=s, at=CREATED + timedelta(minutes=i + 1), reason="test") for i, s in enumerate(path)
    ]
    return Order(
        order_id="0" * 31 + "1",
        merchant_id="m1",
        catalog_id="c1",
        origin="catalog",
        store_code="9900",
        customer=CustomerInput(name="Maria Silva", cpf="52998224725", phone="11988887777", email="maria@example.com"),
        fulfilment=Fulfilment(kind="delivery", store_code="9900", delivery_price=0),
        lines=[
            OrderLine(
                product_sku="CAM",
                sku="CAM-P",
                name="Camiseta",
                size="P",
                colour=None,
                quantity=2,
                unit_price=5000,
                total=10000,
            )
        ],
        subtotal=TOTAL,
        total=TOTAL,
        payment_method=method,
        installments=installments,
        status=status,
        version=len(history),
        created_at=CREATED,
        reservation_expires_at=CREATED + timedelta(minutes=30),
        status_history=history,
    )


def facts(captured=TOTAL, refunded=0, charged_back=0, method=PaymentMethod.PIX, installments=1):
    return PaymentFacts(
        method=method, installments=installments, captured=captured, refunded=refunded, charged_back=charged_back
    )


def books_for(status):
    """What an order in ``status`` (reached by its path) has booked."""
    path = PATHS[status]
    captured = TOTAL if S.PAID in path else 0
    refunded = TOTAL if status is S.REFUNDED else 0
    reservation = None
    if S.INVOICED in path:
        reservation = ReservationOutcome.CONSUMED
    elif status in (S.CANCELLED, S.REFUNDED):
        reservation = ReservationOutcome.RELEASED
    money = OrderMoney(
        captured=captured, refunded=refunded, refund_requested=captured if status is S.CANCELLED else 0, entries=3
    )
    return OrderBooks(money=money, reservation=reservation)


def plan(order, to_status, *, books=None, payment=None, reason="test", terms=None):
    return plan_transition(
        order,
        books or books_for(order.status),
        to_status,
        reason=reason,
        now=NOW,
        terms=terms or SettlementTerms(),
        facts=payment,
    )


def test_the_table_is_the_one_the_business_agreed():
    assert {k: set(v) for k, v in TRANSITIONS.items()} == EXPECTED_TRANSITIONS


@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED)
def test_every_allowed_move_changes_the_status_appends_history_and_tells_one_event(from_status, to_status):
    order = order_in(from_status)
    payment = None
    if to_status is S.PAID:
        payment = facts()
    elif to_status is S.REFUNDED:
        payment = facts(refunded=TOTAL)
    result = plan(order, to_status, payment=payment, reason="because")
    assert result.order.status is to_status
    assert result.order.version == order.version + 1
    assert result.order.status_history[-1] == StatusChange(status=to_status, at=NOW, reason="because")
    status_events = [e for e in result.events if e.type.startswith("Order")]
    assert len(status_events) == 1
    event = status_events[0]
    assert event.data["previous_status"] == from_status and event.data["version"] == order.version + 1
    assert event.id == f"{order.order_id}.{order.version + 1}.0"
    assert event.merchant_id == "m1" and event.occurred_at == NOW


@pytest.mark.parametrize(("from_status", "to_status"), sorted(EXPECTED_REFUSED))
def test_every_refused_move_is_a_409_naming_from_to_and_reason(from_status, to_status):
    with pytest.raises(IllegalTransition) as refused:
        plan(order_in(from_status), to_status, reason="erp")
    error = refused.value
    assert isinstance(error, Conflict) and error.status == 409
    # The documented list: one clash, on the order's status, with why it cannot move
    (detail,) = error.details
    assert detail == {
        "field": "status",
        "reason": detail["reason"],
        "order_id": "0" * 31 + "1",
        "from": from_status,
        "to": to_status,
    }
    assert detail["reason"] and detail["reason"] in error.message
    assert str(from_status) in error.message and str(to_status) in error.message and "(erp)" in error.message


@pytest.mark.parametrize(("from_status", "to_status"), STALE)
def test_a_move_to_a_status_already_passed_is_stale_and_writes_nothing(from_status, to_status):
    assert plan(order_in(from_status), to_status).is_noop


@pytest.mark.parametrize("status", list(S))
def test_a_repeated_move_to_the_current_status_with_the_same_money_is_a_noop(status):
    booked = books_for(status).money
    same = facts(captured=booked.captured, refunded=booked.refunded) if booked.captured else None
    result = plan(order_in(status), status, payment=same)
    assert result.is_noop and result.order == order_in(status)


def test_a_status_the_order_has_been_in_is_not_entered_twice():
    # Ready, then invoiced at handover; a late "ready" does not send the order (or the shopper) round again.
    invoiced = order_in(S.INVOICED, path=[S.PAID, S.IN_PREPARATION, S.READY_FOR_PICKUP, S.INVOICED])
    assert plan(invoiced, S.READY_FOR_PICKUP).is_noop


def test_paid_needs_the_whole_total_captured():
    with pytest.raises(IllegalTransition, match="does not cover"):
        plan(order_in(S.PENDING_PAYMENT), S.PAID)
    with pytest.raises(IllegalTransition, match="does not cover"):
        plan(order_in(S.PENDING_PAYMENT), S.PAID, payment=facts(captured=TOTAL - 1))


def test_refunded_needs_everything_captured_returned():
    with pytest.raises(IllegalTransition, match="returned"):
        plan(order_in(S.PAID), S.REFUNDED, payment=facts(refunded=TOTAL - 1))
    with pytest.raises(IllegalTransition, match="returned"):
        plan(order_in(S.PENDING_PAYMENT), S.REFUNDED)


def test_paid_books_the_sale_and_fees_and_leaves_the_expiry_index_keeping_the_reservation():
    result = plan(order_in(S.PENDING_PAYMENT), S.PAID, payment=facts(), books=OrderBooks())
    assert [(e.movement, e.amount) for e in result.ledger_entries] == [
        (Movement.SALE, 10000),
        (Movement.GATEWAY_FEE, -99),
        (Movement.PLATFORM_FEE, -100),
    ]
    assert {e.available_on for e in result.ledger_entries} == {date(2025, 3, 11)}
    assert [e.type for e in result.events] == ["OrderPaid"]
    assert result.events[0].data | {"amount": 10000, "method": "pix", "installments": 1} == result.events[0].data
    assert result.money.captured == TOTAL and result.money.entries == 3
    assert result.leaves_expiry_index and result.reservation is None and result.refund_to_request == 0


def test_a_card_paid_in_three_instalments_books_three_slices_of_each_movement():
    order = order_in(S.PENDING_PAYMENT, method=PaymentMethod.CARD, installments=3)
    payment = facts(method=PaymentMethod.CARD, installments=3)
    result = plan(order, S.PAID, payment=payment, books=OrderBooks())
    sales = [(e.amount, e.available_on) for e in result.ledger_entries if e.movement is Movement.SALE]
    assert sales == [(3333, date(2025, 4, 9)), (3333, date(2025, 5, 9)), (3334, date(2025, 6, 8))]
    assert sum(e.amount for e in result.ledger_entries) == 10000 - 399 - 100
    assert [e.sequence for e in result.ledger_entries] == list(range(1, 10))


def test_only_a_capture_needs_the_merchants_terms():
    with pytest.raises(ValueError, match="settlement terms"):
        plan_transition(
            order_in(S.PENDING_PAYMENT), OrderBooks(), S.PAID, reason="charge_paid", now=NOW, terms=None, facts=facts()
        )
    shipped = plan_transition(
        order_in(S.INVOICED), books_for(S.INVOICED), S.DISPATCHED, reason="erp", now=NOW, terms=None
    )
    assert shipped.order.status is S.DISPATCHED


def test_a_hold_waits_for_the_merchant_not_for_the_checkout_timer():
    result = plan(order_in(S.PENDING_PAYMENT), S.ON_HOLD, books=OrderBooks())
    assert result.order.status is S.ON_HOLD and not result.leaves_expiry_index
    deadline = NOW + REVIEW_WINDOW
    assert result.order.reservation_expires_at == deadline == result.review_deadline
    assert result.expiry_index_at == deadline - REVIEW_REMINDER  # the sweep's next stop: the reminder
    (held,) = result.events
    assert held.type == "OrderHeld" and datetime.fromisoformat(held.data["review_deadline"]) == deadline


@pytest.mark.parametrize(
    ("at", "reminded", "step"),
    [
        (NOW + timedelta(minutes=31), False, None),  # past the checkout's timer: a hold does not expire with it
        (NOW + REVIEW_WINDOW - REVIEW_REMINDER - timedelta(minutes=1), False, None),
        (NOW + REVIEW_WINDOW - REVIEW_REMINDER, False, S.ON_HOLD),  # remind
        (NOW + REVIEW_WINDOW - timedelta(minutes=1), True, None),  # reminded already
        (NOW + REVIEW_WINDOW, True, S.CANCELLED),
        (NOW + REVIEW_WINDOW, False, S.CANCELLED),  # a sweep that missed the reminder still ends the hold
    ],
)
def test_the_sweep_reminds_a_hold_once_then_cancels_it_at_its_deadline(at, reminded, step):
    held = plan(order_in(S.PENDING_PAYMENT), S.ON_HOLD, books=OrderBooks()).order
    books = OrderBooks(review_reminded_at=at if reminded else None)
    assert hold_step(held, books, at) is step


def test_the_reminder_keeps_the_hold_and_moves_the_sweeps_next_stop_to_the_deadline():
    held = plan(order_in(S.PENDING_PAYMENT), S.ON_HOLD, books=OrderBooks()).order
    at = held.reservation_expires_at - REVIEW_REMINDER
    reminder = plan_review_reminder(held, OrderBooks(), at)
    assert reminder.order.status is S.ON_HOLD and reminder.history_entry is None
    assert reminder.order.version == held.version + 1 and reminder.expected_version == held.version
    assert reminder.expiry_index_at == held.reservation_expires_at and reminder.review_reminded_at == at
    (event,) = reminder.events
    assert (
        event.type == "OrderReviewReminded"
        and datetime.fromisoformat(event.data["review_deadline"]) == held.reservation_expires_at
    )
    assert not reminder.is_noop and not reminder.ledger_entries and reminder.reservation is None


def test_hold_steps_apply_to_held_orders_only():
    assert hold_step(order_in(S.PENDING_PAYMENT), OrderBooks(), NOW + timedelta(days=10)) is None


def test_a_payment_after_the_order_expired_is_booked_and_refunded_never_resurrected():
    expired = order_in(S.CANCELLED, path=[S.CANCELLED])
    books = OrderBooks(reservation=ReservationOutcome.RELEASED)
    result = plan(expired, S.PAID, payment=facts(), books=books, reason="charge_paid")
    assert result.order.status is S.CANCELLED and result.history_entry is None
    assert sum(e.amount for e in result.ledger_entries if e.movement is Movement.SALE) == TOTAL
    assert result.refund_to_request == TOTAL
    assert [e.type for e in result.events] == ["RefundRequested"]
    assert result.events[0].data | {"amount": TOTAL, "cause": "paid_after_cancellation"} == result.events[0].data
    assert result.reservation is None  # released when it expired, not again
    # The same notification again: nothing more is booked or asked.
    again = plan(result.order, S.PAID, payment=facts(), books=OrderBooks(result.money, ReservationOutcome.RELEASED))
    assert again.is_noop


def test_cancelling_a_paid_order_releases_its_stock_and_requests_its_refund_once():
    paid = order_in(S.PAID)
    result = plan(paid, S.CANCELLED, reason="merchant_cancelled")
    assert [e.type for e in result.events] == ["OrderCancelled", "RefundRequested"]
    request = result.events[1].data
    assert request["amount"] == TOTAL and request["cause"] == "order_cancelled"
    assert request["idempotency_key"] == f"{paid.order_id}-refund-1"
    assert result.reservation is ReservationOutcome.RELEASED and result.ledger_entries == ()


def test_cancelling_an_unpaid_order_requests_no_refund():
    result = plan(order_in(S.PENDING_PAYMENT), S.CANCELLED, books=OrderBooks(), reason="expired")
    assert [e.type for e in result.events] == ["OrderCancelled"]
    assert result.refund_to_request == 0 and result.reservation is ReservationOutcome.RELEASED


@pytest.mark.parametrize("status", [S.INVOICED, S.DISPATCHED])
def test_goods_leaving_consume_the_reservation(status):
    assert plan(order_in(S.PAID), status).reservation is ReservationOutcome.CONSUMED


def test_a_reservation_ends_once():
    delivered = plan(order_in(S.DISPATCHED), S.DELIVERED)
    refunded = plan(order_in(S.DELIVERED), S.REFUNDED, payment=facts(refunded=TOTAL))
    assert delivered.reservation is None and refunded.reservation is None


@pytest.mark.parametrize("status", [S.PAID, S.READY_FOR_PICKUP])
def test_a_partial_refund_books_a_debit_and_keeps_the_status(status):
    result = plan(order_in(status), status, payment=facts(refunded=2500))
    assert result.order.status is status and result.history_entry is None
    assert [(e.movement, e.amount, e.available_on, e.sequence) for e in result.ledger_entries] == [
        (Movement.REFUND, -2500, date(2025, 3, 10), 4)
    ]
    assert [e.type for e in result.events] == ["PaymentRefunded"]
    assert result.events[0].data | {"amount": 2500, "refunded_total": 2500} == result.events[0].data


def test_the_rest_of_the_refund_books_its_difference_and_refunds_the_order():
    books = OrderBooks(OrderMoney(captured=TOTAL, refunded=2500, entries=4))
    result = plan(order_in(S.PAID), S.REFUNDED, payment=facts(refunded=TOTAL), books=books)
    assert [(e.movement, e.amount) for e in result.ledger_entries] == [(Movement.REFUND, -7500)]
    assert [e.type for e in result.events] == ["OrderRefunded", "PaymentRefunded"]
    assert result.reservation is ReservationOutcome.RELEASED


def test_stale_money_facts_book_nothing():
    books = OrderBooks(OrderMoney(captured=TOTAL, refunded=2500, entries=4))
    assert plan(order_in(S.PAID), S.PAID, payment=facts(refunded=0), books=books).is_noop


def test_a_chargeback_is_a_debit_and_refunds_the_order():
    result = plan(order_in(S.DELIVERED), S.REFUNDED, payment=facts(charged_back=TOTAL))
    assert [(e.movement, e.amount) for e in result.ledger_entries] == [(Movement.CHARGEBACK, -TOTAL)]
    assert [e.type for e in result.events] == ["OrderRefunded", "ChargebackReceived"]


def test_a_cancelled_order_whose_refund_completes_is_refunded():
    result = plan(order_in(S.CANCELLED), S.REFUNDED, payment=facts(refunded=TOTAL))
    assert result.order.status is S.REFUNDED and result.refund_to_request == 0


@pytest.mark.parametrize(
    ("current", "charge_status", "payment", "expected"),
    [
        (S.PENDING_PAYMENT, ChargeStatus.PAID, facts(), S.PAID),
        (S.PENDING_PAYMENT, ChargeStatus.UNDER_REVIEW, facts(captured=0), S.ON_HOLD),
        # declined: cancelled at once, so its units go back on sale before the shopper tries again
        (S.PENDING_PAYMENT, ChargeStatus.FAILED, facts(captured=0), S.CANCELLED),
        (S.ON_HOLD, ChargeStatus.FAILED, facts(captured=0), S.CANCELLED),
        (S.ON_HOLD, ChargeStatus.PAID, facts(), S.PAID),
        (S.PENDING_PAYMENT, ChargeStatus.CANCELLED, facts(captured=0), S.CANCELLED),
        (S.DISPATCHED, ChargeStatus.PAID, facts(refunded=2500), S.PAID),
        (S.DISPATCHED, ChargeStatus.CANCELLED, facts(refunded=TOTAL), S.REFUNDED),
        (S.PAID, ChargeStatus.PAID, facts(refunded=5000, charged_back=5000), S.REFUNDED),
        (S.PENDING_PAYMENT, ChargeStatus.PENDING, facts(captured=0), S.PENDING_PAYMENT),
    ],
)
def test_a_charge_asks_for_the_status_its_money_says(current, charge_status, payment, expected):
    assert target_for_payment(current, charge_status, payment) is expected


def test_facts_come_from_the_charge_read_from_the_gateway():
    charge = card_charge(
        amount=TOTAL,
        paid_amount=TOTAL,
        canceled_amount=2500,
        card=CardDetails(last_four="0010", brand="visa", installments=3),
    )
    assert PaymentFacts.from_charge(charge) == PaymentFacts(
        method=PaymentMethod.CARD, installments=3, captured=TOTAL, refunded=2500, charge_id="ch_1"
    )


def test_facts_cannot_return_more_than_was_captured():
    with pytest.raises(ValueError, match="exceed"):
        facts(captured=100, refunded=60, charged_back=50)

"""The order state machine: the one place that decides which status changes are possible and what each one does.

Transitions (from -> allowed to)::

    pending_payment   -> paid | on_hold | cancelled | refunded
    on_hold           -> paid | cancelled | refunded
    paid              -> in_preparation | ready_for_pickup | dispatched | invoiced | cancelled | refunded
    in_preparation    -> ready_for_pickup | dispatched | invoiced | cancelled | refunded
    ready_for_pickup  -> invoiced | delivered | cancelled | refunded
    invoiced          -> ready_for_pickup | dispatched | delivered | cancelled | refunded
    dispatched        -> delivered | refunded
    delivered         -> refunded
    cancelled         -> refunded
    refunded          -> (terminal)

Why:

- Only the gateway's money makes an order ``paid`` (captured >= total) or ``on_hold`` (antifraud review). The ERP
  drives every status after ``paid`` and may skip the steps it does not report, forwards only.
- A pickup is invoiced when it is packed or when it is handed over, so ``invoiced`` and ``ready_for_pickup`` come
  in either order. A delivery travels with its NF-e, so ``dispatched`` follows ``invoiced`` (or comes straight from
  ``paid``/``in_preparation`` from an ERP that reports both at once), never ``ready_for_pickup`` alone.
- ``cancelled`` is possible until the goods leave: a dispatched or delivered order comes back as a return, and the
  money as a refund.
- ``refunded`` is reachable from every status when the money says so: the gateway reports everything captured
  returned (refunds and chargebacks). A partial refund is booked and the status stays.
- ``cancelled`` never becomes ``paid`` again: a payment that arrives for a cancelled (e.g. expired) order is booked
  and its refund requested. Only ``refunded`` follows, once the refund completes.

Out-of-order and duplicate messages:

- a move to the current status changes no status (the money facts are still reconciled, so a duplicate books
  nothing and a newer partial refund books its difference);
- a move to a status the order has been in, or has moved beyond (the current status is reachable from it), is stale
  and changes no status either: ``paid`` after ``cancelled``, ``invoiced`` after ``delivered``;
- anything else is impossible and raises ``IllegalTransition`` (409): its details, the documented list, hold one
  entry on ``status`` naming the order, from, to and why (the move's reason is in the message).

Money facts are the gateway's running totals (captured, refunded, charged back); they are merged with what the
order has booked by taking the larger, so a stale notification can never book a negative difference.

The ERP's documents: the NF-e of ``invoiced`` and the carrier and tracking code of ``dispatched`` are kept on the order
the first time they come, even with a move that is stale (an ERP that reports ``dispatched`` before ``invoiced`` still
gives the shopper the NF-e); a repeated report changes nothing.

An antifraud hold: a card the gateway holds for review (``on_hold``) waits for the merchant's decision, not for the
checkout's reservation timer. Entering the hold moves the reservation's end to the review deadline
(``REVIEW_WINDOW`` after the hold, inside the card's authorisation window) and the order's stop in the expiry index
to ``REVIEW_REMINDER`` before it: the sweep then reminds the merchant (``OrderReviewReminded``) and, at the deadline,
cancels the charge and the order (reason ``review_expired``), which releases the stock. Until then the units stay
held.

Cancellation and the ERP: the integrated system owns a sale once it has it (it booked the pending sale, and it
issues and cancels the NF-e). Before the ERP has the order (the feed served it and was acknowledged, or the ERP
reported a status), the merchant cancels it in Vitrine and it moves to ``cancelled`` at once. After, a cancel asked
in Vitrine is a cancellation *request* (``plan_cancellation_request``): the order keeps its status, records the
request, is served again in the ERP feed and an ``OrderCancellationRequested`` event goes out; it moves when the ERP
reports ``cancelled``. An invoiced order is therefore only ever cancelled by the ERP, which cancels its NF-e. A
report of a forward movement (``in_preparation``, ``ready_for_pickup``, ``invoiced``, ``dispatched``,
``delivered``) for a cancelled or refunded order is refused (409, ``erp.order_reports``): the money went back, so
the goods must not leave.

Stock: the checkout's reservation ends exactly once, recorded on the order. Cancelled or refunded before the goods
left, it is *released* (the units go back on sale). Invoiced, dispatched or delivered, it is *consumed*: on hand
and reserved drop together and availability does not move, because the sale is now in the ERP's count; putting the
units back on sale until the ERP's next count arrives would sell them twice.
"""

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from pydantic import ConfigDict, Field, model_validator

from vitrine.errors import Conflict
from vitrine.events.envelope import (
    ChargebackReceived,
    EventData,
    OrderCancellationRequested,
    OrderCancelled,
    OrderDelivered,
    OrderDispatched,
    OrderHeld,
    OrderInvoiced,
    OrderPaid,
    OrderPreparationStarted,
    OrderReadiedForPickup,
    OrderRefunded,
    OrderReviewReminded,
    OrderStatusChange,
    PaymentRefunded,
    RefundRequested,
    new_event,
)
from vitrine.lazy_models import LazyModel
from vitrine.ledger.models import LedgerEntry, Movement
from vitrine.ledger.rules import capture_entries, debit_entry
from vitrine.merchants import SettlementTerms
from vitrine.money import Centavos
from vitrine.orders.models import (
    CancellationRequest,
    Invoice,
    Order,
    OrderBooks,
    OrderMoney,
    OrderStatus,
    ReservationOutcome,
    Shipment,
    StatusChange,
    TransitionPlan,
)
from vitrine.payments.charges import Charge, ChargeStatus
from vitrine.payments.methods import PaymentMethod

S = OrderStatus
TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    S.PENDING_PAYMENT: frozenset({S.PAID, S.ON_HOLD, S.CANCELLED, S.REFUNDED}),
    S.ON_HOLD: frozenset({S.PAID, S.CANCELLED, S.REFUNDED}),
    S.PAID: frozenset({S.IN_PREPARATION, S.READY_FOR_PICKUP, S.DISPATCHED, S.INVOICED, S.CANCELLED, S.REFUNDED}),
    S.IN_PREPARATION: frozenset({S.READY_FOR_PICKUP, S.DISPATCHED, S.INVOICED, S.CANCELLED, S.REFUNDED}),
    S.READY_FOR_PICKUP: frozenset({S.INVOICED, S.DELIVERED, S.CANCELLED, S.REFUNDED}),
    S.INVOICED: frozenset({S.READY_FOR_PICKUP, S.DISPATCHED, S.DELIVERED, S.CANCELLED, S.REFUNDED}),
    S.DISPATCHED: frozenset({S.DELIVERED, S.REFUNDED}),
    S.DELIVERED: frozenset({S.REFUNDED}),
    S.CANCELLED: frozenset({S.REFUNDED}),
    S.REFUNDED: frozenset(),
}

# pagar.me cancels a card authorisation that is not captured in 5 days (Visa: 4 calendar days counting the day of
# the authorisation) with status_reason capture_timeout; a hold ends a day inside the shortest, so the merchant's
# approval still captures. The reminder goes out a day before the deadline.
REVIEW_WINDOW = timedelta(days=3)
REVIEW_REMINDER = timedelta(days=1)

RELEASING = frozenset({S.CANCELLED, S.REFUNDED})
CONSUMING = frozenset({S.INVOICED, S.DISPATCHED, S.DELIVERED})

STATUS_EVENTS: dict[OrderStatus, type[OrderStatusChange]] = {
    S.PAID: OrderPaid,
    S.ON_HOLD: OrderHeld,
    S.IN_PREPARATION: OrderPreparationStarted,
    S.READY_FOR_PICKUP: OrderReadiedForPickup,
    S.DISPATCHED: OrderDispatched,
    S.INVOICED: OrderInvoiced,
    S.DELIVERED: OrderDelivered,
    S.CANCELLED: OrderCancelled,
    S.REFUNDED: OrderRefunded,
}


def _reachable_from(start: OrderStatus) -> frozenset[OrderStatus]:
    seen: set[OrderStatus] = set()
    frontier = [start]
    while frontier:
        for following in TRANSITIONS[frontier.pop()]:
            if following not in seen:
                seen.add(following)
                frontier.append(following)
    return frozenset(seen)


REACHABLE: dict[OrderStatus, frozenset[OrderStatus]] = {status: _reachable_from(status) for status in OrderStatus}


class IllegalTransition(Conflict):
    code = "illegal_transition"


class PaymentFacts(LazyModel):
    """The payment as the gateway reports it now: running totals, never deltas, so a repeat changes nothing."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    method: PaymentMethod
    installments: int = Field(default=1, ge=1, le=12)
    captured: Centavos = 0
    refunded: Centavos = 0
    charged_back: Centavos = 0
    charge_id: str | None = None

    @model_validator(mode="after")
    def _returns_at_most_what_was_captured(self) -> "PaymentFacts":
        if self.refunded + self.charged_back > self.captured:
            raise ValueError("refunds and chargebacks cannot exceed what was captured")
        return self

    @classmethod
    def from_charge(cls, charge: Charge, *, charged_back: int = 0) -> "PaymentFacts":
        """The facts of a charge read from the gateway (chargebacks come from their own notifications)."""
        return cls(
            method=charge.method,
            installments=(charge.card.installments if charge.card else None) or 1,
            captured=charge.paid_amount,
            refunded=charge.refunded_amount,
            charged_back=charged_back,
            charge_id=charge.charge_id,
        )


def target_for_payment(current: OrderStatus, charge_status: ChargeStatus, facts: PaymentFacts) -> OrderStatus:
    """The status a gateway charge asks for. ``current`` means no status change (its money is still booked).

    A declined (failed) charge cancels the unpaid order at once, which releases its units: a shopper who tries
    again with another card or with Pix places a new order from the cart they kept, and must not find their own
    units still reserved by the declined one ("Sem estoque"). Declined after antifraud review, it cancels the
    order too.
    """
    if facts.captured and facts.refunded + facts.charged_back >= facts.captured:
        return S.REFUNDED
    if charge_status is ChargeStatus.PAID:
        return S.PAID
    if charge_status is ChargeStatus.UNDER_REVIEW:
        return S.ON_HOLD
    if charge_status is ChargeStatus.CANCELLED:
        return S.CANCELLED
    if charge_status is ChargeStatus.FAILED and current in (S.PENDING_PAYMENT, S.ON_HOLD):
        return S.CANCELLED
    return current


def captures_money(books: OrderBooks, facts: PaymentFacts | None) -> bool:
    """Whether ``facts`` report money captured beyond what the order has booked."""
    return facts is not None and facts.captured > books.money.captured


def plan_transition(
    order: Order,
    books: OrderBooks,
    to_status: OrderStatus,
    *,
    reason: str,
    now: datetime,
    terms: SettlementTerms | None,
    facts: PaymentFacts | None = None,
    invoice: Invoice | None = None,
    shipment: Shipment | None = None,
) -> TransitionPlan:
    """What moving ``order`` to ``to_status`` writes, given the gateway's ``facts`` (none: nothing new) and the
    ERP's ``invoice`` or ``shipment`` reported with the move.

    ``terms`` (the merchant's fees and settlement days) are needed only when the facts capture new money
    (``captures_money``), so that a move without money does not pay for reading them.
    """
    to_status = OrderStatus(to_status)
    booked = books.money
    captured = max(booked.captured, facts.captured if facts else 0)
    refunded = max(booked.refunded, facts.refunded if facts else 0)
    charged_back = max(booked.charged_back, facts.charged_back if facts else 0)
    status = _next_status(order, to_status, reason, captured=captured, returned=refunded + charged_back)
    changes_status = status != order.status
    version = order.version + 1
    method = facts.method if facts else order.payment_method
    installments = facts.installments if facts else order.installments

    ledger: list[LedgerEntry] = []
    money_events: list[EventData] = []
    if captured > booked.captured:
        if terms is None:
            raise ValueError("a capture is booked at the merchant's settlement terms: pass them")
        ledger += capture_entries(
            merchant_id=order.merchant_id,
            order_id=order.order_id,
            amount=captured - booked.captured,
            method=method,
            installments=installments,
            terms=terms,
            captured_at=now,
            first_sequence=booked.entries + 1,
        )
    for movement, before, after in (
        (Movement.REFUND, booked.refunded, refunded),
        (Movement.CHARGEBACK, booked.charged_back, charged_back),
    ):
        if after > before:
            ledger.append(
                debit_entry(
                    merchant_id=order.merchant_id,
                    order_id=order.order_id,
                    movement=movement,
                    amount=after - before,
                    method=method,
                    at=now,
                    sequence=booked.entries + len(ledger) + 1,
                )
            )
            money_events.append(
                _debit_event(order, movement, version=version, before=before, after=after, method=method)
            )

    # A cancelled order gives back everything it holds, once: what is already returned or already asked for
    # is not asked again.
    refund_to_request = 0
    refund_requested, refund_requests = booked.refund_requested, booked.refund_requests
    if status is S.CANCELLED:
        refund_to_request = max(0, captured - charged_back - max(refunded, booked.refund_requested))
        if refund_to_request:
            refund_requested = captured - charged_back
            refund_requests += 1
            charge_id = (facts.charge_id if facts else None) or (order.charge.charge_id if order.charge else None)
            money_events.append(
                RefundRequested(
                    order_id=order.order_id,
                    version=version,
                    amount=refund_to_request,
                    charge_id=charge_id,
                    idempotency_key=f"{order.order_id}-refund-{refund_requests}",
                    cause="order_cancelled" if changes_status else "paid_after_cancellation",
                )
            )

    reservation = None
    if books.reservation is None and status in RELEASING:
        reservation = ReservationOutcome.RELEASED
    elif books.reservation is None and status in CONSUMING:
        reservation = ReservationOutcome.CONSUMED

    invoice = invoice if invoice is not None and order.invoice is None else None
    shipment = shipment if shipment is not None and order.shipment is None else None
    history_entry = StatusChange(status=status, at=now, reason=reason) if changes_status else None
    entering_hold = changes_status and status is S.ON_HOLD
    review_deadline = max(order.reservation_expires_at, now + REVIEW_WINDOW) if entering_hold else None
    event_data: list[EventData] = []
    if changes_status:
        event_data.append(
            _status_event(
                order,
                status,
                version=version,
                reason=reason,
                payment=(captured, method, installments),
                returned=refunded + charged_back,
                invoice=invoice or order.invoice,
                shipment=shipment or order.shipment,
                review_deadline=review_deadline,
            )
        )
    event_data += money_events
    events = tuple(
        new_event(order.merchant_id, data, occurred_at=now, event_id=f"{order.order_id}.{version}.{index}")
        for index, data in enumerate(event_data)
    )
    money = OrderMoney(
        captured=captured,
        refunded=refunded,
        charged_back=charged_back,
        refund_requested=refund_requested,
        refund_requests=refund_requests,
        entries=booked.entries + len(ledger),
    )
    plan = TransitionPlan(
        order=order,
        expected_version=order.version,
        previous_status=order.status,
        history_entry=history_entry,
        money=money,
        reservation=reservation,
        ledger_entries=tuple(ledger),
        events=events,
        refund_to_request=refund_to_request,
        invoice=invoice,
        shipment=shipment,
    )
    if plan.is_noop:
        return plan
    update: dict = {
        "status": status,
        "version": version,
        "status_history": [*order.status_history, *([history_entry] if history_entry else [])],
        "invoice": invoice or order.invoice,
        "shipment": shipment or order.shipment,
    }
    expiry_index_at = None
    if review_deadline is not None:
        update["reservation_expires_at"] = review_deadline
        expiry_index_at = review_deadline - REVIEW_REMINDER
    return replace(plan, order=order.model_copy(update=update), expiry_index_at=expiry_index_at)


def hold_step(order: Order, books: OrderBooks, now: datetime) -> OrderStatus | None:
    """What the sweep does with a held order it meets at ``now``: ``CANCELLED`` past its review deadline, ``ON_HOLD``
    (remind the merchant, ``plan_review_reminder``) inside the last ``REVIEW_REMINDER``, else nothing yet."""
    if order.status is not S.ON_HOLD:
        return None
    if order.reservation_expires_at <= now:
        return S.CANCELLED
    if books.review_reminded_at is None and order.reservation_expires_at - REVIEW_REMINDER <= now:
        return S.ON_HOLD
    return None


def plan_review_reminder(order: Order, books: OrderBooks, now: datetime) -> TransitionPlan:
    """Remind the merchant that a held payment is undecided (once), and move the order's stop in the expiry index
    to the review deadline. The status stays ``on_hold``."""
    deadline = order.reservation_expires_at
    return _status_kept(
        order,
        books,
        now,
        lambda version: OrderReviewReminded(order_id=order.order_id, version=version, review_deadline=deadline),
        expiry_index_at=deadline,
        review_reminded_at=now,
    )


def plan_cancellation_request(order: Order, books: OrderBooks, reason: str, now: datetime) -> TransitionPlan | None:
    """Ask the ERP to cancel ``order`` (it has it already): record the request, offer the order again in the feed,
    and tell subscribers. None when it was asked already (the first request stands)."""
    if order.cancellation_requested is not None:
        return None
    request = CancellationRequest(reason=reason, requested_at=now)
    return _status_kept(
        order,
        books,
        now,
        lambda version: OrderCancellationRequested(
            order_id=order.order_id, version=version, status=order.status, reason=reason
        ),
        update={"cancellation_requested": request},
        cancellation_request=request,
    )


class NothingToRefund(Conflict):
    code = "nothing_to_refund"


def refundable(books: OrderBooks) -> int:
    """What the order still holds of the payer's money and nobody has asked back yet."""
    money = books.money
    return max(0, money.captured - money.charged_back - max(money.refunded, money.refund_requested))


def plan_refund_request(
    order: Order, books: OrderBooks, amount: int, now: datetime, *, asked_before: int | None = None
) -> TransitionPlan:
    """The merchant gives back ``amount`` of what the order holds (a part, or all of it): booked as asked of the
    gateway with the refund's own idempotency key (``<order>-refund-<n>``), told as ``RefundRequested``. The status
    stays; the gateway's answer books the refund itself (a ledger debit, and ``refunded`` once everything captured
    has gone back), as every refund is booked. More than the order holds is a 409 that says how much it holds.

    ``asked_before``: what the caller saw asked back so far (``money.refund_requested``); when another refund was
    asked since, this one is a 409, so a double tap, or two people on one order, gives back once."""
    if asked_before is not None and asked_before != books.money.refund_requested:
        raise NothingToRefund(
            "another refund of this order was asked meanwhile; look at the order again",
            details=[
                {
                    "field": "body.refunded_before",
                    "reason": f"the order has {books.money.refund_requested} asked back now",
                    "refund_requested": books.money.refund_requested,
                }
            ],
        )
    left = refundable(books)
    if amount > left:
        raise NothingToRefund(
            f"the order holds {left} centavos that can be refunded; {amount} asked",
            details=[{"field": "body.amount", "reason": f"at most {left}", "refundable": left}],
        )
    money = books.money
    requests = money.refund_requests + 1
    charge_id = order.charge.charge_id if order.charge else None
    plan = _status_kept(
        order,
        books,
        now,
        lambda version: RefundRequested(
            order_id=order.order_id,
            version=version,
            amount=amount,
            charge_id=charge_id,
            idempotency_key=f"{order.order_id}-refund-{requests}",
            cause="merchant_refund",
        ),
    )
    asked = max(money.refunded, money.refund_requested) + amount
    booked = money.model_copy(update={"refund_requested": asked, "refund_requests": requests})
    return replace(plan, money=booked, refund_to_request=amount)


def _status_kept(
    order: Order,
    books: OrderBooks,
    now: datetime,
    event_data: Callable[[int], EventData],
    *,
    update: dict | None = None,
    **plan_fields: Any,
) -> TransitionPlan:
    """A move that keeps the status and books nothing: the order at its next version (with ``update``), the one
    event ``event_data(version)``, and what else the plan writes (``plan_fields``)."""
    version = order.version + 1
    event = new_event(order.merchant_id, event_data(version), occurred_at=now, event_id=f"{order.order_id}.{version}.0")
    return TransitionPlan(
        order=order.model_copy(update={"version": version, **(update or {})}),
        expected_version=order.version,
        previous_status=order.status,
        history_entry=None,
        money=books.money,
        reservation=None,
        ledger_entries=(),
        events=(event,),
        refund_to_request=0,
        **plan_fields,
    )


def _next_status(order: Order, to_status: OrderStatus, reason: str, *, captured: int, returned: int) -> OrderStatus:
    current = order.status
    if to_status == current:
        return current
    visited = {change.status for change in order.status_history}
    if to_status in TRANSITIONS[current] and to_status not in visited:
        if to_status is S.PAID and captured < order.total:
            raise _illegal(order, to_status, reason, f"captured {captured} does not cover the total {order.total}")
        if to_status is S.REFUNDED and not (captured and returned >= captured):
            raise _illegal(order, to_status, reason, f"only {returned} of the {captured} captured was returned")
        return to_status
    if to_status in visited or current in REACHABLE[to_status]:
        return current
    raise _illegal(order, to_status, reason, f"{current} cannot become {to_status}")


def _illegal(order: Order, to_status: OrderStatus, reason: str, why: str) -> IllegalTransition:
    return IllegalTransition(
        f"order {order.order_id} cannot move from {order.status} to {to_status} ({reason}): {why}",
        details=[{"field": "status", "reason": why, "order_id": order.order_id, "from": order.status, "to": to_status}],
    )


def _debit_event(
    order: Order, movement: Movement, *, version: int, before: int, after: int, method: PaymentMethod
) -> EventData:
    """The event of money going back: a refund, or a chargeback (each with its running total)."""
    common = {"order_id": order.order_id, "version": version, "amount": after - before, "method": method}
    if movement is Movement.REFUND:
        return PaymentRefunded(**common, refunded_total=after)
    return ChargebackReceived(**common, charged_back_total=after)


def _status_event(
    order: Order,
    status: OrderStatus,
    *,
    version: int,
    reason: str,
    payment: tuple[int, PaymentMethod, int],
    returned: int,
    invoice: Invoice | None,
    shipment: Shipment | None,
    review_deadline: datetime | None,
) -> OrderStatusChange:
    common = {"order_id": order.order_id, "version": version, "previous_status": order.status, "reason": reason}
    if status is S.PAID:
        captured, method, installments = payment
        return OrderPaid(**common, amount=captured, method=method, installments=installments)
    if status is S.REFUNDED:
        return OrderRefunded(**common, refunded=returned)
    if status is S.ON_HOLD and review_deadline is not None:
        return OrderHeld(**common, review_deadline=review_deadline)
    if status is S.INVOICED and invoice is not None:
        return OrderInvoiced(**common, access_key=invoice.access_key, number=invoice.number, series=invoice.series)
    if status is S.DISPATCHED and shipment is not None:
        return OrderDispatched(**common, **shipment.model_dump())
    return STATUS_EVENTS[status](**common)

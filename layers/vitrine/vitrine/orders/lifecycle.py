"""Moving orders through their lifecycle: read the order, plan the move (``orders.state``), write it in one
transaction, then publish its events from the outbox.

Who calls what:

- the gateway webhook consumer, with the charge it fetched from the gateway: ``record_payment``;
- the ERP and the merchant (``in_preparation`` ... ``delivered``, a cancellation): ``move_order``; the merchant's
  cancel of an order the ERP has already: ``request_cancellation``;
- the reservation sweeper, for each order its expiry index returns: ``expire_order``, or for a held payment a day
  before its review deadline ``remind_review``;
- a scheduled sweep, for events whose publish failed after their commit: ``publish_pending_events``.

A move that loses a race with another writer of the same order reads the order again and plans again, so
the target is decided on the latest version: a late duplicate becomes a no-op, not a second move.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from vitrine import clock
from vitrine.errors import Conflict, DependencyUnavailable, NotFound
from vitrine.events.envelope import EventEnvelope
from vitrine.events.publisher import PublishFailed, publish
from vitrine.merchants import SettlementTerms
from vitrine.orders.models import (
    AWAITING_PAYMENT,
    Invoice,
    Order,
    OrderBooks,
    OrderMoney,
    OrderStatus,
    Shipment,
    TransitionPlan,
)
from vitrine.orders.retries import retry_on_conflict
from vitrine.orders.state import (
    PaymentFacts,
    captures_money,
    hold_step,
    plan_cancellation_request,
    plan_refund_request,
    plan_review_reminder,
    plan_transition,
    target_for_payment,
)
from vitrine.payments.charges import Charge, ChargeStatus
from vitrine.repository import ledger, order_state
from vitrine.repository.order_state import ConcurrentChange

EVENT_SOURCE = "vitrine.orders"
_CONFLICT_RETRIES = 4

logger = logging.getLogger(__name__)


class OrderBusy(Conflict):
    code = "order_busy"


@dataclass(frozen=True)
class Moved:
    """An order after a move, with what it has booked (a caller that owes a refund reads it here)."""

    order: Order
    money: OrderMoney


def move_order(
    merchant_id: str,
    order_id: str,
    to_status: OrderStatus,
    *,
    reason: str,
    facts: PaymentFacts | None = None,
    invoice: Invoice | None = None,
    shipment: Shipment | None = None,
    now: datetime | None = None,
) -> Order:
    """Move the order to ``to_status`` (``IllegalTransition`` when the table forbids it); the order as it is now.

    ``invoice`` and ``shipment`` are the ERP's documents reported with the move (kept the first time they come).
    """
    return _move(
        merchant_id,
        order_id,
        lambda _: to_status,
        reason=reason,
        facts=facts,
        now=now,
        invoice=invoice,
        shipment=shipment,
    ).order


def move_order_booked(
    merchant_id: str,
    order_id: str,
    to_status: OrderStatus,
    *,
    reason: str,
    facts: PaymentFacts | None = None,
    charge: Charge | None = None,
    now: datetime | None = None,
) -> Moved:
    """``move_order``, answering with the order's books too; ``charge`` (as the gateway shows it) is kept on it."""
    return _move(merchant_id, order_id, lambda _: to_status, reason=reason, facts=facts, charge=charge, now=now)


def record_payment(
    merchant_id: str,
    order_id: str,
    charge_status: ChargeStatus,
    facts: PaymentFacts,
    *,
    charge: Charge | None = None,
    now: datetime | None = None,
) -> Moved:
    """Apply the gateway's charge (read from the gateway, not taken from a webhook): book its money, move the
    order where the charge says (``state.target_for_payment``) and keep the charge on the order."""
    return _move(
        merchant_id,
        order_id,
        lambda order: target_for_payment(order.status, charge_status, facts),
        reason=f"charge_{charge_status}",
        facts=facts,
        charge=charge,
        now=now,
    )


def expire_order(merchant_id: str, order_id: str, *, now: datetime | None = None, reason: str = "expired") -> Order:
    """Cancel the order if it still waits for money past its reservation (a hold: past its review deadline); leave
    any other order as it is (the expiry index is read eventually consistent, and the order may have been paid
    since)."""
    moment = now or datetime.now(UTC)

    def target(order: Order) -> OrderStatus | None:
        expired = order.status in AWAITING_PAYMENT and order.reservation_expires_at <= moment
        return OrderStatus.CANCELLED if expired else None

    return _move(merchant_id, order_id, target, reason=reason, facts=None, now=moment).order


def request_cancellation(merchant_id: str, order_id: str, *, reason: str, now: datetime | None = None) -> Order:
    """Ask the ERP to cancel an order it has (``state.plan_cancellation_request``); the status stays."""
    moment = now or datetime.now(UTC)
    return _commit(
        merchant_id, order_id, lambda order, books: plan_cancellation_request(order, books, reason, moment)
    ).order


def request_refund(
    merchant_id: str, order_id: str, *, amount: int, asked_before: int | None = None, now: datetime | None = None
) -> Moved:
    """Book the merchant's refund of ``amount`` as asked of the gateway (``state.plan_refund_request``)."""
    moment = now or datetime.now(UTC)

    def plan_for(order: Order, books: OrderBooks) -> TransitionPlan:
        return plan_refund_request(order, books, amount, moment, asked_before=asked_before)

    return _commit(merchant_id, order_id, plan_for)


def remind_review(merchant_id: str, order_id: str, *, now: datetime | None = None) -> Order:
    """Remind the merchant of a held payment whose review deadline is a day away (once; any other order is left
    as it is). The order's next stop in the expiry index becomes the deadline."""
    moment = now or datetime.now(UTC)

    def plan_for(order: Order, books: OrderBooks) -> TransitionPlan | None:
        due = hold_step(order, books, moment) is OrderStatus.ON_HOLD
        return plan_review_reminder(order, books, moment) if due else None

    return _commit(merchant_id, order_id, plan_for).order


def publish_pending_events(
    merchant_id: str | None = None, *, now: datetime | None = None, min_age: timedelta = timedelta(minutes=1)
) -> int:
    """Publish the outbox events of one merchant (or of all) older than ``min_age``, then delete them.

    Younger events are left to the move that wrote them, which publishes right after its commit. Consumers
    deduplicate by event id, so an event published by both is harmless. Returns how many were published.
    """
    cutoff = (now or datetime.now(UTC)) - min_age
    pending = sorted(
        (event for event in order_state.pending_events(merchant_id) if event.envelope.occurred_at <= cutoff),
        key=lambda event: event.envelope.occurred_at,
    )
    if not pending:
        return 0
    try:
        publish([event.envelope for event in pending], source=EVENT_SOURCE)
    except PublishFailed as exc:
        refused = {failure["id"] for failure in exc.failures}
        order_state.delete_outbox_events([event for event in pending if event.envelope.id not in refused])
        raise
    order_state.delete_outbox_events(pending)
    return len(pending)


def _move(
    merchant_id: str,
    order_id: str,
    target: Callable[[Order], OrderStatus | None],
    *,
    reason: str,
    facts: PaymentFacts | None,
    now: datetime | None,
    charge: Charge | None = None,
    invoice: Invoice | None = None,
    shipment: Shipment | None = None,
) -> Moved:
    moment = now or clock.now()  # the money clock: a capture or refund is booked on its day
    terms: SettlementTerms | None = None

    def plan_for(order: Order, books: OrderBooks) -> TransitionPlan | None:
        nonlocal terms
        to_status = target(order)
        if to_status is None:
            return None
        if terms is None and captures_money(books, facts):
            terms = ledger.get_settlement_terms(merchant_id)
        plan = plan_transition(
            order,
            books,
            to_status,
            reason=reason,
            now=moment,
            terms=terms,
            facts=facts,
            invoice=invoice,
            shipment=shipment,
        )
        kept = charge and kept_of(charge)
        if kept is not None and kept != order.charge:
            plan = replace(plan, charge=kept, order=plan.order.model_copy(update={"charge": kept}))
        return plan

    return _commit(merchant_id, order_id, plan_for)


def kept_of(charge: Charge) -> Charge:
    """What an order keeps of its charge: the way to pay it (the Pix code, the boleto's line and links) only while
    it can still be paid. After that nobody should be shown it, and each of the order's later moves rewrites the
    whole item, billed per started KB: the Pix code and its image link are ~300 bytes of a ~2 KB order."""
    if charge.status is ChargeStatus.PENDING or (charge.pix is None and charge.boleto is None):
        return charge
    return charge.model_copy(update={"pix": None, "boleto": None})


def _commit(merchant_id: str, order_id: str, plan_for: Callable[[Order, OrderBooks], TransitionPlan | None]) -> Moved:
    """Read the order, plan with ``plan_for`` (None: nothing to do), write the plan and publish its events; on a
    concurrent change, read and plan again."""

    def attempt() -> Moved:
        found = order_state.read_order(merchant_id, order_id)
        if found is None:
            raise NotFound(f"no order {order_id}")
        order, books = found
        plan = plan_for(order, books)
        if plan is None or plan.is_noop:
            return Moved(order, books.money)
        order_state.apply_transition(order, plan)
        publish_committed(plan.events)
        return Moved(plan.order, plan.money)

    try:
        return retry_on_conflict(attempt, conflict=ConcurrentChange, retries=_CONFLICT_RETRIES, pause=(0.005, 0.02))
    except ConcurrentChange as exc:
        raise OrderBusy(
            f"order {order_id} kept changing; try again",
            details=[{"field": "order_id", "reason": "other changes kept landing first; send it again"}],
        ) from exc


def publish_committed(events: tuple[EventEnvelope, ...]) -> None:
    """Publish the events of a committed move and clear them from the outbox. A failure here does not undo the
    move: the events stay in the outbox and ``publish_pending_events`` sends them later."""
    if not events:
        return
    try:
        publish(events, source=EVENT_SOURCE)
        order_state.delete_outbox_events([order_state.outbox_event(event) for event in events])
    except (PublishFailed, DependencyUnavailable) as exc:
        logger.warning("events left in the outbox", extra={"event_ids": [e.id for e in events], "error": str(exc)})

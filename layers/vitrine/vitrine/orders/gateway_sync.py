"""Keeping orders and the gateway's charges in step: notifications, expiry, the merchant's cancel and review.

A webhook only names a charge; what the charge *is* comes from the gateway (``get_charge``), so a forged or stale
body moves neither money nor state, and notifications arriving twice or out of order converge on the gateway's
latest word. Money owed back (a payment that arrived after the order was cancelled, a cancelled paid order) is
asked of the gateway with the idempotency key the state machine numbered, so a retried request never refunds
twice, and a failure here is retried with the message that caused it.

Calls to the gateway come *before* the order moves when they decide whether it may move (a Pix must be
cancelled before its order expires, or a shopper could pay an order that no longer holds stock); they come
*after* it when the move decides them (the refund the cancellation books).
"""

import logging
from datetime import datetime

from vitrine.errors import Conflict, NotFound
from vitrine.orders import lifecycle
from vitrine.orders.models import AWAITING_PAYMENT, Order, OrderMoney, OrderStatus
from vitrine.orders.queries import erp_took
from vitrine.orders.state import NothingToRefund, PaymentFacts, hold_step
from vitrine.payments.errors import PaymentRequestRejected
from vitrine.payments.port import Charge, ChargeStatus, PaymentGateway
from vitrine.repository import order_state

logger = logging.getLogger(__name__)
_CHARGEBACK = "chargedback"


class NotOnHold(Conflict):
    code = "not_on_hold"


def facts_of(charge: Charge) -> PaymentFacts:
    # A chargeback returns what was paid and not already refunded; the charge reports it only by its status.
    charged_back = charge.paid_amount - charge.refunded_amount if charge.gateway_status == _CHARGEBACK else 0
    return PaymentFacts.from_charge(charge, charged_back=charged_back)


def sync_charge(gateway: PaymentGateway, charge_id: str) -> Order | None:
    """Apply the charge as the gateway shows it now; ``None`` when it is not one of Vitrine's orders."""
    return apply_charge(gateway, gateway.get_charge(charge_id))


def apply_charge(gateway: PaymentGateway, charge: Charge) -> Order | None:
    if not charge.merchant_id or not charge.order_id:
        logger.warning("charge without Vitrine's metadata ignored", extra={"charge_id": charge.charge_id})
        return None
    facts = facts_of(charge)
    try:
        moved = lifecycle.record_payment(charge.merchant_id, charge.order_id, charge.status, facts, charge=charge)
    except NotFound:
        logger.warning("charge of an unknown order ignored", extra={"charge_id": charge.charge_id})
        return None
    return _refund_what_is_due(gateway, moved, charge)


def _refund_what_is_due(gateway: PaymentGateway, moved: lifecycle.Moved, charge: Charge) -> Order:
    """Ask the gateway for the refunds the order has booked as requested and the charge does not show yet;
    the order as it is afterwards."""
    money: OrderMoney = moved.money
    due = min(money.refund_requested - charge.refunded_amount, charge.refundable_amount)
    if due <= 0:
        return moved.order
    key = f"{moved.order.order_id}-refund-{money.refund_requests}"
    logger.info("refund requested", extra={"order_id": moved.order.order_id, "amount": due, "key": key})
    if charge.merchant_recipient_id:
        # A split charge: the whole refund comes out of the merchant's share, as the ledger debits it.
        refunded = gateway.cancel_charge(
            charge.charge_id, due, idempotency_key=key, borne_by=charge.merchant_recipient_id
        )
    else:
        refunded = gateway.cancel_charge(
            charge.charge_id, None if due == charge.refundable_amount else due, idempotency_key=key
        )
    # The gateway's answer is the newest word on the charge: book it now rather than wait for its webhook.
    return lifecycle.record_payment(
        moved.order.merchant_id, moved.order.order_id, refunded.status, facts_of(refunded), charge=refunded
    ).order


def _cancel_open_charge(gateway: PaymentGateway, order: Order, key: str) -> Charge | None:
    """Cancel the order's charge if it is still unpaid, so it can no longer be paid; the charge as it ends up.

    It is read first: a charge paid meanwhile is returned as it is, for the caller to apply, instead of being
    refunded behind the order's back. One closed already, or paid between the read and the cancel, is read again.
    A charge held for antifraud review is cancelled like a pending one: an order on hold past its reservation
    expires (the merchant's card reservation time must cover their review).
    """
    if order.charge is None:
        return None
    charge = gateway.get_charge(order.charge.charge_id)
    if charge.status not in (ChargeStatus.PENDING, ChargeStatus.UNDER_REVIEW):
        return charge
    try:
        return gateway.cancel_charge(charge.charge_id, None, idempotency_key=key)
    except PaymentRequestRejected:
        return gateway.get_charge(charge.charge_id)


def expire(gateway: PaymentGateway, merchant_id: str, order_id: str, *, now: datetime) -> Order | None:
    """Expire one unpaid order: cancel its charge, then the order (releasing its stock). Each step is idempotent,
    so a sweep that stops halfway is finished by the next; an order paid meanwhile is applied, not expired.

    A payment held for review is reminded a day before its review deadline and expired at it (``orders.state``)."""
    found = order_state.read_order(merchant_id, order_id)
    if found is None:
        return None
    order, books = found
    held = order.status is OrderStatus.ON_HOLD
    if held and hold_step(order, books, now) is OrderStatus.ON_HOLD:
        return lifecycle.remind_review(merchant_id, order_id, now=now)
    if order.status not in AWAITING_PAYMENT or order.reservation_expires_at > now:
        return order
    charge = _cancel_open_charge(gateway, order, f"{order_id}-expire")
    if charge is not None and charge.status is ChargeStatus.PAID:
        return apply_charge(gateway, charge)
    return lifecycle.expire_order(merchant_id, order_id, now=now, reason="review_expired" if held else "expired")


def cancel(
    gateway: PaymentGateway, merchant_id: str, order_id: str, *, reason: str, order: Order | None = None
) -> Order:
    """The merchant's (or later the ERP's) cancellation: stock goes back on sale and money back to the payer.
    ``order``: the order as its caller just read it (the move re-reads it in its own conditional write)."""
    order = order or _read(merchant_id, order_id)
    charge = None
    if order.status in AWAITING_PAYMENT:
        charge = _cancel_open_charge(gateway, order, f"{order_id}-cancel")
        if charge is not None and charge.status is ChargeStatus.PAID:
            # Paid while the merchant was cancelling: book the payment, then cancel it like any paid order.
            apply_charge(gateway, charge)
    facts = facts_of(charge) if charge is not None else None
    moved = lifecycle.move_order_booked(
        merchant_id, order_id, OrderStatus.CANCELLED, reason=reason, facts=facts, charge=charge
    )
    if moved.order.charge is None:
        return moved.order
    return _refund_what_is_due(gateway, moved, moved.order.charge)


# What the merchant may still cancel, by asking the ERP, once the ERP has the order (dispatched or delivered goods
# come back as a return, not a cancellation).
_CANCELLED_BY_THE_ERP = frozenset(
    {OrderStatus.PAID, OrderStatus.IN_PREPARATION, OrderStatus.READY_FOR_PICKUP, OrderStatus.INVOICED}
)


def cancel_by_merchant(gateway: PaymentGateway, merchant_id: str, order_id: str, *, reason: str) -> Order:
    """The merchant's cancel, asked in Vitrine: before the ERP has the order it is cancelled here (``cancel``);
    after, it is a request the ERP receives, and the order moves when the ERP reports ``cancelled``
    (``orders.state``)."""
    order = _read(merchant_id, order_id)
    if order.status in _CANCELLED_BY_THE_ERP and erp_took(order):
        return lifecycle.request_cancellation(merchant_id, order_id, reason=reason)
    return cancel(gateway, merchant_id, order_id, reason=reason, order=order)


def _read(merchant_id: str, order_id: str) -> Order:
    found = order_state.read_order(merchant_id, order_id)
    if found is None:
        raise NotFound("no such order")
    return found[0]


def refund(
    gateway: PaymentGateway, merchant_id: str, order_id: str, *, amount: int, asked_before: int | None = None
) -> Order:
    """The merchant's refund of ``amount`` (part or all) of an order's payment, whatever its status: booked as
    asked (``lifecycle.request_refund``), then asked of the gateway under its own key and booked from the gateway's
    answer (a ledger debit; ``refunded`` once all is back). The order's stock and status stay: goods that come back
    are the ERP's to count. A gateway that fails leaves the refund asked: the next refund or cancellation of the
    order asks for what is due again, under the same key."""
    order = _read(merchant_id, order_id)
    if order.charge is None:
        raise NothingToRefund(
            f"order {order_id} has no payment to refund",
            details=[{"field": "path.order_id", "reason": "no charge", "refundable": 0}],
        )
    moved = lifecycle.request_refund(merchant_id, order_id, amount=amount, asked_before=asked_before)
    return _refund_what_is_due(gateway, moved, gateway.get_charge(order.charge.charge_id))


def review(gateway: PaymentGateway, merchant_id: str, order_id: str, *, approve: bool) -> Order:
    """The merchant's decision on a card payment held for antifraud review."""
    order = _read(merchant_id, order_id)
    if order.status is not OrderStatus.ON_HOLD or order.charge is None:
        raise NotOnHold(
            f"order {order_id} is {order.status}, not on hold for review",
            details=[{"field": "path.order_id", "reason": f"status is {order.status}"}],
        )
    if approve:
        try:
            captured = gateway.capture_charge(order.charge.charge_id, idempotency_key=f"{order_id}-approve")
        except PaymentRequestRejected:
            # Decided already (in the gateway's dashboard, say): what the charge is now settles it.
            captured = gateway.get_charge(order.charge.charge_id)
        if captured.status is not ChargeStatus.PAID:
            raise NotOnHold(
                f"the gateway did not capture the payment (it is {captured.status})",
                details=[{"field": "path.order_id", "reason": f"charge is {captured.status}"}],
            )
        return apply_charge(gateway, captured) or order
    return cancel(gateway, merchant_id, order_id, reason="review_rejected", order=order)

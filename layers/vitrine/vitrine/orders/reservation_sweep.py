"""The reservation sweep: unpaid orders past their reservation are cancelled (charge first, then the order,
which releases its stock), and domain events a crashed move left in the outbox are published."""

from collections.abc import Callable
from datetime import datetime

from vitrine.orders import gateway_sync, lifecycle
from vitrine.payments.port import PaymentGateway
from vitrine.repository import orders


def release_expired_reservations(
    now: datetime, *, lookback_hours: int, limit: int, gateway: Callable[[], PaymentGateway]
) -> dict:
    """Expire what is due by ``now`` (at most ``limit`` orders, reservations up to ``lookback_hours`` old).

    ``gateway`` builds the payment gateway, called only when some order is due.
    """
    due = orders.expired_reservations(now, lookback_hours=lookback_hours, limit=limit)
    payments = gateway() if due else None
    expired = 0
    for merchant_id, order_id in due:
        order = gateway_sync.expire(payments, merchant_id, order_id, now=now)
        expired += bool(order and order.status == "cancelled")
    return {"due": len(due), "expired": expired, "events_published": lifecycle.publish_pending_events()}

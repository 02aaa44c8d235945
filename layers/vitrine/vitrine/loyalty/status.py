"""The order's points as its pages show them: "a pontuar" until invoiced, then what was accrued and reversed.

The loyalty models are imported with the first order that names a professional: most orders' pages show no points,
and their cold starts need not load them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from vitrine.orders.models import Order, OrderStatus

if TYPE_CHECKING:
    from vitrine.loyalty.models import LoyaltyLedger, LoyaltyStatus

_ENDED = (OrderStatus.CANCELLED, OrderStatus.REFUNDED)


def loyalty_status(order: Order, ledger: LoyaltyLedger | None) -> LoyaltyStatus | None:
    """``None`` for an order without a professional's CPF and no points (nothing to show)."""
    from vitrine.loyalty.models import LoyaltyStatus

    locked = ledger is not None and ledger.points_sent
    if ledger is not None and ledger.accrued:
        state = "reversed" if ledger.reversed else "scored"
        return LoyaltyStatus(
            state=state,
            points=ledger.accrued - ledger.reversed,
            accrued=ledger.accrued,
            reversed=ledger.reversed,
            cpf_locked=locked,
        )
    if not order.professional_cpf:
        return None
    invoiced = (ledger is not None and ledger.invoiced) or any(
        change.status is OrderStatus.INVOICED for change in order.status_history
    )
    to_score = not invoiced and order.status not in _ENDED
    return LoyaltyStatus(state="to_score" if to_score else "none", points=0, accrued=0, reversed=0, cpf_locked=locked)


def order_loyalty(order: Order) -> LoyaltyStatus | None:
    """The order's points (one read of its ledger, and of the settings while it has none); ``None`` for an order
    that names no professional (its CPF is locked once points are recorded, so an order without one has none) or
    whose merchant does not score."""
    from vitrine.repository import loyalty as store

    if not order.professional_cpf:
        return None
    ledger = store.get_ledger(order.merchant_id, order.order_id)
    if ledger is None:
        settings = store.get_settings(order.merchant_id)
        if settings is None or not settings.enabled:
            return None  # the merchant does not score: no points to come
    return loyalty_status(order, ledger)

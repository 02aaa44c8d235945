"""The checkout use case: place the order (its stock reserved), charge it, and apply a card the gateway decided
while the shopper waits.

Apart from ``orders.checkout`` (quotes and the shopper's order read only that): the charge brings the gateway
port and the state machine, which only a checkout needs.
"""

from dataclasses import replace

from vitrine.auth.sessions import Session
from vitrine.consents.models import Evidence
from vitrine.orders import gateway_sync
from vitrine.orders.checkout import PlacedOrder, place_order
from vitrine.orders.models import CheckoutRequest
from vitrine.orders.payment import charge_order
from vitrine.payments.port import ChargeStatus, PaymentGateway


def check_out(
    gateway: PaymentGateway,
    request: CheckoutRequest,
    idempotency_key: str | None,
    session: Session | None = None,
    evidence: Evidence | None = None,
) -> PlacedOrder:
    """The order placed and charged at ``gateway`` (a retry with the same key gets the same order, ``replayed``)."""
    placed = place_order(request, idempotency_key, session, evidence)
    order = charge_order(gateway, placed.order, request, placed.split_inputs, placed.consent_events)
    if order.charge and order.charge.status in (ChargeStatus.PAID, ChargeStatus.UNDER_REVIEW, ChargeStatus.FAILED):
        # A card is decided while the shopper waits: the order moves now, not when the webhook arrives (declined,
        # it is cancelled and its units released before the shopper tries again).
        order = gateway_sync.apply_charge(gateway, order.charge) or order
    return replace(placed, order=order)

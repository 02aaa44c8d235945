"""The payment gateway's webhook notifications, each applied once, by the gateway's webhook id (the inbox rule).

A notification only names a charge (or a payout's transfer); ``orders.gateway_sync`` reads the charge from the
gateway and moves the order by what the gateway says (``payouts.runs`` reads the transfer and ends its payout).
Within one batch of notifications a charge is read once (``BatchChargeReads``): pagar.me sends two notifications
for each change of a charge (``order.paid`` and ``charge.paid``, ``order.created`` and ``charge.created``), and every
notification of a batch had arrived before the batch was taken, so a read made while applying it is at least as new
as each of them; the second read would say the same and cost the consumer another round trip to the gateway (most
of its billed time). A refund the batch asks for drops the charge's read.

The webhook is recorded in the inbox only once it was applied, so a failed attempt
(the gateway or DynamoDB unavailable) is applied again on its retry, never mistaken for a duplicate.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import ConfigDict, Field

from vitrine.lazy_models import LazyModel
from vitrine.repository import inbox

if TYPE_CHECKING:  # the order rules and the gateway port are imported for a notification that names a charge
    from vitrine.orders.models import Order
    from vitrine.payments.port import Charge, ChargeRequest, PaymentGateway


class GatewayNotification(LazyModel):
    """The part of a pagar.me v5 webhook body every event type shares."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(min_length=1, max_length=100)
    type: str = Field(min_length=1, max_length=100)
    data: dict

    @property
    def charge_id(self) -> str | None:
        """The charge it is about: ``charge.*`` carries the charge, ``order.*`` the order and its charges."""
        if self.type.startswith("charge."):
            return self.data.get("id")
        if self.type.startswith("order."):
            charges = self.data.get("charges") or []
            return charges[-1].get("id") if charges else None
        return None


class BatchChargeReads:
    """The gateway (``PaymentGateway``) as one batch of notifications sees it: each charge read at most once,
    unless the batch changes it (a refund, a capture); everything else goes to the gateway as it is."""

    def __init__(self, gateway: "Callable[[], PaymentGateway]") -> None:
        self._gateway = gateway
        self._charges: dict[str, Charge] = {}

    def __call__(self) -> "BatchChargeReads":
        return self

    def get_charge(self, charge_id: str) -> "Charge":
        if charge_id not in self._charges:
            self._charges[charge_id] = self._gateway().get_charge(charge_id)
        return self._charges[charge_id]

    def cancel_charge(
        self, charge_id: str, amount: int | None = None, *, idempotency_key: str, borne_by: str | None = None
    ) -> "Charge":
        self._charges.pop(charge_id, None)
        return self._gateway().cancel_charge(charge_id, amount, idempotency_key=idempotency_key, borne_by=borne_by)

    def capture_charge(self, charge_id: str, amount: int | None = None, *, idempotency_key: str) -> "Charge":
        self._charges.pop(charge_id, None)
        return self._gateway().capture_charge(charge_id, amount, idempotency_key=idempotency_key)

    def create_charge(self, request: "ChargeRequest") -> "Charge":
        return self._gateway().create_charge(request)

    def __getattr__(self, name: str) -> object:
        # The recipient calls (a payout's transfer, read for a ``transfer.*`` notification) go as they are.
        return getattr(self._gateway(), name)


@dataclass(frozen=True)
class AppliedNotification:
    """What a notification did: nothing (``duplicate``), or moved ``order`` (``None``: it named no order of ours)."""

    notification: GatewayNotification
    duplicate: bool
    order: "Order | None" = None


def apply_gateway_notification(
    gateway: "Callable[[], PaymentGateway]", provider: str, body: str, *, received_at: str
) -> AppliedNotification:
    """Apply the webhook ``body`` from ``provider`` once: sync the charge it names, then record it in the inbox.

    ``gateway`` is called only for a notification that names a charge or a transfer.
    """
    notification = GatewayNotification.model_validate_json(body)
    if inbox.get_webhook(provider, notification.id) is not None:
        return AppliedNotification(notification, duplicate=True)
    order = None
    if notification.type.startswith("transfer."):
        # A payout's transfer ended (or moved): the payout rules read it from the gateway and end the payout.
        from vitrine.payouts.runs import on_transfer_notification

        on_transfer_notification(gateway(), notification.data)
    elif notification.charge_id:
        # Here, not at the top: the order rules (the state machine, the event models, the ledger: ~50 ms of CPU
        # at a cold start) are for notifications that name a charge.
        from vitrine.orders import gateway_sync

        order = gateway_sync.sync_charge(gateway(), notification.charge_id)
    inbox.record_webhook(provider, notification.id, event_type=notification.type, body=body, received_at=received_at)
    return AppliedNotification(notification, duplicate=False, order=order)

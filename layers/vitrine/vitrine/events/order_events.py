"""An order's events: placed, each status it enters, its payment's refunds and chargebacks, the refunds it asks
for, and its professional's CPF changed.

Their types are registered in ``vitrine.events.envelope.EVENT_TYPE_MODULES``, which imports this module for the
first envelope of one of them."""

from typing import Annotated, Literal

from pydantic import AwareDatetime, Field

from vitrine.events.envelope import EventData
from vitrine.money import Centavos

# The order and payment vocabularies, spelled out here so that consumers (the journal among them) do not import
# the order models at cold start; a contract test keeps them equal to ``OrderStatus`` and ``PaymentMethod``.
OrderStatusName = Literal[
    "pending_payment",
    "paid",
    "on_hold",
    "in_preparation",
    "ready_for_pickup",
    "dispatched",
    "invoiced",
    "delivered",
    "cancelled",
    "refunded",
]


PaymentMethodName = Literal["pix", "card", "boleto"]


OrderVersion = Annotated[
    int, Field(ge=1, description="The order's version after the change: drop an event older than one applied.")
]


class OrderStatusChange(EventData):
    """What every order status event carries; the event's type names the status the order entered."""

    order_id: str
    version: OrderVersion
    previous_status: OrderStatusName
    reason: str = Field(min_length=1, max_length=200, description="Why, e.g. charge_paid, expired, erp.")


class OrderPlaced(EventData):
    """A checkout placed an order and the gateway created its charge: how to pay (the Pix code, the boleto line) is
    on the order. Written in the outbox with the charge, so it is never lost; its id is the order's
    (``orders.payment.placed_event_id``)."""

    order_id: str
    version: OrderVersion
    total: Centavos
    method: PaymentMethodName


class OrderPaid(OrderStatusChange):
    amount: Centavos = Field(description="What the gateway captured.")
    method: PaymentMethodName
    installments: int = Field(ge=1)


class OrderHeld(OrderStatusChange):
    """The gateway holds the payment for antifraud review; the merchant may approve or reject it until
    ``review_deadline``, when the hold is cancelled (reason ``review_expired``) and its stock released."""

    review_deadline: AwareDatetime


class OrderReviewReminded(EventData):
    """A held payment is still undecided a day before its review deadline: remind the merchant."""

    order_id: str
    version: OrderVersion
    review_deadline: AwareDatetime


class OrderCancellationRequested(EventData):
    """The merchant asked, in Vitrine, to cancel an order the ERP already has: cancel it in the ERP (its NF-e too,
    if issued) and report ``cancelled``; the order keeps its status until then."""

    order_id: str
    version: OrderVersion
    status: OrderStatusName = Field(description="The order's status when the cancellation was asked.")
    reason: str = Field(min_length=1, max_length=200)


class OrderPreparationStarted(OrderStatusChange):
    pass


class OrderReadiedForPickup(OrderStatusChange):
    pass


class OrderDispatched(OrderStatusChange):
    """Carrier and tracking code as the ERP reported them (absent: a pickup, or an ERP that did not say)."""

    carrier: str | None = None
    tracking_code: str | None = None
    tracking_url: str | None = None


class OrderInvoiced(OrderStatusChange):
    """The NF-e as the ERP reported it (absent only in events published before the ERP could report it)."""

    access_key: str | None = Field(default=None, pattern=r"^\d{44}$", description="NF-e access key, 44 digits.")
    number: int | None = None
    series: int | None = None


class OrderDelivered(OrderStatusChange):
    pass


class OrderCancelled(OrderStatusChange):
    """``reason`` says which cancellation: expired, payment_failed, review_rejected, merchant_cancelled, ..."""


class OrderRefunded(OrderStatusChange):
    refunded: Centavos = Field(description="Everything the payer got back, refunds and chargebacks together.")


class PaymentRefunded(EventData):
    """The gateway returned money to the payer (a partial refund leaves the order's status as it is)."""

    order_id: str
    version: OrderVersion
    amount: Centavos = Field(description="This refund.")
    refunded_total: Centavos = Field(description="All refunds of the order so far.")
    method: PaymentMethodName


class ChargebackReceived(EventData):
    """The payer's card issuer took money back from the merchant."""

    order_id: str
    version: OrderVersion
    amount: Centavos
    charged_back_total: Centavos
    method: PaymentMethodName


class RefundRequested(EventData):
    """Money the order holds must go back to the payer: the payments consumer asks the gateway for it."""

    order_id: str
    version: OrderVersion
    amount: Centavos
    charge_id: str | None
    idempotency_key: str = Field(description="Send it to the gateway: a retried request never refunds twice.")
    cause: Literal["order_cancelled", "paid_after_cancellation", "merchant_refund"]


class OrderLoyaltyCpfChanged(EventData):
    """The professional's CPF of an order was set, changed or removed after checkout (the CPF itself stays off the
    bus): an order invoiced without one scores now."""

    order_id: str
    cpf_given: bool = Field(description="true: the order names a CPF now; false: it was removed.")

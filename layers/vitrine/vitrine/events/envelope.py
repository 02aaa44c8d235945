"""The event envelope and the catalogue of event types (the contract consumers rely on).

Every event on the bus has ``detail`` = ``EventEnvelope`` and ``detail-type`` = its ``type``; ``source`` is
``vitrine.<service>``. Types are ``[Resource][PastTenseVerb]``; each has a data model in ``EVENT_TYPES``,
and an envelope whose data does not match its type's model is refused before it is published. The models are
``LazyModel``s: a consumer builds the validators of the envelope and of the types it meets, not of all 25.
"""

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, ConfigDict, Field, field_serializer, model_validator

from vitrine.ids import MerchantId, Sku, StoreCode
from vitrine.lazy_models import LazyModel
from vitrine.money import Centavos


class EventData(LazyModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CatalogPublished(EventData):
    catalog_id: str
    slug: str
    title: str


class CatalogUnpublished(EventData):
    catalog_id: str
    slug: str


class CatalogChanged(EventData):
    """A catalog's fields or cover were edited (a published one's read model is rebuilt)."""

    catalog_id: str
    slug: str


class ShopProfileChanged(EventData):
    """The merchant replaced its shop profile (the pages' footer and "Falar com a loja")."""


class ProductImagesChanged(EventData):
    """The merchant attached a product's images through its API (an ERP sync's are in ``ProductsChanged``)."""

    sku: Sku = Field(description="The product's SKU.")


class StockReserved(EventData):
    """A checkout reserved units of these variants at one store, for an order awaiting payment (published after
    the checkout's transaction; its release is the order's ``OrderCancelled``)."""

    order_id: str
    store_code: StoreCode
    skus: list[Sku] = Field(min_length=1, max_length=100, description="The variants' SKUs.")


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


class MessageFailed(EventData):
    """A provider reported, after accepting it, that a WhatsApp message cannot reach its number (131026): the
    notifier sends it by SMS instead. Internal: it names the message's record, never the phone."""

    order_id: str | None
    event_id: str = Field(min_length=1, max_length=64, description="The event the message was for.")
    audience: Literal["shopper", "merchant"]


class PayoutSent(EventData):
    """A payout's transfer was asked of the gateway (``pending`` until the bank says it arrived, or ``paid``)."""

    payout_id: str
    amount: Centavos
    scheduled_on: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")


class PayoutFailed(EventData):
    """A payout's transfer failed or came back from the bank: its money is payable again at the next payout."""

    payout_id: str
    amount: Centavos
    scheduled_on: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    reason: str | None = None


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


class ProductsChanged(EventData):
    """Products an ERP sync wrote (only those whose content changed)."""

    job_id: str
    skus: list[str]


class StockDelta(LazyModel):
    """A variant's stock at one store as an ERP count left it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    store_code: StoreCode
    sku: Sku = Field(description="The variant's SKU.")
    on_hand: int = Field(ge=0, description="Units on the shelf, as the ERP counts them.")
    reserved: int = Field(ge=0, description="Units promised to open orders.")
    available: int = Field(ge=0, description="on_hand - reserved (never below 0): what a channel may sell.")
    sequence: int = Field(
        ge=0, description="The ERP's sequence of this count (or its time in µs): drop a delta older than one applied."
    )


class PriceDelta(LazyModel):
    """A product's price in one price table as an ERP sync left it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    table_id: str = Field(min_length=1, max_length=40)
    sku: Sku = Field(description="The product's SKU.")
    price: Centavos
    previous_price: Centavos | None = Field(description="The price it replaced; null for a new price.")


# ---- Loyalty points (issue 19) ----
class OrderLoyaltyCpfChanged(EventData):
    """The professional's CPF of an order was set, changed or removed after checkout (the CPF itself stays off the
    bus): an order invoiced without one scores now."""

    order_id: str
    cpf_given: bool = Field(description="true: the order names a CPF now; false: it was removed.")


# ---- end of loyalty's events ----


# A chunk's deltas go out in events of at most this many: 500 of the largest possible delta (~190 bytes of JSON)
# is ~95 KB, well under EventBridge's 256 KB per entry.
DELTAS_PER_EVENT = 500


class PricesChanged(EventData):
    """Prices an ERP sync wrote, with their values (only those that changed; one event per queued chunk)."""

    job_id: str
    prices: list[PriceDelta] = Field(min_length=1, max_length=DELTAS_PER_EVENT)


class StockLevelsChanged(EventData):
    """Stock counts an ERP sync wrote, with their values (only newer counts; one event per queued chunk)."""

    job_id: str
    levels: list[StockDelta] = Field(min_length=1, max_length=DELTAS_PER_EVENT)


# --- Consent and data-subject requests (LGPD; ``vitrine.consents``) ---------------------------------------------


class ConsentRecorded(EventData):
    """A consent was granted or revoked (one append-only record): the ERP keeps its "carta de consentimento" in
    step. The person is named by hashes only (``vitrine.consents.subjects``), and the customer id when known."""

    record_id: str
    subject_hashes: list[str] = Field(max_length=3)
    customer_id: str | None = None
    order_id: str | None = None
    purpose: Literal["order_updates", "marketing", "loyalty_sharing"]
    channel: Literal["whatsapp", "sms", "email", "any"]
    granted: bool
    legal_basis: Literal["consent", "contract"]
    text_version: str
    text_sha256: str
    collection_point: Literal["catalog", "seller", "erp", "customer_portal", "console", "link"]
    collected_at: AwareDatetime


class DataSubjectRequestCompleted(EventData):
    """A data-subject request (LGPD art. 18) was answered: ``erase`` tells the ERP to anonymise the same person
    (found by the hashes, or by the customer ids and order ids listed)."""

    request_id: str
    kind: Literal["export", "erase"]
    status: Literal["completed", "failed"]
    subject_hashes: list[str] = Field(max_length=20)
    customer_ids: list[str] = Field(default_factory=list, max_length=100)
    order_ids: list[str] = Field(default_factory=list, max_length=1000)
    counts: dict[str, int] = Field(default_factory=dict)
    kept: list[str] = Field(default_factory=list)


_CONSENT_EVENT_TYPES = (ConsentRecorded, DataSubjectRequestCompleted)
# --- end of consent events ---------------------------------------------------------------------------------------


EVENT_TYPES: dict[str, type[EventData]] = {
    model.__name__: model
    for model in (
        CatalogPublished,
        CatalogUnpublished,
        CatalogChanged,
        ShopProfileChanged,
        ProductImagesChanged,
        StockReserved,
        ProductsChanged,
        PricesChanged,
        StockLevelsChanged,
        OrderPlaced,
        MessageFailed,
        PayoutSent,
        PayoutFailed,
        OrderPaid,
        OrderHeld,
        OrderReviewReminded,
        OrderCancellationRequested,
        OrderPreparationStarted,
        OrderReadiedForPickup,
        OrderDispatched,
        OrderInvoiced,
        OrderDelivered,
        OrderCancelled,
        OrderRefunded,
        PaymentRefunded,
        ChargebackReceived,
        RefundRequested,
        *_CONSENT_EVENT_TYPES,
        OrderLoyaltyCpfChanged,
    )
}


class EventEnvelope(LazyModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, max_length=64, description="Unique event id; consumers deduplicate by it.")
    type: str = Field(pattern=r"^[A-Z][A-Za-z]+$")
    merchant_id: MerchantId
    occurred_at: AwareDatetime
    data: dict[str, Any]

    @field_serializer("occurred_at")
    def _utc_iso(self, value: datetime) -> str:
        return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")

    @model_validator(mode="after")
    def _data_matches_type(self) -> "EventEnvelope":
        model = EVENT_TYPES.get(self.type)
        if model is None:
            raise ValueError(f"unknown event type {self.type!r}")
        model.model_validate(self.data)
        return self


def new_event(
    merchant_id: str, data: EventData, *, occurred_at: datetime | None = None, event_id: str | None = None
) -> EventEnvelope:
    """An envelope for ``data``; ``event_id`` gives an id derived from the business fact (an order id and
    version), so that an event re-created for the same fact deduplicates with the first."""
    moment = occurred_at or datetime.now(UTC)
    return EventEnvelope(
        id=event_id or str(uuid.uuid4()),
        type=type(data).__name__,
        merchant_id=merchant_id,
        # Milliseconds, as serialised: the event a consumer parses equals the one published.
        occurred_at=moment.replace(microsecond=moment.microsecond // 1000 * 1000),
        data=data.model_dump(mode="json"),
    )

"""The event envelope and the catalogue of event types (the contract consumers rely on).

Every event on the bus has ``detail`` = ``EventEnvelope`` and ``detail-type`` = its ``type``; ``source`` is
``vitrine.<service>``. Types are ``[Resource][PastTenseVerb]``; each has a data model, and an envelope whose data
does not match its type's model is refused before it is published.

The data models live by domain (``catalog_events``, ``assortment_events``, ``order_events``, ``message_events``,
``payout_events``, ``consent_events``), registered here by name (``EVENT_TYPE_MODULES``): a consumer imports the
envelope and the module of each type it meets, not all thirty models (defining them all took ~10 ms of a cold
start's CPU). Every model stays importable from here (``from vitrine.events.envelope import OrderPaid``): the
module imports its type's module on first access (PEP 562). The models are ``LazyModel``s as well: a consumer
builds the validators of the envelope and of the types it meets only.
"""

import importlib
import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import AwareDatetime, ConfigDict, Field, field_serializer, model_validator

from vitrine.ids import MerchantId
from vitrine.lazy_models import LazyModel


class EventData(LazyModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# Each event type's data model, by the module of this package that defines it.
EVENT_TYPE_MODULES: dict[str, str] = {
    "CatalogPublished": "catalog_events",
    "CatalogUnpublished": "catalog_events",
    "CatalogChanged": "catalog_events",
    "ShopProfileChanged": "catalog_events",
    "StoreChanged": "catalog_events",
    "ProductImagesChanged": "catalog_events",
    "StockReserved": "assortment_events",
    "ProductsChanged": "assortment_events",
    "PricesChanged": "assortment_events",
    "StockLevelsChanged": "assortment_events",
    "OrderPlaced": "order_events",
    "MessageFailed": "message_events",
    "PayoutSent": "payout_events",
    "PayoutFailed": "payout_events",
    "OrderPaid": "order_events",
    "OrderHeld": "order_events",
    "OrderReviewReminded": "order_events",
    "OrderCancellationRequested": "order_events",
    "OrderPreparationStarted": "order_events",
    "OrderReadiedForPickup": "order_events",
    "OrderDispatched": "order_events",
    "OrderInvoiced": "order_events",
    "OrderDelivered": "order_events",
    "OrderCancelled": "order_events",
    "OrderRefunded": "order_events",
    "PaymentRefunded": "order_events",
    "ChargebackReceived": "order_events",
    "RefundRequested": "order_events",
    "OrderLoyaltyCpfChanged": "order_events",
    "ConsentRecorded": "consent_events",
    "DataSubjectRequestCompleted": "consent_events",
}
# What else those modules define that consumers import from here.
_OTHER_NAMES = {
    "StockDelta": "assortment_events",
    "PriceDelta": "assortment_events",
    "DELTAS_PER_EVENT": "assortment_events",
    "OrderStatusName": "order_events",
    "PaymentMethodName": "order_events",
    "OrderVersion": "order_events",
    "OrderStatusChange": "order_events",
}


def event_model(type_name: str) -> type[EventData] | None:
    """The data model of the event type ``type_name`` (``None`` for a type Vitrine does not have)."""
    module = EVENT_TYPE_MODULES.get(type_name)
    return getattr(importlib.import_module(f"{__package__}.{module}"), type_name) if module else None


def __getattr__(name: str) -> Any:
    module = EVENT_TYPE_MODULES.get(name) or _OTHER_NAMES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__package__}.{module}"), name)


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
        model = event_model(self.type)
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

"""The event envelope and the catalogue of event types (the contract consumers rely on).

Every event on the bus has ``detail`` = ``EventEnvelope`` and ``detail-type`` = its ``type``; ``source`` is
``vitrine.<service>``. Types are ``[Resource][PastTenseVerb]``; each has a data model in ``EVENT_TYPES``,
and an envelope whose data does not match its type's model is refused before it is published.
"""

import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_serializer, model_validator

from vitrine.ids import MerchantId


class EventData(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CatalogPublished(EventData):
    catalog_id: str
    slug: str
    title: str


class CatalogUnpublished(EventData):
    catalog_id: str
    slug: str


class ProductsChanged(EventData):
    """Products an ERP sync wrote (only those whose content changed)."""

    job_id: str
    skus: list[str]


class PricesChanged(EventData):
    """Prices of one table an ERP sync wrote (only those that changed)."""

    job_id: str
    table_id: str
    skus: list[str]


class StockLevelsChanged(EventData):
    """Stock counts of one store an ERP sync wrote (variant skus; only newer counts)."""

    job_id: str
    store_code: str
    skus: list[str]


EVENT_TYPES: dict[str, type[EventData]] = {
    model.__name__: model
    for model in (CatalogPublished, CatalogUnpublished, ProductsChanged, PricesChanged, StockLevelsChanged)
}


class EventEnvelope(BaseModel):
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


def new_event(merchant_id: str, data: EventData, *, occurred_at: datetime | None = None) -> EventEnvelope:
    moment = occurred_at or datetime.now(UTC)
    return EventEnvelope(
        id=str(uuid.uuid4()),
        type=type(data).__name__,
        merchant_id=merchant_id,
        # Milliseconds, as serialised: the event a consumer parses equals the one published.
        occurred_at=moment.replace(microsecond=moment.microsecond // 1000 * 1000),
        data=data.model_dump(mode="json"),
    )

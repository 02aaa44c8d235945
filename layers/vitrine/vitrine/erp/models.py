"""What an ERP sends (one model per kind of item), what is queued, and what a job reports back.

The stock count's model is here; the products' and prices' are in ``vitrine.erp.product_models``, the customers'
and sellers' in ``vitrine.erp.people_models``, each imported by what handles its kind (``item_model``), so the
stock paths (the ERP's ``POST /erp/v1/stock``, the ingest of a stock chunk) never build the others (cold start).

Items are validated one by one, so a bad item is reported with its index, its id and the field, and never
blocks the good ones. The batch envelopes document each kind's item schema in the OpenAPI while taking the
items as they come (``_ItemOf``): the whole request is refused only when it is not a batch at all.
"""

import importlib
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any, ClassVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, PlainValidator, create_model, model_validator

from vitrine.ids import Sku, StoreCode
from vitrine.inputs import Count, Cursor
from vitrine.lazy_models import LazyModel

MAX_ITEMS = 1000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class BatchKind(StrEnum):
    PRODUCTS = "products"
    PRODUCT_IMAGES = "product_images"  # a CSV's rows that only link images to existing products
    PRICE_TABLES = "price_tables"
    PRICES = "prices"
    STOCK = "stock"
    CUSTOMERS = "customers"
    SELLERS = "sellers"


class ItemStatus(StrEnum):
    APPLIED = "applied"  # written
    UNCHANGED = "unchanged"  # the same as stored: not written
    STALE = "stale"  # older than what is stored (a stock count's sequence, or a job accepted before): ignored
    REJECTED = "rejected"  # invalid, or refused by a rule: nothing written


class ErpInput(LazyModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ErpStockLevel(ErpInput):
    """The absolute count on hand in one store, with the ERP's sequence number or the time it was counted: a
    count older than the one stored is ignored. Send each level's own sequence (its last movement's number or
    time), not the time of the snapshot: a level whose sequence did not move costs no write. Keep to one of the
    two for an integration: a time is compared as microseconds since 1970, far above any sequence number."""

    # ``_one_ordering`` as the OpenAPI document says it.
    model_config = ConfigDict(
        json_schema_extra={
            "oneOf": [
                {"required": ["sequence"], "properties": {"sequence": {"type": "integer"}}},
                {"required": ["counted_at"], "properties": {"counted_at": {"type": "string"}}},
            ]
        }
    )

    store_code: StoreCode
    sku: Sku = Field(description="The variant's sku.")
    on_hand: Count = Field(ge=0, le=1_000_000_000)
    sequence: Count | None = Field(default=None, ge=0, le=2**62, description="The ERP's sequence number.")
    counted_at: AwareDatetime | None = Field(default=None, description="Or: when it was counted (ISO 8601).")

    @model_validator(mode="after")
    def _one_ordering(self) -> "ErpStockLevel":
        if (self.sequence is None) == (self.counted_at is None):
            raise ValueError("give either sequence or counted_at")
        return self

    @property
    def order(self) -> int:
        """What orders two counts of this level: the sequence, or the count's time in microseconds."""
        if self.sequence is not None:
            return self.sequence
        assert self.counted_at is not None
        return (self.counted_at - _EPOCH) // timedelta(microseconds=1)


# Where each kind's item model lives (``item_model``): a stock count, accepted or applied, is checked without
# importing the product models (with the catalog's) or the people models (with addresses, documents, logins).
_ITEM_MODELS: dict[BatchKind, tuple[str, str]] = {
    BatchKind.PRODUCTS: ("product_models", "ErpProduct"),
    BatchKind.PRODUCT_IMAGES: ("product_models", "ErpProductImages"),
    BatchKind.PRICE_TABLES: ("product_models", "ErpPriceTable"),
    BatchKind.PRICES: ("product_models", "ErpPrice"),
    BatchKind.CUSTOMERS: ("people_models", "ErpCustomer"),
    BatchKind.SELLERS: ("people_models", "ErpSeller"),
}


def item_model(kind: BatchKind) -> type[ErpInput]:
    """The model each item of ``kind`` is checked against, its module imported at the first item of the kind."""
    if kind is BatchKind.STOCK:
        return ErpStockLevel
    module, name = _ITEM_MODELS[kind]
    return getattr(importlib.import_module(f"vitrine.erp.{module}"), name)


def item_ref(kind: BatchKind, item: Any) -> str | None:
    """The id an item is known by in reports (``sku``, ``store/sku``, ``table/sku``, ``customer_id``...), also
    from an item that failed validation when its id fields are there."""

    def field(name: str) -> str | None:
        if isinstance(item, BaseModel):
            value = getattr(item, name, None)
        else:
            value = item.get(name) if isinstance(item, dict) else None
        return value[:80] if isinstance(value, str) else None

    if kind is BatchKind.STOCK:
        parts = [field("store_code"), field("sku")]
    elif kind is BatchKind.PRICES:
        parts = [field("table_id"), field("sku")]
    elif kind is BatchKind.PRICE_TABLES:
        parts = [field("table_id")]
    elif kind is BatchKind.CUSTOMERS:
        parts = [field("customer_id")]
    elif kind is BatchKind.SELLERS:
        parts = [field("seller_id")]
    else:
        parts = [field("sku")]
    return "/".join(p or "?" for p in parts) if any(parts) else None


def _item_of(model: type[BaseModel]) -> Any:
    # Taken as sent (checked one by one later), documented as ``model`` in the OpenAPI.
    return Annotated[Any, PlainValidator(lambda value: value, json_schema_input_type=model)]


class _Batch(LazyModel):
    model_config = ConfigDict(extra="forbid")

    # The kind of the items (``item_model``), each checked alone once the batch is taken (``jobs.check_item``).
    item_kind: ClassVar[BatchKind]


_ITEMS_DESCRIPTION = f"1 to {MAX_ITEMS} items; each is checked alone and a bad one is reported in the job."


def batch_of(name: str, kind: BatchKind, model: type[ErpInput], module: str) -> type[_Batch]:
    """The request body of one kind's batch endpoint (declared in ``module``): 1 to ``MAX_ITEMS`` items documented
    as the kind's ``model``."""
    items = (list[_item_of(model)], Field(min_length=1, description=_ITEMS_DESCRIPTION))
    batch = create_model(name, __base__=_Batch, __module__=module, items=items)
    batch.item_kind = kind
    return batch


StockBatch = batch_of("StockBatch", BatchKind.STOCK, ErpStockLevel, __name__)


class ItemError(LazyModel):
    field: str = Field(description="The item's field (dotted path), or the CSV column.")
    reason: str = Field(description="Why, for people (in Portuguese for a CSV import, which a merchant reads).")
    code: str | None = Field(
        default=None,
        description="Why, for programs: a stable English code such as `unknown_sku`, `unknown_store`, `duplicate`, "
        "`stale`, or the check a field failed (`string_too_long`, `missing`, `invalid_price`...).",
    )
    line: int | None = Field(default=None, description="The CSV line, for a CSV import.")


class ItemResult(LazyModel):
    index: int = Field(description="The item's position in the request (from 0), or in the CSV's items.")
    kind: BatchKind
    ref: str | None = Field(
        default=None, description="The item's id: sku, store/sku, table/sku, customer or seller id."
    )
    status: ItemStatus
    line: int | None = Field(default=None, description="The CSV line the item starts at.")
    errors: list[ItemError] = Field(default_factory=list)
    oversold: int | None = Field(
        default=None, description="Stock: units reserved online beyond the count on hand (the level shows negative)."
    )


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"


class JobCounts(LazyModel):
    applied: int
    unchanged: int
    stale: int
    rejected: int
    pending: int = Field(description="Items not processed yet.")


class JobAccepted(LazyModel):
    job_id: str
    kind: str
    status: JobStatus
    total: int = Field(description="Items in the request.")
    queued: int = Field(description="Items that passed their checks and are being applied.")
    rejected: int = Field(description="Items refused by their checks (see the job's results).")
    location: str = Field(description="Where the job reports: GET it until its status is done.")


class JobReport(LazyModel):
    job_id: str
    kind: str
    source: str = Field(description="api, csv or connector (a page the ERP connector polled)")
    status: JobStatus
    created_at: str
    updated_at: str
    total: int
    counts: JobCounts
    results: list[ItemResult] = Field(
        description="Items not applied as sent (rejected, stale) and stock left oversold, in item order."
    )
    next_cursor: str | None

    def as_json(self) -> dict[str, Any]:
        """The report as sent: a result's fields that do not apply (a CSV line in an API job) are left out."""
        body = self.model_dump(mode="json")
        body["results"] = [result.model_dump(mode="json", exclude_none=True) for result in self.results]
        return body


class JobQuery(LazyModel):
    model_config = ConfigDict(extra="forbid")

    cursor: Cursor | None = None
    limit: int = Field(default=100, ge=1, le=500)

"""What an ERP sends (one model per kind of item), what is queued, and what a job reports back.

Items are validated one by one, so a bad item is reported with its index, its id and the field, and never
blocks the good ones. The batch envelopes document each kind's item schema in the OpenAPI while taking the
items as they come (``_ItemOf``): the whole request is refused only when it is not a batch at all.
"""

from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any, ClassVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, PlainValidator, create_model, model_validator

from vitrine.addresses import Address
from vitrine.catalogs.models import MAX_DESCRIPTION_CHARS, MAX_IMAGES_PER_PRODUCT, Dimensions, LinkedImageInput
from vitrine.documents import CpfOrCnpj
from vitrine.ids import PersonId, Sku, StoreCode
from vitrine.inputs import Count, Cursor, Flag, MultilineText, Phone, Text
from vitrine.lazy_models import LazyModel
from vitrine.money import Centavos
from vitrine.payments.port import PaymentMethod
from vitrine.people.models import Contact, Login, Password, PriceTableId

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


class _ErpInput(LazyModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ErpVariant(_ErpInput):
    sku: Sku
    size: Text | None = Field(default=None, max_length=20)
    colour: Text | None = Field(default=None, max_length=30)


class ErpProduct(_ErpInput):
    sku: Sku
    name: Text = Field(min_length=1, max_length=200)
    short_name: Text | None = Field(default=None, max_length=60, description="Shown to shoppers instead of name.")
    description: MultilineText = Field(
        default="", max_length=MAX_DESCRIPTION_CHARS, description="Plain text; shoppers see its line breaks."
    )
    brand: Text | None = Field(default=None, max_length=60)
    classifiers: list[Annotated[Text, Field(min_length=1, max_length=60)]] = Field(
        default_factory=list, max_length=5, description="Up to 5 classifier levels, broadest first."
    )
    variants: list[ErpVariant] = Field(min_length=1, max_length=200, description="The size/colour grid.")
    images: list[LinkedImageInput] | None = Field(
        default=None,
        max_length=MAX_IMAGES_PER_PRODUCT,
        description="Images by URL, in order. Omitted: the product keeps the images it has (e.g. uploaded).",
    )
    dimensions: Dimensions | None = None
    weight_grams: Count | None = Field(default=None, ge=1, le=1_000_000)
    active_online: Flag = Field(default=True, description="Offered in catalogs (the ERP's 'active online').")
    delivery_days: Count | None = Field(default=None, ge=0, le=365)
    payment_methods: list[PaymentMethod] | None = Field(
        default=None, description="The only payment methods the product may be paid with; omitted: any."
    )

    @model_validator(mode="after")
    def _distinct_variants(self) -> "ErpProduct":
        skus = [variant.sku for variant in self.variants]
        if len(set(skus)) != len(skus):
            raise ValueError("each variant has its own sku")
        return self


class ErpProductImages(_ErpInput):
    """An existing product's images, replaced (a CSV of image links)."""

    sku: Sku
    images: list[LinkedImageInput] = Field(min_length=1, max_length=MAX_IMAGES_PER_PRODUCT)


class ErpPriceTable(_ErpInput):
    table_id: PriceTableId
    name: Text = Field(min_length=1, max_length=80)
    default: Flag = False


class ErpPrice(_ErpInput):
    table_id: PriceTableId = Field(description="A table the price belongs to; a new one is declared by its id.")
    sku: Sku = Field(description="The product's sku.")
    # Strict (as every amount): a price of true, 49.0 or "4990" is a broken integration, not something to guess at.
    price: Centavos


class ErpStockLevel(_ErpInput):
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


class ErpCustomer(_ErpInput):
    customer_id: PersonId
    name: Text = Field(min_length=2, max_length=120, description="Name or company name.")
    document: CpfOrCnpj
    email: Login
    phone: Phone | None = None
    price_table_id: PriceTableId | None = Field(
        default=None, description="The table this customer buys at; it must exist (send price tables first)."
    )
    contacts: list[Contact] = Field(default_factory=list, max_length=20)
    addresses: list[Address] = Field(default_factory=list, max_length=20)
    web_access: Flag | None = Field(
        default=None, description="false takes sign-in away; true needs a password the first time; omitted: kept."
    )
    password: Password | None = Field(
        default=None, description="Grants or changes web access. Send it only then: it is hashed, never stored."
    )

    @model_validator(mode="after")
    def _access_and_password_agree(self) -> "ErpCustomer":
        if self.password is not None and self.web_access is False:
            raise ValueError("a password grants web access: it cannot come with web_access false")
        return self


class ErpSeller(_ErpInput):
    seller_id: PersonId
    name: Text = Field(min_length=2, max_length=120)
    email: Login
    active: Flag = True
    password: Password | None = Field(default=None, description="Required for a new seller; send it only then.")
    customer_ids: list[PersonId] | None = Field(
        default=None, max_length=500, description="The seller's whole list of customers; omitted: kept."
    )


ITEM_MODELS: dict[BatchKind, type[_ErpInput]] = {
    BatchKind.PRODUCTS: ErpProduct,
    BatchKind.PRODUCT_IMAGES: ErpProductImages,
    BatchKind.PRICE_TABLES: ErpPriceTable,
    BatchKind.PRICES: ErpPrice,
    BatchKind.STOCK: ErpStockLevel,
    BatchKind.CUSTOMERS: ErpCustomer,
    BatchKind.SELLERS: ErpSeller,
}


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

    # The kind of the items (``ITEM_MODELS``), each checked alone once the batch is taken (``jobs.check_item``).
    item_kind: ClassVar[BatchKind]


_ITEMS_DESCRIPTION = f"1 to {MAX_ITEMS} items; each is checked alone and a bad one is reported in the job."


def _batch_of(name: str, kind: BatchKind) -> type[_Batch]:
    """The request body of one kind's batch endpoint: 1 to ``MAX_ITEMS`` items documented as the kind's model."""
    items = (list[_item_of(ITEM_MODELS[kind])], Field(min_length=1, description=_ITEMS_DESCRIPTION))
    batch = create_model(name, __base__=_Batch, __module__=__name__, items=items)
    batch.item_kind = kind
    return batch


ProductBatch = _batch_of("ProductBatch", BatchKind.PRODUCTS)
PriceTableBatch = _batch_of("PriceTableBatch", BatchKind.PRICE_TABLES)
PriceBatch = _batch_of("PriceBatch", BatchKind.PRICES)
StockBatch = _batch_of("StockBatch", BatchKind.STOCK)
CustomerBatch = _batch_of("CustomerBatch", BatchKind.CUSTOMERS)
SellerBatch = _batch_of("SellerBatch", BatchKind.SELLERS)


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

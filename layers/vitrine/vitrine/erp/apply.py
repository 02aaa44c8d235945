"""Applying one queued chunk of an ERP job, idempotently.

Each kind reads what is stored for the whole chunk in ``BatchGetItem`` first, then writes only what changed
(``vitrine.erp.delta``): products, price tables and prices in ``BatchWriteItem``; stock levels one conditional
``UpdateItem`` each (a condition per item cannot be batched); customers and sellers through the people rules
(login pointers, password hashes, assignments). An item refused by a rule is rejected with its reason and
the others go on; a failure of AWS raises, so SQS delivers the chunk again.

Then, in this order: item results (only the items not applied as sent, and stock left oversold: recording
every item would cost a write per item, defeating the delta), change events naming what was written, and the
chunk's counts, added to its job once. A redelivered chunk writes nothing new, reports its own earlier writes
as applied (``delta.known_outcome``), republishes the same events under the same ids (consumers deduplicate)
and is not counted twice.

Stock: a count is applied only over an older one (``sequence``), and a count whose sequence is newer is
written even when ``on_hand`` did not move. Skipping it would leave the older sequence stored, and an older
count still in flight (a chunk retried after a failure) would then be applied over the newer one. Levels
whose sequence did not move are neither written nor sent to DynamoDB.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from vitrine.catalogs.models import Image, PriceTable, Product, StockLevel, Variant
from vitrine.erp import delta
from vitrine.erp.jobs import now_iso, stored_result, unpack
from vitrine.erp.models import (
    ITEM_MODELS,
    BatchKind,
    ErpCustomer,
    ErpPrice,
    ErpPriceTable,
    ErpProduct,
    ErpProductImages,
    ErpSeller,
    ErpStockLevel,
    ItemError,
    ItemResult,
    ItemStatus,
    item_ref,
)
from vitrine.errors import VitrineError
from vitrine.events.envelope import EventData, EventEnvelope, PricesChanged, ProductsChanged, StockLevelsChanged
from vitrine.events.publisher import publish
from vitrine.repository import assortment, erp_jobs, merchants, people, stock

EVENT_SOURCE = "vitrine.stock_sync"


class QueuedEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    index: int
    item: dict[str, Any]
    line: int | None = None


class QueuedChunk(BaseModel):
    """One SQS message of a job (``vitrine.erp.jobs.start_job`` writes them)."""

    model_config = ConfigDict(extra="forbid")

    merchant_id: str
    job_id: str
    kind: BatchKind
    chunk: int
    expires_at: int
    items_gz: str = Field(description="The entries, gzipped JSON in base64 (vitrine.erp.jobs.pack).")

    @cached_property
    def items(self) -> list[QueuedEntry]:
        return [QueuedEntry.model_validate(entry) for entry in unpack(self.items_gz)]


@dataclass
class Outcome:
    status: ItemStatus
    errors: list[ItemError] = field(default_factory=list)
    oversold: int | None = None


@dataclass(frozen=True)
class ChunkSummary:
    counts: dict[str, int]
    counted: bool  # False: a redelivery of a chunk counted before


def rejected(field_name: str, reason: str) -> Outcome:
    return Outcome(ItemStatus.REJECTED, [ItemError(field=field_name, reason=reason)])


def rejected_by(exc: VitrineError, default_field: str) -> Outcome:
    """A domain rule's refusal, on the field it names (``body.x`` in the merchant API is ``x`` here)."""
    details = exc.details if isinstance(exc.details, list) and exc.details else [{"field": default_field}]
    return rejected(details[0]["field"].removeprefix("body."), exc.message)


def apply_chunk(chunk: QueuedChunk) -> ChunkSummary:
    model = ITEM_MODELS[chunk.kind]
    items = [model.model_validate(entry.item) for entry in chunk.items]
    outcomes = APPLIERS[chunk.kind](chunk.merchant_id, chunk.job_id, items)
    results = [
        stored_result(
            ItemResult(
                index=entry.index,
                kind=chunk.kind,
                ref=item_ref(chunk.kind, item),
                status=outcome.status,
                line=entry.line,
                errors=outcome.errors,
                oversold=outcome.oversold,
            )
        )
        for entry, item, outcome in zip(chunk.items, items, outcomes, strict=True)
        if outcome.status in (ItemStatus.REJECTED, ItemStatus.STALE) or outcome.oversold
    ]
    erp_jobs.put_results(chunk.merchant_id, chunk.job_id, results, expires_at=chunk.expires_at)
    applied = [item for item, outcome in zip(items, outcomes, strict=True) if outcome.status is ItemStatus.APPLIED]
    _publish_changes(chunk, applied)
    counts = {status.value: 0 for status in ItemStatus}
    for outcome in outcomes:
        counts[outcome.status.value] += 1
    counted = erp_jobs.count_chunk(chunk.merchant_id, chunk.job_id, chunk.chunk, counts, now_iso())
    return ChunkSummary(counts=counts, counted=counted is not None)


def _publish_changes(chunk: QueuedChunk, applied: list[Any]) -> None:
    changes: list[EventData] = []
    if chunk.kind in (BatchKind.PRODUCTS, BatchKind.PRODUCT_IMAGES) and applied:
        changes.append(ProductsChanged(job_id=chunk.job_id, skus=[item.sku for item in applied]))
    elif chunk.kind is BatchKind.PRICES:
        for table_id, skus in _grouped(applied, "table_id").items():
            changes.append(PricesChanged(job_id=chunk.job_id, table_id=table_id, skus=skus))
    elif chunk.kind is BatchKind.STOCK:
        for store_code, skus in _grouped(applied, "store_code").items():
            changes.append(StockLevelsChanged(job_id=chunk.job_id, store_code=store_code, skus=skus))
    if not changes:
        return
    occurred_at = now_iso()
    publish(
        [
            # The same ids when a redelivered chunk publishes them again: consumers deduplicate by id.
            EventEnvelope(
                id=f"{chunk.job_id}.{chunk.chunk}.{number}",
                type=type(data).__name__,
                merchant_id=chunk.merchant_id,
                occurred_at=occurred_at,
                data=data.model_dump(mode="json"),
            )
            for number, data in enumerate(changes)
        ],
        source=EVENT_SOURCE,
    )


def _grouped(items: list[Any], attribute: str) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for item in items:
        groups.setdefault(getattr(item, attribute), []).append(item.sku)
    return groups


def _images(erp_images: list[Any]) -> list[Image]:
    return [Image(url=i.url, width=i.width, height=i.height, content_type=i.content_type) for i in erp_images]


def apply_products(merchant_id: str, job_id: str, items: list[ErpProduct]) -> list[Outcome]:
    stored = assortment.synced_products(merchant_id, [item.sku for item in items])
    outcomes: list[Outcome] = []
    changed: list[tuple[ErpProduct, str]] = []
    for item in items:
        digest = delta.content_hash(item.model_dump(mode="json"))
        known = delta.known_outcome(stored.get(item.sku), digest, job_id)
        outcomes.append(Outcome(known or ItemStatus.APPLIED))
        if known is None:
            changed.append((item, digest))
    # Images the ERP leaves out are kept (e.g. uploaded by the merchant): only those products are read whole.
    keeping_images = [item.sku for item, _ in changed if item.images is None and item.sku in stored]
    current = assortment.product_items(merchant_id, keeping_images) if keeping_images else {}
    writes: list[tuple[Product, dict[str, str]]] = []
    for item, digest in changed:
        images = _images(item.images) if item.images is not None else current.get(item.sku, {}).get("images", [])
        product = Product(
            sku=item.sku,
            name=item.name,
            short_name=item.short_name,
            description=item.description,
            brand=item.brand,
            classifiers=item.classifiers,
            variants=[Variant(sku=v.sku, size=v.size, colour=v.colour) for v in item.variants],
            images=images,
            active_online=item.active_online,
            dimensions=item.dimensions,
            weight_grams=item.weight_grams,
            delivery_days=item.delivery_days,
            payment_methods=item.payment_methods,
        )
        writes.append((product, delta.sync_marks(digest, job_id)))
    assortment.put_synced_products(merchant_id, writes)
    return outcomes


def apply_product_images(merchant_id: str, job_id: str, items: list[ErpProductImages]) -> list[Outcome]:
    stored = assortment.product_items(merchant_id, [item.sku for item in items])
    outcomes: list[Outcome] = []
    for item in items:
        current = stored.get(item.sku)
        if current is None:
            outcomes.append(rejected("sku", f"no product '{item.sku}': send it with its name and variants first"))
            continue
        images = _images(item.images)
        if [Image.model_validate(image) for image in current.get("images", [])] == images:
            outcomes.append(Outcome(ItemStatus.UNCHANGED))
            continue
        # Conditioned on the product existing: one deleted meanwhile is refused, not recreated half-empty.
        written = assortment.set_product_images(merchant_id, item.sku, images)
        outcomes.append(Outcome(ItemStatus.APPLIED) if written else rejected("sku", f"no product '{item.sku}'"))
    return outcomes


def apply_price_tables(merchant_id: str, job_id: str, items: list[ErpPriceTable]) -> list[Outcome]:
    stored = assortment.synced_price_tables(merchant_id, [item.table_id for item in items])
    outcomes: list[Outcome] = []
    writes: list[tuple[PriceTable, dict[str, str]]] = []
    for item in items:
        digest = delta.content_hash(item.model_dump(mode="json"))
        known = delta.known_outcome(stored.get(item.table_id), digest, job_id)
        if known is None:
            writes.append((PriceTable(**item.model_dump()), delta.sync_marks(digest, job_id)))
        outcomes.append(Outcome(known or ItemStatus.APPLIED))
    assortment.put_synced_price_tables(merchant_id, writes)
    return outcomes


def apply_prices(merchant_id: str, job_id: str, items: list[ErpPrice]) -> list[Outcome]:
    """Prices are ``PUT`` per (table, sku). A table met for the first time is declared under its id, so prices
    never wait for a price-table job that SQS may deliver after them; a price-table item names it."""
    table_ids = list(dict.fromkeys(item.table_id for item in items))
    declared = assortment.synced_price_tables(merchant_id, table_ids)
    for table_id in table_ids:
        if table_id not in declared:
            assortment.declare_price_table(merchant_id, table_id)
    stored = assortment.synced_prices(merchant_id, [(item.table_id, item.sku) for item in items])
    outcomes: list[Outcome] = []
    writes: list[tuple[str, str, int, dict[str, str]]] = []
    for item in items:
        digest = delta.content_hash({"price": item.price})
        known = delta.known_outcome(stored.get((item.table_id, item.sku)), digest, job_id)
        if known is None:
            writes.append((item.table_id, item.sku, item.price, delta.sync_marks(digest, job_id)))
        outcomes.append(Outcome(known or ItemStatus.APPLIED))
    assortment.put_synced_prices(merchant_id, writes)
    return outcomes


def apply_stock(merchant_id: str, job_id: str, items: list[ErpStockLevel]) -> list[Outcome]:
    stores = {store.code for store in merchants.list_stores(merchant_id)}
    stored = stock.stored_levels(merchant_id, [(item.store_code, item.sku) for item in items])
    outcomes: list[Outcome] = []
    for item in items:
        if item.store_code not in stores:
            outcomes.append(rejected("store_code", f"no store '{item.store_code}' at this merchant"))
            continue
        current = stored.get((item.store_code, item.sku))
        if current is not None and current.get("sequence", 0) >= item.order:
            outcomes.append(_not_newer(current, item, job_id))
            continue
        level = StockLevel(store_code=item.store_code, sku=item.sku, on_hand=item.on_hand, sequence=item.order)
        written = stock.set_stock(merchant_id, level, job_id=job_id)
        if written is None:
            outcomes.append(Outcome(ItemStatus.STALE, [_stale_error(item, "a newer count arrived meanwhile")]))
        else:
            outcomes.append(Outcome(ItemStatus.APPLIED, oversold=written.oversold or None))
    return outcomes


def _not_newer(current: dict[str, Any], item: ErpStockLevel, job_id: str) -> Outcome:
    sequence = current.get("sequence", 0)
    if sequence == item.order and current["on_hand"] == item.on_hand:
        if current.get("sync_job") == job_id:
            oversold = stock.level_from_item(current).oversold or None
            return Outcome(ItemStatus.APPLIED, oversold=oversold)
        return Outcome(ItemStatus.UNCHANGED)
    if sequence == item.order:
        return Outcome(ItemStatus.STALE, [_stale_error(item, "this sequence was applied with another count")])
    return Outcome(ItemStatus.STALE, [_stale_error(item, f"the stored count is newer ({sequence})")])


def _stale_error(item: ErpStockLevel, why: str) -> ItemError:
    field_name = "sequence" if item.sequence is not None else "counted_at"
    return ItemError(field=field_name, reason=f"ignored: {why}")


def apply_customers(merchant_id: str, job_id: str, items: list[ErpCustomer]) -> list[Outcome]:
    # The people rules (passwords, sessions, storefront) load only for people: stock chunks are the usual ones.
    from vitrine.people import accounts
    from vitrine.people.models import CustomerInput

    stored = people.customers_by_id(merchant_id, [item.customer_id for item in items])
    outcomes: list[Outcome] = []
    for item in items:
        # The password is left out of the hash: a fast hash of it must never be stored. Sent, it is a change.
        digest = delta.content_hash(item.model_dump(mode="json", exclude={"password"}))
        current = stored.get(item.customer_id)
        known = delta.known_outcome(current, digest, job_id) if item.password is None else None
        if known is not None:
            outcomes.append(Outcome(known))
            continue
        if item.web_access and item.password is None and not (current or {}).get("password_hash"):
            outcomes.append(rejected("password", "web access needs a password the first time"))
            continue
        body = CustomerInput.model_validate(item.model_dump(include=set(CustomerInput.model_fields)))
        try:
            accounts.save_customer(
                merchant_id,
                item.customer_id,
                body,
                sync=delta.sync_marks(digest, job_id),
                password=item.password,
                revoke_access=item.web_access is False,
            )
        except VitrineError as exc:
            outcomes.append(rejected_by(exc, "customer_id"))
            continue
        outcomes.append(Outcome(ItemStatus.APPLIED))
    return outcomes


def apply_sellers(merchant_id: str, job_id: str, items: list[ErpSeller]) -> list[Outcome]:
    from vitrine.people import accounts
    from vitrine.people.models import SellerInput

    stored = people.sellers_by_id(merchant_id, [item.seller_id for item in items])
    named = list(dict.fromkeys(cid for item in items for cid in item.customer_ids or []))
    existing_customers = people.customers_by_id(merchant_id, named)
    outcomes: list[Outcome] = []
    for item in items:
        digest = delta.content_hash(item.model_dump(mode="json", exclude={"password"}))
        known = delta.known_outcome(stored.get(item.seller_id), digest, job_id) if item.password is None else None
        if known is ItemStatus.UNCHANGED:
            outcomes.append(Outcome(known))
            continue
        unknown = [(i, cid) for i, cid in enumerate(item.customer_ids or []) if cid not in existing_customers]
        if unknown:
            errors = [ItemError(field=f"customer_ids.{i}", reason=f"no customer '{cid}'") for i, cid in unknown]
            outcomes.append(Outcome(ItemStatus.REJECTED, errors))
            continue
        try:
            if known is None:
                body = SellerInput(name=item.name, email=item.email, password=item.password, active=item.active)
                accounts.save_seller(merchant_id, item.seller_id, body, sync=delta.sync_marks(digest, job_id))
            # Also when this job wrote the seller already: a delivery that failed after the seller was written
            # finishes the assignments (replacing the list writes only what differs).
            if item.customer_ids is not None:
                people.replace_assignments(merchant_id, item.seller_id, list(dict.fromkeys(item.customer_ids)))
        except VitrineError as exc:
            outcomes.append(rejected_by(exc, "seller_id"))
            continue
        outcomes.append(Outcome(ItemStatus.APPLIED))
    return outcomes


APPLIERS: dict[BatchKind, Callable[[str, str, list[Any]], list[Outcome]]] = {
    BatchKind.PRODUCTS: apply_products,
    BatchKind.PRODUCT_IMAGES: apply_product_images,
    BatchKind.PRICE_TABLES: apply_price_tables,
    BatchKind.PRICES: apply_prices,
    BatchKind.STOCK: apply_stock,
    BatchKind.CUSTOMERS: apply_customers,
    BatchKind.SELLERS: apply_sellers,
}

"""Applying queued chunks of ERP jobs, idempotently: those of one SQS batch together where that saves writes.

Each kind reads what is stored for its items in ``BatchGetItem`` first, then writes only what changed
(``vitrine.erp.delta``): products, price tables and prices in ``BatchWriteItem``; stock levels one conditional
``UpdateItem`` each (a condition per item cannot be batched); customers and sellers through the people rules
(login pointers, password hashes, assignments). An item refused by a rule is rejected with its reason and
the others go on; a failure of AWS raises, so SQS delivers the chunk again.

Chunks of one merchant and a batched kind (products, price tables, prices) that arrive in one SQS batch are
applied as one stream: one run of reads and one run of 25-item writes across them, so ten requests with ten
changed products each cost 4 write requests, not 10. A chunk naming an item an earlier chunk of the batch names
too starts a new stream after that one, so the later item still wins as when chunks were applied one by one.
A failure of a stream sends back (partial batch failure) only the chunks in it; every other kind is applied
chunk by chunk. Whatever was written before a failure is found again by the retry (``delta.known_outcome``).

Then, per chunk and in this order: item results (only the items not applied as sent, and stock left oversold:
recording every item would cost a write per item, defeating the delta), change events with what was written,
and the chunk's counts, added to its job once (the chunks of one job in the batch in one update). A redelivered
chunk writes nothing new, reports its own earlier writes as applied, republishes the same events under the same
ids (consumers and the webhook fan-out deduplicate by id) and is not counted twice. Events are per chunk, never
per SQS batch: SQS groups messages differently on every delivery, so only a chunk's own number keeps an event
id stable.

Change events carry the values channels need (``vitrine.events.envelope``): ``StockLevelsChanged`` each level's
on-hand, reserved, available and sequence; ``PricesChanged`` each price with the one it replaced (stored beside
it, so a redelivery announces the same change); ``ProductsChanged`` the SKUs. One event per chunk (split at
``DELTAS_PER_EVENT``), so a subscribed endpoint gets one POST per chunk with changes, not one per item.

Stock: a count is applied only over an older one (``sequence``), and a count whose sequence is newer is
written even when ``on_hand`` did not move. Skipping it would leave the older sequence stored, and an older
count still in flight (a chunk retried after a failure) would then be applied over the newer one. Levels
whose sequence did not move are neither written nor sent to DynamoDB.
"""

from collections.abc import Callable, Iterable, Sequence
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
from vitrine.events.envelope import (
    DELTAS_PER_EVENT,
    EventData,
    EventEnvelope,
    PriceDelta,
    PricesChanged,
    ProductsChanged,
    StockDelta,
    StockLevelsChanged,
)
from vitrine.events.publisher import PublishFailed, publish
from vitrine.repository import assortment, erp_jobs, merchants, people, stock

EVENT_SOURCE = "vitrine.stock_sync"
# Kinds written in ``BatchWriteItem`` without a condition: their chunks gain from sharing write requests.
BATCHED_KINDS = frozenset({BatchKind.PRODUCTS, BatchKind.PRICE_TABLES, BatchKind.PRICES})


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
    change: StockDelta | PriceDelta | None = None  # what channels are told, for an applied stock level or price


@dataclass(frozen=True)
class ChunkSummary:
    counts: dict[str, int]
    counted: bool  # False: a redelivery of a chunk counted before


@dataclass
class _Applied:
    chunk: QueuedChunk
    items: list[Any]
    outcomes: list[Outcome]


def rejected(field_name: str, reason: str) -> Outcome:
    return Outcome(ItemStatus.REJECTED, [ItemError(field=field_name, reason=reason)])


def stale_job(field_name: str, writer: str) -> Outcome:
    """The item was written by a job the ERP sent after this one (this chunk arrived late): it stays as that is."""
    why = f"ignored: job {writer}, sent later, wrote it"
    return Outcome(ItemStatus.STALE, [ItemError(field=field_name, reason=why)])


def rejected_by(exc: VitrineError, default_field: str) -> Outcome:
    """A domain rule's refusal, on the field it names (``body.x`` in the merchant API is ``x`` here)."""
    details = exc.details if isinstance(exc.details, list) and exc.details else [{"field": default_field}]
    return rejected(details[0]["field"].removeprefix("body."), exc.message)


def apply_chunk(chunk: QueuedChunk) -> ChunkSummary:
    """One chunk alone; raises what failed it."""
    (summary,) = apply_chunks([chunk])
    if isinstance(summary, Exception):
        raise summary
    return summary


def apply_chunks(chunks: Sequence[QueuedChunk]) -> list[ChunkSummary | Exception]:
    """Apply the chunks of one SQS batch (see the module docstring): for each, in order, its summary, or the
    exception that failed it (that chunk alone goes back to the queue)."""
    done: list[ChunkSummary | Exception | None] = [None] * len(chunks)
    applied: list[tuple[int, _Applied]] = []
    for group in _streams(chunks):
        try:
            applied.extend(zip(group, _apply_together([chunks[i] for i in group]), strict=True))
        except Exception as exc:  # noqa: BLE001 - the stream's chunks are reported failed; SQS delivers them again
            for index in group:
                done[index] = exc
    ready: list[tuple[int, _Applied]] = []
    for index, result in applied:
        try:
            _put_results(result)
        except Exception as exc:  # noqa: BLE001 - as above, for this chunk alone
            done[index] = exc
            continue
        ready.append((index, result))
    refused = _publish_changes({index: _change_events(result) for index, result in ready})
    by_job: dict[tuple[str, str], list[tuple[int, _Applied]]] = {}
    for index, result in ready:
        if index in refused:
            done[index] = refused[index]
        else:
            by_job.setdefault((result.chunk.merchant_id, result.chunk.job_id), []).append((index, result))
    for counted_together in by_job.values():
        try:
            summaries = _count(result for _, result in counted_together)
        except Exception as exc:  # noqa: BLE001 - as above
            summaries = [exc] * len(counted_together)
        for (index, _), summary in zip(counted_together, summaries, strict=True):
            done[index] = summary
    return [RuntimeError("chunk not applied") if outcome is None else outcome for outcome in done]


def _streams(chunks: Sequence[QueuedChunk]) -> list[list[int]]:
    """The chunks (by index) to apply together, in the order to apply them: chunks of a batched kind share a
    stream per merchant and kind until one names an item of the stream again; every other chunk is alone.
    Streams run in the order of their first chunk, so images sent after their products still find them."""
    streams: list[list[int]] = []
    open_streams: dict[tuple[str, BatchKind], tuple[list[int], set[str | None]]] = {}
    for index, chunk in enumerate(chunks):
        if chunk.kind not in BATCHED_KINDS:
            streams.append([index])
            continue
        refs = {item_ref(chunk.kind, entry.item) for entry in chunk.items}
        key = (chunk.merchant_id, chunk.kind)
        members, named = open_streams.get(key) or ([], set())
        if named & refs:
            streams.append(members)  # applied before this chunk, so the later item wins
            members, named = [], set()
        members.append(index)
        open_streams[key] = (members, named | refs)
    streams.extend(members for members, _ in open_streams.values())
    return sorted(streams, key=lambda members: members[0])


def _apply_together(chunks: list[QueuedChunk]) -> list[_Applied]:
    """Chunks of one merchant and kind through one applier call; each chunk's items and outcomes."""
    kind, model = chunks[0].kind, ITEM_MODELS[chunks[0].kind]
    per_chunk = [[model.model_validate(entry.item) for entry in chunk.items] for chunk in chunks]
    items = [item for chunk_items in per_chunk for item in chunk_items]
    job_ids = [chunk.job_id for chunk, chunk_items in zip(chunks, per_chunk, strict=True) for _ in chunk_items]
    outcomes = APPLIERS[kind](chunks[0].merchant_id, job_ids, items)
    results, start = [], 0
    for chunk, chunk_items in zip(chunks, per_chunk, strict=True):
        results.append(_Applied(chunk, chunk_items, outcomes[start : start + len(chunk_items)]))
        start += len(chunk_items)
    return results


def _put_results(result: _Applied) -> None:
    chunk = result.chunk
    stored = [
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
        for entry, item, outcome in zip(chunk.items, result.items, result.outcomes, strict=True)
        if outcome.status in (ItemStatus.REJECTED, ItemStatus.STALE) or outcome.oversold
    ]
    erp_jobs.put_results(chunk.merchant_id, chunk.job_id, stored, expires_at=chunk.expires_at)


def _count(results: Iterable[_Applied]) -> list[ChunkSummary]:
    """Count chunks of one job into it: in one ``UpdateItem`` when none was counted before, else one by one
    (a redelivered chunk among them is then found counted, and the others are counted once each)."""
    results = list(results)
    chunk = results[0].chunk
    counts_by_chunk = {}
    for result in results:
        counts = {status.value: 0 for status in ItemStatus}
        for outcome in result.outcomes:
            counts[outcome.status.value] += 1
        counts_by_chunk[result.chunk.chunk] = counts
    if len(results) > 1 and erp_jobs.count_chunks(chunk.merchant_id, chunk.job_id, counts_by_chunk, now_iso()):
        return [ChunkSummary(counts=counts, counted=True) for counts in counts_by_chunk.values()]
    return [
        ChunkSummary(
            counts=counts,
            counted=erp_jobs.count_chunk(chunk.merchant_id, chunk.job_id, number, counts, now_iso()) is not None,
        )
        for number, counts in counts_by_chunk.items()
    ]


def _change_events(result: _Applied) -> list[EventEnvelope]:
    chunk = result.chunk
    applied = [
        (item, o) for item, o in zip(result.items, result.outcomes, strict=True) if o.status is ItemStatus.APPLIED
    ]
    changes: list[EventData] = []
    if chunk.kind in (BatchKind.PRODUCTS, BatchKind.PRODUCT_IMAGES) and applied:
        changes.append(ProductsChanged(job_id=chunk.job_id, skus=[item.sku for item, _ in applied]))
    elif chunk.kind in (BatchKind.PRICES, BatchKind.STOCK):
        deltas = [outcome.change for _, outcome in applied if outcome.change is not None]
        for start in range(0, len(deltas), DELTAS_PER_EVENT):
            part = deltas[start : start + DELTAS_PER_EVENT]
            if chunk.kind is BatchKind.PRICES:
                changes.append(PricesChanged(job_id=chunk.job_id, prices=part))
            else:
                changes.append(StockLevelsChanged(job_id=chunk.job_id, levels=part))
    occurred_at = now_iso()
    return [
        # The same ids when a redelivered chunk publishes them again: consumers deduplicate by id.
        EventEnvelope(
            id=f"{chunk.job_id}.{chunk.chunk}.{number}",
            type=type(data).__name__,
            merchant_id=chunk.merchant_id,
            occurred_at=occurred_at,
            data=data.model_dump(mode="json"),
        )
        for number, data in enumerate(changes)
    ]


def _publish_changes(events_by_chunk: dict[int, list[EventEnvelope]]) -> dict[int, Exception]:
    """Publish every chunk's events together (``PutEvents`` takes 10 a call); the chunks whose events the bus
    did not take, with why. A chunk sent back republishes all of its events under the same ids."""
    envelopes = [event for events in events_by_chunk.values() for event in events]
    if not envelopes:
        return {}
    try:
        publish(envelopes, source=EVENT_SOURCE)
    except PublishFailed as exc:
        refused = {failure["id"] for failure in exc.failures}
        return {i: exc for i, events in events_by_chunk.items() if any(e.id in refused for e in events)}
    except Exception as exc:  # noqa: BLE001 - the bus failed midway: every chunk with events goes back
        return {i: exc for i, events in events_by_chunk.items() if events}
    return {}


def _images(erp_images: list[Any]) -> list[Image]:
    return [Image(url=i.url, width=i.width, height=i.height, content_type=i.content_type) for i in erp_images]


def apply_products(merchant_id: str, job_ids: Sequence[str], items: list[ErpProduct]) -> list[Outcome]:
    """Appliers take the job of each item (``job_ids[i]`` is ``items[i]``'s): chunks of several jobs may share a
    call, and an item is marked with, and recognised by, its own job."""
    stored = assortment.synced_products(merchant_id, [item.sku for item in items])
    outcomes: list[Outcome] = []
    changed: list[tuple[ErpProduct, str, str]] = []
    for item, job_id in zip(items, job_ids, strict=True):
        if writer := delta.written_by_newer_job(stored.get(item.sku), job_id):
            outcomes.append(stale_job("sku", writer))
            continue
        digest = delta.content_hash(item.model_dump(mode="json"))
        known = delta.known_outcome(stored.get(item.sku), digest, job_id)
        outcomes.append(Outcome(known or ItemStatus.APPLIED))
        if known is None:
            changed.append((item, digest, job_id))
    # Images the ERP leaves out are kept (e.g. uploaded by the merchant): only those products are read whole.
    keeping_images = [item.sku for item, _, _ in changed if item.images is None and item.sku in stored]
    current = assortment.product_items(merchant_id, keeping_images) if keeping_images else {}
    writes: list[tuple[Product, dict[str, str]]] = []
    for item, digest, job_id in changed:
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


def apply_product_images(merchant_id: str, job_ids: Sequence[str], items: list[ErpProductImages]) -> list[Outcome]:
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


def apply_price_tables(merchant_id: str, job_ids: Sequence[str], items: list[ErpPriceTable]) -> list[Outcome]:
    stored = assortment.synced_price_tables(merchant_id, [item.table_id for item in items])
    outcomes: list[Outcome] = []
    writes: list[tuple[PriceTable, dict[str, str]]] = []
    for item, job_id in zip(items, job_ids, strict=True):
        if writer := delta.written_by_newer_job(stored.get(item.table_id), job_id):
            outcomes.append(stale_job("table_id", writer))
            continue
        digest = delta.content_hash(item.model_dump(mode="json"))
        known = delta.known_outcome(stored.get(item.table_id), digest, job_id)
        if known is None:
            writes.append((PriceTable(**item.model_dump()), delta.sync_marks(digest, job_id)))
        outcomes.append(Outcome(known or ItemStatus.APPLIED))
    assortment.put_synced_price_tables(merchant_id, writes)
    return outcomes


def apply_prices(merchant_id: str, job_ids: Sequence[str], items: list[ErpPrice]) -> list[Outcome]:
    """Prices are ``PUT`` per (table, sku). A table met for the first time is declared under its id, so prices
    never wait for a price-table job that SQS may deliver after them; a price-table item names it. A price is
    stored with the one it replaced, for the change event (also when a redelivered chunk announces it again)."""
    table_ids = list(dict.fromkeys(item.table_id for item in items))
    declared = assortment.synced_price_tables(merchant_id, table_ids)
    for table_id in table_ids:
        if table_id not in declared:
            assortment.declare_price_table(merchant_id, table_id)
    stored = assortment.synced_prices(merchant_id, [(item.table_id, item.sku) for item in items])
    outcomes: list[Outcome] = []
    writes: list[tuple[str, str, int, int | None, dict[str, str]]] = []
    for item, job_id in zip(items, job_ids, strict=True):
        current = stored.get((item.table_id, item.sku))
        if writer := delta.written_by_newer_job(current, job_id):
            outcomes.append(stale_job("sku", writer))
            continue
        digest = delta.content_hash({"price": item.price})
        known = delta.known_outcome(current, digest, job_id)
        if known is ItemStatus.UNCHANGED:
            outcomes.append(Outcome(known))
            continue
        if known is None:
            previous = current.get("price") if current else None
            writes.append((item.table_id, item.sku, item.price, previous, delta.sync_marks(digest, job_id)))
        else:
            previous = (current or {}).get("previous_price")
        # A price the merchant had set to the same value by hand is written (the sync's marks) but not a change.
        change = None if previous == item.price else PriceDelta(**item.model_dump(), previous_price=previous)
        outcomes.append(Outcome(ItemStatus.APPLIED, change=change))
    assortment.put_synced_prices(merchant_id, writes)
    return outcomes


def apply_stock(merchant_id: str, job_ids: Sequence[str], items: list[ErpStockLevel]) -> list[Outcome]:
    stores = {store.code for store in merchants.list_stores(merchant_id)}
    stored = stock.stored_levels(merchant_id, [(item.store_code, item.sku) for item in items])
    outcomes: list[Outcome] = []
    for item, job_id in zip(items, job_ids, strict=True):
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
            outcomes.append(Outcome(ItemStatus.APPLIED, oversold=written.oversold or None, change=_change(written)))
    return outcomes


def _not_newer(current: dict[str, Any], item: ErpStockLevel, job_id: str) -> Outcome:
    sequence = current.get("sequence", 0)
    if sequence == item.order and current["on_hand"] == item.on_hand:
        if current.get("sync_job") == job_id:
            # This job's own write, delivered again: announced as the level stands now.
            written = stock.level_from_item(current)
            return Outcome(ItemStatus.APPLIED, oversold=written.oversold or None, change=_change(written))
        return Outcome(ItemStatus.UNCHANGED)
    if sequence == item.order:
        return Outcome(ItemStatus.STALE, [_stale_error(item, "this sequence was applied with another count")])
    return Outcome(ItemStatus.STALE, [_stale_error(item, f"the stored count is newer ({sequence})")])


def _change(level: StockLevel) -> StockDelta:
    return StockDelta(
        store_code=level.store_code,
        sku=level.sku,
        on_hand=level.on_hand,
        reserved=level.reserved,
        available=level.available,
        sequence=level.sequence,
    )


def _stale_error(item: ErpStockLevel, why: str) -> ItemError:
    field_name = "sequence" if item.sequence is not None else "counted_at"
    return ItemError(field=field_name, reason=f"ignored: {why}")


def apply_customers(merchant_id: str, job_ids: Sequence[str], items: list[ErpCustomer]) -> list[Outcome]:
    # The people rules (passwords, sessions, storefront) load only for people: stock chunks are the usual ones.
    from vitrine.people import accounts
    from vitrine.people.models import CustomerInput

    stored = people.customers_by_id(merchant_id, [item.customer_id for item in items])
    outcomes: list[Outcome] = []
    for item, job_id in zip(items, job_ids, strict=True):
        # The password is left out of the hash: a fast hash of it must never be stored. Sent, it is a change.
        digest = delta.content_hash(item.model_dump(mode="json", exclude={"password"}))
        current = stored.get(item.customer_id)
        if writer := delta.written_by_newer_job(current, job_id):
            outcomes.append(stale_job("customer_id", writer))
            continue
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


def apply_sellers(merchant_id: str, job_ids: Sequence[str], items: list[ErpSeller]) -> list[Outcome]:
    from vitrine.people import accounts
    from vitrine.people.models import SellerInput

    stored = people.sellers_by_id(merchant_id, [item.seller_id for item in items])
    named = list(dict.fromkeys(cid for item in items for cid in item.customer_ids or []))
    existing_customers = people.customers_by_id(merchant_id, named)
    outcomes: list[Outcome] = []
    for item, job_id in zip(items, job_ids, strict=True):
        if writer := delta.written_by_newer_job(stored.get(item.seller_id), job_id):
            outcomes.append(stale_job("seller_id", writer))
            continue
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


APPLIERS: dict[BatchKind, Callable[[str, Sequence[str], list[Any]], list[Outcome]]] = {
    BatchKind.PRODUCTS: apply_products,
    BatchKind.PRODUCT_IMAGES: apply_product_images,
    BatchKind.PRICE_TABLES: apply_price_tables,
    BatchKind.PRICES: apply_prices,
    BatchKind.STOCK: apply_stock,
    BatchKind.CUSTOMERS: apply_customers,
    BatchKind.SELLERS: apply_sellers,
}

"""The ingest pipeline: applying queued chunks of ERP jobs, idempotently, those of one SQS batch together where
that saves writes. The per-kind appliers (``vitrine.erp.appliers``) read what is stored for their items in
``BatchGetItem`` first, then write only what changed (``vitrine.erp.delta``): products, price tables and prices
in ``BatchWriteItem``; stock levels one conditional ``UpdateItem`` each (a condition per item cannot be batched);
customers and sellers through the people rules. An item refused by a rule is rejected with its reason and the
others go on; a failure of AWS raises, so SQS delivers the chunk again.

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
"""

import importlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from vitrine.erp.appliers.outcome import Outcome
from vitrine.erp.jobs import now_iso, stored_result, unpack
from vitrine.erp.models import BatchKind, ItemError, ItemResult, ItemStatus, item_model, item_ref
from vitrine.events.envelope import (
    DELTAS_PER_EVENT,
    EventData,
    EventEnvelope,
    PricesChanged,
    ProductsChanged,
    StockLevelsChanged,
)
from vitrine.events.publisher import PublishFailed, publish
from vitrine.repository import erp_jobs

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


@dataclass(frozen=True)
class ChunkSummary:
    counts: dict[str, int]
    counted: bool  # False: a redelivery of a chunk counted before


@dataclass
class _Applied:
    chunk: QueuedChunk
    items: list[Any]
    outcomes: list[Outcome]


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
    Streams run in the order of their first chunk, so images sent after their products still find them, except
    that stock comes after everything else: a count needs its variant indexed (``appliers.stock``), and SQS keeps
    no order within a batch, so a new product and its first counts polled or pushed together apply in that order
    (a count and a product never name the same item, so no later item loses to an earlier one)."""
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
    return sorted(streams, key=lambda members: (chunks[members[0]].kind is BatchKind.STOCK, members[0]))


def _apply_together(chunks: list[QueuedChunk]) -> list[_Applied]:
    """Chunks of one merchant and kind through one applier call; each chunk's items and outcomes."""
    kind, model = chunks[0].kind, item_model(chunks[0].kind)
    per_chunk = [[model.model_validate(entry.item) for entry in chunk.items] for chunk in chunks]
    items = [item for chunk_items in per_chunk for item in chunk_items]
    job_ids = [chunk.job_id for chunk, chunk_items in zip(chunks, per_chunk, strict=True) for _ in chunk_items]
    outcomes = APPLIERS[kind](chunks[0].merchant_id, job_ids, items)
    results, start = [], 0
    for chunk, chunk_items in zip(chunks, per_chunk, strict=True):
        results.append(_Applied(chunk, chunk_items, outcomes[start : start + len(chunk_items)]))
        start += len(chunk_items)
    return results


def _worded(errors: list[ItemError], ref: str | None, line: int | None) -> list[ItemError]:
    """A CSV's entries carry their line: its merchant reads Portuguese (``vitrine.erp.csv_wording``, imported
    only then: it names the product applier's refusals, which a stock chunk's cold start does not load)."""
    if line is None or not errors:
        return errors
    from vitrine.erp import csv_wording

    return [csv_wording.applied(error, ref, line) for error in errors]


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
                errors=_worded(outcome.errors, item_ref(chunk.kind, item), entry.line),
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


Applier = Callable[[str, Sequence[str], list[Any]], list[Outcome]]


def _applier(module: str, name: str) -> Applier:
    """``vitrine.erp.appliers.<module>.<name>``, imported at the first chunk of its kind: a cold start applying
    stock counts (the chunks an ERP sends most) does not load the product, price and people rules and their
    repositories (~10-15 ms of CPU, bench/RESULTS.md's cold-start section)."""

    def apply(merchant_id: str, job_ids: Sequence[str], items: list[Any]) -> list[Outcome]:
        applier = getattr(importlib.import_module(f"vitrine.erp.appliers.{module}"), name)
        return applier(merchant_id, job_ids, items)

    apply.__name__ = apply.__qualname__ = name
    return apply


# Each kind's applier: the items of one stream, with the job of each (see ``vitrine.erp.appliers``).
APPLIERS: dict[BatchKind, Applier] = {
    BatchKind.PRODUCTS: _applier("products", "apply_products"),
    BatchKind.PRODUCT_IMAGES: _applier("products", "apply_product_images"),
    BatchKind.PRICE_TABLES: _applier("prices", "apply_price_tables"),
    BatchKind.PRICES: _applier("prices", "apply_prices"),
    BatchKind.STOCK: _applier("stock", "apply_stock"),
    BatchKind.CUSTOMERS: _applier("people", "apply_customers"),
    BatchKind.SELLERS: _applier("people", "apply_sellers"),
}

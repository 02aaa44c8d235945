"""ERP jobs: a batch becomes a job, answered at once (202); the job reports what became of each item.

Submitting checks every item against its kind's model here, before anything is queued: an invalid item is
recorded as rejected (its index, id and each field with the reason) and the rest go on. A request that is not
a batch at all (over ``MAX_ITEMS``, or with no valid item: the wrong kind, a broken integration) is refused
whole with a 4xx and leaves no trace. The valid items travel to the ingest consumer through SQS in chunks, each
numbered so that its outcome is counted into the job once however often SQS delivers it. A chunk's items are
gzipped JSON (base64 in the message, which SQS wants as text): JSON items compress 5-8x, so a whole request
usually fits one 256 KiB message; the consumer applies the messages of one SQS batch together, so their changes
share write requests. Chunks are also cut by count (customers and sellers hash passwords, ~0.4 s each; stock
levels are one ``UpdateItem`` each), so that a batch of 10 chunks stays well inside the consumer's timeout.

The job is recorded before its chunks are queued, so a consumer never meets a chunk without its job. When
queuing fails the request is answered 503 (nothing the ERP sees as accepted) and the ERP sends the batch again:
the applying is idempotent, and the job recorded for the failed request stays queued until it expires.

Job ids are UUIDv7s (RFC 9562) in hex: they sort in the order the jobs were accepted, which is the order the ERP
sent them in, so a chunk SQS delivers late (a retry after a failure) is recognised as older than a job already
applied (``vitrine.erp.delta.written_by_newer_job``) and cannot put an older product or price back.

A job lives ``JOB_TTL_SECONDS`` (14 days). Its status is ``queued`` until a chunk is counted, ``running``
until every chunk is, then ``done``. A chunk that keeps failing ends in the queue's DLQ (an alarm) and its
items stay ``pending`` in the report.
"""

import base64
import gzip
import json
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from vitrine.erp import queue
from vitrine.erp.models import (
    MAX_ITEMS,
    BatchKind,
    ItemError,
    ItemResult,
    ItemStatus,
    JobAccepted,
    JobCounts,
    JobReport,
    JobStatus,
    item_model,
    item_ref,
)
from vitrine.errors import InvalidInput, NotFound, PayloadTooLarge
from vitrine.repository import erp_jobs

CHUNK_BYTES = 240 * 1024  # of packed items, under SQS's 256 KiB, leaving room for the envelope
CHUNK_ITEMS = {BatchKind.CUSTOMERS: 20, BatchKind.SELLERS: 20, BatchKind.STOCK: 500}
DEFAULT_CHUNK_ITEMS = 1000
_REFUSAL_DETAILS = 20
DUPLICATE = "duplicate"


@dataclass(frozen=True)
class QueuedItem:
    """A valid item on its way to the consumer, as the JSON its model dumps."""

    index: int
    kind: BatchKind
    item: dict[str, Any]
    line: int | None = None

    def entry(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"index": self.index, "item": self.item}
        if self.line is not None:
            entry["line"] = self.line
        return entry


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def check_item(
    kind: BatchKind,
    index: int,
    raw: Any,
    *,
    line: int | None = None,
    explain: Callable[[ErrorDetails], str] | None = None,
) -> QueuedItem | ItemResult:
    """The item ready to queue, or its rejection naming each field that is wrong; ``explain`` words pydantic's
    error for the reader (a CSV's merchant reads Portuguese), its ``type`` is the error's ``code`` either way."""
    try:
        model = item_model(kind).model_validate(raw)
    except ValidationError as exc:
        errors = [
            ItemError(
                field=".".join(str(part) for part in error["loc"]) or "item",
                reason=explain(error) if explain else error["msg"],
                code=error["type"],
            )
            for error in exc.errors(include_url=False, include_input=False)
        ]
        return rejection(kind, index, item_ref(kind, raw), errors, line=line)
    return QueuedItem(index, kind, model.model_dump(mode="json", exclude_none=True), line)


def rejection(
    kind: BatchKind, index: int, ref: str | None, errors: list[ItemError], *, line: int | None = None
) -> ItemResult:
    return ItemResult(index=index, kind=kind, ref=ref, status=ItemStatus.REJECTED, line=line, errors=errors)


def without_repeats(checked: list[QueuedItem | ItemResult]) -> list[QueuedItem | ItemResult]:
    """Reject a second item with the id of an earlier one of the same kind: which of two differing items the ERP
    meant cannot be guessed, and one write request cannot hold the same key twice. (A CSV never has one: its rows
    are grouped by SKU into one item of each kind.)"""
    first_seen: dict[tuple[BatchKind, str | None], int] = {}
    kept: list[QueuedItem | ItemResult] = []
    for entry in checked:
        if isinstance(entry, QueuedItem):
            ref = item_ref(entry.kind, entry.item)
            earlier = first_seen.setdefault((entry.kind, ref), entry.index)
            if earlier != entry.index:
                where = f"line {_line_of(checked, earlier)}" if entry.line is not None else f"item {earlier}"
                reason = f"{ref} appears more than once (first at {where}); send each once"
                error = ItemError(field="item", reason=reason, code=DUPLICATE)
                entry = rejection(entry.kind, entry.index, ref, [error], line=entry.line)
        kept.append(entry)
    return kept


def _line_of(checked: list[QueuedItem | ItemResult], index: int) -> int | None:
    return next(entry.line for entry in checked if entry.index == index)


def submit_batch(merchant_id: str, kind: BatchKind, items: list[Any]) -> JobAccepted:
    """Check a batch request's items and start its job (see the module docstring)."""
    if len(items) > MAX_ITEMS:
        raise PayloadTooLarge(
            f"{len(items)} items: at most {MAX_ITEMS} a request; split the batch",
            details=[{"field": "body.items", "reason": f"more than {MAX_ITEMS} items"}],
        )
    checked = [check_item(kind, index, raw) for index, raw in enumerate(items)]
    return start_job(merchant_id, kind.value, "api", checked)


_last_job_id = 0
_job_id_lock = threading.Lock()


def new_job_id() -> str:
    """A UUIDv7 as 32 hex digits: 48 bits of Unix milliseconds, the version, 74 random bits (RFC 9562, 5.7).

    Ids one process makes are strictly increasing even within a millisecond (the previous one plus one, as the
    RFC's monotonic counter methods allow); ids of different Lambda instances are ordered by their clocks, which
    AWS keeps within a millisecond of each other, far less than the time between two requests an ERP sends.
    """
    global _last_job_id
    random_bits = int.from_bytes(os.urandom(10), "big")
    value = (
        (time.time_ns() // 1_000_000) << 80
        | 0x7 << 76
        | (random_bits >> 68) << 64
        | 0b10 << 62
        | random_bits & (1 << 62) - 1
    )
    with _job_id_lock:
        if value <= _last_job_id:
            value = _last_job_id + 1
        _last_job_id = value
    return f"{value:032x}"


def start_job(
    merchant_id: str,
    label: str,
    source: str,
    checked: list[QueuedItem | ItemResult],
    *,
    nothing_valid: str = "no item of the batch is valid; nothing was queued",
) -> JobAccepted:
    """Record the job with its rejected items, then queue the valid ones in chunks; ``nothing_valid`` is what the
    submitter reads when none is valid (a CSV's merchant reads Portuguese)."""
    checked = without_repeats(checked)
    queued = [entry for entry in checked if isinstance(entry, QueuedItem)]
    rejected = [entry for entry in checked if isinstance(entry, ItemResult)]
    if not queued:
        raise InvalidInput(
            nothing_valid,
            details=[
                {"field": _request_field(result, error), "reason": error.reason}
                for result in rejected[:_REFUSAL_DETAILS]
                for error in result.errors
            ],
        )
    job_id = new_job_id()
    chunks = chunk_items(queued)
    created_at = now_iso()
    expires_at = int(time.time()) + erp_jobs.JOB_TTL_SECONDS
    erp_jobs.put_job(
        merchant_id,
        job_id,
        {
            "job_id": job_id,
            "merchant_id": merchant_id,
            "kind": label,
            "source": source,
            "total": len(checked),
            "chunks": len(chunks),
            "rejected": len(rejected),
            "created_at": created_at,
            "updated_at": created_at,
            "expires_at": expires_at,
        },
    )
    erp_jobs.put_results(merchant_id, job_id, [stored_result(r) for r in rejected], expires_at=expires_at)
    queue.send_chunks(
        [
            {
                "merchant_id": merchant_id,
                "job_id": job_id,
                "kind": kind.value,
                "chunk": number,
                "expires_at": expires_at,
                "items_gz": packed,
            }
            for number, (kind, items, packed) in enumerate(chunks)
        ]
    )
    return JobAccepted(
        job_id=job_id,
        kind=label,
        status=JobStatus.QUEUED,
        total=len(checked),
        queued=len(queued),
        rejected=len(rejected),
        location=f"/erp/v1/jobs/{job_id}",
    )


def _request_field(result: ItemResult, error: ItemError) -> str:
    if result.line is not None:
        return f"line.{error.line or result.line}.{error.field}"
    return f"body.items.{result.index}.{error.field}"


def pack(entries: list[dict[str, Any]]) -> str:
    """A chunk's entries as a message carries them: gzipped JSON, base64."""
    raw = json.dumps(entries, ensure_ascii=False, separators=(",", ":")).encode()
    return base64.b64encode(gzip.compress(raw, compresslevel=6, mtime=0)).decode()


def unpack(packed: str) -> list[dict[str, Any]]:
    return json.loads(gzip.decompress(base64.b64decode(packed)))


def chunk_items(items: Iterable[QueuedItem]) -> list[tuple[BatchKind, list[QueuedItem], str]]:
    """Split items into chunks of one kind each, within the kind's item count and ``CHUNK_BYTES`` packed:
    ``(kind, items, packed)``. A slice that packs too big is halved until it fits."""
    by_kind: dict[BatchKind, list[QueuedItem]] = {}
    for item in items:
        by_kind.setdefault(item.kind, []).append(item)
    chunks: list[tuple[BatchKind, list[QueuedItem], str]] = []
    for kind, kind_items in by_kind.items():
        limit = CHUNK_ITEMS.get(kind, DEFAULT_CHUNK_ITEMS)
        pending = [kind_items[start : start + limit] for start in range(0, len(kind_items), limit)]
        while pending:
            candidate = pending.pop(0)
            packed = pack([item.entry() for item in candidate])
            if len(packed) <= CHUNK_BYTES or len(candidate) == 1:
                chunks.append((kind, candidate, packed))
            else:
                half = len(candidate) // 2
                pending[:0] = [candidate[:half], candidate[half:]]
    return chunks


def stored_result(result: ItemResult) -> dict[str, Any]:
    return result.model_dump(mode="json", exclude_none=True)


def job_report(merchant_id: str, job_id: str, *, limit: int, cursor: str | None) -> JobReport:
    """The job's counts and a page of its item results; another merchant's job is simply not found."""
    job = erp_jobs.get_job(merchant_id, job_id)
    if job is None:
        raise NotFound(f"no job '{job_id}'")
    results, next_cursor = erp_jobs.results_page(merchant_id, job_id, limit=limit, cursor=cursor)
    return _report(job, results, next_cursor)


def recent_jobs(merchant_id: str, *, limit: int, results_each: int) -> list[JobReport]:
    """The merchant's latest jobs, newest first (job ids sort by time), each with the first ``results_each`` of its
    item results: what the console's Integração shows. One query, and one more a job."""
    reports = []
    for job in erp_jobs.recent_jobs(merchant_id, limit=limit):
        results, next_cursor = erp_jobs.results_page(merchant_id, job["job_id"], limit=results_each, cursor=None)
        reports.append(_report(job, results, next_cursor))
    return reports


def _report(job: dict[str, Any], results: list[dict[str, Any]], next_cursor: str | None) -> JobReport:
    counted = {name: job.get(name, 0) for name in erp_jobs.COUNTERS}
    done = len(job.get("chunks_done", ()))
    status = JobStatus.QUEUED if done == 0 else JobStatus.DONE if done >= job["chunks"] else JobStatus.RUNNING
    return JobReport(
        job_id=job["job_id"],
        kind=job["kind"],
        source=job["source"],
        status=status,
        created_at=job["created_at"],
        updated_at=job["updated_at"],
        total=job["total"],
        counts=JobCounts(**counted, pending=job["total"] - sum(counted.values())),
        results=[ItemResult.model_validate(result) for result in results],
        next_cursor=next_cursor,
    )

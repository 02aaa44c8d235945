"""Delta detection: an item is written only when what the ERP sent differs from what it sent last time.

Each item the sync writes stores ``content_hash``, a hash of the canonical JSON of the item as validated (keys
sorted, defaults filled in, so field order and omitted defaults do not count as changes), and ``sync_job``, the
job that wrote it. A sync reads the stored items in ``BatchGetItem`` (100 keys a request), compares hashes in
memory and writes only the differing ones, in ``BatchWriteItem`` (25 a request) where no condition is needed.
A snapshot of 10,000 items with 1% changed thus costs 100 reads' worth of requests and, its chunks applied
together (``vitrine.erp.apply``), 4 write requests; nothing unchanged is pushed to channels either, since change
events carry only what was written.

The job that wrote an item also orders it: job ids sort in the order the jobs were accepted, so an item a newer
job wrote is not overwritten by an older job's chunk that SQS delivers late (``written_by_newer_job``); it is
reported ``stale``, as an older stock count is. Two chunks of different jobs applied at the same moment by two
consumers can still both read before either writes (the writes are unconditional batches); then the later write
wins, as before.

Hashing what the ERP sent (not the stored item) keeps the comparison independent of how items are stored,
and an edit through the merchant API removes the hash, so the ERP's next sync reasserts its data there.
"""

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from vitrine.erp.models import ItemStatus


def content_hash(values: Mapping[str, Any]) -> str:
    """128 bits of SHA-256 over the canonical JSON: collisions are out of reach, and it stays short per item."""
    canonical = json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


def known_outcome(stored: Mapping[str, Any] | None, digest: str, job_id: str) -> ItemStatus | None:
    """What became of an item already stored as ``digest``, or ``None`` when it must be written.

    An item this job wrote itself reads as ``APPLIED``: a chunk delivered again after a crash reports what its
    first delivery did, instead of calling its own writes unchanged.
    """
    if stored is None or stored.get("content_hash") != digest:
        return None
    return ItemStatus.APPLIED if stored.get("sync_job") == job_id else ItemStatus.UNCHANGED


def sync_marks(digest: str, job_id: str) -> dict[str, str]:
    """The attributes a synced item is stored with."""
    return {"content_hash": digest, "sync_job": job_id}


def written_by_newer_job(stored: Mapping[str, Any] | None, job_id: str) -> str | None:
    """The id of the job that wrote ``stored`` when it was accepted after ``job_id`` (so ``job_id`` must not
    overwrite it), else ``None``. Only time-ordered ids (UUIDv7, ``vitrine.erp.jobs.new_job_id``) are compared."""
    writer = (stored or {}).get("sync_job")
    if writer and _time_ordered(writer) and _time_ordered(job_id) and writer > job_id:
        return writer
    return None


def _time_ordered(job_id: str) -> bool:
    return len(job_id) == 32 and job_id[12] == "7" and job_id[16] in "89ab"

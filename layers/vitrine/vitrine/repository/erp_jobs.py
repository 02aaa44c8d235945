"""Access patterns: ERP jobs and their item results.

A job item counts what became of its items; a chunk's counts are added to it in one ``UpdateItem`` conditioned
on the chunk not being counted yet (``chunks_done``, a string set), so a chunk SQS delivers twice is counted
once; chunks of one job applied in one SQS batch share that ``UpdateItem``. Item results live in the job's own
partition, keyed by the item's index, so the report pages in order. Both expire (TTL) after ``JOB_TTL_SECONDS``.
"""

from typing import Any

from vitrine.repository import keys, table
from vitrine.repository.table import ConditionFailed

JOB_TTL_SECONDS = 14 * 24 * 3600
COUNTERS = ("applied", "unchanged", "stale", "rejected")


def put_job(merchant_id: str, job_id: str, values: dict[str, Any]) -> None:
    table.put({"PK": keys.merchant_pk(merchant_id), "SK": keys.job_sk(job_id), "type": "erp_job", **values})


def get_job(merchant_id: str, job_id: str) -> dict[str, Any] | None:
    return table.get(keys.merchant_pk(merchant_id), keys.job_sk(job_id), consistent=True)


def recent_jobs(merchant_id: str, *, limit: int) -> list[dict[str, Any]]:
    """The merchant's latest jobs, newest first: their ids are UUIDv7s, so ``JOB#<id>`` sorts by time."""
    return table.query(keys.merchant_pk(merchant_id), sk_prefix=keys.job_sk(""), limit=limit, newest_first=True).items


def put_results(merchant_id: str, job_id: str, results: list[dict[str, Any]], *, expires_at: int) -> None:
    """Item results, keyed by index: writing one again (a redelivered chunk) replaces it with the same."""
    pk = keys.job_results_pk(merchant_id, job_id)
    table.batch_put(
        [
            {"PK": pk, "SK": keys.job_result_sk(r["index"]), "type": "erp_job_result", "expires_at": expires_at, **r}
            for r in results
        ]
    )


def results_page(
    merchant_id: str, job_id: str, *, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    page = table.query(keys.job_results_pk(merchant_id, job_id), limit=limit, cursor=cursor)
    return page.items, page.cursor


def count_chunk(merchant_id: str, job_id: str, chunk: int, counts: dict[str, int], now: str) -> dict[str, Any] | None:
    """Add a chunk's counts to its job, once: the job as it is now, or ``None`` when this chunk was counted
    before (a redelivery) or the job is gone (expired)."""
    return count_chunks(merchant_id, job_id, {chunk: counts}, now)


def count_chunks(
    merchant_id: str, job_id: str, counts_by_chunk: dict[int, dict[str, int]], now: str
) -> dict[str, Any] | None:
    """Add the counts of several chunks of one job (applied in one SQS batch) in one ``UpdateItem``, on the
    condition that none was counted yet: the job as it is now, or ``None`` when one was (then count them one by
    one, so each is counted once) or the job is gone."""
    chunks = [str(chunk) for chunk in counts_by_chunk]
    not_counted = " AND ".join(f"NOT contains(chunks_done, :c{i})" for i in range(len(chunks)))
    try:
        return table.update(
            keys.merchant_pk(merchant_id),
            keys.job_sk(job_id),
            expression="ADD chunks_done :chunks, "
            + ", ".join(f"{name} :{name}" for name in COUNTERS)
            + " SET updated_at = :now",
            values={":chunks": set(chunks), ":now": now}
            | {f":c{i}": chunk for i, chunk in enumerate(chunks)}
            | {f":{name}": sum(c.get(name, 0) for c in counts_by_chunk.values()) for name in COUNTERS},
            condition=f"attribute_exists(PK) AND {not_counted}",
        )
    except ConditionFailed:
        return None

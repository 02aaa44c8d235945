"""SQS batches with partial failures: each record is handled alone, and only the failed ones go back.

This is what Powertools' ``BatchProcessor`` + ``process_partial_response`` do for SQS, without importing
``utilities.batch`` (asyncio and every event data class: ~25 ms of each consumer's cold start). As there,
a batch where every record failed raises, so Lambda retries the whole batch and the failure is visible.
"""

from collections.abc import Callable, Mapping
from typing import Any


class BatchFailed(Exception):
    """Every record of the batch failed."""


def process_partial_batch(
    event: Mapping[str, Any], handle_record: Callable[[Mapping[str, Any]], None], logger: Any
) -> dict[str, list]:
    """Run ``handle_record`` on each record; log and report the ones that raised as ``batchItemFailures``."""
    records = event.get("Records") or []
    failures = []
    for record in records:
        try:
            handle_record(record)
        except Exception as exc:  # noqa: BLE001 - any failure of one record sends only that record back
            logger.warning("record failed", extra={"message_id": record["messageId"], "error": repr(exc)[:500]})
            failures.append({"itemIdentifier": record["messageId"]})
    if records and len(failures) == len(records):
        raise BatchFailed(f"all {len(records)} records failed")
    return {"batchItemFailures": failures}

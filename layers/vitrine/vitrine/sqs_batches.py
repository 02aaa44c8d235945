"""SQS batches with partial failures: only the records that failed go back to the queue.

This is what Powertools' ``BatchProcessor`` + ``process_partial_response`` do for SQS, without importing
``utilities.batch`` (asyncio and every event data class: ~25 ms of each consumer's cold start). As there,
a batch where every record failed raises, so Lambda retries the whole batch and the failure is visible.

Two modes: ``process_partial_batch`` handles each record alone; ``process_whole_batch`` parses each record
alone and hands every parsed record to one call, for a consumer that saves work by applying them together.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

Parsed = TypeVar("Parsed")


class BatchFailed(Exception):
    """Every record of the batch failed."""


@dataclass(frozen=True)
class ParsedRecord(Generic[Parsed]):
    """A record's SQS message id and what its body parsed to."""

    message_id: str
    item: Parsed


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
            failures.append(_failed(record, exc, logger))
    return _report(records, failures)


def process_whole_batch(
    event: Mapping[str, Any],
    parse_record: Callable[[Mapping[str, Any]], Parsed],
    handle_batch: Callable[[list[ParsedRecord[Parsed]]], Iterable[str]],
    logger: Any,
) -> dict[str, list]:
    """Parse each record with ``parse_record`` (one that raises fails alone), then give ``handle_batch`` every
    parsed record at once. It answers the message ids it could not apply (logging why); if it raises, the whole
    batch goes back."""
    records = event.get("Records") or []
    parsed: list[ParsedRecord[Parsed]] = []
    failures = []
    for record in records:
        try:
            parsed.append(ParsedRecord(record["messageId"], parse_record(record)))
        except Exception as exc:  # noqa: BLE001 - a record that does not parse goes back alone
            failures.append(_failed(record, exc, logger))
    if parsed:
        failures += handle_batch(parsed)
    return _report(records, failures)


def _failed(record: Mapping[str, Any], exc: Exception, logger: Any) -> str:
    logger.warning("record failed", extra={"message_id": record["messageId"], "error": repr(exc)[:500]})
    return record["messageId"]


def _report(records: list, failures: list[str]) -> dict[str, list]:
    if records and len(failures) == len(records):
        raise BatchFailed(f"all {len(records)} records failed")
    return {"batchItemFailures": [{"itemIdentifier": message_id} for message_id in failures]}

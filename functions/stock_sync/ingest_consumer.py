"""ERP ingest consumer: applies the queued chunks of ERP jobs (``vitrine.erp.apply``), those of one SQS batch
together where that saves write requests; a chunk that fails goes back to the queue alone (partial batch
failure) and, after 5 receives, to the DLQ."""

from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from pydantic import ValidationError

from vitrine.erp.apply import QueuedChunk, apply_chunks
from vitrine.sqs_batches import BatchFailed

logger = Logger()
metrics = Metrics()


def record_handler(record: Mapping[str, Any]) -> QueuedChunk:
    """A record's own part: its chunk, parsed. Applying happens for the whole batch at once (``handler``)."""
    return QueuedChunk.model_validate_json(record["body"])


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict, context: object) -> dict:
    records = event.get("Records") or []
    failures: list[str] = []
    parsed: list[tuple[str, QueuedChunk]] = []
    for record in records:
        try:
            parsed.append((record["messageId"], record_handler(record)))
        except ValidationError as exc:
            logger.warning("record failed", extra={"message_id": record["messageId"], "error": repr(exc)[:500]})
            failures.append(record["messageId"])
    summaries = apply_chunks([chunk for _, chunk in parsed])
    for (message_id, chunk), summary in zip(parsed, summaries, strict=True):
        where = {"message_id": message_id, "job_id": chunk.job_id, "merchant_id": chunk.merchant_id}
        if isinstance(summary, Exception):
            logger.warning("record failed", extra={**where, "error": repr(summary)[:500]})
            failures.append(message_id)
            continue
        counts = {"counts": summary.counts, "counted": summary.counted}
        logger.info("erp chunk applied", extra={**where, "kind": chunk.kind.value, "chunk": chunk.chunk, **counts})
        if summary.counted:
            for status, count in summary.counts.items():
                metrics.add_metric(name=f"ErpItems{status.capitalize()}", unit=MetricUnit.Count, value=count)
    # As ``process_partial_batch``: a batch whose every record failed raises, so Lambda retries it visibly.
    if records and len(failures) == len(records):
        raise BatchFailed(f"all {len(records)} records failed")
    return {"batchItemFailures": [{"itemIdentifier": message_id} for message_id in failures]}

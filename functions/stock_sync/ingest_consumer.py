"""ERP ingest consumer: applies the queued chunks of ERP jobs (``vitrine.erp.apply``), those of one SQS batch
together where that saves write requests; a chunk that fails goes back to the queue alone (partial batch
failure) and, after 5 receives, to the DLQ."""

from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

from vitrine.erp.apply import QueuedChunk, apply_chunks
from vitrine.sqs_batches import ParsedRecord, process_whole_batch

logger = Logger()
metrics = Metrics()


def record_handler(record: Mapping[str, Any]) -> QueuedChunk:
    """A record's own part: its chunk, parsed. Applying happens for the whole batch at once (``apply_batch``)."""
    return QueuedChunk.model_validate_json(record["body"])


def apply_batch(records: list[ParsedRecord[QueuedChunk]]) -> list[str]:
    """Apply the batch's chunks together; the message ids of those that failed, each logged with its job."""
    failed = []
    for record, summary in zip(records, apply_chunks([record.item for record in records]), strict=True):
        chunk = record.item
        where = {"message_id": record.message_id, "job_id": chunk.job_id, "merchant_id": chunk.merchant_id}
        if isinstance(summary, Exception):
            logger.warning("record failed", extra={**where, "error": repr(summary)[:500]})
            failed.append(record.message_id)
            continue
        counts = {"counts": summary.counts, "counted": summary.counted}
        logger.info("erp chunk applied", extra={**where, "kind": chunk.kind.value, "chunk": chunk.chunk, **counts})
        if summary.counted:
            for status, count in summary.counts.items():
                metrics.add_metric(name=f"ErpItems{status.capitalize()}", unit=MetricUnit.Count, value=count)
    return failed


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict, context: object) -> dict:
    return process_whole_batch(event, record_handler, apply_batch, logger)

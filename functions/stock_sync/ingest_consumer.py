"""ERP ingest consumer: applies each queued chunk of an ERP job once (``vitrine.erp.apply``); a chunk that fails
goes back to the queue alone (partial batch failure) and, after 5 receives, to the DLQ."""

from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

from vitrine.erp.apply import QueuedChunk, apply_chunk
from vitrine.sqs_batches import process_partial_batch

logger = Logger()
metrics = Metrics()


def record_handler(record: Mapping[str, Any]) -> None:
    chunk = QueuedChunk.model_validate_json(record["body"])
    logger.append_keys(job_id=chunk.job_id, merchant_id=chunk.merchant_id)
    summary = apply_chunk(chunk)
    logger.info(
        "erp chunk applied",
        extra={"kind": chunk.kind.value, "chunk": chunk.chunk, "counts": summary.counts, "counted": summary.counted},
    )
    if summary.counted:
        for status, count in summary.counts.items():
            metrics.add_metric(name=f"ErpItems{status.capitalize()}", unit=MetricUnit.Count, value=count)


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict, context: object) -> dict:
    return process_partial_batch(event, record_handler, logger)

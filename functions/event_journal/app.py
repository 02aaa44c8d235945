"""Event journal consumer: every domain event from the bus, written once to its merchant's journal."""

from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

from vitrine.events.bus import BusEvent
from vitrine.events.journal import journal_event
from vitrine.sqs_batches import process_partial_batch

logger = Logger()
metrics = Metrics()


def record_handler(record: Mapping[str, Any]) -> None:
    event = BusEvent.model_validate_json(record["body"])
    first_time = journal_event(event.detail)
    logger.info(
        "journaled",
        extra={
            "event_id": event.detail.id,
            "event_type": event.detail.type,
            "merchant_id": event.detail.merchant_id,
            "duplicate": not first_time,
        },
    )
    if first_time:
        metrics.add_metric(name="EventsJournaled", unit=MetricUnit.Count, value=1)


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict, context: object) -> dict:
    return process_partial_batch(event, record_handler, logger)

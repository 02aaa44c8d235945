"""Outbound webhook fan-out: each domain event from the bus becomes one queued delivery per subscribed endpoint.

The bus rule only sends the event types endpoints can subscribe to. Recording is idempotent by event id and
endpoint id (``vitrine.webhooks.deliveries``), so the bus's or SQS's second copy of an event queues nothing new.
"""

from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

from vitrine.events.bus import BusEvent
from vitrine.sqs_batches import process_partial_batch
from vitrine.webhooks import deliveries

logger = Logger()
metrics = Metrics()


def record_handler(record: Mapping[str, Any]) -> None:
    event = BusEvent.model_validate_json(record["body"])
    queued = deliveries.fan_out(event.detail)
    logger.info(
        "fanned out",
        extra={
            "event_id": event.detail.id,
            "event_type": event.detail.type,
            "merchant_id": event.detail.merchant_id,
            "deliveries_queued": len(queued),
        },
    )
    if queued:
        metrics.add_metric(name="WebhookDeliveriesQueued", unit=MetricUnit.Count, value=len(queued))


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict, context: object) -> dict:
    return process_partial_batch(event, record_handler, logger)

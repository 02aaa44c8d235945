"""Gateway webhook consumer: records each queued notification once, by the gateway's webhook id.

The payments work (fetching the charge from the gateway, moving the order) builds on this inbox.
"""

import json
from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from pydantic import BaseModel, ConfigDict, Field

from vitrine.repository import inbox
from vitrine.sqs_batches import process_partial_batch

logger = Logger()
metrics = Metrics()


class QueuedWebhook(BaseModel):
    model_config = ConfigDict(extra="forbid")

    provider: str
    received_at: str
    headers: dict[str, str]
    body: str


class GatewayNotification(BaseModel):
    """The part of a pagar.me v5 webhook body every event type shares."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(min_length=1, max_length=100)
    type: str = Field(min_length=1, max_length=100)
    data: dict


def record_handler(record: Mapping[str, Any]) -> None:
    queued = QueuedWebhook.model_validate_json(record["body"])
    notification = GatewayNotification.model_validate_json(queued.body)
    first_time = inbox.record_webhook(
        queued.provider,
        notification.id,
        event_type=notification.type,
        payload=json.loads(queued.body),
        received_at=queued.received_at,
    )
    logger.info(
        "gateway webhook",
        extra={"webhook_id": notification.id, "event_type": notification.type, "duplicate": not first_time},
    )
    metrics.add_metric(
        name="GatewayWebhooksRecorded" if first_time else "GatewayWebhooksDuplicate",
        unit=MetricUnit.Count,
        value=1,
    )


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict, context: object) -> dict:
    return process_partial_batch(event, record_handler, logger)

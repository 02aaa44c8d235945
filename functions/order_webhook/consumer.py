"""Gateway webhook consumer: each queued notification is applied once, by the gateway's webhook id.

The notification only names a charge; ``vitrine.orders.gateway_sync`` reads the charge from the gateway and
moves the order by what the gateway says. A failure (the gateway or DynamoDB unavailable) fails only that
record, which SQS delivers again and, after the queue's retries, leaves in the DLQ intact; the webhook is
recorded in the inbox only once it was applied, so a retry is never mistaken for a duplicate.
"""

import json
from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from pydantic import ConfigDict, Field

from vitrine.lazy_models import LazyModel
from vitrine.repository import inbox
from vitrine.sqs_batches import process_partial_batch

logger = Logger()
metrics = Metrics()


class QueuedWebhook(LazyModel):
    model_config = ConfigDict(extra="forbid")

    provider: str
    received_at: str
    headers: dict[str, str]
    body: str


class GatewayNotification(LazyModel):
    """The part of a pagar.me v5 webhook body every event type shares."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(min_length=1, max_length=100)
    type: str = Field(min_length=1, max_length=100)
    data: dict

    @property
    def charge_id(self) -> str | None:
        """The charge it is about: ``charge.*`` carries the charge, ``order.*`` the order and its charges."""
        if self.type.startswith("charge."):
            return self.data.get("id")
        if self.type.startswith("order."):
            charges = self.data.get("charges") or []
            return charges[-1].get("id") if charges else None
        return None


def record_handler(record: Mapping[str, Any]) -> None:
    queued = QueuedWebhook.model_validate_json(record["body"])
    notification = GatewayNotification.model_validate_json(queued.body)
    if inbox.get_webhook(queued.provider, notification.id) is not None:
        logger.info("gateway webhook", extra={"webhook_id": notification.id, "duplicate": True})
        metrics.add_metric(name="GatewayWebhooksDuplicate", unit=MetricUnit.Count, value=1)
        return
    charge_id = notification.charge_id
    order = None
    if charge_id:
        # Here, not at the top: the order rules and the gateway adapter (the state machine, the event models,
        # the ledger: ~50 ms of CPU at a cold start) are for notifications that name a charge.
        from vitrine.orders import gateway_sync
        from vitrine.payments.pagarme import get_gateway

        order = gateway_sync.sync_charge(get_gateway(), charge_id)
    inbox.record_webhook(
        queued.provider,
        notification.id,
        event_type=notification.type,
        payload=json.loads(queued.body),
        received_at=queued.received_at,
    )
    logger.info(
        "gateway webhook",
        extra={
            "webhook_id": notification.id,
            "event_type": notification.type,
            "charge_id": charge_id,
            "order_id": order and order.order_id,
            "order_status": order and order.status,
        },
    )
    metrics.add_metric(name="GatewayWebhooksApplied", unit=MetricUnit.Count, value=1)


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict, context: object) -> dict:
    return process_partial_batch(event, record_handler, logger)

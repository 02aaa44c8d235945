"""Gateway webhook consumer: each queued notification is applied once, by the gateway's webhook id
(``vitrine.orders.gateway_notifications``).

A failure (the gateway or DynamoDB unavailable) fails only that record, which SQS delivers again and, after the
queue's retries, leaves in the DLQ intact.
"""

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from pydantic import ConfigDict

from vitrine.lazy_models import LazyModel
from vitrine.orders.gateway_notifications import BatchChargeReads, apply_gateway_notification
from vitrine.sqs_batches import process_partial_batch

if TYPE_CHECKING:
    from vitrine.payments.port import PaymentGateway

logger = Logger()
metrics = Metrics()


class QueuedWebhook(LazyModel):
    model_config = ConfigDict(extra="forbid")

    provider: str
    received_at: str
    headers: dict[str, str]
    body: str


def _gateway() -> "PaymentGateway":
    # Here, not at the top: the gateway adapter is for notifications that name a charge.
    from vitrine.payments.pagarme import get_gateway

    return get_gateway()


def record_handler(record: Mapping[str, Any], gateway: "Callable[[], PaymentGateway]" = _gateway) -> None:
    queued = QueuedWebhook.model_validate_json(record["body"])
    applied = apply_gateway_notification(gateway, queued.provider, queued.body, received_at=queued.received_at)
    notification, order = applied.notification, applied.order
    if applied.duplicate:
        logger.info("gateway webhook", extra={"webhook_id": notification.id, "duplicate": True})
        metrics.add_metric(name="GatewayWebhooksDuplicate", unit=MetricUnit.Count, value=1)
        return
    logger.info(
        "gateway webhook",
        extra={
            "webhook_id": notification.id,
            "event_type": notification.type,
            "charge_id": notification.charge_id,
            "order_id": order and order.order_id,
            "order_status": order and order.status,
        },
    )
    metrics.add_metric(name="GatewayWebhooksApplied", unit=MetricUnit.Count, value=1)


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict, context: object) -> dict:
    gateway = BatchChargeReads(_gateway)  # one read of each charge per batch (gateway_notifications)
    return process_partial_batch(event, lambda record: record_handler(record, gateway), logger)

"""Outbound webhook delivery: one queued delivery per message, POSTed signed; a failure waits out its backoff.

A failed attempt hides its message for the delivery's next backoff (``ChangeMessageVisibility``) and fails the
record, so SQS receives it again then, and moves it to the DLQ after the queue's ``maxReceiveCount``. The rules
live in ``vitrine.webhooks.deliveries``.
"""

from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

from vitrine.sqs_batches import process_partial_batch
from vitrine.webhooks import delivery_queue
from vitrine.webhooks.deliveries import attempt_delivery
from vitrine.webhooks.delivery_queue import DeliveryMessage

logger = Logger()
metrics = Metrics()


class DeliveryAttemptFailed(Exception):
    """The endpoint did not acknowledge (non-2xx, timeout, refused): SQS tries again after the backoff."""


def record_handler(record: Mapping[str, Any]) -> None:
    message = DeliveryMessage.model_validate_json(record["body"])
    receive_count = int(record["attributes"]["ApproximateReceiveCount"])
    outcome = attempt_delivery(message, receive_count)
    logger.info(
        "webhook delivery",
        extra={
            "delivery_id": message.delivery_id,
            "merchant_id": message.merchant_id,
            "result": outcome.result,
            "status_code": outcome.status_code,
            "attempt": receive_count,
            "retry_after": outcome.retry_after,
        },
    )
    metrics.add_metric(name=f"WebhookDeliveries_{outcome.result}", unit=MetricUnit.Count, value=1)
    if not outcome.failed:
        return
    if outcome.retry_after is not None:
        delivery_queue.delay_next_receive(record["receiptHandle"], outcome.retry_after)
    raise DeliveryAttemptFailed(f"{message.delivery_id}: attempt {receive_count} got {outcome.status_code}")


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict, context: object) -> dict:
    return process_partial_batch(event, record_handler, logger)

"""Notifier: the shopper's (and the merchant's) messages at each order status, from the bus through SQS.

Each record is an EventBridge event: a Vitrine event (``vitrine.*``, its messages sent once per channel by
``vitrine.messaging``), or SES's ``Email Bounced``/``Email Complained`` (``aws.ses``, the address suppressed). A
send a provider throttled or could not take hides its SQS message for the backoff the provider asked for
(``ChangeMessageVisibility``) and fails the record, so SQS delivers it again then; after the queue's
``maxReceiveCount`` it rests in the DLQ, whose alarm fires.
"""

import json
from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

from vitrine.sqs_batches import process_partial_batch

logger = Logger()
metrics = Metrics()


def record_handler(record: Mapping[str, Any]) -> None:
    raw = json.loads(record["body"])
    if raw.get("source") == "aws.ses":
        from vitrine.messaging.statuses import apply_ses_event

        applied = apply_ses_event(raw.get("detail") or {})
        logger.info("ses event", extra={"detail_type": raw.get("detail-type"), "applied": applied})
        return
    from vitrine.events.bus import BusEvent
    from vitrine.messaging.dispatch import SendLater
    from vitrine.messaging.handling import handle_event
    from vitrine.messaging.settings import providers

    event = BusEvent.model_validate(raw)
    attempt = int(record.get("attributes", {}).get("ApproximateReceiveCount", "1"))
    try:
        outcome = handle_event(event.detail, providers(), attempt=attempt)
    except SendLater as exc:
        from vitrine.queues import delay_next_receive

        logger.warning(
            "messages to send again", extra={"event_id": event.detail.id, "delay": exc.delay, "why": str(exc)}
        )
        metrics.add_metric(name="MessagesDeferred", unit=MetricUnit.Count, value=1)
        delay_next_receive(_queue_url(), record["receiptHandle"], exc.delay)
        raise
    logger.info(
        "messages",
        extra={
            "event_id": event.detail.id,
            "event_type": event.detail.type,
            "merchant_id": event.detail.merchant_id,
            "sent": outcome.sent,
            "skipped": outcome.skipped,
            "fell_back": outcome.fell_back,
        },
    )
    metrics.add_metric(name="MessagesSent", unit=MetricUnit.Count, value=outcome.sent)


def _queue_url() -> str:
    import os

    return os.environ["NOTIFIER_QUEUE_URL"]


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict, context: object) -> dict:
    return process_partial_batch(event, record_handler, logger)

"""Loyalty consumer: each order event (invoiced, cancelled, refunded, partial refund) from the bus moves the order's
loyalty ledger and sends the partner what it owes (``vitrine.loyalty.accrual``).

Exactly once by the order id and event: the ledger records each accrual and reversal with its idempotency key in a
conditional write before it is sent, so a duplicated or reordered event records nothing new. A partner outage fails
the record: SQS delivers it again (the pending operation is re-sent with the same key), then the DLQ, whose alarm
fires.
"""

from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

from vitrine.events.bus import BusEvent
from vitrine.loyalty.accrual import apply_order_event
from vitrine.sqs_batches import process_partial_batch

logger = Logger()
metrics = Metrics()


def record_handler(record: Mapping[str, Any]) -> None:
    event = BusEvent.model_validate_json(record["body"])
    ledger = apply_order_event(event.detail)
    if ledger is None:
        return
    logger.info(
        "loyalty applied",
        extra={
            "event_id": event.detail.id,
            "event_type": event.detail.type,
            "merchant_id": event.detail.merchant_id,
            "order_id": ledger.order_id,
            "accrued": ledger.accrued,
            "reversed": ledger.reversed,
            "skipped": ledger.skipped,
        },
    )
    metrics.add_metric(name="LoyaltyEventsApplied", unit=MetricUnit.Count, value=1)


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict, context: object) -> dict:
    return process_partial_batch(event, record_handler, logger)

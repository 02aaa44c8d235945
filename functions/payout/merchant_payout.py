"""One merchant's payout (``vitrine.payouts.runs.pay_out``) or reconciliation (``.reconciliation``) per message, safe
to deliver twice: a message whose day
was paid already does nothing. A failure (the gateway or DynamoDB unavailable, the cursor moved meanwhile) fails
only its record, which SQS delivers again and, after five tries, leaves in the DLQ with an alarm."""

from collections.abc import Mapping
from datetime import date
from typing import Any, Literal

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from pydantic import ConfigDict

from vitrine.ids import MerchantId
from vitrine.lazy_models import LazyModel
from vitrine.payouts.runs import pay_out
from vitrine.sqs_batches import process_partial_batch

logger = Logger()
metrics = Metrics()


class PayoutMessage(LazyModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["payout", "reconcile"] = "payout"
    merchant_id: MerchantId
    scheduled_on: date


def record_handler(record: Mapping[str, Any]) -> None:
    from vitrine.payments.pagarme import get_gateway

    message = PayoutMessage.model_validate_json(record["body"])
    if message.kind == "reconcile":
        from vitrine.payouts.reconciliation import reconcile

        result = reconcile(get_gateway(), message.merchant_id, message.scheduled_on)
        if result is not None:
            metrics.add_metric(
                name="MerchantsOutOfBalance",
                unit=MetricUnit.Count,
                value=int(bool(result.difference or result.days_differing)),
            )
        return
    outcome = pay_out(get_gateway(), message.merchant_id, message.scheduled_on)
    logger.info("merchant payout", extra={"merchant_id": outcome.merchant_id, "action": outcome.action})
    metrics.add_metric(name=f"Payouts{outcome.action.title().replace('_', '')}", unit=MetricUnit.Count, value=1)
    if outcome.action == "paid":
        metrics.add_metric(name="PayoutCentavos", unit=MetricUnit.Count, value=outcome.amount)


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict, context: object) -> dict:
    return process_partial_batch(event, record_handler, logger)

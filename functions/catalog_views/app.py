"""Catalog read-model consumer: each domain event that changes what a published catalog shows (products, prices,
stock levels, a checkout's reservation and its release, catalog edits, publish and unpublish, the shop's profile),
applied to the catalogs' read models (``vitrine.catalogs.read_model_events``).

Idempotent without a record of its own: every change is recomputed from the table as it is now, so a redelivered
or late event rewrites nothing or brings the view to the newest state (see ``read_model_updates``).
"""

from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

from vitrine.catalogs.read_model_events import apply_event
from vitrine.events.bus import BusEvent
from vitrine.sqs_batches import process_partial_batch

logger = Logger()
metrics = Metrics()


def record_handler(record: Mapping[str, Any]) -> None:
    event = BusEvent.model_validate_json(record["body"])
    changed = apply_event(event.detail)
    logger.info(
        "catalog views updated",
        extra={
            "event_id": event.detail.id,
            "event_type": event.detail.type,
            "merchant_id": event.detail.merchant_id,
            "changed": changed,
        },
    )
    metrics.add_metric(name="CatalogViewChanges", unit=MetricUnit.Count, value=changed)


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict, context: object) -> dict:
    return process_partial_batch(event, record_handler, logger)

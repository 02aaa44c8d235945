"""Scheduled stock work. EventBridge Scheduler invokes this with ``{"job": ..., "scheduled_time": ...}``."""

import stock_jobs
from aws_lambda_powertools import Logger, Metrics

from vitrine.schedules.runner import handle_schedule

logger = Logger()
metrics = Metrics()

JOBS = {
    "release_expired_reservations": stock_jobs.release_expired_reservations,
    "sync_erp_connectors": stock_jobs.sync_erp_connectors,
}


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict, context: object) -> dict:
    return handle_schedule(event, context, JOBS, logger)

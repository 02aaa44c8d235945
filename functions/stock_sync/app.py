"""Scheduled stock work. EventBridge Scheduler invokes this with ``{"job": ..., "scheduled_time": ...}``."""

import stock_jobs
from aws_lambda_powertools import Logger, Metrics

from vitrine.schedules.runner import run_scheduled_job

logger = Logger()
metrics = Metrics()

JOBS = {
    "release_expired_reservations": stock_jobs.release_expired_reservations,
    "sync_erp_connectors": stock_jobs.sync_erp_connectors,
}


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict, context: object) -> dict:
    # The lease outlives the function's timeout, so only a dead run can be claimed again.
    lease = context.get_remaining_time_in_millis() // 1000 + 30
    result = run_scheduled_job(event, JOBS, lease_seconds=lease)
    logger.info("scheduled job", extra=result)
    return result

"""Payout batches: once a day, pay out every merchant whose payout cadence (weekly/daily/monthly) is due."""

import payout_jobs
from aws_lambda_powertools import Logger, Metrics

from vitrine.schedules.runner import run_scheduled_job

logger = Logger()
metrics = Metrics()

JOBS = {"run_due_payouts": payout_jobs.run_due_payouts}


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict, context: object) -> dict:
    lease = context.get_remaining_time_in_millis() // 1000 + 30
    result = run_scheduled_job(event, JOBS, lease_seconds=lease)
    logger.info("scheduled job", extra=result)
    return result

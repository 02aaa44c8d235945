"""Payout batches: once a day, pay out every merchant whose payout cadence (weekly/daily/monthly) is due."""

import payout_jobs
from aws_lambda_powertools import Logger, Metrics

from vitrine.schedules.runner import handle_schedule

logger = Logger()
metrics = Metrics()

JOBS = {"run_due_payouts": payout_jobs.run_due_payouts}


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict, context: object) -> dict:
    return handle_schedule(event, context, JOBS, logger)

"""Payout schedule: once a day the ``run_due_payouts`` job runs, once per scheduled time.

It pays nothing out yet: receivables, recipients and transfers are not built, so the job records its run and
reports ``merchants_paid: 0`` (``payout_jobs.py``). The schedule, its once-per-time record and its DLQ are real.
"""

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

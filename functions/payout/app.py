"""Payout schedule: once a day the ``run_due_payouts`` job runs, once per scheduled time.

It finds the merchants whose schedule pays that day (``vitrine.payouts.runs.due_merchants``: the due index, no scan)
and queues one message per merchant (``SendMessageBatch``, ten at a time), so that ten thousand merchants are paid
by ``MerchantPayoutFunction`` in parallel, each on its own retries and DLQ, rather than in one 15-minute run. The
daily ``reconcile_payouts`` queues every merchant with a recipient the same way (``vitrine.payouts.reconciliation``).
"""

import payout_jobs
from aws_lambda_powertools import Logger, Metrics

from vitrine.schedules.runner import handle_schedule

logger = Logger()
metrics = Metrics()

JOBS = {"run_due_payouts": payout_jobs.run_due_payouts, "reconcile_payouts": payout_jobs.reconcile_payouts}


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict, context: object) -> dict:
    return handle_schedule(event, context, JOBS, logger)

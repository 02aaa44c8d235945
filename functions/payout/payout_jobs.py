"""Payout jobs: the daily run queues one payout per merchant due (each message: the merchant and the run's day)."""

import json
import os

from vitrine.ledger.rules import business_day
from vitrine.payouts.runs import due_merchants
from vitrine.queues import send_batch
from vitrine.schedules.runner import ScheduledInvocation


def run_due_payouts(invocation: ScheduledInvocation) -> dict:
    scheduled_on = business_day(invocation.scheduled_time)
    merchants = due_merchants(scheduled_on)
    bodies = [json.dumps({"merchant_id": merchant, "scheduled_on": scheduled_on.isoformat()}) for merchant in merchants]
    if bodies:
        send_batch(os.environ["PAYOUT_QUEUE_URL"], bodies)
    return {"scheduled_on": scheduled_on.isoformat(), "merchants_queued": len(bodies)}

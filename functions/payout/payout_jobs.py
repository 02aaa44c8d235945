"""Payout jobs: the daily run queues one payout per merchant due, and the daily reconciliation one check per merchant
with a recipient (each message: what to do, the merchant and the day)."""

import json
import os

from vitrine.ledger.rules import business_day
from vitrine.payouts.reconciliation import merchants_to_reconcile
from vitrine.payouts.runs import due_merchants
from vitrine.queues import send_batch
from vitrine.schedules.runner import ScheduledInvocation


def run_due_payouts(invocation: ScheduledInvocation) -> dict:
    scheduled_on = business_day(invocation.scheduled_time)
    merchants = due_merchants(scheduled_on)
    return _queue("payout", merchants, scheduled_on.isoformat())


def reconcile_payouts(invocation: ScheduledInvocation) -> dict:
    return _queue("reconcile", merchants_to_reconcile(), business_day(invocation.scheduled_time).isoformat())


def _queue(kind: str, merchants: list[str], day: str) -> dict:
    bodies = [json.dumps({"kind": kind, "merchant_id": merchant, "scheduled_on": day}) for merchant in merchants]
    if bodies:
        send_batch(os.environ["PAYOUT_QUEUE_URL"], bodies)
    return {"scheduled_on": day, "merchants_queued": len(bodies)}

"""Payout jobs. Receivables come from the payments ledger; until it exists there is nothing to pay out."""

from vitrine.schedules.runner import ScheduledInvocation


def run_due_payouts(invocation: ScheduledInvocation) -> dict:
    return {"merchants_paid": 0}

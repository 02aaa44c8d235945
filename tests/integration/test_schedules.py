"""Scheduled functions run each job once per scheduled time, and finish what a dead run left."""

import pytest
from lambda_harness import handler_of

from local_stack.lambda_context import LambdaContext
from vitrine.errors import InvalidInput
from vitrine.repository import schedule_runs


def invoke(function: str, job: str, at: str) -> dict:
    return handler_of(function)({"job": job, "scheduled_time": at}, LambdaContext())


@pytest.mark.parametrize(
    ("function", "job"),
    [
        ("StockSyncFunction", "release_expired_reservations"),
        ("StockSyncFunction", "sync_erp_connectors"),
        ("PayoutFunction", "run_due_payouts"),
    ],
)
def test_a_schedule_delivered_twice_runs_its_job_once(stack, function, job):
    first = invoke(function, job, "2026-11-23T06:00:00Z")
    assert "skipped" not in first
    assert invoke(function, job, "2026-11-23T06:00:00Z")["skipped"] == "already run or running"
    assert "skipped" not in invoke(function, job, "2026-11-23T06:03:00Z")
    run = schedule_runs.get_run(job, "2026-11-23T06:00:00Z")
    assert run["status"] == "completed" and run["attempts"] == 1


def test_a_run_whose_worker_died_is_claimed_again_after_its_lease(stack):
    at = "2026-11-23T07:00:00Z"
    assert schedule_runs.claim_run("release_expired_reservations", at, lease_seconds=-1)  # died, lease over
    result = invoke("StockSyncFunction", "release_expired_reservations", at)
    assert "skipped" not in result
    assert schedule_runs.get_run("release_expired_reservations", at)["attempts"] == 2


def test_a_run_still_holding_its_lease_is_not_run_twice(stack):
    at = "2026-11-23T08:00:00Z"
    assert schedule_runs.claim_run("sync_erp_connectors", at, lease_seconds=300)
    assert invoke("StockSyncFunction", "sync_erp_connectors", at)["skipped"] == "already run or running"


def test_an_unknown_job_or_bad_input_is_refused(stack):
    with pytest.raises(InvalidInput, match="unknown job"):
        invoke("StockSyncFunction", "run_due_payouts", "2026-11-23T06:00:00Z")
    with pytest.raises(ValueError):
        invoke("PayoutFunction", "run_due_payouts", "yesterday")

"""Run a scheduled job at most once per scheduled time (see ``repository.schedule_runs``)."""

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from vitrine.errors import InvalidInput
from vitrine.repository import schedule_runs


class ScheduledInvocation(BaseModel):
    """The ``Input`` of a template schedule, after the scheduler filled in its context attributes."""

    model_config = ConfigDict(extra="forbid")

    job: str = Field(pattern=r"^[a-z_]+$")
    scheduled_time: AwareDatetime


Job = Callable[[ScheduledInvocation], dict[str, Any]]


def run_scheduled_job(event: Mapping[str, Any], jobs: Mapping[str, Job], *, lease_seconds: int) -> dict[str, Any]:
    invocation = ScheduledInvocation.model_validate(event)
    job = jobs.get(invocation.job)
    if job is None:
        raise InvalidInput(f"unknown job {invocation.job!r}; this function runs {sorted(jobs)}")
    at = invocation.scheduled_time.isoformat().replace("+00:00", "Z")
    if not schedule_runs.claim_run(invocation.job, at, lease_seconds=lease_seconds):
        return {"job": invocation.job, "scheduled_time": at, "skipped": "already run or running"}
    outcome = job(invocation)
    schedule_runs.complete_run(invocation.job, at, outcome)
    return {"job": invocation.job, "scheduled_time": at, **outcome}


def handle_schedule(event: Mapping[str, Any], context: Any, jobs: Mapping[str, Job], logger: Any) -> dict[str, Any]:
    """The whole body of a scheduled function's handler: run the job once, log what it did."""
    # The lease outlives the function's timeout, so only a dead run can be claimed again.
    lease = context.get_remaining_time_in_millis() // 1000 + 30
    result = run_scheduled_job(event, jobs, lease_seconds=lease)
    logger.info("scheduled job", extra=result)
    return result

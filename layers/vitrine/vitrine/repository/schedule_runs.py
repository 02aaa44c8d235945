"""Access patterns: scheduled runs, claimed per job and period so a redelivered schedule does its work once.

A run is claimed with a lease: a second delivery while the first runs is turned away, a completed run is
never repeated, and a run whose worker died (lease expired, not completed) can be claimed again by the
scheduler's retry and finish the work (every job is idempotent step by step).
"""

import time
from typing import Any

from vitrine.repository import keys, table
from vitrine.repository.table import ConditionFailed

RUN_RETENTION_SECONDS = 14 * 24 * 3600


def claim_run(job: str, scheduled_time: str, *, lease_seconds: int, execution_id: str | None = None) -> bool:
    now = int(time.time())
    try:
        table.update(
            keys.schedule_run_pk(job),
            keys.schedule_run_sk(scheduled_time),
            expression=(
                "SET #status = :running, lease_until = :lease, job = :job, scheduled_time = :at, "
                "execution_id = :exec, #type = :type, expires_at = :expires, "
                "attempts = if_not_exists(attempts, :zero) + :one"
            ),
            names={"#status": "status", "#type": "type"},
            values={
                ":running": "running",
                ":lease": now + lease_seconds,
                ":job": job,
                ":at": scheduled_time,
                ":exec": execution_id or "",
                ":type": "schedule_run",
                ":expires": now + RUN_RETENTION_SECONDS,
                ":zero": 0,
                ":one": 1,
                ":now": now,
            },
            condition="attribute_not_exists(PK) OR (#status = :running AND lease_until < :now)",
        )
    except ConditionFailed:
        return False
    return True


def complete_run(job: str, scheduled_time: str, outcome: dict[str, Any]) -> None:
    table.update(
        keys.schedule_run_pk(job),
        keys.schedule_run_sk(scheduled_time),
        expression="SET #status = :completed, outcome = :outcome REMOVE lease_until",
        names={"#status": "status"},
        values={":completed": "completed", ":outcome": outcome},
    )


def get_run(job: str, scheduled_time: str) -> dict[str, Any] | None:
    return table.get(keys.schedule_run_pk(job), keys.schedule_run_sk(scheduled_time), consistent=True)

"""The template's EventBridge Scheduler schedules (ScheduleV2 events), fired on a timer or on demand.

A rate schedule first fires one period after it starts, then every period, as EventBridge Scheduler does.
Each firing invokes the function with the schedule's Input after substituting the context attributes
(``<aws.scheduler.scheduled-time>``, ``<aws.scheduler.execution-id>``, ``<aws.scheduler.schedule-arn>``,
``<aws.scheduler.attempt-number>``).

``fire(name, as_of=day)`` (``vitrine-local fire <schedule> --as-of aaaa-mm-dd``) fires a schedule as if Scheduler had
fired it on that day (at this hour). A day already begun: a day missed, or run again (every job is safe to repeat).
A day ahead: the stack's money clock (``local_stack.clock``, ``vitrine.clock``) moves forward to it first, every
function's and the sandbox gateway's at once, and stays there, so what is booked afterwards is booked on that day
and no entry can fall behind the payout cursor the run moves (``vitrine.payouts.runs``). Without a clock (a
scheduler built alone) a day ahead is refused: ``AheadOfToday``.

Local deviations: a firing whose function fails is logged, not retried by the schedule's RetryPolicy nor
sent to its DeadLetterConfig; a firing missed while the machine slept is not made up.
"""

import json
import logging
import threading
import time
import uuid
from datetime import UTC, date, datetime
from typing import Any

from local_stack.clock import LocalClock
from local_stack.deploy import DeployedSchedule, Stack
from local_stack.workers import Invocation, Workers
from vitrine.ledger.rules import BRASILIA

log = logging.getLogger("local_stack.scheduler")


class AheadOfToday(ValueError):
    """A firing asked for a day that has not begun in Brasília."""


def scheduled_input(schedule: DeployedSchedule, scheduled_time: datetime, execution_id: str) -> Any:
    """The event a firing at ``scheduled_time`` sends: the Input with its context attributes filled in."""
    text = schedule.spec.input
    if text is None:
        return {}
    substitutions = {
        "<aws.scheduler.scheduled-time>": scheduled_time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "<aws.scheduler.execution-id>": execution_id,
        "<aws.scheduler.schedule-arn>": schedule.arn,
        "<aws.scheduler.attempt-number>": "0",
    }
    for placeholder, value in substitutions.items():
        text = text.replace(placeholder, value)
    return json.loads(text)


class Scheduler:
    def __init__(self, stack: Stack, workers: Workers, clock: "LocalClock | None" = None) -> None:
        self.schedules = stack.schedules
        self.workers = workers
        self.clock = clock
        self._wake = threading.Condition()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="scheduler", daemon=True)
        self._next: dict[str, float] = {}
        self.fired: dict[str, int] = dict.fromkeys(self.schedules, 0)
        self.last_result: dict[str, dict[str, Any]] = {}

    def find(self, name: str) -> DeployedSchedule | None:
        """A schedule by its name, its event name in the template, or its generated logical id."""
        for logical_id, schedule in self.schedules.items():
            if name in (schedule.name, schedule.spec.event, logical_id):
                return schedule
        return None

    def fire(self, name: str, as_of: date | None = None) -> dict[str, Any] | None:
        """Fire a schedule now, or as if on ``as_of`` (at this hour, Brasília's day), and wait for the function;
        None if there is no such schedule. A day ahead moves the money clock to it first (``AheadOfToday``
        without one)."""
        schedule = self.find(name)
        if schedule is None:
            return None
        now = self.clock.now() if self.clock else datetime.now(UTC)
        if as_of is None:
            return self._fire(schedule, now)
        local = now.astimezone(BRASILIA)
        if as_of > local.date():
            if self.clock is None:
                raise AheadOfToday(
                    f"{as_of} has not begun (today is {local.date()}): a job never runs ahead of its day"
                )
            self.clock.advance_to(as_of)
            return self._fire(schedule, self.clock.now())
        return self._fire(schedule, datetime.combine(as_of, local.timetz()).astimezone(UTC))

    def start(self) -> None:
        now = time.time()
        for logical_id, schedule in self.schedules.items():
            self._next[logical_id] = now + schedule.spec.period_seconds
        self._thread.start()

    def stop(self) -> None:
        with self._wake:
            self._stopping = True
            self._wake.notify_all()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def status(self) -> list[dict[str, Any]]:
        return [
            {
                "name": schedule.name,
                "logical_id": logical_id,
                "function": schedule.function,
                "expression": schedule.spec.expression,
                "next_run": _iso(self._next[logical_id]) if logical_id in self._next else None,
                "fired": self.fired[logical_id],
                "last_result": self.last_result.get(logical_id),
            }
            for logical_id, schedule in self.schedules.items()
        ]

    def _run(self) -> None:
        while True:
            with self._wake:
                if self._stopping:
                    return
                due = [(when, logical_id) for logical_id, when in self._next.items()]
                if not due:
                    self._wake.wait()
                    continue
                when, logical_id = min(due)
                delay = when - time.time()
                if delay > 0:
                    self._wake.wait(delay)
                    continue
                schedule = self.schedules[logical_id]
                self._next[logical_id] = when + schedule.spec.period_seconds
            # Scheduler invokes Lambda asynchronously: a slow run must not hold back the other schedules.
            threading.Thread(
                target=self._fire,
                args=(schedule, datetime.fromtimestamp(when, UTC)),
                name=f"schedule-{logical_id}",
                daemon=True,
            ).start()

    def _fire(self, schedule: DeployedSchedule, scheduled_time: datetime) -> dict[str, Any]:
        execution_id = str(uuid.uuid4())
        event = scheduled_input(schedule, scheduled_time, execution_id)
        invocation = self.workers.invoke(schedule.function, event)
        outcome = _outcome(schedule, execution_id, invocation)
        logical_id = schedule.spec.logical_id
        self.fired[logical_id] += 1
        self.last_result[logical_id] = outcome
        if invocation.failed:
            log.warning("schedule %s: %s failed: %s", schedule.name, schedule.function, invocation.payload)
        else:
            log.info("schedule %s: %s ran in %.0f ms", schedule.name, schedule.function, invocation.duration_ms)
        return outcome


def _outcome(schedule: DeployedSchedule, execution_id: str, invocation: Invocation) -> dict[str, Any]:
    return {
        "schedule": schedule.name,
        "function": schedule.function,
        "execution_id": execution_id,
        "request_id": invocation.request_id,
        "failed": invocation.failed,
        "result": invocation.payload,
        "duration_ms": invocation.duration_ms,
    }


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

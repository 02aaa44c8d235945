"""The events the local stack's pollers and scheduler hand to functions, and what they delete afterwards."""

import json
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from local_stack.clock import LocalClock
from local_stack.deploy import DeployedSchedule
from local_stack.pollers import failed_message_ids, lambda_sqs_event
from local_stack.scheduler import BRASILIA, AheadOfToday, Scheduler, scheduled_input
from local_stack.template import Schedule
from local_stack.workers import Invocation
from vitrine import clock as vitrine_clock
from vitrine.clock import CLOCK_FILE_VARIABLE

QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:vitrine-local-event-journal"


def received(message_id: str, **extra) -> dict:
    return {
        "MessageId": message_id,
        "ReceiptHandle": f"rh-{message_id}",
        "MD5OfBody": "md5",
        "Body": '{"a": 1}',
        "Attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1795412366912"},
        **extra,
    }


def test_received_messages_become_lambdas_sqs_records():
    message = received(
        "m1",
        MessageAttributes={
            "kind": {"StringValue": "paid", "DataType": "String"},
            "blob": {"BinaryValue": b"\x00\x01", "DataType": "Binary"},
        },
    )
    (record,) = lambda_sqs_event([message], QUEUE_ARN, "us-east-1")["Records"]
    assert record == {
        "messageId": "m1",
        "receiptHandle": "rh-m1",
        "body": '{"a": 1}',
        "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1795412366912"},
        "messageAttributes": {
            "kind": {"stringValue": "paid", "stringListValues": [], "binaryListValues": [], "dataType": "String"},
            "blob": {"binaryValue": "AAE=", "stringListValues": [], "binaryListValues": [], "dataType": "Binary"},
        },
        "md5OfBody": "md5",
        "eventSource": "aws:sqs",
        "eventSourceARN": QUEUE_ARN,
        "awsRegion": "us-east-1",
    }


def ok(payload) -> Invocation:
    return Invocation("r", payload)


BATCH = ["m1", "m2", "m3"]


def test_only_the_reported_failures_stay_on_the_queue():
    result = ok({"batchItemFailures": [{"itemIdentifier": "m2"}]})
    assert failed_message_ids(result, BATCH, reports_item_failures=True) == {"m2"}
    assert failed_message_ids(ok({"batchItemFailures": []}), BATCH, True) == set()
    assert failed_message_ids(ok(None), BATCH, True) == set()


def test_a_failed_invocation_keeps_the_whole_batch():
    failed = Invocation("r", {"errorType": "ValueError"}, function_error="Unhandled")
    assert failed_message_ids(failed, BATCH, True) == set(BATCH)
    timed_out = Invocation("r", {"errorType": "Sandbox.Timedout"}, function_error="Unhandled", timed_out=True)
    assert failed_message_ids(timed_out, BATCH, False) == set(BATCH)


def test_an_invalid_failure_report_fails_the_whole_batch():
    for payload in (
        {"batchItemFailures": [{"itemIdentifier": "not-in-batch"}]},
        {"batchItemFailures": [{"itemIdentifier": ""}]},
        {"batchItemFailures": [{}]},
        {"batchItemFailures": "m1"},
    ):
        assert failed_message_ids(ok(payload), BATCH, True) == set(BATCH)


def test_failure_reports_are_ignored_unless_the_template_enables_them():
    result = ok({"batchItemFailures": [{"itemIdentifier": "m2"}]})
    assert failed_message_ids(result, BATCH, reports_item_failures=False) == set()


def payout_schedule() -> DeployedSchedule:
    return DeployedSchedule(
        spec=Schedule(
            function="PayoutFunction",
            event="DailyPayoutRun",
            name="vitrine-local-daily-payout-run",
            expression="rate(1 day)",
            period_seconds=86400,
            input=json.dumps(
                {
                    "job": "run_due_payouts",
                    "scheduled_time": "<aws.scheduler.scheduled-time>",
                    "execution": "<aws.scheduler.execution-id>",
                    "arn": "<aws.scheduler.schedule-arn>",
                }
            ),
        ),
        name="vitrine-local-daily-payout-run",
        arn="arn:aws:scheduler:us-east-1:123456789012:schedule/default/vitrine-local-daily-payout-run",
    )


def test_a_schedules_input_gets_its_context_attributes():
    schedule = payout_schedule()
    event = scheduled_input(schedule, datetime(2026, 11, 23, 5, 40, 0, 999, tzinfo=UTC), "exec-1")
    assert event == {
        "job": "run_due_payouts",
        "scheduled_time": "2026-11-23T05:40:00Z",
        "execution": "exec-1",
        "arn": schedule.arn,
    }


class _Workers:
    def __init__(self) -> None:
        self.events: list = []

    def invoke(self, function: str, event):
        self.events.append(event)
        return Invocation(request_id="r1", payload={"ok": True})


def test_fire_as_of_a_day_sends_that_days_scheduled_time_and_refuses_a_day_not_begun():
    workers = _Workers()
    schedule = payout_schedule()
    scheduler = Scheduler(SimpleNamespace(schedules={schedule.spec.logical_id: schedule}), workers)
    today = datetime.now(UTC).astimezone(BRASILIA).date()
    missed = today - timedelta(days=3)

    assert scheduler.fire("DailyPayoutRun", as_of=missed)["result"] == {"ok": True}
    fired_at = datetime.fromisoformat(workers.events[0]["scheduled_time"].replace("Z", "+00:00"))
    assert fired_at.astimezone(BRASILIA).date() == missed  # the payout function reads its day from it

    with pytest.raises(AheadOfToday):
        scheduler.fire("DailyPayoutRun", as_of=today + timedelta(days=1))
    assert len(workers.events) == 1  # nothing ran
    assert scheduler.fire("Nope", as_of=missed) is None


def test_a_day_ahead_moves_the_money_clock_every_function_reads_and_never_back(tmp_path, monkeypatch):
    moved = []
    local_clock = LocalClock(tmp_path / "clock.json", on_move=moved.append)
    monkeypatch.setenv(CLOCK_FILE_VARIABLE, str(tmp_path / "clock.json"))
    workers = _Workers()
    schedule = payout_schedule()
    scheduler = Scheduler(SimpleNamespace(schedules={schedule.spec.logical_id: schedule}), workers, clock=local_clock)
    today = local_clock.today()
    assert abs(vitrine_clock.now() - datetime.now(UTC)) < timedelta(seconds=5)  # the machine's, at first

    scheduler.fire("DailyPayoutRun", as_of=today + timedelta(days=2))
    fired_at = datetime.fromisoformat(workers.events[0]["scheduled_time"].replace("Z", "+00:00"))
    assert fired_at.astimezone(BRASILIA).date() == today + timedelta(days=2)
    assert moved == [timedelta(days=2)]  # the sandbox gateway follows
    shifted = vitrine_clock.now() - datetime.now(UTC)
    assert timedelta(days=2) - timedelta(seconds=5) < shifted < timedelta(days=2, seconds=5)  # what a function reads

    scheduler.fire("DailyPayoutRun", as_of=today)  # a day already begun: fired, the clock stays
    assert moved == [timedelta(days=2)] and len(workers.events) == 2

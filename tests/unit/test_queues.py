"""SQS sends: a batch is split at SQS's limits (10 entries, 256 KiB together), and a refused entry is a failure."""

from typing import Any

import pytest

from vitrine import aws, queues
from vitrine.errors import DependencyUnavailable

QUEUE_URL = "https://sqs.sa-east-1.amazonaws.com/123456789012/q"


class RecordingSqs:
    def __init__(self, failed: list[dict[str, Any]] | None = None) -> None:
        self.batches: list[list[str]] = []
        self.singles: list[str] = []
        self.failed = failed or []

    def send_message_batch(self, QueueUrl: str, Entries: list[dict[str, str]]) -> dict[str, Any]:
        assert QueueUrl == QUEUE_URL
        assert [entry["Id"] for entry in Entries] == [str(i) for i in range(len(Entries))]
        self.batches.append([entry["MessageBody"] for entry in Entries])
        return {"Successful": [], "Failed": self.failed}

    def send_message(self, QueueUrl: str, MessageBody: str) -> dict[str, Any]:
        assert QueueUrl == QUEUE_URL
        self.singles.append(MessageBody)
        return {"MessageId": f"m{len(self.singles)}"}


@pytest.fixture
def sqs(monkeypatch: pytest.MonkeyPatch) -> RecordingSqs:
    fake = RecordingSqs()
    monkeypatch.setattr(aws, "client", lambda service: fake)
    return fake


def test_given_23_small_bodies_when_sent_as_a_batch_then_three_requests_of_10_10_3_in_order(sqs):
    bodies = [f"body-{i}" for i in range(23)]
    queues.send_batch(QUEUE_URL, bodies)
    assert [len(batch) for batch in sqs.batches] == [10, 10, 3]
    assert [body for batch in sqs.batches for body in batch] == bodies


def test_given_bodies_past_256_kib_together_when_batched_then_a_request_closes_before_the_limit(sqs):
    bodies = ["x" * (100 * 1024)] * 5
    queues.send_batch(QUEUE_URL, bodies)
    assert [len(batch) for batch in sqs.batches] == [2, 2, 1]
    assert all(sum(len(body) for body in batch) <= queues.MAX_BATCH_BYTES for batch in sqs.batches)


def test_nothing_to_send_makes_no_request(sqs):
    queues.send_batch(QUEUE_URL, [])
    assert sqs.batches == []


def test_an_entry_sqs_refused_is_a_dependency_failure(monkeypatch):
    refused = RecordingSqs(failed=[{"Id": "0", "Code": "InternalError", "SenderFault": False}])
    monkeypatch.setattr(aws, "client", lambda service: refused)
    with pytest.raises(DependencyUnavailable, match="SQS refused 1 message"):
        queues.send_batch(QUEUE_URL, ["a", "b"])


def test_send_each_makes_one_request_per_body_and_send_message_answers_its_id(sqs):
    queues.send_each(QUEUE_URL, ["a", "b", "c"])
    assert sqs.singles == ["a", "b", "c"]
    assert queues.send_message(QUEUE_URL, "d") == "m4"

"""SQS event sources: what Lambda's event source mapping does for each of the template's SQS events.

One thread per event source long-polls its queue, gathers a batch (up to ``BatchSize``, waiting up to
``MaximumBatchingWindowInSeconds`` for it to fill), invokes the consumer with the Lambda SQS event and then:

- on success, deletes every record except those the function lists in ``batchItemFailures`` (when the
  template enables ``ReportBatchItemFailures``; an invalid failure list fails the whole batch, as in AWS);
- on an error or a timeout, deletes nothing.

Messages left undeleted are received again, and after ``maxReceiveCount`` receives the emulator's redrive
policy moves them to the DLQ, as SQS does.

Local deviation, on purpose: a failed message's visibility is reset to ``retry_delay`` seconds (default 2)
instead of waiting out the queue's full VisibilityTimeout, so dev loops and tests see retries and DLQ
arrivals in seconds rather than minutes. One batch per event source runs at a time (Lambda scales out to
several concurrent batches).
"""

import base64
import logging
import threading
import time
from collections.abc import Iterable
from typing import Any

from local_stack.deploy import Stack
from local_stack.template import QueueSource
from local_stack.workers import Invocation, Workers

log = logging.getLogger("local_stack.pollers")

DEFAULT_RETRY_DELAY_SECONDS = 2
_LONG_POLL_SECONDS = 2
_ERROR_BACKOFF_SECONDS = 1.0
_SQS_RECEIVE_LIMIT = 10


def lambda_sqs_event(messages: Iterable[dict[str, Any]], queue_arn: str, region: str) -> dict[str, Any]:
    """The event Lambda passes to an SQS consumer for these ReceiveMessage results."""
    return {"Records": [_record(message, queue_arn, region) for message in messages]}


def _record(message: dict[str, Any], queue_arn: str, region: str) -> dict[str, Any]:
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": dict(message.get("Attributes", {})),
        "messageAttributes": {
            name: _message_attribute(value) for name, value in message.get("MessageAttributes", {}).items()
        },
        "md5OfBody": message["MD5OfBody"],
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": region,
    }


def _message_attribute(value: dict[str, Any]) -> dict[str, Any]:
    attribute: dict[str, Any] = {}
    if "StringValue" in value:
        attribute["stringValue"] = value["StringValue"]
    if "BinaryValue" in value:
        attribute["binaryValue"] = _base64(value["BinaryValue"])
    attribute["stringListValues"] = list(value.get("StringListValues", []))
    attribute["binaryListValues"] = [_base64(item) for item in value.get("BinaryListValues", [])]
    attribute["dataType"] = value["DataType"]
    return attribute


def _base64(value: bytes | str) -> str:
    return base64.b64encode(value if isinstance(value, bytes) else value.encode()).decode()


def failed_message_ids(invocation: Invocation, batch_ids: list[str], reports_item_failures: bool) -> set[str]:
    """The messages of the batch that must stay on the queue after this invocation."""
    if invocation.failed:
        return set(batch_ids)
    if not reports_item_failures or not isinstance(invocation.payload, dict):
        return set()
    failures = invocation.payload.get("batchItemFailures") or []
    if not isinstance(failures, list):
        return set(batch_ids)
    failed = set()
    for failure in failures:
        identifier = failure.get("itemIdentifier") if isinstance(failure, dict) else None
        if not identifier or identifier not in batch_ids:
            # Lambda treats a response naming no message of the batch as a failure of the whole batch.
            return set(batch_ids)
        failed.add(identifier)
    return failed


class QueuePoller:
    def __init__(self, stack: Stack, source: QueueSource, workers: Workers, retry_delay: int) -> None:
        self.source = source
        self.queue = stack.queues[source.queue]
        self.region = stack.region
        self.workers = workers
        self.retry_delay = retry_delay
        self._sqs = stack.client("sqs")
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"poller-{source.queue}", daemon=True)
        self.batches = 0
        self.deleted = 0
        self.retried = 0

    def start(self) -> None:
        self._thread.start()

    def request_stop(self) -> None:
        self._stopping.set()

    def stop(self, timeout: float = _LONG_POLL_SECONDS + 3) -> None:
        self._stopping.set()
        self._thread.join(timeout)

    def status(self) -> dict[str, Any]:
        return {
            "queue": self.queue.name,
            "function": self.source.function,
            "batches": self.batches,
            "deleted": self.deleted,
            "retried": self.retried,
        }

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                batch = self._receive_batch()
                if batch:
                    self._process(batch)
            except Exception:
                # The emulator restarting or a transient error must not end the poller; say so and go on.
                if self._stopping.is_set():
                    return
                log.exception("polling %s failed; retrying", self.queue.name)
                self._stopping.wait(_ERROR_BACKOFF_SECONDS)

    def _receive_batch(self) -> list[dict[str, Any]]:
        batch = self._receive(_LONG_POLL_SECONDS, self.source.batch_size)
        if not batch or self.source.batching_window_seconds <= 0:
            return batch
        window_ends = time.monotonic() + self.source.batching_window_seconds
        while len(batch) < self.source.batch_size and not self._stopping.is_set():
            remaining = window_ends - time.monotonic()
            if remaining <= 0:
                break
            batch.extend(self._receive(max(1, int(remaining)), self.source.batch_size - len(batch)))
        return batch

    def _receive(self, wait_seconds: int, wanted: int) -> list[dict[str, Any]]:
        response = self._sqs.receive_message(
            QueueUrl=self.queue.url,
            MaxNumberOfMessages=min(wanted, _SQS_RECEIVE_LIMIT),
            WaitTimeSeconds=wait_seconds,
            MessageSystemAttributeNames=["All"],
            MessageAttributeNames=["All"],
        )
        return response.get("Messages", [])

    def _process(self, batch: list[dict[str, Any]]) -> None:
        self.batches += 1
        event = lambda_sqs_event(batch, self.queue.arn, self.region)
        invocation = self.workers.invoke(self.source.function, event)
        ids = [message["MessageId"] for message in batch]
        failed = failed_message_ids(invocation, ids, self.source.report_batch_item_failures)
        if invocation.failed:
            log.warning(
                "%s: batch of %d from %s failed: %s",
                self.source.function,
                len(batch),
                self.queue.name,
                (invocation.payload or {}).get("errorMessage"),
            )
        done = [m for m in batch if m["MessageId"] not in failed]
        retry = [m for m in batch if m["MessageId"] in failed]
        for chunk in _chunks(done, _SQS_RECEIVE_LIMIT):
            self._sqs.delete_message_batch(
                QueueUrl=self.queue.url,
                Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(chunk)],
            )
        for chunk in _chunks(retry, _SQS_RECEIVE_LIMIT):
            self._sqs.change_message_visibility_batch(
                QueueUrl=self.queue.url,
                Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": self.retry_delay}
                    for i, m in enumerate(chunk)
                ],
            )
        self.deleted += len(done)
        self.retried += len(retry)


class Pollers:
    """One poller per SQS event source in the template."""

    def __init__(self, stack: Stack, workers: Workers, retry_delay: int = DEFAULT_RETRY_DELAY_SECONDS) -> None:
        self.pollers = [QueuePoller(stack, source, workers, retry_delay) for source in stack.queue_sources]

    def start(self) -> None:
        for poller in self.pollers:
            poller.start()

    def request_stop(self) -> None:
        for poller in self.pollers:
            poller.request_stop()

    def stop(self) -> None:
        self.request_stop()
        for poller in self.pollers:
            poller.stop()

    def status(self) -> list[dict[str, Any]]:
        return [poller.status() for poller in self.pollers]


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]

"""SQS sends: the one place a message is put on a queue (the gateway webhook inbox, the ERP ingest queue, the
outbound webhook deliveries), each failure re-raised as ``DependencyUnavailable``.

``send_message`` is one ``SendMessage``; ``send_each`` one ``SendMessage`` per body (for bodies of up to 256 KiB
each, which would not batch); ``send_batch`` packs bodies into ``SendMessageBatch`` requests of at most
``MAX_BATCH_ENTRIES`` entries and ``MAX_BATCH_BYTES`` together (SQS's limits for one batch). A batch answers 200
even when SQS refused some of its entries: those are reported as ``DependencyUnavailable`` too, so the caller's
retry sends them again.
"""

import json
from collections.abc import Iterator, Sequence

from vitrine import aws
from vitrine.errors import DependencyUnavailable

MAX_BATCH_ENTRIES = 10
MAX_BATCH_BYTES = 256 * 1024


def send_message(queue_url: str, body: str) -> str:
    """Put one message on the queue; returns its SQS message id."""
    with aws.dependency_errors("SQS"):
        response = aws.client("sqs").send_message(QueueUrl=queue_url, MessageBody=body)
    return response["MessageId"]


def send_each(queue_url: str, bodies: Sequence[str]) -> None:
    """One ``SendMessage`` per body, in order; the first failure stops the rest."""
    with aws.dependency_errors("SQS"):
        client = aws.client("sqs")
        for body in bodies:
            client.send_message(QueueUrl=queue_url, MessageBody=body)


def send_batch(queue_url: str, bodies: Sequence[str]) -> None:
    """Every body, in as few ``SendMessageBatch`` requests as SQS's limits allow."""
    for batch in _batches(bodies):
        with aws.dependency_errors("SQS"):
            response = aws.client("sqs").send_message_batch(
                QueueUrl=queue_url, Entries=[{"Id": str(i), "MessageBody": body} for i, body in enumerate(batch)]
            )
        if response.get("Failed"):
            failed = response["Failed"]
            raise DependencyUnavailable(f"SQS refused {len(failed)} message(s): {json.dumps(failed)[:500]}")


def delay_next_receive(queue_url: str, receipt_handle: str, seconds: int) -> None:
    """Keep a received message hidden for ``seconds`` from now (SQS allows up to 12 hours): its next delivery is
    then, and the queue's redrive still counts it."""
    with aws.dependency_errors("SQS"):
        aws.client("sqs").change_message_visibility(
            QueueUrl=queue_url, ReceiptHandle=receipt_handle, VisibilityTimeout=min(max(seconds, 0), 43200)
        )


def _batches(bodies: Sequence[str]) -> Iterator[list[str]]:
    batch: list[str] = []
    size = 0
    for body in bodies:
        body_size = len(body.encode())
        if batch and (len(batch) == MAX_BATCH_ENTRIES or size + body_size > MAX_BATCH_BYTES):
            yield batch
            batch, size = [], 0
        batch.append(body)
        size += body_size
    if batch:
        yield batch

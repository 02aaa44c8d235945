"""The outbound webhook delivery queue (SQS): one message per delivery, and the backoff of a failed one.

One delivery per message, so that a receiver that is down (and its retries) never holds back another
endpoint's delivery. The backoff is the message's own visibility timeout, set by the consumer before it reports
the failure: Lambda's event source mapping leaves a failed message on the queue, and SQS shows it again when its
visibility runs out, so the wait grows with each receive without any scheduler. After ``maxReceiveCount``
receives, SQS's redrive moves the message to the DLQ.
"""

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from vitrine import queues
from vitrine.settings import get_settings


class DeliveryMessage(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    merchant_id: str
    delivery_id: str
    generation: int = Field(ge=1, description="The delivery's replay count + 1: a message of an older one is stale.")


def enqueue(messages: Sequence[DeliveryMessage]) -> None:
    """Queue every delivery, ten to a ``SendMessageBatch``; an entry SQS refused is ``DependencyUnavailable``."""
    queue_url = get_settings().require("outbound_webhook_queue_url")
    queues.send_batch(queue_url, [message.model_dump_json() for message in messages])


def delay_next_receive(receipt_handle: str, seconds: int) -> None:
    """Keep the message hidden for ``seconds`` from now (SQS allows up to 12 hours)."""
    queues.delay_next_receive(get_settings().require("outbound_webhook_queue_url"), receipt_handle, seconds)

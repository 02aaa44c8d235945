"""Outbound webhook deliveries: one per event and subscribed endpoint, sent until a 2xx, logged, replayable.

Fan-out: for each domain event, every endpoint of the event's merchant subscribed to its type gets a delivery,
recorded once (its id derives from the event id and the endpoint id, so an event delivered twice by the bus, or a
retried fan-out, finds it already there) and queued as its own message.

Payload: the body is the event envelope exactly as on the bus and in the journal (``id``, ``type``,
``merchant_id``, ``occurred_at``, ``data``; one contract, ``vitrine.events.envelope``), serialised once at fan-out
and stored, so every attempt and replay sends the same bytes. Headers (Standard Webhooks): ``webhook-id`` is the
delivery id, the same on every retry and replay, which receivers deduplicate by; ``webhook-timestamp`` is the
attempt's time; ``webhook-signature`` signs ``id.timestamp.body`` with each secret that still signs.

Attempts: a 2xx is success, recorded; a redelivered message of a delivery that succeeded sends nothing. Anything
else (3xx included, timeouts, refused connections) is a failed attempt: recorded with its status code or error,
and retried by SQS after ``BACKOFF_SECONDS[n-1]`` (30 s, 2 min, 10 min, 1 h, 6 h: about 7 hours in all, inside
SQS's 12-hour visibility limit and the 4-day retention). The attempt that reaches the queue's ``maxReceiveCount``
is the last: the delivery is marked ``failed`` and SQS moves the message to the DLQ (alarmed). The merchant
finds it with ``?status=failed`` and replays it, which bumps the delivery's ``generation`` and queues a new
message with a fresh set of attempts; a message of an older generation is stale and dropped, so a replay never
doubles a delivery still being retried.

At least once, not exactly once: two copies of one SQS message handled at the same moment may both POST. That is
what ``webhook-id`` is for (the spec asks receivers to deduplicate by it).
"""

import hashlib
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from pydantic import AwareDatetime, Field

from vitrine.errors import Conflict, InvalidInput, NotFound
from vitrine.lazy_models import LazyModel
from vitrine.repository import webhook_endpoints as repository
from vitrine.repository.table import Page
from vitrine.settings import get_settings
from vitrine.webhooks import delivery_queue, outbound_http
from vitrine.webhooks.delivery_queue import DeliveryMessage
from vitrine.webhooks.signing import signed_headers, signing_secrets

if TYPE_CHECKING:  # the fan-out's argument; the delivery function (which never parses events) skips the import
    from vitrine.events.envelope import EventEnvelope

BACKOFF_SECONDS = (30, 120, 600, 3600, 6 * 3600)


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # queued, not tried yet (or replayed)
    RETRYING = "retrying"  # failed at least once; SQS will try again
    SUCCEEDED = "succeeded"  # the endpoint answered 2xx
    FAILED = "failed"  # every attempt failed; the message is in the DLQ; replay it


class DeliveryView(LazyModel):
    delivery_id: str = Field(description="Also the webhook-id header the receiver got.")
    endpoint_id: str
    event_id: str
    event_type: str
    status: DeliveryStatus
    attempts: int = Field(description="POSTs made so far, replays included.")
    last_status_code: int | None = Field(description="The endpoint's last answer; null if none (timeout, refused).")
    last_error: str | None
    created_at: AwareDatetime
    last_attempt_at: AwareDatetime | None
    next_attempt_at: AwareDatetime | None = Field(description="When SQS tries again, for a retrying delivery.")
    succeeded_at: AwareDatetime | None


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def delivery_id(event_id: str, endpoint_id: str) -> str:
    return "msg_" + hashlib.sha256(f"{event_id}\n{endpoint_id}".encode()).hexdigest()[:32]


def backoff_seconds(attempt: int) -> int:
    """How long SQS keeps the message hidden after failed attempt number ``attempt`` (1-based)."""
    return BACKOFF_SECONDS[min(attempt, len(BACKOFF_SECONDS)) - 1]


def fan_out(envelope: "EventEnvelope", *, now: datetime | None = None) -> list[DeliveryMessage]:
    """Record and queue a delivery of ``envelope`` to each endpoint subscribed to its type; what was queued."""
    moment = _iso(now or datetime.now(UTC))
    subscribed = [
        endpoint
        for endpoint in repository.list_endpoints(envelope.merchant_id)
        if envelope.type in endpoint["event_types"]
    ]
    payload = envelope.model_dump_json()
    expires_at = int(time.time()) + repository.DELIVERY_RETENTION_SECONDS
    queued: list[tuple[dict[str, Any], DeliveryMessage]] = []
    for endpoint in subscribed:
        message = DeliveryMessage(
            merchant_id=envelope.merchant_id,
            delivery_id=delivery_id(envelope.id, endpoint["endpoint_id"]),
            generation=1,
        )
        delivery = {
            "merchant_id": envelope.merchant_id,
            "delivery_id": message.delivery_id,
            "endpoint_id": endpoint["endpoint_id"],
            "event_id": envelope.id,
            "event_type": envelope.type,
            "payload": payload,
            "status": DeliveryStatus.PENDING.value,
            "attempts": 0,
            "generation": 1,
            "queued_at": None,
            "last_status_code": None,
            "last_error": None,
            "created_at": moment,
            "last_attempt_at": None,
            "next_attempt_at": None,
            "succeeded_at": None,
        }
        if not repository.add_delivery(delivery, expires_at):
            delivery = repository.get_delivery(envelope.merchant_id, message.delivery_id) or {}
            # Queued already by the first copy of the event. One that never was (the fan-out stopped between
            # recording and queueing it) is queued now: a second message for a delivery could POST it twice.
            if delivery.get("queued_at") or delivery.get("generation") != 1:
                continue
        queued.append((delivery, message))
    delivery_queue.enqueue([message for _, message in queued])
    for delivery, _ in queued:
        repository.mark_delivery_queued(delivery, moment)
    return [message for _, message in queued]


@dataclass(frozen=True)
class AttemptOutcome:
    """What one received message came to: ``sent``, ``failed``, or a reason nothing was sent."""

    result: str
    status_code: int | None = None
    retry_after: int | None = None

    @property
    def failed(self) -> bool:
        return self.result == "failed"


def attempt_delivery(message: DeliveryMessage, receive_count: int, *, now: datetime | None = None) -> AttemptOutcome:
    """POST the delivery once (unless it succeeded already, was replayed since, or lost its endpoint) and record
    the attempt. ``receive_count`` is SQS's: the attempt that reaches ``maxReceiveCount`` is the last."""
    delivery = repository.get_delivery(message.merchant_id, message.delivery_id)
    if delivery is None:
        return AttemptOutcome("expired")
    if delivery["generation"] != message.generation:
        return AttemptOutcome("stale")
    if delivery["status"] == DeliveryStatus.SUCCEEDED:
        return AttemptOutcome("duplicate")
    endpoint = repository.get_endpoint(message.merchant_id, delivery["endpoint_id"])
    if endpoint is None:
        return AttemptOutcome("endpoint_deleted")

    moment = now or datetime.now(UTC)
    headers = signed_headers(signing_secrets(endpoint, moment), delivery["delivery_id"], moment, delivery["payload"])
    outcome = outbound_http.post_webhook(endpoint["url"], delivery["payload"], headers)
    changes: dict[str, Any] = {
        "last_attempt_at": _iso(moment),
        "last_status_code": outcome.status_code,
        "last_error": outcome.error,
    }
    if outcome.succeeded:
        changes.update(status=DeliveryStatus.SUCCEEDED.value, succeeded_at=_iso(moment), next_attempt_at=None)
        repository.update_delivery(delivery, changes, generation=message.generation, count_attempt=True)
        return AttemptOutcome("sent", outcome.status_code)
    if receive_count >= get_settings().outbound_webhook_max_attempts:
        changes.update(status=DeliveryStatus.FAILED.value, next_attempt_at=None)
        retry_after = None
    else:
        retry_after = backoff_seconds(receive_count)
        changes.update(
            status=DeliveryStatus.RETRYING.value, next_attempt_at=_iso(moment + timedelta(seconds=retry_after))
        )
    repository.update_delivery(delivery, changes, generation=message.generation, count_attempt=True)
    return AttemptOutcome("failed", outcome.status_code, retry_after)


def _view(delivery: dict[str, Any]) -> DeliveryView:
    return DeliveryView.model_validate({name: delivery.get(name) for name in DeliveryView.model_fields})


def list_deliveries(
    merchant_id: str,
    endpoint_id: str,
    *,
    status: DeliveryStatus | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> tuple[list[DeliveryView], str | None]:
    # Here, not at the top: the endpoints module lists every event type (the envelope's models), which the
    # delivery function's cold start does not need.
    from vitrine.webhooks.endpoints import endpoint_item

    endpoint_item(merchant_id, endpoint_id)
    page: Page = repository.list_deliveries(
        merchant_id, endpoint_id, status=status.value if status else None, limit=limit, cursor=cursor
    )
    return [_view(item) for item in page.items], page.cursor


def replay(merchant_id: str, delivery_id_: str, *, now: datetime | None = None) -> DeliveryView:
    """Send the delivery again, same ``webhook-id`` and body, with a fresh set of attempts."""
    delivery = repository.get_delivery(merchant_id, delivery_id_)
    if delivery is None:
        raise NotFound(f"no webhook delivery '{delivery_id_}'")
    if repository.get_endpoint(merchant_id, delivery["endpoint_id"]) is None:
        raise Conflict(
            "the delivery's endpoint was deleted: there is nowhere to send it",
            details=[{"field": "endpoint_id", "reason": "deleted"}],
        )
    generation = delivery["generation"] + 1
    changes = {
        "status": DeliveryStatus.PENDING.value,
        "generation": generation,
        "next_attempt_at": None,
        "replayed_at": _iso(now or datetime.now(UTC)),
    }
    updated = repository.update_delivery(delivery, changes, generation=delivery["generation"])
    if updated is None:
        raise Conflict(
            "the delivery was replayed meanwhile; list it again",
            details=[{"field": "path.delivery_id", "reason": "replayed meanwhile"}],
        )
    delivery_queue.enqueue([DeliveryMessage(merchant_id=merchant_id, delivery_id=delivery_id_, generation=generation)])
    return _view(updated)


def check_delivery_id(value: str) -> str:
    if not (value.startswith("msg_") and len(value) == 36 and all(c in "0123456789abcdef" for c in value[4:])):
        raise InvalidInput(
            "delivery_id is msg_ and 32 hex digits", details=[{"field": "path.delivery_id", "reason": "malformed"}]
        )
    return value

"""Publishing domain events to the EventBridge bus (``PutEvents``, up to 10 entries a call)."""

from collections.abc import Sequence

from vitrine import aws
from vitrine.events.envelope import EventEnvelope
from vitrine.settings import get_settings


class PublishFailed(Exception):
    def __init__(self, failures: list[dict]) -> None:
        super().__init__(f"{len(failures)} event(s) not accepted by the bus: {failures}")
        self.failures = failures


def publish(events: Sequence[EventEnvelope], *, source: str) -> None:
    """Put every event on the bus or raise ``PublishFailed`` naming the ones the bus refused.

    Callers that must not lose an event publish after their write commits and let the retry of the
    whole (idempotent) operation republish; consumers deduplicate by event id.
    """
    if not source.startswith("vitrine."):
        raise ValueError("event sources are vitrine.<service>")
    bus = get_settings().require("event_bus_name")
    failures: list[dict] = []
    for start in range(0, len(events), 10):
        chunk = events[start : start + 10]
        entries = [
            {
                "EventBusName": bus,
                "Source": source,
                "DetailType": e.type,
                "Detail": e.model_dump_json(),
                "Time": e.occurred_at,
            }
            for e in chunk
        ]
        with aws.dependency_errors("EventBridge"):
            response = aws.client("events").put_events(Entries=entries)
        if response.get("FailedEntryCount"):
            failures.extend(
                {"id": event.id, "code": result.get("ErrorCode"), "message": result.get("ErrorMessage")}
                for event, result in zip(chunk, response["Entries"], strict=True)
                if result.get("ErrorCode")
            )
    if failures:
        raise PublishFailed(failures)

"""Access patterns: the merchant's event journal (every domain event, once, newest first)."""

import time

from vitrine.events.envelope import EventEnvelope
from vitrine.repository import keys, table
from vitrine.repository.table import Page

JOURNAL_RETENTION_SECONDS = 400 * 24 * 3600


def append_event(envelope: EventEnvelope) -> bool:
    """Journal the event; ``False`` when it was already journaled (a duplicate delivery)."""
    detail = envelope.model_dump(mode="json")
    return table.put_new(
        {
            "PK": keys.events_pk(envelope.merchant_id),
            "SK": keys.event_sk(detail["occurred_at"], envelope.id),
            "type": "event",
            "event": detail,
            "expires_at": int(time.time()) + JOURNAL_RETENTION_SECONDS,
        }
    )


def list_events(merchant_id: str, *, limit: int = 50, cursor: str | None = None) -> Page:
    return table.query(keys.events_pk(merchant_id), limit=limit, cursor=cursor, newest_first=True)

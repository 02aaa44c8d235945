"""The merchant's event journal: every domain event from the bus kept once, and read back newest first."""

from typing import Any

from vitrine.events.envelope import EventEnvelope
from vitrine.repository import journal


def journal_event(envelope: EventEnvelope) -> bool:
    """Keep the event in its merchant's journal; ``False`` when it was there already (a duplicate delivery)."""
    return journal.append_event(envelope)


def merchant_events(merchant_id: str, *, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    """A page of the merchant's event envelopes, newest first, and the cursor of the next page."""
    page = journal.list_events(merchant_id, limit=limit, cursor=cursor)
    return [item["event"] for item in page.items], page.cursor

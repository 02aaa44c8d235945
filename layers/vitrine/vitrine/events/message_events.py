"""The messaging events: a message that cannot reach its address (the SMS fallback).

Their types are registered in ``vitrine.events.envelope.EVENT_TYPE_MODULES``, which imports this module for the
first envelope of one of them."""

from typing import Literal

from pydantic import Field

from vitrine.events.envelope import EventData


class MessageFailed(EventData):
    """A provider reported, after accepting it, that a WhatsApp message cannot reach its number (131026): the
    notifier sends it by SMS instead. Internal: it names the message's record, never the phone."""

    order_id: str | None
    event_id: str = Field(min_length=1, max_length=64, description="The event the message was for.")
    audience: Literal["shopper", "merchant"]

"""A merchant's payout's events: its transfer asked of the gateway, or failed.

Their types are registered in ``vitrine.events.envelope.EVENT_TYPE_MODULES``, which imports this module for the
first envelope of one of them."""

from pydantic import Field

from vitrine.events.envelope import EventData
from vitrine.money import Centavos


class PayoutSent(EventData):
    """A payout's transfer was asked of the gateway (``pending`` until the bank says it arrived, or ``paid``)."""

    payout_id: str
    amount: Centavos
    scheduled_on: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")


class PayoutFailed(EventData):
    """A payout's transfer failed or came back from the bank: its money is payable again at the next payout."""

    payout_id: str
    amount: Centavos
    scheduled_on: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    reason: str | None = None

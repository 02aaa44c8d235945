"""Receivables at the gateway and their anticipation, in Vitrine's words (the port's models).

A *payable* is what the gateway will pay a recipient on a day: a card charge's instalment, a Pix's or boleto's whole
share, a refund's debit. An *anticipation* (antecipação de recebíveis) asks the gateway to pay some card payables
before their day, for a fee: ``timeframe`` ``start`` takes the nearest payables first (cheaper: they move fewer
days), ``end`` the farthest. The gateway chooses whole payables within the amount asked, moves them to the
anticipation's payment day and charges each its ``anticipation_fee``; Vitrine's ledger then books what the gateway
did (``vitrine.payouts.anticipations``), read back from the payables themselves.
"""

from datetime import date, datetime
from enum import StrEnum

from pydantic import ConfigDict, Field

from vitrine.lazy_models import LazyModel


class Timeframe(StrEnum):
    START = "start"
    END = "end"


class AnticipationStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"
    CANCELED = "canceled"


class _Output(LazyModel):
    model_config = ConfigDict(frozen=True)


class Payable(_Output):
    payable_id: str
    recipient_id: str
    amount: int = Field(description="Signed centavos (a refund's is negative).")
    fee: int = 0
    anticipation_fee: int = 0
    installment: int | None = None
    charge_id: str | None = None
    status: str = Field(description="The gateway's word: waiting_funds until its day, paid from then on.")
    payment_date: date = Field(description="The day it is paid (Brasília), moved by an anticipation.")
    original_payment_date: date | None = None
    anticipation_id: str | None = None
    kind: str | None = Field(default=None, description="credit, refund, chargeback... as the gateway says.")

    @property
    def net(self) -> int:
        return self.amount - self.fee - self.anticipation_fee


class AnticipationLimit(_Output):
    amount: int = Field(description="Gross centavos of the payables that would be anticipated.")
    anticipation_fee: int = Field(description="What anticipating them would cost (centavos).")


class AnticipationLimits(_Output):
    maximum: AnticipationLimit
    minimum: AnticipationLimit


class Anticipation(_Output):
    anticipation_id: str
    requested_amount: int
    approved_amount: int | None = None
    status: AnticipationStatus
    gateway_status: str
    timeframe: Timeframe | None = None
    payment_date: date | None = None
    created_at: datetime | None = None

"""Ledger entries: integer centavos, signed from the merchant's side (credits positive, debits negative)."""

from datetime import date
from enum import StrEnum

from pydantic import AwareDatetime, ConfigDict, Field, model_validator

from vitrine.ids import MerchantId
from vitrine.lazy_models import LazyModel
from vitrine.money import SignedCentavos
from vitrine.payments.methods import PaymentMethod


class Movement(StrEnum):
    SALE = "sale"
    GATEWAY_FEE = "gateway_fee"
    PLATFORM_FEE = "platform_fee"
    REFUND = "refund"
    CHARGEBACK = "chargeback"
    ANTICIPATION = "anticipation"  # a card slice moved from its day to the anticipation's: a pair, out and in
    ANTICIPATION_FEE = "anticipation_fee"


class LedgerEntry(LazyModel):
    """One money movement. ``sequence`` numbers an order's entries (1, 2, ...), so ``entry_id`` is the same
    for the same movement however often its write is retried."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    merchant_id: MerchantId
    order_id: str = Field(min_length=1, max_length=48)
    movement: Movement
    sequence: int = Field(ge=1)
    amount: SignedCentavos
    method: PaymentMethod
    installment: int | None = Field(default=None, ge=1, description="Which card instalment a sale slice is.")
    available_on: date = Field(description="The day the amount becomes payable to (or is taken from) the merchant.")
    booked_at: AwareDatetime

    @model_validator(mode="after")
    def _signed_by_movement(self) -> "LedgerEntry":
        if self.amount == 0:
            raise ValueError("an entry moves money; a zero fee is not booked")
        if self.movement is not Movement.ANTICIPATION and (self.movement is Movement.SALE) != (self.amount > 0):
            raise ValueError("a sale credits the merchant; fees, refunds and chargebacks debit it")
        return self

    @property
    def entry_id(self) -> str:
        return f"{self.order_id}#{self.movement}#{self.sequence}"

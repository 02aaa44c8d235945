"""The loyalty partner's port: what Vitrine sends it (``docs/loyalty-partner.md``) and how it can fail.

The partner's real API is private; the HTTP adapter (``vitrine.loyalty.partner_http``) speaks the small documented
JSON contract that an integrator maps to it, and the local stack's sandbox partner implements it. Every request
carries an idempotency key (``<order_id>:<event_id>:<kind>``): the partner answers a repeated key with what it
answered first and moves no points twice, so a retry after a lost answer is harmless.
"""

from typing import Literal, Protocol

from pydantic import AwareDatetime, ConfigDict, Field

from vitrine.lazy_models import LazyModel
from vitrine.money import Centavos


class PartnerUnavailable(Exception):
    """No answer, or a 5xx: retried (SQS), then the DLQ."""


class PartnerRefused(Exception):
    """A 4xx: the partner will not take this request as it is; not retried, shown on the order."""


class PartnerLine(LazyModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    sku: str
    brand: str
    quantity: int = Field(ge=1)
    amount: Centavos = Field(description="The line's total in centavos.")
    points: int = Field(ge=0)


class PartnerRequest(LazyModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    idempotency_key: str = Field(description="<order_id>:<event_id>:<kind>: the same on every retry.")
    order_id: str
    event: str = Field(description="The Vitrine event that caused it: OrderInvoiced, OrderCancelled, ...")
    store_code: str = Field(description="The store's code at the partner.")
    cpf: str = Field(pattern=r"^\d{11}$")
    points: int = Field(ge=1)
    occurred_at: AwareDatetime
    lines: list[PartnerLine]


class AccrualRequest(PartnerRequest):
    pass


class ReversalRequest(PartnerRequest):
    reason: Literal["cancelled", "refunded", "partial_refund"]
    accrual_key: str = Field(description="The idempotency key of the accrual this reverses (part of).")
    refunded_amount: Centavos = Field(description="Refunded so far (a partial refund's proportion).")
    order_total: Centavos


class PartnerReceipt(LazyModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    transaction_id: str = Field(min_length=1, max_length=200)


class LoyaltyPartner(Protocol):
    def accrue(self, request: AccrualRequest) -> PartnerReceipt: ...

    def reverse(self, request: ReversalRequest) -> PartnerReceipt: ...

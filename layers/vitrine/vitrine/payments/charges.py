"""The charge as Vitrine keeps it: what a gateway answers (``payments.port``), held on the order for its page.

Money is integer centavos; the gateway's statuses are mapped onto ``ChargeStatus``. Refunds are amounts, not
statuses (see ``payments.port``). Its own module so that whatever reads an order (the notifier, the loyalty consumer,
the console) loads the charge's few models, not the port's requests.
"""

from datetime import datetime
from enum import StrEnum

from pydantic import ConfigDict, Field

from vitrine.lazy_models import LazyModel
from vitrine.payments.methods import PaymentMethod


class ChargeStatus(StrEnum):
    PENDING = "pending"
    PAID = "paid"
    FAILED = "failed"
    UNDER_REVIEW = "under_review"
    CANCELLED = "cancelled"


class _Output(LazyModel):
    model_config = ConfigDict(frozen=True)


class PixDetails(_Output):
    qr_code: str = Field(description="The copy-paste BR Code (Pix copia e cola).")
    qr_code_url: str = Field(description="URL of the QR code image.")
    expires_at: datetime | None


class BoletoDetails(_Output):
    line: str = Field(description="Linha digitável.")
    barcode: str | None = Field(description="URL of the barcode image.")
    pdf: str | None = Field(description="URL of the printable boleto.")
    due_at: datetime | None


class CardDetails(_Output):
    last_four: str | None
    brand: str | None
    installments: int | None


class Charge(_Output):
    gateway_order_id: str | None = Field(description="The gateway's order id (absent when a charge is read alone).")
    charge_id: str
    order_id: str = Field(description="Vitrine's order id, as sent in the gateway's `code`.")
    merchant_id: str | None = Field(description="From the charge's metadata, so a webhook finds its tenant.")
    status: ChargeStatus
    gateway_status: str = Field(description="The gateway's own status, kept for audit and chargebacks.")
    method: PaymentMethod
    amount: int
    paid_amount: int = 0
    canceled_amount: int = Field(
        default=0, description="What was cancelled of the charge, paid or not (pagar.me's `canceled_amount`)."
    )
    canceled_at: datetime | None = None
    pix: PixDetails | None = None
    boleto: BoletoDetails | None = None
    card: CardDetails | None = None
    decline_reason: str | None = Field(default=None, description="The acquirer's message when the charge failed.")
    merchant_recipient_id: str | None = Field(
        default=None, description="The merchant's recipient the charge was split to (from its metadata), if any."
    )

    @property
    def refunded_amount(self) -> int:
        """Money returned to the payer: the cancelled part of what was paid (a cancelled pending charge moved none)."""
        return min(self.canceled_amount, self.paid_amount)

    @property
    def refundable_amount(self) -> int:
        """What a refund may still return: paid and not yet refunded."""
        return self.paid_amount - self.refunded_amount

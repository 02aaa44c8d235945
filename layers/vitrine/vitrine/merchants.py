"""The merchant (lojista): the tenant every other record belongs to, and how it sells online."""

from pydantic import ConfigDict, Field, ValidationInfo, field_validator

from vitrine.documents import Cnpj
from vitrine.ids import MerchantId
from vitrine.inputs import Count
from vitrine.lazy_models import LazyModel
from vitrine.money import Centavos


class Merchant(LazyModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    merchant_id: MerchantId
    name: str = Field(min_length=1, max_length=120)
    cnpj: Cnpj
    whatsapp: str | None = Field(default=None, pattern=r"^\+?\d{10,15}$")


class DeliveryRange(LazyModel):
    """Delivery to CEPs from ``cep_from`` to ``cep_to`` (8 digits, inclusive) costs ``price`` and takes ``days``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cep_from: str = Field(pattern=r"^[0-9]{8}$")
    cep_to: str = Field(pattern=r"^[0-9]{8}$")
    price: Centavos
    days: Count = Field(ge=0, le=90)

    @field_validator("cep_to")
    @classmethod
    def _runs_upwards(cls, cep_to: str, info: ValidationInfo) -> str:
        if "cep_from" in info.data and cep_to < info.data["cep_from"]:
            raise ValueError("must not be below cep_from")
        return cep_to


class StoreSettings(LazyModel):
    """How a merchant sells online: delivery prices, card instalments, how long unpaid stock stays reserved."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    delivery_ranges: list[DeliveryRange] = Field(default_factory=list, max_length=200)
    free_delivery_above: Centavos | None = Field(default=None, description="Subtotal from which delivery is free.")
    max_installments: Count = Field(default=6, ge=1, le=12)
    min_installment: Centavos = Field(default=1000, description="Smallest instalment allowed, in centavos.")
    pix_expires_minutes: Count = Field(default=30, ge=5, le=24 * 60)
    card_reservation_minutes: Count = Field(default=15, ge=5, le=24 * 60)
    boleto_due_days: Count = Field(default=3, ge=1, le=10)


class MethodTerms(LazyModel):
    """What one payment method costs the merchant and when its money becomes payable.

    Fees are basis points of the captured amount (100 bps = 1%), rounded half up once per capture.
    ``settlement_days`` counts calendar days from the capture; a card sale in n instalments settles each
    instalment ``settlement_days`` after the previous one (D+30, D+60, ...), as acquirers pay them.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    gateway_fee_bps: int = Field(ge=0, le=2000, description="The gateway's fee, in basis points.")
    platform_fee_bps: int = Field(ge=0, le=2000, description="Vitrine's fee, in basis points.")
    settlement_days: int = Field(ge=0, le=60, description="Days from capture until the money is payable.")


class SettlementTerms(LazyModel):
    """The merchant's fees and settlement schedule per payment method, read by the ledger rules.

    Kept apart from ``StoreSettings`` on purpose: the merchant replaces its store settings through its API,
    and must not be able to set the platform's fee or be paid before the gateway pays. The defaults are the
    usual list prices of Brazilian gateways (Pix ~1%, boleto ~2% in place of its usual flat fee, card ~4% and
    D+30 per instalment) and a 1% platform fee; an operator writes negotiated terms per merchant.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    pix: MethodTerms = MethodTerms(gateway_fee_bps=99, platform_fee_bps=100, settlement_days=1)
    boleto: MethodTerms = MethodTerms(gateway_fee_bps=199, platform_fee_bps=100, settlement_days=1)
    card: MethodTerms = MethodTerms(gateway_fee_bps=399, platform_fee_bps=100, settlement_days=30)

    def for_method(self, method: str) -> MethodTerms:
        """Terms of a ``PaymentMethod`` (a ``StrEnum``, so its value is the key)."""
        return {"pix": self.pix, "boleto": self.boleto, "card": self.card}[method]

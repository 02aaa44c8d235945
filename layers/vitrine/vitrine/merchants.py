"""The merchant (lojista): the tenant every other record belongs to, and how it sells online."""

from typing import Annotated

from pydantic import AfterValidator, ConfigDict, Field, ValidationInfo, field_validator

from vitrine.addresses import Address
from vitrine.documents import Cnpj
from vitrine.ids import MerchantId
from vitrine.inputs import Count, Email, MultilineText, Phone, Text
from vitrine.lazy_models import LazyModel
from vitrine.money import Centavos
from vitrine.outbound_targets import check_public_link


class Merchant(LazyModel):
    """The merchant as the operator onboarded it: its registered name and CNPJ (the gateway recipient's document).
    What the merchant says about itself on its pages is its ``ShopProfile``, a record of its own."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    merchant_id: MerchantId
    name: str = Field(min_length=1, max_length=120)
    cnpj: Cnpj


# WhatsApp's click-to-chat (https://wa.me/<number>) takes the full international number, digits only.
WhatsappNumber = Annotated[
    str,
    Field(
        pattern=r"^\+?[1-9][0-9]{11,14}$",
        description="WhatsApp number with country code and DDD, digits only (5511999990000).",
    ),
    AfterValidator(lambda number: number.removeprefix("+")),
]
PublicLink = Annotated[
    str,
    Field(
        max_length=500,
        pattern=r"^https://",
        description="An https link to a public host (it is shown to shoppers as a link).",
    ),
    AfterValidator(check_public_link),
]


class ShopProfile(LazyModel):
    """Who the shop is on its pages, as the merchant says it (``PUT /merchant/v1/profile`` replaces it whole).

    What Decreto 7.962/2013 (art. 2) asks an online shop to show: the corporate name (razão social), the CNPJ (from
    ``Merchant``, not editable here), the physical and electronic addresses and a way to reach the shop; plus the
    exchange and return policy, as a link to the shop's own page or as text. Every field is optional: a page shows
    what there is. ``whatsapp`` is the number of the pages' "Falar com a loja" button.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    corporate_name: Text | None = Field(default=None, min_length=1, max_length=120, description="Razão social.")
    trade_name: Text | None = Field(
        default=None, min_length=1, max_length=120, description="Nome fantasia: the name the pages show first."
    )
    address: Address | None = Field(default=None, description="The shop's physical address.")
    email: Email | None = Field(default=None, description="Contact e-mail shown to shoppers.")
    phone: Phone | None = Field(default=None, description="Contact phone with DDD, shown to shoppers.")
    whatsapp: WhatsappNumber | None = None
    return_policy_url: PublicLink | None = Field(default=None, description="The exchange and return policy's page.")
    return_policy_text: MultilineText | None = Field(
        default=None, min_length=1, max_length=4000, description="The exchange and return policy, as text."
    )


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

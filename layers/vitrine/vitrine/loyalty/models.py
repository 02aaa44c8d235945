"""Loyalty: the merchant's settings (input, stored, view), the per-order loyalty ledger, and what is sent to the
partner (``docs/loyalty-partner.md``).

Scoring (``vitrine.loyalty.rules``): a line scores when its product's brand participates and the fulfilling store has
a table; its rate is the table's rate for the brand, else for the most specific of its classifiers, else the table's
default; without any of them the line scores nothing.
"""

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AwareDatetime, ConfigDict, Field, field_validator

from vitrine.documents import Cpf
from vitrine.ids import Sku, StoreCode
from vitrine.inputs import Count, Flag, Text
from vitrine.lazy_models import LazyModel
from vitrine.money import Centavos
from vitrine.outbound_targets import check_outbound_url

MAX_BRANDS = 200
MAX_STORE_TABLES = 50
MAX_RATES = 30
MAX_RATE = 100_000


class ScoringMode(StrEnum):
    PER_REAL = "per_real"  # points per R$ 1,00 of the line's amount
    PER_UNIT = "per_unit"  # points per unit sold


Name = Annotated[Text, Field(min_length=1, max_length=60)]
Rate = Annotated[Count, Field(ge=0, le=MAX_RATE)]


def fold_name(name: str) -> str:
    """How brands and classifiers are compared: case and surrounding spaces aside."""
    return " ".join(name.split()).casefold()


class Input(LazyModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class StoreTable(Input):
    """One store's scoring table: points per R$ 1,00 (or per unit, as the mode says) by brand, by classifier, or a
    default for any participating brand."""

    partner_store_code: str = Field(
        min_length=1,
        max_length=40,
        pattern=r"^[A-Za-z0-9._-]+$",
        description="The store's code at the loyalty partner (sent with every accrual and reversal).",
    )
    default_rate: Rate | None = Field(
        default=None, description="Points for a participating brand with no rate of its own (null: it scores nothing)."
    )
    brand_rates: dict[Name, Rate] = Field(default_factory=dict, max_length=MAX_RATES)
    classifier_rates: dict[Name, Rate] = Field(
        default_factory=dict, max_length=MAX_RATES, description="Used when the brand has no rate of its own."
    )


class PartnerInput(Input):
    base_url: str = Field(
        min_length=8,
        max_length=500,
        description="Where the partner serves POST /accruals and /reversals: https to a public host (http to "
        "loopback on the local stack), without query or fragment.",
    )
    api_key: str | None = Field(
        default=None,
        min_length=8,
        max_length=500,
        pattern=r"^[\x21-\x7e]+$",
        description="Sent as 'Authorization: Bearer <api_key>'. Write-only: never shown again. Required the first "
        "time; left out, the stored key is kept.",
    )

    @field_validator("base_url")
    @classmethod
    def _target(cls, url: str) -> str:
        if "?" in url or "#" in url:
            raise ValueError("the base URL takes no query or fragment: Vitrine adds /accruals and /reversals")
        return check_outbound_url(url, authenticate_by="the API key").rstrip("/")


class LoyaltySettingsInput(Input):
    enabled: Flag = Field(description="Utiliza pontuação: false stops scoring new invoices (what was sent stays).")
    mode: ScoringMode = Field(description="per_real: points per R$ 1,00 of each line; per_unit: points per unit.")
    brands: list[Name] = Field(
        default_factory=list, max_length=MAX_BRANDS, description="The participating brands (only their lines score)."
    )
    stores: dict[StoreCode, StoreTable] = Field(
        default_factory=dict,
        max_length=MAX_STORE_TABLES,
        description="A table per store; a store without one scores nothing.",
    )
    partner: PartnerInput | None = Field(default=None, description="The loyalty partner; required while enabled.")


class PartnerSettings(LazyModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    base_url: str
    api_key: str
    api_key_updated_at: AwareDatetime


class LoyaltySettings(LazyModel):
    """The settings as stored (the partner's API key among them: the table is encrypted at rest)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool
    mode: ScoringMode
    brands: list[str]
    stores: dict[str, StoreTable]
    # Defaulted: a stored null is no attribute at all (``repository.items.to_item``).
    partner: PartnerSettings | None = None
    updated_at: AwareDatetime


class PartnerView(LazyModel):
    base_url: str
    api_key_set: bool = Field(description="true: a key is stored (it is never shown).")
    api_key_updated_at: AwareDatetime


class LoyaltySettingsView(LazyModel):
    enabled: bool
    mode: ScoringMode
    brands: list[str]
    stores: dict[str, StoreTable]
    partner: PartnerView | None
    updated_at: AwareDatetime | None = Field(description="null: never configured.")


class LoyaltyCpfInput(Input):
    cpf: Cpf = Field(description="The professional's CPF, 11 digits (punctuation accepted), checked digit by digit.")


class ScoredLine(LazyModel):
    """An order line as scored: what the partner receives in an accrual or a reversal."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sku: Sku
    brand: str
    classifiers: list[str] = Field(default_factory=list)
    quantity: int = Field(ge=1)
    amount: Centavos = Field(description="The line's total.")
    rate: int = Field(ge=0)
    points: int = Field(ge=0)


class OperationKind(StrEnum):
    ACCRUAL = "accrual"
    REVERSAL = "reversal"


class OperationStatus(StrEnum):
    PENDING = "pending"  # recorded, not yet acknowledged by the partner
    SENT = "sent"
    REFUSED = "refused"  # the partner answered 4xx: not retried; shown to the merchant


class LoyaltyOperation(LazyModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    idempotency_key: str = Field(description="<order_id>:<event_id>:<kind>, the same on every retry.")
    kind: OperationKind
    points: int = Field(ge=1)
    reason: Literal["invoiced", "cancelled", "refunded", "partial_refund"]
    event_id: str
    event_type: str
    status: OperationStatus = OperationStatus.PENDING
    recorded_at: AwareDatetime
    sent_at: AwareDatetime | None = None
    partner_error: str | None = None


class LoyaltyLedger(LazyModel):
    """One order's loyalty: the facts the order events told (monotone: invoiced once, ended once, the largest
    refunded total), what was scored at invoice, and each accrual and reversal recorded and sent.

    ``version`` guards every write (a conditional put), so two deliveries of the order's events never both record."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    order_id: str
    version: int = 0
    events_seen: list[str] = Field(default_factory=list)
    invoiced: bool = False
    ended_by: Literal["cancelled", "refunded"] | None = Field(
        default=None, description="The order was cancelled or wholly refunded (after or before the invoice)."
    )
    refunded_total: Centavos = 0
    order_total: Centavos = 0
    cpf: str | None = None
    partner_store_code: str | None = None
    lines: list[ScoredLine] = Field(default_factory=list)
    points: int = Field(default=0, ge=0, description="What the invoiced lines scored.")
    accrued: int = Field(default=0, ge=0)
    reversed: int = Field(default=0, ge=0)
    skipped: str | None = Field(default=None, description="Why the invoice scored nothing (no CPF, disabled, ...).")
    operations: list[LoyaltyOperation] = Field(default_factory=list)

    @property
    def ended(self) -> bool:
        return self.ended_by is not None

    @property
    def points_sent(self) -> bool:
        """An accrual was recorded: its CPF and store are fixed."""
        return any(op.kind is OperationKind.ACCRUAL for op in self.operations)


class LoyaltyStatus(LazyModel):
    """The order's points as its pages show them."""

    state: Literal["to_score", "scored", "reversed", "none"] = Field(
        description="to_score: a pontuar (not invoiced yet); scored; reversed (some or all); none: scores nothing."
    )
    points: int = Field(description="Points accrued minus reversed (0 while to_score).")
    accrued: int
    reversed: int
    cpf_locked: bool = Field(description="true: the points were sent, the CPF can no longer change.")

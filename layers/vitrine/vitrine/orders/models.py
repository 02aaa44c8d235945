"""Orders: the checkout's input, the order as stored, the views shoppers get back, and the books and transition
plans the state machine (``orders.state``) makes and the repository writes.

Inputs forbid unknown fields (no mass assignment of status or totals); the one exception is a line's
``unit_price``, which shopping carts echo back and which is accepted and ignored: prices come from the server.
"""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, ConfigDict, Field, model_validator

from vitrine.addresses import Address, Cep
from vitrine.consents.models import OrderConsent
from vitrine.documents import Cpf, CpfOrCnpj, DocumentType, NfeAccessKey, document_type
from vitrine.ids import MerchantId, OrderCode, PersonId, Sku, Slug, StoreCode
from vitrine.inputs import REFUSED, Count, Email, Flag, Phone, Text
from vitrine.lazy_models import LazyModel
from vitrine.money import Centavos
from vitrine.payments.charges import Charge
from vitrine.payments.methods import PaymentMethod

if TYPE_CHECKING:  # a plan's entries and events; the order models' importers (every cold start) skip them
    from vitrine.events.envelope import EventEnvelope
    from vitrine.ledger.models import LedgerEntry

MAX_LINES = 30
MAX_QUANTITY = 999


class OrderStatus(StrEnum):
    PENDING_PAYMENT = "pending_payment"
    PAID = "paid"
    ON_HOLD = "on_hold"
    IN_PREPARATION = "in_preparation"
    READY_FOR_PICKUP = "ready_for_pickup"
    DISPATCHED = "dispatched"
    INVOICED = "invoiced"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


# Statuses that still wait for money: the order stays in the reservation-expiry index.
AWAITING_PAYMENT = frozenset({OrderStatus.PENDING_PAYMENT, OrderStatus.ON_HOLD})


class OrderOrigin(StrEnum):
    CATALOG = "catalog"
    SELLER = "seller"
    CUSTOMER_PORTAL = "customer_portal"


class Input(LazyModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class LineInput(Input):
    product_sku: Sku
    sku: Sku = Field(description="The variant's SKU (size/colour).")
    quantity: Count = Field(ge=1, le=MAX_QUANTITY)
    unit_price: Centavos | None = Field(default=None, description="Ignored: prices are the server's.")


class DeliveryInput(Input):
    kind: Literal["delivery"]
    address: Address


class PickupInput(Input):
    kind: Literal["pickup"]
    store_code: StoreCode


NotifyChannel = Literal["whatsapp", "sms", "email"]


def _known_text_version(value: str) -> str:
    from vitrine.consents.texts import is_known_version

    if not is_known_version(value):
        raise ValueError("unknown consent text version: send the version the page showed")
    return value


ConsentTextVersion = Annotated[
    str,
    Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", description="The version of the consent texts the form showed."),
    AfterValidator(_known_text_version),
]


class CustomerInput(Input):
    """The buyer as the checkout form sends them: a person by CPF or a company by CNPJ (``document``). ``cpf`` is
    the field's older name, still taken for a person's CPF; send one of the two."""

    # The rule of ``_one_document`` as the OpenAPI document says it.
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "oneOf": [
                {"required": ["document"], "properties": {"document": {"type": "string"}}},
                {"required": ["cpf"], "properties": {"cpf": {"type": "string"}}},
            ]
        },
    )

    name: Text = Field(min_length=2, max_length=120, description="The person's or the company's name.")
    document: CpfOrCnpj | None = Field(
        default=None,
        description="The buyer's CPF (a person, 11 digits) or CNPJ (a company, 14), checked digit by digit.",
    )
    cpf: Cpf | None = Field(
        default=None,
        description="Deprecated: the older name of `document`, for a CPF only.",
        json_schema_extra={"deprecated": True},
    )
    phone: Phone
    email: Email

    @model_validator(mode="after")
    def _one_document(self) -> "CustomerInput":
        if (self.document is None) == (self.cpf is None):
            raise ValueError("send the buyer's CPF or CNPJ as document")
        return self


class OrderCustomer(LazyModel):
    """The buyer on an order, with which document they gave (``document_type``), as the ERP registers them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    document: str = Field(description="CPF (11 digits) or CNPJ (14 digits).")
    document_type: DocumentType
    phone: str
    email: str

    @model_validator(mode="before")
    @classmethod
    def _from_checkout_or_older_order(cls, data: object) -> object:
        # What a checkout sent becomes the order's buyer; an order stored before CNPJ buyers holds a ``cpf``.
        if isinstance(data, CustomerInput):
            data = data.model_dump(exclude_none=True)
        if isinstance(data, dict) and "document" not in data and "cpf" in data:
            data = {**{k: v for k, v in data.items() if k != "cpf"}, "document": data["cpf"]}
        if isinstance(data, dict) and "document_type" not in data and isinstance(data.get("document"), str):
            data = {**data, "document_type": document_type(data["document"])}
        return data


class PixPayment(Input):
    method: Literal["pix"]


class BoletoPayment(Input):
    method: Literal["boleto"]


class CardPayment(Input):
    method: Literal["card"]
    card_token: str = Field(
        min_length=4, max_length=100, pattern=r"^[!-~]+$", description="Token from the gateway's tokenization."
    )
    installments: Count = Field(default=1, ge=1, le=12)


class CheckoutRequest(Input):
    catalog: Slug
    lines: list[LineInput] = Field(min_length=1, max_length=MAX_LINES)
    customer: CustomerInput
    fulfilment: Annotated[DeliveryInput | PickupInput, Field(discriminator="kind")]
    payment: Annotated[PixPayment | CardPayment | BoletoPayment, Field(discriminator="method")]
    professional_cpf: Cpf | None = Field(default=None, description="CPF that earns the loyalty points.")
    marketing_consent: Flag = False
    notify_channel: NotifyChannel = Field(
        default="whatsapp",
        description="Where the shopper gets the order's updates: WhatsApp or SMS to the phone, or the e-mail.",
    )
    customer_id: PersonId | None = Field(
        default=None, description="A signed-in seller orders for this customer of theirs, at the customer's prices."
    )
    consent_text_version: ConsentTextVersion | None = Field(
        default=None,
        description=(
            "The version of the consent texts the checkout showed (the storefront page names it); required with "
            "marketing_consent true. Recorded, with the texts' SHA-256, on the order's consent records."
        ),
    )

    @model_validator(mode="after")
    def _consent_names_its_text(self) -> "CheckoutRequest":
        if self.marketing_consent and self.consent_text_version is None:
            raise ValueError("marketing_consent needs consent_text_version, the version of the text shown")
        return self


class QuoteRequest(Input):
    catalog: Slug
    lines: list[LineInput] = Field(min_length=1, max_length=MAX_LINES)
    cep: Cep | None = None
    pickup_store: StoreCode | None = None
    customer_id: PersonId | None = Field(
        default=None, description="A signed-in seller quotes for this customer of theirs, at the customer's prices."
    )


class OrderLine(LazyModel):
    product_sku: Sku
    sku: Sku
    name: str
    size: str | None
    colour: str | None
    quantity: int
    unit_price: Centavos
    total: Centavos


class ShortLine(LazyModel):
    sku: Sku
    requested: int
    available: int


class Fulfilment(LazyModel):
    kind: Literal["delivery", "pickup"]
    store_code: StoreCode = Field(description="The store that ships or hands over the goods.")
    address: Address | None = None
    delivery_price: Centavos = 0
    delivery_days: int | None = None


class Installment(LazyModel):
    count: int
    amount: Centavos = Field(description="Each instalment; the last one absorbs the rounding.")


class Quote(LazyModel):
    lines: list[OrderLine]
    short_lines: list[ShortLine]
    subtotal: Centavos
    fulfilment: Fulfilment | None
    total: Centavos
    installments: list[Installment]


class Invoice(Input):
    """The NF-e the ERP issued for the order (the shopper's proof of purchase)."""

    access_key: NfeAccessKey
    number: Count = Field(ge=1, le=999_999_999, description="NF-e number (nNF).")
    series: Count = Field(ge=0, le=999, description="NF-e series (serie).")


class Shipment(Input):
    """Who carries a delivery and how the shopper follows it."""

    carrier: Text = Field(min_length=1, max_length=60, description="Carrier's name, e.g. Correios, Jadlog.")
    tracking_code: str = Field(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9./-]+$")
    tracking_url: str | None = Field(default=None, max_length=500, pattern=rf"^https://[^\s{REFUSED}]+$")


class StatusChange(LazyModel):
    status: OrderStatus
    at: AwareDatetime
    reason: str | None = None


# The reason of the moves the ERP reports (``erp.order_reports``); a status it reported means it has the order.
ERP_REASON = "erp"


class LoyaltyCpfChange(LazyModel):
    """The professional's CPF set or removed on the order after checkout (``vitrine.loyalty.professional_cpf``)."""

    cpf: str | None = Field(default=None, description="The CPF set (null: removed).")
    at: AwareDatetime
    by: str | None = Field(default=None, description="Who changed it (the caller's id).")


class CancellationRequest(LazyModel):
    """A cancellation asked from Vitrine of an order the ERP already has: the ERP cancels it (and its NF-e) and
    reports ``cancelled``; until then the order keeps its status."""

    model_config = ConfigDict(frozen=True)

    reason: str = Field(description="Why, as the merchant gave it.")
    requested_at: AwareDatetime


class Order(LazyModel):
    model_config = ConfigDict(frozen=True)

    order_id: str
    order_code: OrderCode | None = Field(default=None, description="Short code, unique per merchant (null: older).")
    merchant_id: MerchantId
    catalog_id: str
    origin: OrderOrigin
    store_code: StoreCode = Field(description="Where the order was placed (9900 = online site).")
    seller_id: str | None = None
    customer_id: str | None = Field(default=None, description="The B2B customer the order is for.")
    price_table_id: str | None = Field(default=None, description="The price table that priced the lines.")
    customer: OrderCustomer
    fulfilment: Fulfilment
    lines: list[OrderLine]
    subtotal: Centavos
    total: Centavos
    payment_method: PaymentMethod
    installments: int = 1
    professional_cpf: str | None = Field(default=None, description="The CPF that earns the loyalty points.")
    loyalty_cpf_history: list[LoyaltyCpfChange] = Field(
        default_factory=list, description="Each change of the professional's CPF after checkout, oldest first."
    )
    marketing_consent: bool = False
    notify_channel: NotifyChannel = Field(default="whatsapp", description="Where the shopper gets the updates.")
    consents: list[OrderConsent] = Field(default_factory=list, description="The consent records its checkout wrote.")
    status: OrderStatus = OrderStatus.PENDING_PAYMENT
    version: int = 1
    created_at: AwareDatetime
    reservation_expires_at: AwareDatetime
    status_history: list[StatusChange]
    charge: Charge | None = Field(default=None, description="The payment gateway's charge, once created.")
    invoice: Invoice | None = Field(default=None, description="The NF-e, once the ERP reports it invoiced.")
    shipment: Shipment | None = Field(default=None, description="Carrier and tracking, once the ERP dispatches it.")
    cancellation_requested: CancellationRequest | None = Field(
        default=None, description="A cancellation the ERP was asked for and has not reported yet (null: none)."
    )


class ReservationOutcome(StrEnum):
    RELEASED = "released"
    CONSUMED = "consumed"


class OrderMoney(LazyModel):
    """What an order has booked so far: running totals, and counters that number its entries and requests."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    captured: Centavos = 0
    refunded: Centavos = 0
    charged_back: Centavos = 0
    refund_requested: Centavos = Field(default=0, description="Refunds asked of the gateway, in total.")
    refund_requests: int = Field(default=0, ge=0, description="How many refunds were asked (numbers their keys).")
    entries: int = Field(default=0, ge=0, description="Ledger entries booked (the next one is entries + 1).")


@dataclass(frozen=True)
class OrderBooks:
    """The order's bookkeeping beside ``Order``: its money so far and how its stock reservation ended."""

    money: OrderMoney = field(default_factory=OrderMoney)
    reservation: ReservationOutcome | None = None
    review_reminded_at: datetime | None = None  # when the merchant was reminded of a held payment's deadline


@dataclass(frozen=True)
class TransitionPlan:
    """Everything one transition writes, in one transaction: nothing is written when ``is_noop``."""

    order: Order
    expected_version: int
    previous_status: OrderStatus
    history_entry: StatusChange | None
    money: OrderMoney
    reservation: ReservationOutcome | None
    ledger_entries: "tuple[LedgerEntry, ...]"
    events: "tuple[EventEnvelope, ...]"
    refund_to_request: int
    charge: Charge | None = None  # the gateway's latest view of the charge, kept on the order for its page
    invoice: Invoice | None = None  # the NF-e, when this move is the first to report it
    shipment: Shipment | None = None  # carrier and tracking, when this move is the first to report them
    # The order's next stop in the expiry index (GSI2), when this move sets one: a hold's reminder or deadline.
    expiry_index_at: datetime | None = None
    review_reminded_at: datetime | None = None  # this move reminds the merchant of a held payment
    cancellation_request: CancellationRequest | None = None  # this move asks the ERP to cancel the order

    @property
    def review_deadline(self) -> datetime | None:
        """When a held payment is cancelled if nobody decides it (the reservation lasts until then)."""
        return self.order.reservation_expires_at if self.order.status is OrderStatus.ON_HOLD else None

    @property
    def is_noop(self) -> bool:
        return (
            self.history_entry is None
            and not self.ledger_entries
            and not self.events
            and self.reservation is None
            and self.charge is None
            and self.invoice is None
            and self.shipment is None
            and self.expiry_index_at is None
            and self.cancellation_request is None
        )

    @property
    def enters_erp_feed(self) -> bool:
        """The move that makes the order paid offers it to the ERP (an order is paid once: ``paid`` never repeats);
        a cancellation request offers it again, so the ERP reads the request where it read the order."""
        paid = self.history_entry is not None and self.history_entry.status is OrderStatus.PAID
        return paid or self.cancellation_request is not None

    @property
    def leaves_expiry_index(self) -> bool:
        return self.previous_status in AWAITING_PAYMENT and self.order.status not in AWAITING_PAYMENT

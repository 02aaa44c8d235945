"""The payment gateway port: what the core asks of any gateway, in Vitrine's own words.

Checkout builds a ``ChargeRequest`` from the order it just wrote; an adapter (``pagarme.PagarmeGateway``, or the
sandbox behind the same adapter locally) turns it into the gateway's request and its answer into a ``Charge``.
Money is integer centavos; the gateway's statuses are mapped onto ``ChargeStatus`` so no caller reads
pagar.me's vocabulary. Card data never reaches Vitrine: the browser tokenizes the card at the gateway with the
public key and only the token travels in ``CardOptions``.

Refunds are amounts, not statuses: a charge refunded in part stays ``paid`` with ``refunded_amount`` above zero;
refunded in full it is ``cancelled`` with ``refunded_amount == paid_amount``; a pending charge cancelled before
anyone paid is ``cancelled`` with ``refunded_amount == 0`` (no money moved).

A card charge held for antifraud review (``under_review``) is decided by the merchant: approving it is
``capture_charge`` (it becomes ``paid``), refusing it is ``cancel_charge`` (it becomes ``cancelled``, nothing paid).
"""

import re
from datetime import date
from typing import Annotated, Protocol

from pydantic import AfterValidator, AliasChoices, ConfigDict, Field, model_validator

from vitrine.documents import CpfOrCnpj, DocumentType, document_type
from vitrine.ids import MerchantId
from vitrine.lazy_models import LazyModel
from vitrine.money import Centavos

# The charge as Vitrine keeps it is ``payments.charges`` (an order holds one: whatever reads orders need not load the
# port's requests); the port answers it, and re-exports it.
from vitrine.payments.charges import BoletoDetails as BoletoDetails
from vitrine.payments.charges import CardDetails as CardDetails
from vitrine.payments.charges import Charge as Charge
from vitrine.payments.charges import ChargeStatus as ChargeStatus
from vitrine.payments.charges import PixDetails as PixDetails
from vitrine.payments.methods import PaymentMethod

MAX_INSTALLMENTS = 12
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _phone(value: str) -> str:
    digits = "".join(ch for ch in value if ch.isdigit())
    if len(digits) in (12, 13) and digits.startswith("55"):
        digits = digits[2:]
    if len(digits) not in (10, 11) or digits[0] == "0":
        raise ValueError("a Brazilian phone has a 2-digit area code and 8 or 9 digits")
    return digits


def _email(value: str) -> str:
    if not _EMAIL.match(value):
        raise ValueError("not an e-mail address")
    return value


OrderId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=48,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="Vitrine's order id: the gateway order's `code` and the base of its idempotency key.",
    ),
]
Phone = Annotated[str, Field(description="Area code + number, digits only (+55 accepted)."), AfterValidator(_phone)]
Email = Annotated[str, Field(max_length=64), AfterValidator(_email)]


class _Input(LazyModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ChargeItem(_Input):
    code: str = Field(min_length=1, max_length=60, description="SKU, or e.g. `entrega` for the delivery line.")
    description: str = Field(min_length=1, max_length=256)
    quantity: int = Field(ge=1, le=10_000)
    unit_amount: Centavos = Field(gt=0, strict=True)

    @property
    def amount(self) -> int:
        return self.quantity * self.unit_amount


class BillingAddress(_Input):
    line_1: str = Field(min_length=1, max_length=256, description="Number, street, neighbourhood.")
    line_2: str | None = Field(default=None, max_length=128)
    zip_code: str = Field(pattern=r"^\d{8}$", description="CEP, 8 digits.")
    city: str = Field(min_length=1, max_length=64)
    state: str = Field(pattern=r"^[A-Z]{2}$", description="UF, e.g. SP.")


class Customer(_Input):
    """Who pays: a person (CPF) or a company (CNPJ)."""

    name: str = Field(min_length=1, max_length=64)
    email: Email
    # ``cpf``: the name it had while every payer was a person.
    document: CpfOrCnpj = Field(validation_alias=AliasChoices("document", "cpf"))
    phone: Phone
    address: BillingAddress | None = Field(default=None, description="Required for boleto (registered boletos).")

    @property
    def document_type(self) -> DocumentType:
        return document_type(self.document)


class PixOptions(_Input):
    expires_in: int = Field(default=1800, ge=60, le=7 * 24 * 3600, description="Seconds until the Pix expires.")


class CardOptions(_Input):
    token: str = Field(min_length=1, max_length=64, description="Card token created by the browser at the gateway.")
    installments: int = Field(default=1, ge=1, le=MAX_INSTALLMENTS)
    statement_descriptor: str | None = Field(default=None, max_length=13, pattern=r"^[A-Za-z0-9 ]+$")


class BoletoOptions(_Input):
    due_at: date
    instructions: str | None = Field(default=None, max_length=256)


class SplitRule(_Input):
    """One recipient's flat share of a charge. The platform's rule is the ``liable`` one (it answers for
    chargebacks) and pays the gateway's processing and remainder fees, so the merchant's share arrives whole."""

    recipient_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    amount: Centavos = Field(gt=0, strict=True)
    liable: bool = False
    charge_processing_fee: bool = False
    charge_remainder_fee: bool = False


class ChargeRequest(_Input):
    merchant_id: MerchantId
    order_id: OrderId
    attempt: int = Field(
        default=1, ge=1, le=20, description="Payment attempt of this order; a new attempt after a failed charge."
    )
    amount: Centavos = Field(gt=0, strict=True)
    items: tuple[ChargeItem, ...] = Field(min_length=1, max_length=500)
    customer: Customer
    method: PaymentMethod
    pix: PixOptions | None = None
    card: CardOptions | None = None
    boleto: BoletoOptions | None = None
    split: tuple[SplitRule, ...] = Field(
        default=(), max_length=2, description="The merchant's and the platform's shares; none without recipients."
    )

    @model_validator(mode="after")
    def _consistent(self) -> "ChargeRequest":
        if sum(item.amount for item in self.items) != self.amount:
            raise ValueError("amount must equal the sum of the items (delivery is an item line)")
        if self.split:
            if sum(rule.amount for rule in self.split) != self.amount:
                raise ValueError("the split's shares must add up to the charge's amount, to the centavo")
            if sum(rule.liable for rule in self.split) != 1 or sum(r.charge_processing_fee for r in self.split) != 1:
                raise ValueError("exactly one share is liable and exactly one pays the processing fee")
        options = {PaymentMethod.PIX: self.pix, PaymentMethod.CARD: self.card, PaymentMethod.BOLETO: self.boleto}
        if options[self.method] is None:
            raise ValueError(f"method {self.method} needs its `{self.method}` options")
        if any(value is not None for method, value in options.items() if method != self.method):
            raise ValueError(f"only the `{self.method}` options may be given for method {self.method}")
        if self.method is PaymentMethod.BOLETO and self.customer.address is None:
            raise ValueError("a boleto needs the customer's address")
        return self

    @property
    def idempotency_key(self) -> str:
        """The order id on the first attempt; a new key per new attempt, so a retry after a decline is a new charge.

        The gateway replays the stored answer for a repeated key, so a network retry of the same attempt never
        creates a second charge.
        """
        return self.order_id if self.attempt == 1 else f"{self.order_id}-{self.attempt}"


class PaymentGateway(Protocol):
    """Any gateway Vitrine can charge through. Errors are those of ``vitrine.payments.errors``."""

    def create_charge(self, request: ChargeRequest) -> Charge:
        """Create the order's charge; idempotent for the same ``request.idempotency_key``."""
        ...

    def get_charge(self, charge_id: str) -> Charge:
        """The charge as the gateway sees it now (webhooks are notifications, this is the truth)."""
        ...

    def cancel_charge(
        self, charge_id: str, amount: int | None = None, *, idempotency_key: str, borne_by: str | None = None
    ) -> Charge:
        """Cancel a pending charge, or refund a paid one: all of what is left, or ``amount`` centavos of it.
        ``borne_by`` names the recipient the refund is taken from in full (the merchant's, for a split charge:
        the ledger debits the merchant the whole refund and the platform keeps its fee).

        Idempotent for the same ``idempotency_key`` (e.g. ``<order_id>-refund-<n>``): a retried refund never
        returns the money twice, and a new refund of the same order needs a new key.
        """
        ...

    def capture_charge(self, charge_id: str, amount: int | None = None, *, idempotency_key: str) -> Charge:
        """Capture an authorised card charge, all of it or ``amount`` centavos: how the merchant approves a charge
        held for antifraud review. The charge comes back ``paid`` with its ``paid_amount``.

        Idempotent for the same ``idempotency_key`` (e.g. ``<order_id>-capture``); a charge that is no longer
        capturable (paid, failed, cancelled) is ``PaymentRequestRejected``.
        """
        ...

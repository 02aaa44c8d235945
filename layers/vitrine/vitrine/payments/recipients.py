"""Recipients: the merchant as the gateway's recipient (recebedor), in Vitrine's own words.

A merchant never opens a gateway account of its own: Vitrine registers it as a recipient of the platform's
marketplace, the charges split their amounts between the merchant's recipient and the platform's, and Vitrine
transfers the merchant's balance to its bank account on its own schedule (the gateway's automatic transfers are
off). What the gateway needs to register one, since the Central Bank's Circular 3.978/2020 rules took effect there
in 2024, is its *register information*: a company (CNPJ) with its trading name, annual revenue, CNAE, main address
and its managing partners, or a person (CPF) with birth date, income, occupation and address; plus the default
bank account the transfers go to.

Statuses are the gateway's (``registration`` until the identity check, with its liveness selfie, is passed through
the KYC link; ``affiliation`` while the gateway accredits; ``active``; ``refused``/``suspended``/``blocked``/
``inactive``). Only an ``active`` recipient receives a transfer; the rest are told to the merchant.

The bank account's holder is the merchant: its document is the merchant's CNPJ, or, for a sole owner, the CPF of
the partner who represents it (``holder_document_allowed``). Amounts are integer centavos.
"""

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Literal, Protocol

from pydantic import ConfigDict, Field, model_validator

from vitrine.addresses import Address
from vitrine.documents import Cpf, CpfOrCnpj, document_type
from vitrine.inputs import Email, Flag, Text
from vitrine.lazy_models import LazyModel
from vitrine.money import Centavos

if TYPE_CHECKING:
    from vitrine.payments.anticipations import Anticipation, AnticipationLimits, Payable, Timeframe

# Compensation codes (COMPE) of the banks are three digits: 001 Banco do Brasil, 237 Bradesco, 260 Nu Pagamentos...
BankCode = Annotated[str, Field(pattern=r"^[0-9]{3}$", description="The bank's 3-digit COMPE code (001, 237, 341).")]
Cnae = Annotated[str, Field(pattern=r"^[0-9]{7}$", description="The company's main CNAE, 7 digits (4744005).")]
MobilePhone = Annotated[
    str, Field(pattern=r"^[1-9][0-9][0-9]{8,9}$", description="DDD and number, digits only (11987654321).")
]


class RecipientStatus(StrEnum):
    REGISTRATION = "registration"
    AFFILIATION = "affiliation"
    ACTIVE = "active"
    REFUSED = "refused"
    SUSPENDED = "suspended"
    BLOCKED = "blocked"
    INACTIVE = "inactive"


class _Input(LazyModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class BankAccount(_Input):
    """Where the merchant's payouts go (a checking or savings account in the holder's name)."""

    holder_name: Text = Field(min_length=1, max_length=30, description="As the bank has it (30 characters at most).")
    holder_document: CpfOrCnpj = Field(
        description="The holder's CNPJ or CPF: the merchant's CNPJ, or the CPF of its owner or a managing partner."
    )
    bank: BankCode
    branch_number: str = Field(pattern=r"^[0-9]{1,4}$", description="Agência, up to 4 digits, without its digit.")
    branch_check_digit: str | None = Field(default=None, pattern=r"^[0-9xX]$", description="Agência's digit, if any.")
    account_number: str = Field(pattern=r"^[0-9]{1,13}$", description="Conta, up to 13 digits, without its digit.")
    account_check_digit: str = Field(pattern=r"^[0-9xX]{1,2}$", description="Conta's digit (1 or 2; X allowed).")
    type: Literal["checking", "savings"] = Field(description="Conta corrente (checking) or poupança (savings).")

    @property
    def holder_type(self) -> Literal["individual", "company"]:
        return "company" if document_type(self.holder_document) == "cnpj" else "individual"


class _Person(_Input):
    """What the gateway asks of a person: a managing partner, or the merchant registered by its owner's CPF."""

    name: Text = Field(min_length=1, max_length=100)
    email: Email
    document: Cpf
    phone: MobilePhone
    birthdate: date
    monthly_income: Centavos = Field(description="Monthly income in centavos.")
    professional_occupation: Text = Field(min_length=1, max_length=60)
    address: Address


class ManagingPartner(_Person):
    """A partner who manages the company, as the gateway's register information asks."""

    self_declared_legal_representative: Flag = Field(
        default=True, description="Whether this partner declares to represent the company legally."
    )


class CompanyRegistration(_Input):
    """The merchant as a company (pessoa jurídica): the usual case, its CNPJ being the merchant's."""

    type: Literal["corporation"] = "corporation"
    corporate_name: Text = Field(min_length=1, max_length=100, description="Razão social.")
    trade_name: Text = Field(min_length=1, max_length=100, description="Nome fantasia.")
    email: Email
    phone: MobilePhone
    annual_revenue: Centavos = Field(description="Annual revenue (faturamento anual) in centavos.")
    cnae: Cnae | None = None
    founding_date: date | None = None
    site_url: Annotated[str, Field(max_length=200, pattern=r"^https://[^\s]+$")] | None = None
    main_address: Address
    managing_partners: tuple[ManagingPartner, ...] = Field(min_length=1, max_length=5)


class PersonRegistration(_Person):
    """A merchant registered by its owner's CPF (a person selling on its own account)."""

    type: Literal["individual"] = "individual"


Registration = Annotated[CompanyRegistration | PersonRegistration, Field(discriminator="type")]


class RecipientRequest(_Input):
    """What registering the merchant as a recipient sends: ``code`` is the merchant id (one recipient each), and
    ``document`` the company's CNPJ or the person's CPF."""

    code: str = Field(min_length=1, max_length=52)
    document: CpfOrCnpj
    registration: Registration
    bank_account: BankAccount

    @model_validator(mode="after")
    def _document_matches_registration(self) -> "RecipientRequest":
        if isinstance(self.registration, PersonRegistration):
            if self.document != self.registration.document:
                raise ValueError("a person's recipient is registered by the person's own CPF")
        elif document_type(self.document) != "cnpj":
            raise ValueError("a company's recipient is registered by its CNPJ")
        return self


class _Output(LazyModel):
    model_config = ConfigDict(frozen=True)


class Recipient(_Output):
    recipient_id: str
    code: str | None
    status: RecipientStatus
    gateway_status: str = Field(description="The gateway's own status word, kept as it came.")
    bank_account_id: str | None = None
    updated_at: datetime | None = None

    @property
    def may_receive_transfers(self) -> bool:
        return self.status is RecipientStatus.ACTIVE


class KycLink(_Output):
    url: str = Field(description="The gateway's identity-check page for the recipient's representative.")
    qr_code_png_base64: str | None = Field(default=None, description="The same link as a QR code image (base64).")
    expires_at: datetime | None = None


class TransferStatus(StrEnum):
    PENDING = "pending"
    PAID = "paid"
    FAILED = "failed"


class Transfer(_Output):
    """A transfer of a recipient's balance to its bank account, as the gateway reports it."""

    transfer_id: str
    amount: int
    status: TransferStatus
    gateway_status: str
    payout_id: str | None = Field(default=None, description="Vitrine's payout, from the transfer's metadata.")
    recipient_id: str | None = None
    created_at: datetime | None = None


class RecipientBalance(_Output):
    available_amount: int = Field(description="What can be transferred now (centavos).")
    waiting_funds_amount: int = Field(default=0, description="Payables not yet due.")
    transferred_amount: int = Field(default=0)


def holder_document_allowed(
    document: str, *, merchant_cnpj: str, registration: CompanyRegistration | PersonRegistration
) -> bool:
    """The bank account must be the merchant's own: its CNPJ, or the CPF of its owner or a managing partner."""
    if document == merchant_cnpj:
        return True
    if isinstance(registration, PersonRegistration):
        return document == registration.document
    return any(partner.document == document for partner in registration.managing_partners)


class RecipientGateway(Protocol):
    """What the payout side asks of the gateway about recipients. Errors are those of ``vitrine.payments.errors``."""

    def create_recipient(self, request: RecipientRequest, *, idempotency_key: str) -> Recipient: ...

    def get_recipient(self, recipient_id: str) -> Recipient: ...

    def update_bank_account(
        self, recipient_id: str, account: BankAccount, *, merchant_id: str, idempotency_key: str
    ) -> Recipient: ...

    def create_kyc_link(self, recipient_id: str) -> KycLink: ...

    def get_balance(self, recipient_id: str) -> RecipientBalance: ...

    def create_transfer(self, recipient_id: str, amount: int, *, payout_id: str, merchant_id: str) -> Transfer:
        """Transfer ``amount`` to the recipient's bank account; idempotent for the same ``payout_id``."""
        ...

    def get_transfer(self, recipient_id: str, transfer_id: str) -> Transfer: ...

    def list_payables(
        self,
        recipient_id: str,
        *,
        paid_from: date | None = None,
        paid_until: date | None = None,
        anticipation_id: str | None = None,
    ) -> "list[Payable]":
        """The recipient's payables (every page) paid from ``paid_from`` to ``paid_until``, or of one anticipation."""
        ...

    def get_anticipation_limits(
        self, recipient_id: str, timeframe: "Timeframe", payment_date: date
    ) -> "AnticipationLimits": ...

    def create_anticipation(
        self, recipient_id: str, amount: int, timeframe: "Timeframe", payment_date: date, *, idempotency_key: str
    ) -> "Anticipation": ...

    def get_anticipation(self, recipient_id: str, anticipation_id: str) -> "Anticipation": ...

"""pagar.me v5 recipients: the request bodies and the answers' reading, for ``PagarmeGateway``'s recipient calls.

Calls: ``POST /recipients`` (the merchant's register information, default bank account, transfer settings with
automatic transfers off: Vitrine runs the payout schedule; ``code`` = the merchant id), ``GET /recipients/{id}``,
``PATCH /recipients/{id}/default-bank-account`` (``{"bank_account": ..., "payment_mode": "bank_transfer"}``) and
``POST /recipients/{id}/kyc_link`` (the identity check's link and QR code). Shapes from the official SDK
(github.com/pagarme/pagarme-python-sdk: ``doc/models/create-recipient-request.md``,
``create-register-information-{individual,corporation,address,phone}-request.md``,
``create-managing-partner-request.md``, ``create-bank-account-request.md``, ``create-transfer-settings-request.md``,
``get-recipient-response.md``, ``create-kyc-link-response.md``, ``update-recipient-bank-account-request.md``,
``get-balance-response.md``, ``create-transfer-request.md``, ``get-transfer.md`` and
``pagarmeapisdk/controllers/recipients_controller.py`` for the paths: ``GET /recipients/{id}/balance``,
``POST``/``GET /recipients/{id}/transfers[/{transfer_id}]``) and pagar.me's page "API v5 - Mudanças de
contrato na criação de Recebedores" (2024).

Three readings worth saying: that page names ``company_name`` the *nome fantasia* and ``trading_name`` the *razão
social*, so the mapping below follows it, not the words' English sense; birth and founding dates travel as
``dd/mm/aaaa``; declared income and revenue are sent as integer centavos like every v5 amount (the SDK types them
as integers; no recording confirms the unit — see tests/fixtures/pagarme/README.md).
"""

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from vitrine.addresses import Address
from vitrine.payments.anticipations import (
    Anticipation,
    AnticipationLimit,
    AnticipationLimits,
    AnticipationStatus,
    Payable,
    Timeframe,
)
from vitrine.payments.errors import PaymentGatewayResponseInvalid
from vitrine.payments.recipients import (
    BankAccount,
    CompanyRegistration,
    KycLink,
    ManagingPartner,
    PersonRegistration,
    Recipient,
    RecipientBalance,
    RecipientRequest,
    RecipientStatus,
    Transfer,
    TransferStatus,
)

# pagar.me's transfer statuses: money on its way, arrived, or returned.
_TRANSFER_STATUS = {
    "pending_transfer": TransferStatus.PENDING,
    "processing": TransferStatus.PENDING,
    "pending": TransferStatus.PENDING,
    "transferred": TransferStatus.PAID,
    "paid": TransferStatus.PAID,
    "failed": TransferStatus.FAILED,
    "canceled": TransferStatus.FAILED,
}


def _date(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def _address(address: Address) -> dict[str, str]:
    return {
        "street": address.street,
        "complementary": address.complement or "",
        "street_number": address.number,
        "neighborhood": address.district,
        "city": address.city,
        "state": address.state,
        "zip_code": address.cep.replace("-", ""),
        "reference_point": "",
    }


def _phones(phone: str) -> list[dict[str, str]]:
    return [{"ddd": phone[:2], "number": phone[2:], "type": "mobile"}]


def _partner(partner: ManagingPartner) -> dict[str, Any]:
    return {
        "name": partner.name,
        "email": partner.email,
        "document": partner.document,
        "type": "individual",
        "birthdate": _date(partner.birthdate),
        "monthly_income": partner.monthly_income,
        "professional_occupation": partner.professional_occupation,
        "self_declared_legal_representative": partner.self_declared_legal_representative,
        "address": _address(partner.address),
        "phone_numbers": _phones(partner.phone),
    }


def register_information(request: RecipientRequest) -> dict[str, Any]:
    registration = request.registration
    if isinstance(registration, PersonRegistration):
        return {
            "type": "individual",
            "name": registration.name,
            "email": registration.email,
            "document": registration.document,
            "birthdate": _date(registration.birthdate),
            "monthly_income": registration.monthly_income,
            "professional_occupation": registration.professional_occupation,
            "address": _address(registration.address),
            "phone_numbers": _phones(registration.phone),
        }
    company: CompanyRegistration = registration
    body: dict[str, Any] = {
        "type": "corporation",
        "document": request.document,
        "email": company.email,
        # pagar.me's v5 contract page: company_name is the nome fantasia, trading_name the razão social.
        "company_name": company.trade_name,
        "trading_name": company.corporate_name,
        "annual_revenue": company.annual_revenue,
        "main_address": _address(company.main_address),
        "phone_numbers": _phones(company.phone),
        "managing_partners": [_partner(partner) for partner in company.managing_partners],
    }
    if company.cnae:
        body["cnae"] = company.cnae
    if company.founding_date:
        body["founding_date"] = _date(company.founding_date)
    if company.site_url:
        body["site_url"] = company.site_url
    return body


def bank_account_body(account: BankAccount, merchant_id: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "holder_name": account.holder_name,
        "holder_type": account.holder_type,
        "holder_document": account.holder_document,
        "bank": account.bank,
        "branch_number": account.branch_number,
        "account_number": account.account_number,
        "account_check_digit": account.account_check_digit.lower(),
        "type": account.type,
        "metadata": {"merchant_id": merchant_id},
    }
    if account.branch_check_digit:
        body["branch_check_digit"] = account.branch_check_digit.lower()
    return body


def recipient_payload(request: RecipientRequest) -> dict[str, Any]:
    """The ``POST /recipients`` body: Vitrine moves the money on its schedule, so automatic transfers are off."""
    return {
        "code": request.code,
        "register_information": register_information(request),
        "default_bank_account": bank_account_body(request.bank_account, request.code),
        "transfer_settings": {"transfer_enabled": False, "transfer_interval": "Daily", "transfer_day": 0},
        "automatic_anticipation_settings": {"enabled": False},
        "payment_mode": "bank_transfer",
        "metadata": {"merchant_id": request.code},
    }


def update_bank_account_payload(account: BankAccount, merchant_id: str) -> dict[str, Any]:
    return {"bank_account": bank_account_body(account, merchant_id), "payment_mode": "bank_transfer"}


class _Wire(BaseModel):
    # Built at first use (as LazyModel): a payout's cold start reads two of these shapes, not all of them.
    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)


class _WireBankAccount(_Wire):
    id: str | None = None


class _WireRecipient(_Wire):
    id: str
    code: str | None = None
    status: str
    updated_at: datetime | None = None
    default_bank_account: _WireBankAccount | None = None


class _WireKycLink(_Wire):
    url: str
    base64: str | None = None
    expiration_date: datetime | None = None


def recipient_from(body: dict[str, Any]) -> Recipient:
    try:
        wire = _WireRecipient.model_validate(body)
        status = RecipientStatus(wire.status.lower())
    except (ValidationError, ValueError) as exc:
        raise PaymentGatewayResponseInvalid(f"unreadable pagar.me recipient: {exc}") from exc
    return Recipient(
        recipient_id=wire.id,
        code=wire.code,
        status=status,
        gateway_status=wire.status,
        bank_account_id=wire.default_bank_account.id if wire.default_bank_account else None,
        updated_at=wire.updated_at,
    )


def kyc_link_from(body: dict[str, Any]) -> KycLink:
    try:
        wire = _WireKycLink.model_validate(body)
    except ValidationError as exc:
        raise PaymentGatewayResponseInvalid(f"unreadable pagar.me KYC link: {exc.error_count()} problems") from exc
    return KycLink(url=wire.url, qr_code_png_base64=wire.base64, expires_at=wire.expiration_date)


class _WireTransferSource(_Wire):
    source_id: str | None = None


class _WireTransfer(_Wire):
    id: str
    amount: int
    status: str
    created_at: datetime | None = None
    metadata: dict[str, Any] | None = None
    source: _WireTransferSource | None = None


class _WireBalance(_Wire):
    available_amount: int
    waiting_funds_amount: int | None = None
    transferred_amount: int | None = None


def transfer_from(body: dict[str, Any]) -> Transfer:
    try:
        wire = _WireTransfer.model_validate(body)
        status = _TRANSFER_STATUS[wire.status.lower()]
    except (ValidationError, KeyError) as exc:
        raise PaymentGatewayResponseInvalid(f"unreadable pagar.me transfer: {exc}") from exc
    metadata = wire.metadata or {}
    return Transfer(
        transfer_id=wire.id,
        amount=wire.amount,
        status=status,
        gateway_status=wire.status,
        payout_id=metadata.get("payout_id"),
        recipient_id=wire.source.source_id if wire.source else None,
        created_at=wire.created_at,
    )


def balance_from(body: dict[str, Any]) -> RecipientBalance:
    try:
        wire = _WireBalance.model_validate(body)
    except ValidationError as exc:
        raise PaymentGatewayResponseInvalid(f"unreadable pagar.me balance: {exc.error_count()} problems") from exc
    return RecipientBalance(
        available_amount=wire.available_amount,
        waiting_funds_amount=wire.waiting_funds_amount or 0,
        transferred_amount=wire.transferred_amount or 0,
    )


class _WirePayable(_Wire):
    id: int | str
    recipient_id: str
    amount: int
    fee: int | None = None
    anticipation_fee: int | None = None
    installment: int | None = None
    charge_id: str | None = None
    status: str
    payment_date: datetime
    original_payment_date: datetime | None = None
    bulk_anticipation_id: str | None = None
    anticipation_id: str | None = None
    type: str | None = None


class _WirePayables(_Wire):
    data: list[_WirePayable]
    paging: dict[str, Any] | None = None


class _WireLimit(_Wire):
    amount: int
    anticipation_fee: int | None = None


class _WireLimits(_Wire):
    max: _WireLimit
    min: _WireLimit


class _WireAnticipation(_Wire):
    id: str
    requested_amount: int
    approved_amount: int | None = None
    status: str
    timeframe: str | None = None
    payment_date: datetime | None = None
    created_at: datetime | None = None


# pagar.me counts payment days in Brasília (UTC-3 all year since 2019), as the ledger does.
BRASILIA = timezone(timedelta(hours=-3))


def _day(moment: datetime) -> date:
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(BRASILIA).date()


def payables_page_from(body: dict[str, Any]) -> tuple[list[Payable], bool]:
    """One page of ``GET /payables``: its payables, and whether a next page exists."""
    try:
        wire = _WirePayables.model_validate(body)
    except ValidationError as exc:
        raise PaymentGatewayResponseInvalid(f"unreadable pagar.me payables: {exc.error_count()} problems") from exc
    payables = [
        Payable(
            payable_id=str(p.id),
            recipient_id=p.recipient_id,
            amount=p.amount,
            fee=p.fee or 0,
            anticipation_fee=p.anticipation_fee or 0,
            installment=p.installment,
            charge_id=p.charge_id,
            status=p.status,
            payment_date=_day(p.payment_date),
            original_payment_date=_day(p.original_payment_date) if p.original_payment_date else None,
            anticipation_id=p.bulk_anticipation_id or p.anticipation_id,
            kind=p.type,
        )
        for p in wire.data
    ]
    return payables, bool((wire.paging or {}).get("next"))


def limits_from(body: dict[str, Any]) -> AnticipationLimits:
    try:
        wire = _WireLimits.model_validate(body)
    except ValidationError as exc:
        raise PaymentGatewayResponseInvalid(f"unreadable pagar.me anticipation limits: {exc.error_count()}") from exc

    def limit(w: _WireLimit) -> AnticipationLimit:
        return AnticipationLimit(amount=w.amount, anticipation_fee=w.anticipation_fee or 0)

    return AnticipationLimits(maximum=limit(wire.max), minimum=limit(wire.min))


_ANTICIPATION_STATUS = {
    "building": AnticipationStatus.PENDING,
    "pending": AnticipationStatus.PENDING,
    "approved": AnticipationStatus.APPROVED,
    "refused": AnticipationStatus.REFUSED,
    "canceled": AnticipationStatus.CANCELED,
}


def anticipation_from(body: dict[str, Any]) -> Anticipation:
    try:
        wire = _WireAnticipation.model_validate(body)
        status = _ANTICIPATION_STATUS[wire.status.lower()]
        timeframe = Timeframe(wire.timeframe) if wire.timeframe else None
    except (ValidationError, KeyError, ValueError) as exc:
        raise PaymentGatewayResponseInvalid(f"unreadable pagar.me anticipation: {exc}") from exc
    return Anticipation(
        anticipation_id=wire.id,
        requested_amount=wire.requested_amount,
        approved_amount=wire.approved_amount,
        status=status,
        gateway_status=wire.status,
        timeframe=timeframe,
        payment_date=_day(wire.payment_date) if wire.payment_date else None,
        created_at=wire.created_at,
    )


def anticipation_payload(amount: int, timeframe: Timeframe, payment_date: date) -> dict[str, Any]:
    """``POST /recipients/{id}/anticipations``: the payment day as the instant it begins in Brasília."""
    moment = datetime(payment_date.year, payment_date.month, payment_date.day, tzinfo=BRASILIA)
    return {"amount": amount, "timeframe": str(timeframe), "payment_date": moment.astimezone(UTC).isoformat()}

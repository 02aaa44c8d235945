"""The merchant's payout settings and its gateway recipient (``/merchant/v1/payout-settings``).

The first ``PUT`` registers the merchant as the gateway's recipient with its register information and bank
account, then stores the settings; later ones change the schedule, and the bank account through the gateway when
it changed. The gateway is called first and the record written after, each gateway call under an idempotency key
made of what it does (``recipient-<merchant>``, ``bank-<merchant>-<hash of the account>``): a retry after a failed
write replays the gateway's first answer instead of registering twice.

Whose account: the holder's document must be the merchant's CNPJ (as the operator onboarded it) or the CPF of the
person who owns it (the registration's managing partner, or the person registered): money is never paid to a third
party's account, whatever a leaked API key would ask.

The recipient's status is the gateway's: a read of the settings asks the gateway again while the recipient is not
``active`` (the merchant is waiting on it, and reads are rare), and keeps the answer; an active one is read from the
record.
"""

import hashlib
import json
from datetime import UTC, datetime

from vitrine import clock
from vitrine.errors import Conflict, InvalidInput, NotFound
from vitrine.ledger.rules import business_day
from vitrine.payments.recipients import (
    BankAccount,
    KycLink,
    PersonRegistration,
    RecipientGateway,
    RecipientRequest,
    RecipientStatus,
    holder_document_allowed,
)
from vitrine.payouts.models import PayoutSettings, PayoutSettingsInput, PayoutSettingsView, RecipientView
from vitrine.repository import merchants, payouts

STATUS_TEXT = {
    RecipientStatus.REGISTRATION: "Falta a verificação de identidade do responsável: abra o link de verificação.",
    RecipientStatus.AFFILIATION: "Cadastro em análise pelo meio de pagamento.",
    RecipientStatus.ACTIVE: "Ativo: os repasses são transferidos na data combinada.",
    RecipientStatus.REFUSED: "Cadastro recusado pelo meio de pagamento: fale com o suporte.",
    RecipientStatus.SUSPENDED: "Recebedor suspenso: os repasses estão parados. Fale com o suporte.",
    RecipientStatus.BLOCKED: "Recebedor bloqueado: os repasses estão parados. Fale com o suporte.",
    RecipientStatus.INACTIVE: "Recebedor inativo: os repasses estão parados. Fale com o suporte.",
}


def get_payout_settings(gateway: RecipientGateway, merchant_id: str) -> PayoutSettingsView:
    settings = _stored(merchant_id)
    if settings.recipient_status is not RecipientStatus.ACTIVE:
        settings = refresh_recipient(gateway, merchant_id, settings)
    return view(settings)


def stored_payout_settings(merchant_id: str) -> PayoutSettingsView | None:
    """The settings as last stored, without asking the gateway (``None``: not registered yet): what a page that only
    reads shows; ``get_payout_settings`` is what asks the gateway again."""
    settings = payouts.get_payout_settings(merchant_id)
    return view(settings) if settings is not None else None


def refresh_recipient(gateway: RecipientGateway, merchant_id: str, settings: PayoutSettings) -> PayoutSettings:
    """The settings with the recipient's status as the gateway says it now, stored when it changed."""
    recipient = gateway.get_recipient(settings.recipient_id)
    refreshed = settings.model_copy(
        update={"recipient_status": recipient.status, "recipient_checked_at": datetime.now(UTC)}
    )
    if recipient.status is not settings.recipient_status:
        payouts.put_payout_settings(merchant_id, refreshed)
    return refreshed


def put_payout_settings(gateway: RecipientGateway, merchant_id: str, body: PayoutSettingsInput) -> PayoutSettingsView:
    merchant = merchants.get_merchant(merchant_id)
    if merchant is None:
        raise NotFound("merchant not onboarded")
    current = payouts.get_payout_settings(merchant_id)
    now = datetime.now(UTC)
    if current is None:
        registration = body.registration
        if registration is None:
            raise InvalidInput(
                "the first payout settings register the merchant with the gateway: send `registration`",
                details=[{"field": "body.registration", "reason": "required the first time"}],
            )
        _check_holder(body.bank_account, merchant.cnpj, registration)
        document = registration.document if isinstance(registration, PersonRegistration) else merchant.cnpj
        request = RecipientRequest(
            code=merchant_id, document=document, registration=registration, bank_account=body.bank_account
        )
        recipient = gateway.create_recipient(request, idempotency_key=f"recipient-{merchant_id}")
        payouts.put_registration(merchant_id, registration)
    else:
        if body.registration is not None:
            raise Conflict(
                "the merchant is registered with the gateway already; its register is changed through support",
                details=[{"field": "body.registration", "reason": "already sent"}],
            )
        _check_holder(body.bank_account, merchant.cnpj, payouts.get_registration(merchant_id))
        if body.bank_account == current.bank_account:
            recipient = None
        else:
            key = f"bank-{merchant_id}-{_digest(body.bank_account)}"
            recipient = gateway.update_bank_account(
                current.recipient_id, body.bank_account, merchant_id=merchant_id, idempotency_key=key
            )
    settings = PayoutSettings(
        schedule=body.schedule,
        bank_account=body.bank_account,
        recipient_id=recipient.recipient_id if recipient else current.recipient_id,
        recipient_status=recipient.status if recipient else current.recipient_status,
        recipient_checked_at=now if recipient else current.recipient_checked_at,
        updated_at=now,
    )
    payouts.put_payout_settings(merchant_id, settings)
    return view(settings)


def create_kyc_link(gateway: RecipientGateway, merchant_id: str) -> KycLink:
    settings = _stored(merchant_id)
    if settings.recipient_status is not RecipientStatus.REGISTRATION:
        raise Conflict(
            f"the recipient is {settings.recipient_status}: there is no identity check to do",
            details=[{"field": "recipient.status", "reason": str(settings.recipient_status)}],
        )
    return gateway.create_kyc_link(settings.recipient_id)


def view(settings: PayoutSettings) -> PayoutSettingsView:
    status = settings.recipient_status
    return PayoutSettingsView(
        schedule=settings.schedule,
        bank_account=settings.bank_account,
        recipient=RecipientView(
            recipient_id=settings.recipient_id,
            status=status,
            may_receive_transfers=status is RecipientStatus.ACTIVE,
            status_text=STATUS_TEXT[status],
            checked_at=settings.recipient_checked_at,
        ),
        next_payout_on=settings.schedule.next_payout_on(business_day(clock.now())),
    )


def _stored(merchant_id: str) -> PayoutSettings:
    settings = payouts.get_payout_settings(merchant_id)
    if settings is None:
        raise NotFound("no payout settings yet: PUT /merchant/v1/payout-settings registers the merchant")
    return settings


def _check_holder(account: BankAccount, merchant_cnpj: str, registration) -> None:
    if registration is None or not holder_document_allowed(
        account.holder_document, merchant_cnpj=merchant_cnpj, registration=registration
    ):
        raise InvalidInput(
            "the bank account must be the merchant's own: its CNPJ, or the CPF of its owner or a managing partner",
            details=[{"field": "body.bank_account.holder_document", "reason": "not the merchant's"}],
        )


def _digest(account: BankAccount) -> str:
    return hashlib.sha256(json.dumps(account.model_dump(mode="json"), sort_keys=True).encode()).hexdigest()[:24]

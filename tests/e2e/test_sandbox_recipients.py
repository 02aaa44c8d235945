"""The sandbox's recipients against Vitrine's real pagar.me adapter over loopback HTTP: the contract the recordings
pin (tests/integration/test_pagarme_recipients.py) holds here too, and the sandbox's own KYC page approves a
recipient the way a merchant's representative would."""

from collections.abc import Iterator

import pytest
import requests
from pagarme_fixtures import BANK, company_request, pagarme_gateway

from local_stack.sandbox_gateway import SandboxGateway
from vitrine.payments.errors import PaymentRequestRejected, RecipientNotFound
from vitrine.payments.pagarme import PagarmeGateway
from vitrine.payments.recipients import BankAccount, RecipientRequest, RecipientStatus
from vitrine.payments.settings import GatewaySettings


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxGateway]:
    gateway = SandboxGateway()
    gateway.start()
    yield gateway
    gateway.stop()


@pytest.fixture
def gateway(sandbox) -> Iterator[PagarmeGateway]:
    settings = GatewaySettings(PAGARME_BASE_URL=sandbox.api_url, PAGARME_SECRET_KEY=sandbox.secret_key)
    with pagarme_gateway(settings) as adapter:
        yield adapter


def registered(gateway: PagarmeGateway, code: str) -> str:
    request = RecipientRequest.model_validate({**company_request().model_dump(mode="json"), "code": code})
    return gateway.create_recipient(request, idempotency_key=f"recipient-{code}").recipient_id


def test_a_new_recipient_waits_for_its_identity_check_and_the_kyc_page_makes_it_active(sandbox, gateway):
    recipient_id = registered(gateway, "loja-kyc")
    assert gateway.get_recipient(recipient_id).status is RecipientStatus.REGISTRATION

    link = gateway.create_kyc_link(recipient_id)
    page = requests.get(link.url, timeout=5)
    assert page.status_code == 200 and "Aprovar identidade" in page.text
    approved = requests.post(link.url, timeout=5)

    assert approved.status_code == 200 and "Ativo" in approved.text  # the redirect back shows the new status
    recipient = gateway.get_recipient(recipient_id)
    assert recipient.status is RecipientStatus.ACTIVE and recipient.may_receive_transfers


def test_a_repeated_registration_key_answers_the_same_recipient_and_a_second_code_is_refused(gateway):
    first = registered(gateway, "loja-dupla")
    assert registered(gateway, "loja-dupla") == first  # same key: the first answer replayed

    again = RecipientRequest.model_validate({**company_request().model_dump(mode="json"), "code": "loja-dupla"})
    with pytest.raises(PaymentRequestRejected) as refused:
        gateway.create_recipient(again, idempotency_key="another-key")
    assert refused.value.details[0]["field"] == "code"


def test_the_bank_account_change_is_what_the_next_read_shows(gateway):
    recipient_id = registered(gateway, "loja-banco")
    before = gateway.get_recipient(recipient_id).bank_account_id
    account = BankAccount.model_validate({**BANK, "bank": "260", "account_number": "99887766"})

    after = gateway.update_bank_account(recipient_id, account, merchant_id="loja-banco", idempotency_key="bank-1")

    assert after.bank_account_id != before
    assert gateway.get_recipient(recipient_id).bank_account_id == after.bank_account_id


def test_what_pagarme_requires_is_required_here_and_an_unknown_recipient_is_404(sandbox, gateway):
    body = {"code": "loja-sem-dados", "register_information": {"type": "corporation"}, "default_bank_account": {}}
    answer = requests.post(f"{sandbox.api_url}/recipients", json=body, auth=(sandbox.secret_key, ""), timeout=5)

    assert answer.status_code == 422
    missing = set(answer.json()["errors"])
    assert {"register_information.managing_partners", "register_information.document"} <= missing
    assert "default_bank_account.bank" in missing
    with pytest.raises(RecipientNotFound):
        gateway.get_recipient("rp_nao_existe")

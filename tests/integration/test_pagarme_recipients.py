"""The merchant as a pagar.me recipient, against recorded payloads: what registering sends (register information,
bank account, automatic transfers off), how the recipient's status is read, the bank account change, the KYC link,
and the refusals (bad bank data before any request; the gateway's 422 and 404)."""

import json
from datetime import date

import pytest
import responses
from pagarme_fixtures import API, BANK, CNPJ, OWNER_CPF, company_request, fixture
from pydantic import ValidationError
from responses import matchers, registries

from vitrine.payments.anticipations import AnticipationStatus, Timeframe
from vitrine.payments.errors import PaymentGatewayResponseInvalid, PaymentRequestRejected, RecipientNotFound
from vitrine.payments.recipients import BankAccount, RecipientRequest, RecipientStatus, holder_document_allowed

pytestmark = pytest.mark.usefixtures("no_backoff")


@responses.activate
def test_registering_a_company_sends_its_register_information_and_account_with_automatic_transfers_off(gateway):
    call = responses.post(
        f"{API}/recipients",
        json=fixture("recipient_created.json"),
        match=[matchers.header_matcher({"Idempotency-Key": "recipient-demo"})],
    )

    recipient = gateway.create_recipient(company_request(), idempotency_key="recipient-demo")

    assert recipient.recipient_id == "rp_4Wm9ZkB2xQ1yLp7V"
    assert recipient.status is RecipientStatus.REGISTRATION and not recipient.may_receive_transfers
    assert recipient.bank_account_id == "ba_Xq7pJ2kLwTzR8aNd"
    sent = json.loads(call.calls[0].request.body)
    assert sent["code"] == "demo" and sent["metadata"] == {"merchant_id": "demo"}
    # Vitrine runs the payout schedule: the gateway must never transfer by itself.
    assert sent["transfer_settings"]["transfer_enabled"] is False
    assert sent["automatic_anticipation_settings"] == {"enabled": False}
    info = sent["register_information"]
    assert info["type"] == "corporation" and info["document"] == CNPJ
    # pagar.me's v5 contract: company_name is the nome fantasia, trading_name the razão social.
    assert (info["company_name"], info["trading_name"]) == ("Casa Demo", "Casa Demo Materiais de Construção Ltda")
    assert info["founding_date"] == "02/03/2015" and info["cnae"] == "4744005"
    assert info["phone_numbers"] == [{"ddd": "11", "number": "987654321", "type": "mobile"}]
    assert info["main_address"]["zip_code"] == "01310100" and info["main_address"]["street_number"] == "1000"
    partner = info["managing_partners"][0]
    assert partner["document"] == OWNER_CPF and partner["birthdate"] == "17/05/1980"
    assert partner["self_declared_legal_representative"] is True
    account = sent["default_bank_account"]
    assert account["holder_type"] == "company" and account["holder_document"] == CNPJ
    assert (account["bank"], account["branch_number"], account["branch_check_digit"]) == ("341", "0932", "5")
    assert (account["account_number"], account["account_check_digit"], account["type"]) == ("58054", "1", "checking")


@responses.activate
def test_a_recipient_read_later_is_active_once_the_gateway_has_accredited_it(gateway):
    responses.get(f"{API}/recipients/rp_4Wm9ZkB2xQ1yLp7V", json=fixture("recipient_active.json"))

    recipient = gateway.get_recipient("rp_4Wm9ZkB2xQ1yLp7V")

    assert recipient.status is RecipientStatus.ACTIVE and recipient.may_receive_transfers
    assert recipient.code == "demo"


@responses.activate
def test_changing_the_bank_account_patches_the_default_account_and_answers_the_recipient(gateway):
    call = responses.patch(
        f"{API}/recipients/rp_4Wm9ZkB2xQ1yLp7V/default-bank-account",
        json=fixture("recipient_bank_account_updated.json"),
        match=[matchers.header_matcher({"Idempotency-Key": "bank-demo-2"})],
    )
    account = BankAccount.model_validate(
        {**BANK, "bank": "260", "branch_number": "0001", "branch_check_digit": None, "account_number": "12345678"}
        | {"account_check_digit": "9"}
    )

    recipient = gateway.update_bank_account(
        "rp_4Wm9ZkB2xQ1yLp7V", account, merchant_id="demo", idempotency_key="bank-demo-2"
    )

    assert recipient.bank_account_id == "ba_N3vR6tYhC8mQ2sFe"
    sent = json.loads(call.calls[0].request.body)
    assert sent["payment_mode"] == "bank_transfer"
    assert sent["bank_account"]["bank"] == "260" and "branch_check_digit" not in sent["bank_account"]


@responses.activate
def test_the_kyc_link_comes_with_its_qr_code_and_expiry(gateway):
    responses.post(f"{API}/recipients/rp_4Wm9ZkB2xQ1yLp7V/kyc_link", json=fixture("kyc_link.json"))

    link = gateway.create_kyc_link("rp_4Wm9ZkB2xQ1yLp7V")

    assert link.url.startswith("https://pagar.me/kyc/")
    assert link.qr_code_png_base64.startswith("iVBOR") and link.expires_at is not None


@responses.activate
def test_the_gateways_422_names_the_field_and_an_unknown_recipient_is_not_found(gateway):
    responses.post(f"{API}/recipients", status=422, json=fixture("error_422_recipient_validation.json"))
    responses.get(f"{API}/recipients/rp_missing", status=404, json=fixture("error_404_not_found.json"))

    with pytest.raises(PaymentRequestRejected) as refused:
        gateway.create_recipient(company_request(), idempotency_key="recipient-demo")
    assert refused.value.details[0]["field"] == "register_information.managing_partners"
    with pytest.raises(RecipientNotFound):
        gateway.get_recipient("rp_missing")
    with pytest.raises(RecipientNotFound):
        gateway.get_recipient("../orders")  # never a path of another resource
    assert len(responses.calls) == 2


@responses.activate(registry=registries.OrderedRegistry)
def test_a_status_the_port_does_not_know_is_an_unreadable_answer_never_a_guess(gateway):
    responses.get(f"{API}/recipients/rp_1", json={**fixture("recipient_active.json"), "status": "frozen"})

    with pytest.raises(PaymentGatewayResponseInvalid):
        gateway.get_recipient("rp_1")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("bank", "34"),  # COMPE codes are 3 digits
        ("branch_number", "09321"),
        ("account_number", "58a54"),
        ("account_check_digit", "123"),
        ("holder_document", "11.222.333/0001-82"),  # a check digit off
        ("type", "investment"),
    ],
)
def test_bad_bank_data_is_refused_before_any_request(field, value):
    with pytest.raises(ValidationError):
        BankAccount.model_validate({**BANK, field: value})


def test_the_account_must_be_the_merchants_own_its_cnpj_or_a_partners_cpf():
    registration = company_request().registration

    assert holder_document_allowed(CNPJ, merchant_cnpj=CNPJ, registration=registration)
    assert holder_document_allowed(OWNER_CPF, merchant_cnpj=CNPJ, registration=registration)
    assert not holder_document_allowed("39053344705", merchant_cnpj=CNPJ, registration=registration)


def test_a_company_is_registered_by_a_cnpj_and_a_person_by_their_own_cpf():
    with pytest.raises(ValidationError, match="CNPJ"):
        RecipientRequest.model_validate({**company_request().model_dump(mode="json"), "document": OWNER_CPF})


@responses.activate(registry=registries.OrderedRegistry)
def test_a_bank_account_change_the_gateway_failed_is_retried_under_its_key_and_lands_once(gateway):
    path = f"{API}/recipients/rp_4Wm9ZkB2xQ1yLp7V/default-bank-account"
    responses.patch(path, status=503, json=fixture("error_500_internal.json"))
    responses.patch(path, json=fixture("recipient_bank_account_updated.json"))

    recipient = gateway.update_bank_account(
        "rp_4Wm9ZkB2xQ1yLp7V", BankAccount.model_validate(BANK), merchant_id="demo", idempotency_key="bank-demo-3"
    )

    assert recipient.bank_account_id == "ba_N3vR6tYhC8mQ2sFe"
    assert [call.request.headers["Idempotency-Key"] for call in responses.calls] == ["bank-demo-3"] * 2


@responses.activate
def test_payables_are_read_page_by_page_with_their_days_in_brasilia_and_their_anticipation(gateway):
    first = responses.get(f"{API}/payables", json=fixture("payables_page.json"), match=[_page(1)])
    last = responses.get(f"{API}/payables", json=fixture("payables_last_page.json"), match=[_page(2)])
    found = gateway.list_payables("rp_4Wm9ZkB2xQ1yLp7V", paid_from=date(2026, 12, 2), paid_until=date(2027, 1, 2))
    assert first.call_count == last.call_count == 1
    sent = responses.calls[0].request.params
    assert sent["recipient_id"] == "rp_4Wm9ZkB2xQ1yLp7V" and sent["size"] == "100"
    assert sent["payment_date_since"] == "2026-12-02" and sent["payment_date_until"] == "2027-01-02"
    assert [(p.payment_date, p.net, p.installment, p.kind) for p in found] == [
        (date(2027, 1, 1), 3167, 1, "credit"),
        (date(2026, 12, 3), 3167 - 94, 2, "credit"),  # anticipated: its day moved, its fee taken
        (date(2026, 12, 2), -1500, 1, "refund"),
    ]
    assert found[1].original_payment_date == date(2027, 1, 31) and found[1].anticipation_id == "ant_7RmQ2xW9kLp3Vz8N"


def _page(n: int):
    return matchers.query_param_matcher({"page": str(n)}, strict_match=False)


@responses.activate
def test_anticipation_limits_and_request_are_sent_as_pagarme_asks_and_read_back(gateway):
    responses.get(f"{API}/recipients/rp_4Wm9ZkB2xQ1yLp7V/anticipation_limits", json=fixture("anticipation_limits.json"))
    created = responses.post(
        f"{API}/recipients/rp_4Wm9ZkB2xQ1yLp7V/anticipations",
        json=fixture("anticipation_approved.json"),
        match=[matchers.header_matcher({"Idempotency-Key": "ant-key-1"})],
    )
    limits = gateway.get_anticipation_limits("rp_4Wm9ZkB2xQ1yLp7V", Timeframe.START, date(2026, 12, 3))
    asked = responses.calls[0].request.params
    assert asked == {"timeframe": "start", "payment_date": "2026-12-03T03:00:00+00:00"}
    assert (limits.maximum.amount, limits.maximum.anticipation_fee) == (9501, 566)
    assert (limits.minimum.amount, limits.minimum.anticipation_fee) == (3167, 94)

    answer = gateway.create_anticipation(
        "rp_4Wm9ZkB2xQ1yLp7V", 5000, Timeframe.START, date(2026, 12, 3), idempotency_key="ant-key-1"
    )
    assert created.call_count == 1
    assert json.loads(responses.calls[1].request.body) == {
        "amount": 5000,
        "timeframe": "start",
        "payment_date": "2026-12-03T03:00:00+00:00",
    }
    assert answer.status is AnticipationStatus.APPROVED and answer.approved_amount == 3167
    assert answer.payment_date == date(2026, 12, 3) and answer.timeframe is Timeframe.START


@responses.activate
def test_an_anticipation_status_the_port_does_not_know_is_unreadable_never_a_guess(gateway):
    body = {**fixture("anticipation_approved.json"), "status": "half_approved"}
    responses.get(f"{API}/recipients/rp_1/anticipations/ant_1", json=body)
    with pytest.raises(PaymentGatewayResponseInvalid):
        gateway.get_anticipation("rp_1", "ant_1")

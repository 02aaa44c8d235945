"""A merchant's payout settings through its API (``/merchant/v1/payout-settings``) against the sandbox gateway:
the first PUT makes it a recipient, the identity check makes the recipient active, the bank account changes at
the gateway, and what is refused changes nothing here or there."""

import json
import uuid
from datetime import date

import pytest
import requests
from lambda_harness import http, json_body
from pagarme_fixtures import BANK, OWNER_CPF, company_request

from vitrine.auth.api_keys import issue_api_key
from vitrine.merchants import Merchant
from vitrine.payments.errors import PaymentGatewayUnavailable
from vitrine.payouts.models import Cadence, PayoutSchedule
from vitrine.repository import merchants, payouts

PATH = "/merchant/v1/payout-settings"
REGISTRATION = company_request().registration.model_dump(mode="json")
WEEKLY = {"cadence": "weekly", "weekday": 5, "minimum_amount": 50_00}


def onboard(merchant_id: str) -> dict[str, str]:
    merchants.put_merchant(Merchant(merchant_id=merchant_id, name="Casa Demo", cnpj="11222333000181"))
    return {"authorization": f"Bearer {issue_api_key(merchant_id, scopes=['merchant'], name='dono')}"}


def put(headers: dict[str, str], body: object) -> dict:
    return http("PUT", PATH, headers=headers, body=json.dumps(body))


class Shop(dict):
    """The merchant's API-key headers, with its id: the sandbox gateway lives for the session, so each test's
    merchant (and its recipient ``code``) is new."""

    id: str


@pytest.fixture
def shop(stack):
    merchant_id = f"casa-{uuid.uuid4().hex[:10]}"
    headers = Shop(onboard(merchant_id))
    headers.id = merchant_id
    return headers


def first_settings(**changes) -> dict:
    return {"schedule": WEEKLY, "bank_account": BANK, "registration": REGISTRATION, **changes}


def test_the_first_put_registers_the_recipient_and_the_identity_check_makes_it_active(shop, sandbox_gateway):
    answer = put(shop, first_settings())

    assert answer["statusCode"] == 200, answer["body"]
    view = json_body(answer)
    assert view["recipient"]["status"] == "registration" and view["recipient"]["may_receive_transfers"] is False
    assert "verificação de identidade" in view["recipient"]["status_text"]
    assert date.fromisoformat(view["next_payout_on"]).isoweekday() == 5  # weekly on Fridays
    (registered,) = sandbox_gateway.recipients.by_code(shop.id)
    assert registered["id"] == view["recipient"]["recipient_id"]
    assert registered["transfer_settings"]["transfer_enabled"] is False

    link = json_body(http("POST", f"{PATH}/kyc-link", headers=shop))
    assert requests.post(link["url"], timeout=5).status_code == 200  # the representative approves

    after = json_body(http("GET", PATH, headers=shop))
    assert after["recipient"]["status"] == "active" and after["recipient"]["may_receive_transfers"] is True
    assert http("POST", f"{PATH}/kyc-link", headers=shop)["statusCode"] == 409  # nothing left to check


def test_a_new_bank_account_goes_to_the_gateway_and_the_same_one_again_does_not(shop, sandbox_gateway):
    recipient_id = json_body(put(shop, first_settings()))["recipient"]["recipient_id"]
    first_account = sandbox_gateway.recipients.find(recipient_id)["default_bank_account"]["id"]

    moved = put(shop, {"schedule": WEEKLY, "bank_account": {**BANK, "bank": "260", "account_number": "77665544"}})
    assert moved["statusCode"] == 200, moved["body"]
    at_gateway = sandbox_gateway.recipients.find(recipient_id)["default_bank_account"]
    assert (at_gateway["bank"], at_gateway["account_number"]) == ("260", "77665544")

    daily = {"cadence": "daily"}
    again = put(shop, {"schedule": daily, "bank_account": {**BANK, "bank": "260", "account_number": "77665544"}})
    assert json_body(again)["schedule"]["cadence"] == "daily"
    assert sandbox_gateway.recipients.find(recipient_id)["default_bank_account"]["id"] == at_gateway["id"]
    assert at_gateway["id"] != first_account


def test_an_account_that_is_not_the_merchants_is_refused_and_nothing_is_registered(shop, sandbox_gateway):
    stranger = {**BANK, "holder_name": "Fulano", "holder_document": "390.533.447-05"}

    refused = put(shop, first_settings(bank_account=stranger))

    assert refused["statusCode"] == 422
    assert json_body(refused)["error"]["details"][0]["field"] == "body.bank_account.holder_document"
    assert sandbox_gateway.recipients.by_code(shop.id) == []
    assert http("GET", PATH, headers=shop)["statusCode"] == 404
    # The managing partner's own CPF is the merchant's owner: accepted.
    partners = put(shop, first_settings(bank_account={**BANK, "holder_document": OWNER_CPF}))
    assert partners["statusCode"] == 200, partners["body"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"schedule": WEEKLY, "bank_account": BANK}, "registration"),  # the first time needs the registration
        (first_settings(schedule={"cadence": "weekly"}), "schedule"),
        (first_settings(schedule={"cadence": "weekly", "weekday": True}), "schedule.weekday"),
        (first_settings(schedule={"cadence": "monthly", "day_of_month": 31}), "schedule.day_of_month"),
        (first_settings(schedule={"cadence": "daily", "minimum_amount": "10,00"}), "schedule.minimum_amount"),
        (first_settings(bank_account={**BANK, "bank": "34"}), "bank_account.bank"),
    ],
)
def test_bad_settings_are_422_naming_the_field_and_change_nothing(shop, sandbox_gateway, body, field):
    refused = put(shop, body)

    assert refused["statusCode"] == 422
    fields = [detail.get("field", "") for detail in json_body(refused)["error"]["details"]]
    assert any(name.startswith(f"body.{field}") for name in fields), fields
    assert sandbox_gateway.recipients.by_code(shop.id) == []


def test_the_registration_is_sent_once_and_another_merchant_sees_none_of_it(shop):
    assert put(shop, first_settings())["statusCode"] == 200

    assert put(shop, first_settings())["statusCode"] == 409
    other = onboard("outra-loja")
    assert http("GET", PATH, headers=other)["statusCode"] == 404
    assert http("POST", f"{PATH}/kyc-link", headers=other)["statusCode"] == 404


def test_a_gateway_outage_stores_nothing_and_a_crash_after_registering_registers_once_on_retry(
    shop, sandbox_gateway, monkeypatch
):
    from vitrine.payments.pagarme import PagarmeGateway

    def unavailable(self, request, *, idempotency_key):
        raise PaymentGatewayUnavailable("pagar.me POST /recipients failed: ConnectTimeout")

    with monkeypatch.context() as patch:
        patch.setattr(PagarmeGateway, "create_recipient", unavailable)
        assert put(shop, first_settings())["statusCode"] == 503
    assert http("GET", PATH, headers=shop)["statusCode"] == 404

    def crash(*args):
        raise RuntimeError("the function died between the gateway's answer and the write")

    with monkeypatch.context() as patch, pytest.raises(RuntimeError):
        patch.setattr(payouts, "put_payout_settings", crash)
        put(shop, first_settings())  # registered at the gateway, not stored here

    retried = put(shop, first_settings())
    assert retried["statusCode"] == 200, retried["body"]
    (only,) = sandbox_gateway.recipients.by_code(shop.id)  # the same key replayed the first registration
    assert json_body(retried)["recipient"]["recipient_id"] == only["id"]


@pytest.mark.parametrize(
    ("schedule", "after", "expected"),
    [
        ({"cadence": "daily"}, date(2026, 12, 4), date(2026, 12, 7)),  # Friday -> Monday
        ({"cadence": "weekly", "weekday": 3}, date(2026, 12, 2), date(2026, 12, 9)),  # Wednesday -> next one
        ({"cadence": "monthly", "day_of_month": 10}, date(2026, 12, 2), date(2026, 12, 10)),
        # 28 Feb 2026 is a Saturday: that payout is on Monday 2 March, not skipped.
        ({"cadence": "monthly", "day_of_month": 28}, date(2026, 2, 27), date(2026, 3, 2)),
    ],
)
def test_the_next_payout_day_follows_the_schedule_on_business_days(schedule, after, expected):
    assert PayoutSchedule.model_validate(schedule).next_payout_on(after) == expected
    assert PayoutSchedule.model_validate(schedule).cadence in Cadence

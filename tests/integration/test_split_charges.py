"""Every charge is split between the merchant's recipient and the platform's: the merchant's share at the gateway is
what the ledger credits it (the sale less both fees), the platform is liable and pays the gateway's fees, and a
refund comes out of the merchant's share as the ledger debits it. Without recipients, charges stay unsplit."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from infra_fixtures import publish_small_catalog
from lambda_harness import http
from pagarme_fixtures import BANK, company_request
from pydantic import ValidationError
from test_payment_lifecycle import deliver, merchant, of_order, order, pay, place, sandbox_charge

from vitrine.auth.api_keys import issue_api_key
from vitrine.ledger.rules import split_shares
from vitrine.merchants import Merchant, SettlementTerms
from vitrine.payments.port import ChargeRequest, PaymentMethod, SplitRule
from vitrine.payments.settings import reset_gateway_settings
from vitrine.repository import ledger, merchants

TERMS = SettlementTerms()


@pytest.fixture
def shop(stack):
    publish_small_catalog()
    merchants.put_merchant(Merchant(merchant_id="m1", name="Loja Um", cnpj="11222333000181"))
    return {"authorization": f"Bearer {issue_api_key('m1', scopes=['merchant'], name='m1')}"}


@pytest.fixture
def platform(stack, sandbox_gateway) -> str:
    """The deployment's own recipient: the sandbox registers one and names it in PAGARME_PLATFORM_RECIPIENT_ID."""
    return sandbox_gateway.platform_recipient_id


@pytest.fixture
def no_platform(stack, monkeypatch):
    monkeypatch.delenv("PAGARME_PLATFORM_RECIPIENT_ID")
    reset_gateway_settings()
    yield
    reset_gateway_settings()


def register_merchant(headers: dict) -> str:
    body = {"schedule": {"cadence": "daily"}, "bank_account": BANK, "registration": company_request().registration}
    answer = http("PUT", "/merchant/v1/payout-settings", headers=headers, body=json.dumps(body, default=_json))
    assert answer["statusCode"] == 200, answer["body"]
    return json.loads(answer["body"])["recipient"]["recipient_id"]


def _json(value):
    return value.model_dump(mode="json")


def test_a_paid_split_charge_gives_the_merchant_exactly_what_the_ledger_credits_it(shop, platform, sandbox_gateway):
    merchant_recipient = register_merchant(shop)

    order_id = place()
    split = sandbox_charge(sandbox_gateway, order_id)["last_transaction"]["split"]
    pay(sandbox_gateway, order_id)
    deliver(of_order(sandbox_gateway, order_id))

    shares = {rule["recipient"]["id"]: rule for rule in split}
    total = order(order_id).total
    assert sum(rule["amount"] for rule in split) == total
    merchant_net = sum(entry.amount for entry in ledger.ledger_entries("m1"))  # sale less both fees
    assert shares[merchant_recipient]["amount"] == merchant_net
    assert shares[platform]["options"] == {"liable": True, "charge_processing_fee": True, "charge_remainder_fee": True}
    assert shares[merchant_recipient]["options"]["liable"] is False


def test_a_refund_of_a_split_charge_is_borne_by_the_merchants_share(shop, platform, sandbox_gateway):
    merchant_recipient = register_merchant(shop)
    order_id = place()
    pay(sandbox_gateway, order_id)
    deliver(of_order(sandbox_gateway, order_id))

    assert merchant("POST", f"/merchant/v1/orders/{order_id}/cancel", shop, {})["statusCode"] == 200

    refund = sandbox_charge(sandbox_gateway, order_id)["last_transaction"]
    assert refund["operation_type"] == "cancel"
    total = order(order_id).total
    assert refund["split"] == [{"type": "flat", "amount": total, "recipient_id": merchant_recipient}]


def test_without_a_platform_recipient_the_charge_is_not_split(shop, no_platform, sandbox_gateway):
    register_merchant(shop)

    order_id = place()

    assert "split" not in sandbox_charge(sandbox_gateway, order_id)["last_transaction"]


def test_a_merchant_not_registered_yet_sells_unsplit_rather_than_turning_shoppers_away(shop, platform, sandbox_gateway):
    order_id = place()

    assert "split" not in sandbox_charge(sandbox_gateway, order_id)["last_transaction"]
    assert order(order_id).charge.status == "pending"


@given(
    amount=st.integers(min_value=1, max_value=10_000_000_00),
    method=st.sampled_from(list(PaymentMethod)),
    gateway_bps=st.integers(min_value=0, max_value=2_000),
    platform_bps=st.integers(min_value=0, max_value=2_000),
)
def test_the_shares_always_add_up_to_the_charge_and_never_go_negative(amount, method, gateway_bps, platform_bps):
    terms = {"gateway_fee_bps": gateway_bps, "platform_fee_bps": platform_bps, "settlement_days": 1}
    merchant_share, platform_share = split_shares(
        amount, method, SettlementTerms.model_validate({"pix": terms, "boleto": terms, "card": terms})
    )
    assert merchant_share + platform_share == amount
    assert merchant_share >= 0 and platform_share >= 0


def test_a_split_that_does_not_add_up_or_has_no_liable_share_is_refused_before_the_gateway():
    base = ChargeRequest.model_validate(
        {
            "merchant_id": "m1",
            "order_id": "ord1",
            "amount": 1000,
            "items": [{"code": "X", "description": "X", "quantity": 1, "unit_amount": 1000}],
            "customer": {"name": "Ana", "email": "ana@example.com", "document": "52998224725", "phone": "11987654321"},
            "method": "pix",
            "pix": {},
        }
    )
    fine = (
        SplitRule(recipient_id="rp_m", amount=960),
        SplitRule(recipient_id="rp_p", amount=40, liable=True, charge_processing_fee=True),
    )
    assert ChargeRequest.model_validate({**base.model_dump(), "split": fine}).split == fine
    short = (fine[0], fine[1].model_copy(update={"amount": 39}))
    with pytest.raises(ValidationError, match="add up"):
        ChargeRequest.model_validate({**base.model_dump(), "split": short})
    nobody = (fine[0], fine[1].model_copy(update={"liable": False}))
    with pytest.raises(ValidationError, match="liable"):
        ChargeRequest.model_validate({**base.model_dump(), "split": nobody})

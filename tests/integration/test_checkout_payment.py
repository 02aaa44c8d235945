"""Checkout charges the order at the gateway (the local sandbox, real HTTP in pagar.me's format)."""

import copy
import json
import socket
import uuid

import pytest
import requests
from infra_fixtures import publish_small_catalog
from lambda_harness import http, json_body
from test_checkout import CHECKOUT, available, checkout

from vitrine.payments.pagarme import get_gateway
from vitrine.payments.settings import reset_gateway_settings

APPROVED, DECLINED, REVIEW = "4000000000000010", "4000000000000028", "4000000000000036"


@pytest.fixture
def catalog(stack):
    return publish_small_catalog()


def tokenize(sandbox, number: str) -> str:
    """What the shopper's browser does: card data to the gateway with the public key, a token back."""
    response = requests.post(
        f"{sandbox.api_url}/tokens",
        params={"appId": sandbox.public_key},
        json={
            "type": "card",
            "card": {"number": number, "holder_name": "MARIA SILVA", "exp_month": 12, "exp_year": 2031, "cvv": "123"},
        },
        timeout=5,
    )
    response.raise_for_status()
    return response.json()["id"]


def test_a_pix_checkout_answers_with_the_pix_code_to_pay(stack, catalog):
    payment = json_body(checkout(CHECKOUT))["order"]["payment"]
    assert payment["method"] == "pix" and payment["status"] == "pending"
    assert payment["pix"]["qr_code"].startswith("000201") and payment["pix"]["qr_code_url"].startswith("http")
    assert payment["pix"]["expires_at"]


@pytest.mark.parametrize(("card", "status"), [(APPROVED, "paid"), (DECLINED, "failed"), (REVIEW, "under_review")])
def test_a_card_checkout_sends_only_the_token_and_reports_the_result(stack, catalog, sandbox_gateway, card, status):
    body = {**CHECKOUT, "payment": {"method": "card", "card_token": tokenize(sandbox_gateway, card), "installments": 2}}
    order = json_body(checkout(body))["order"]
    assert order["payment"]["status"] == status
    assert order["payment"]["card"]["last_four"] == card[-4:]
    assert card not in json.dumps(order)
    if status == "failed":
        assert order["payment"]["decline_reason"]


def test_a_declined_card_releases_its_units_at_once_so_the_same_cart_can_be_paid_with_pix(
    stack, catalog, sandbox_gateway
):
    every_unit = {**CHECKOUT, "lines": [{"product_sku": "CAM", "sku": "CAM-P", "quantity": available()}]}
    card = {"method": "card", "card_token": tokenize(sandbox_gateway, DECLINED), "installments": 1}
    declined = json_body(checkout({**every_unit, "payment": card}))["order"]
    assert (declined["status"], declined["payment"]["status"]) == ("cancelled", "failed")
    assert declined["status_history"][-1]["reason"] == "charge_failed"
    assert available() == every_unit["lines"][0]["quantity"]  # back on sale, not held for 15 minutes
    # The shopper tries again with the cart they kept, now with Pix: every unit is still theirs to buy
    again = checkout({**every_unit, "payment": {"method": "pix"}})
    assert again["statusCode"] == 201, again["body"]
    assert json_body(again)["order"]["status"] == "pending_payment" and available() == 0


def test_a_boleto_checkout_answers_with_the_line_to_pay(stack, catalog):
    payment = json_body(checkout({**CHECKOUT, "payment": {"method": "boleto"}}))["order"]["payment"]
    assert payment["status"] == "pending" and len(payment["boleto"]["line"].replace(" ", "").replace(".", "")) >= 47


def test_boleto_with_pickup_is_refused_before_anything_is_reserved(stack, catalog):
    body = {
        **CHECKOUT,
        "payment": {"method": "boleto"},
        "fulfilment": {"kind": "pickup", "store_code": "0001"},
        "lines": [{"product_sku": "CAM", "sku": "CAM-M", "quantity": 1}],
    }
    response = checkout(body)
    assert response["statusCode"] == 422
    assert json_body(response)["error"]["details"][0]["field"] == "body.payment.method"
    assert available("CAM-M", "0001") == 5


def test_a_gateway_outage_keeps_the_reservation_and_the_retry_charges_the_same_order(
    stack, catalog, monkeypatch, sandbox_gateway
):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        dead_url = f"http://127.0.0.1:{closed.getsockname()[1]}/core/v5"
    monkeypatch.setenv("PAGARME_BASE_URL", dead_url)
    monkeypatch.setenv("PAGARME_MAX_RETRIES", "0")
    get_gateway.cache_clear()
    reset_gateway_settings()
    key = str(uuid.uuid4())
    failed = checkout(CHECKOUT, key)
    assert failed["statusCode"] == 503
    assert available() == 1  # the stock stays held for this shopper while the gateway is away

    monkeypatch.setenv("PAGARME_BASE_URL", sandbox_gateway.api_url)
    get_gateway.cache_clear()
    reset_gateway_settings()
    retried = checkout(CHECKOUT, key)
    assert retried["statusCode"] == 200
    order = json_body(retried)["order"]
    assert order["payment"]["pix"]["qr_code"].startswith("000201")
    assert available() == 1
    followed = http("GET", f"/api/orders/{order['order_id']}", query={"token": json_body(retried)["access_token"]})
    assert json_body(followed)["payment"]["status"] == "pending"


def test_a_retried_checkout_does_not_charge_twice(stack, catalog, sandbox_gateway):
    key = str(uuid.uuid4())
    first = json_body(checkout(CHECKOUT, key))["order"]["payment"]
    second = json_body(checkout(copy.deepcopy(CHECKOUT), key))["order"]["payment"]
    assert first == second

"""The pagar.me v5 adapter against recorded payloads (tests/fixtures/pagarme): what it sends, how it reads each
answer, and how it fails. ``responses`` stands in for the network and honours the session's urllib3 retries."""

import base64
import json
from datetime import UTC, date, datetime

import pytest
import requests
import responses
from pagarme_fixtures import API, SECRET, fixture
from responses import matchers, registries

from vitrine.errors import ConfigurationError, DependencyUnavailable
from vitrine.payments.errors import (
    ChargeNotFound,
    PaymentGatewayAuthenticationFailed,
    PaymentGatewayResponseInvalid,
    PaymentGatewayUnavailable,
    PaymentRequestRejected,
)
from vitrine.payments.pagarme import PagarmeGateway, http_session
from vitrine.payments.port import ChargeRequest, ChargeStatus, PaymentMethod
from vitrine.payments.settings import GatewaySettings, reset_gateway_settings

# The tests count attempts; they need not wait between them (fixtures in conftest.py).
pytestmark = pytest.mark.usefixtures("no_backoff")


BILLING_ADDRESS = {
    "line_1": "375, Av. General Justo, Centro",
    "line_2": "8º andar",
    "zip_code": "20021130",
    "city": "Rio de Janeiro",
    "state": "RJ",
}


def charge_request(method: str = "pix", **overrides) -> ChargeRequest:
    body = {
        "merchant_id": "loja-demo",
        "order_id": "ord_pix_0001",
        "amount": 350,
        "items": [
            {"code": "MEIA-CC-38", "description": "Meia esportiva cano curto 38", "quantity": 1, "unit_amount": 350}
        ],
        "customer": {
            "name": "Maria Oliveira",
            "email": "maria.oliveira@example.com",
            "cpf": "529.982.247-25",
            "phone": "(11) 98765-4321",
            "address": BILLING_ADDRESS,
        },
        "method": method,
    }
    options = {
        "pix": {"pix": {"expires_in": 1800}},
        "card": {"card": {"token": "token_yqBg4N6U9iJ2bxZa", "installments": 3, "statement_descriptor": "LOJADEMO"}},
        "boleto": {"boleto": {"due_at": "2026-11-26", "instructions": "Não receber após o vencimento"}},
    }[method]
    return ChargeRequest.model_validate({**body, **options, **overrides})


# ---------------------------------------------------------------- what is sent


@responses.activate
def test_create_sends_basic_auth_idempotency_key_and_integer_centavos(gateway):
    responses.post(f"{API}/orders", json=fixture("order_pix_pending.json"))
    gateway.create_charge(charge_request())

    (call,) = responses.calls
    headers = call.request.headers
    assert headers["Authorization"] == "Basic " + base64.b64encode(f"{SECRET}:".encode()).decode()
    assert headers["Idempotency-Key"] == "ord_pix_0001"
    assert headers["Content-Type"] == "application/json"
    body = json.loads(call.request.body)
    assert body["code"] == "ord_pix_0001" and body["closed"] is True
    assert body["items"] == [
        {"code": "MEIA-CC-38", "description": "Meia esportiva cano curto 38", "quantity": 1, "amount": 350}
    ]
    assert body["customer"] == {
        "name": "Maria Oliveira",
        "email": "maria.oliveira@example.com",
        "type": "individual",
        "document": "52998224725",
        "document_type": "CPF",
        "phones": {"mobile_phone": {"country_code": "55", "area_code": "11", "number": "987654321"}},
        "address": {**BILLING_ADDRESS, "country": "BR"},  # pagar.me wants the country; Vitrine sells in Brazil
    }
    (payment,) = body["payments"]
    assert payment == {
        "payment_method": "pix",
        "amount": 350,
        "pix": {"expires_in": 1800},
        "metadata": {"merchant_id": "loja-demo", "order_id": "ord_pix_0001"},
    }
    assert body["metadata"] == {"merchant_id": "loja-demo", "order_id": "ord_pix_0001"}
    amounts = [payment["amount"], *(item["amount"] for item in body["items"])]
    assert all(type(amount) is int for amount in amounts)


@responses.activate
def test_a_card_order_sends_the_token_installments_and_auth_and_capture_never_card_data(gateway):
    responses.post(f"{API}/orders", json=fixture("order_credit_card_paid.json"))
    gateway.create_charge(charge_request("card", order_id="ord_card_0001", attempt=2))

    (call,) = responses.calls
    assert call.request.headers["Idempotency-Key"] == "ord_card_0001-2"
    (payment,) = json.loads(call.request.body)["payments"]
    assert payment["payment_method"] == "credit_card"
    assert payment["credit_card"] == {
        "card_token": "token_yqBg4N6U9iJ2bxZa",
        "installments": 3,
        "operation_type": "auth_and_capture",
        "statement_descriptor": "LOJADEMO",
    }


@responses.activate
def test_a_boleto_order_sends_the_due_date_as_pagarme_reads_it(gateway):
    responses.post(f"{API}/orders", json=fixture("order_boleto_pending.json"))
    gateway.create_charge(charge_request("boleto", order_id="ord_boleto_0001"))

    (payment,) = json.loads(responses.calls[0].request.body)["payments"]
    assert payment["boleto"] == {
        "due_at": "2026-11-26T00:00:00Z",
        "type": "DM",
        "instructions": "Não receber após o vencimento",
    }


@responses.activate
def test_get_charge_and_get_order_read_with_basic_auth_and_no_idempotency_key(gateway):
    responses.get(f"{API}/charges/ch_K2rJ5nlHwTE4qRDP", json=fixture("charge_pix_paid.json"))
    responses.get(f"{API}/orders/or_24lYkBrhXhzkaByW", json=fixture("order_credit_card_paid.json"))
    gateway.get_charge("ch_K2rJ5nlHwTE4qRDP")
    gateway.get_order("or_24lYkBrhXhzkaByW")
    for call in responses.calls:
        assert call.request.headers["Authorization"].startswith("Basic ")
        assert "Idempotency-Key" not in call.request.headers


# ---------------------------------------------------------------- how each answer reads


@responses.activate
def test_a_pix_order_maps_to_a_pending_charge_with_its_br_code(gateway):
    responses.post(f"{API}/orders", json=fixture("order_pix_pending.json"))
    charge = gateway.create_charge(charge_request())
    assert charge.gateway_order_id == "or_56GXnk6T0eU88qMm" and charge.charge_id == "ch_K2rJ5nlHwTE4qRDP"
    assert charge.order_id == "ord_pix_0001" and charge.merchant_id == "loja-demo"
    assert charge.status is ChargeStatus.PENDING and charge.gateway_status == "pending"
    assert charge.method is PaymentMethod.PIX and charge.amount == 350 and charge.paid_amount == 0
    assert charge.pix.qr_code.startswith("000201") and charge.pix.qr_code.endswith("63049D7C")
    assert charge.pix.qr_code_url.endswith("/qrcode?payment_method=pix")
    assert charge.pix.expires_at == datetime(2026, 11, 23, 10, 30, tzinfo=UTC)
    assert charge.boleto is None and charge.card is None and charge.decline_reason is None


@responses.activate
def test_a_paid_pix_charge_read_alone_names_its_order(gateway):
    responses.get(f"{API}/charges/ch_K2rJ5nlHwTE4qRDP", json=fixture("charge_pix_paid.json"))
    charge = gateway.get_charge("ch_K2rJ5nlHwTE4qRDP")
    assert charge.status is ChargeStatus.PAID and charge.paid_amount == 350
    assert charge.gateway_order_id == "or_56GXnk6T0eU88qMm" and charge.merchant_id == "loja-demo"


@responses.activate
def test_a_boleto_order_maps_to_its_line_barcode_pdf_and_due_date(gateway):
    responses.post(f"{API}/orders", json=fixture("order_boleto_pending.json"))
    charge = gateway.create_charge(charge_request("boleto", order_id="ord_boleto_0001"))
    assert charge.status is ChargeStatus.PENDING and charge.method is PaymentMethod.BOLETO
    assert charge.boleto.line == "34191.75462 24615.781234 41234.510000 3 83840000003090"
    assert charge.boleto.barcode.endswith("/barcode") and charge.boleto.pdf.endswith("/pdf")
    assert charge.boleto.due_at.date() == date(2026, 11, 26)


@responses.activate
def test_a_captured_card_order_is_paid(gateway):
    responses.post(f"{API}/orders", json=fixture("order_credit_card_paid.json"))
    charge = gateway.create_charge(charge_request("card"))
    assert charge.status is ChargeStatus.PAID and charge.paid_amount == 40000
    assert (charge.card.last_four, charge.card.brand, charge.card.installments) == ("0010", "Visa", 3)


@responses.activate
def test_a_declined_card_is_a_failed_charge_with_the_acquirers_reason_not_an_error(gateway):
    responses.post(f"{API}/orders", json=fixture("order_credit_card_failed.json"))
    charge = gateway.create_charge(charge_request("card"))
    assert charge.status is ChargeStatus.FAILED and charge.gateway_status == "failed"
    assert charge.decline_reason == "Transação não autorizada"
    assert charge.card.last_four == "0028" and charge.paid_amount == 0


@responses.activate
def test_a_card_under_antifraud_review_is_under_review(gateway):
    responses.post(f"{API}/orders", json=fixture("order_credit_card_antifraud_review.json"))
    charge = gateway.create_charge(charge_request("card"))
    assert charge.status is ChargeStatus.UNDER_REVIEW and charge.gateway_status == "pending"
    assert charge.decline_reason is None


@pytest.mark.parametrize(
    ("gateway_status", "ours"),
    [
        ("paid", ChargeStatus.PAID),
        ("overpaid", ChargeStatus.PAID),
        ("pending", ChargeStatus.PENDING),
        ("processing", ChargeStatus.PENDING),
        ("underpaid", ChargeStatus.PENDING),
        ("failed", ChargeStatus.FAILED),
        ("canceled", ChargeStatus.CANCELLED),
        ("chargedback", ChargeStatus.CANCELLED),
    ],
)
@responses.activate
def test_every_pagarme_charge_status_maps_to_ours(gateway, gateway_status, ours):
    body = fixture("charge_pix_paid.json") | {"status": gateway_status}
    responses.get(f"{API}/charges/ch_1", json=body)
    charge = gateway.get_charge("ch_1")
    assert charge.status is ours and charge.gateway_status == gateway_status


@responses.activate
def test_an_unknown_status_or_a_malformed_body_is_an_unreadable_answer_not_a_guess(gateway):
    responses.get(f"{API}/charges/ch_1", json=fixture("charge_pix_paid.json") | {"status": "mystery"})
    responses.get(f"{API}/charges/ch_2", json={"id": "ch_2"})
    responses.get(f"{API}/charges/ch_3", body="<html>oops</html>", content_type="text/html")
    for charge_id in ("ch_1", "ch_2", "ch_3"):
        with pytest.raises(PaymentGatewayResponseInvalid):
            gateway.get_charge(charge_id)


# ---------------------------------------------------------------- how it fails


@responses.activate
def test_a_422_is_rejected_at_once_with_pagarmes_field_errors(gateway):
    responses.post(f"{API}/orders", status=422, json=fixture("error_422_validation.json"))
    with pytest.raises(PaymentRequestRejected) as caught:
        gateway.create_charge(charge_request("card"))
    assert len(responses.calls) == 1  # a 4xx is never retried
    error = caught.value
    assert error.status == 422 and error.code == "payment_rejected"
    assert error.message == "The request is invalid."
    assert {"field": "order.customer.document", "reason": "The document field is not a valid CPF."} in error.details


@pytest.mark.parametrize(
    ("method", "path", "call"),
    [
        ("POST", "/orders", lambda gateway: gateway.create_charge(charge_request())),
        ("GET", "/charges/ch_1", lambda gateway: gateway.get_charge("ch_1")),
        ("POST", "/charges/ch_1/capture", lambda gateway: gateway.capture_charge("ch_1", idempotency_key="o-capture")),
        ("DELETE", "/charges/ch_1", lambda gateway: gateway.cancel_charge("ch_1", idempotency_key="o-refund-1")),
    ],
    ids=["create", "read", "capture", "refund"],
)
@responses.activate
def test_a_401_is_a_deployment_problem_not_retried(gateway, method, path, call):
    """A refused secret key is the deployment's to fix, whichever call meets it: never retried, never a 5xx."""
    responses.add(method, f"{API}{path}", status=401, json=fixture("error_401_unauthorized.json"))
    with pytest.raises(PaymentGatewayAuthenticationFailed, match="Authorization has been denied") as caught:
        call(gateway)
    assert isinstance(caught.value, ConfigurationError)
    assert len(responses.calls) == 1


@responses.activate
def test_an_unknown_charge_is_not_found(gateway):
    responses.get(f"{API}/charges/ch_missing", status=404, json=fixture("error_404_not_found.json"))
    with pytest.raises(ChargeNotFound):
        gateway.get_charge("ch_missing")
    assert len(responses.calls) == 1


@pytest.mark.parametrize("status", [409, 429])
@responses.activate
def test_a_request_in_flight_or_a_rate_limit_is_unavailable_without_retrying(gateway, status):
    responses.post(f"{API}/orders", status=status, json={"message": "try later"})
    with pytest.raises(PaymentGatewayUnavailable):
        gateway.create_charge(charge_request())
    assert len(responses.calls) == 1


# Each call that moves money, as the retry rule meets it: (method, path, the answer once it succeeds, the call, the
# key it is made with, and the charge that answer reads as).
KEYED_CALLS = {
    "create": (
        "POST",
        "/orders",
        "order_pix_pending.json",
        lambda gateway: gateway.create_charge(charge_request()),
        "ord_pix_0001",
        "ch_K2rJ5nlHwTE4qRDP",
    ),
    "capture": (
        "POST",
        "/charges/ch_P4wNz7KqLm2XcR9s/capture",
        "charge_credit_card_captured.json",
        lambda gateway: gateway.capture_charge("ch_P4wNz7KqLm2XcR9s", idempotency_key="ord_card_0003-capture"),
        "ord_card_0003-capture",
        "ch_P4wNz7KqLm2XcR9s",
    ),
    "refund": (
        "DELETE",
        "/charges/ch_L6MGn7eIbIxKR4d5",
        "charge_credit_card_partial_refunded.json",
        lambda gateway: gateway.cancel_charge("ch_L6MGn7eIbIxKR4d5", 15000, idempotency_key="ord_card_0001-refund-1"),
        "ord_card_0001-refund-1",
        "ch_L6MGn7eIbIxKR4d5",
    ),
}


@pytest.mark.parametrize("name", KEYED_CALLS)
@responses.activate(registry=registries.OrderedRegistry)
def test_a_5xx_is_retried_with_the_same_key_and_body_and_the_money_moves_once(gateway, name):
    method, path, answer, call, key, charge_id = KEYED_CALLS[name]
    error = fixture("error_500_internal.json")
    responses.add(method, f"{API}{path}", status=500, json=error)
    responses.add(method, f"{API}{path}", status=503, json=error)
    responses.add(
        method, f"{API}{path}", json=fixture(answer), match=[matchers.header_matcher({"Idempotency-Key": key})]
    )
    assert call(gateway).charge_id == charge_id
    assert [call.request.headers["Idempotency-Key"] for call in responses.calls] == [key] * 3
    assert len({(call.request.url, call.request.body) for call in responses.calls}) == 1


@pytest.mark.parametrize("name", KEYED_CALLS)
@responses.activate
def test_a_5xx_past_the_retries_is_unavailable_so_the_caller_retries_later_with_the_same_key(gateway, name):
    method, path, _answer, call, _key, _charge_id = KEYED_CALLS[name]
    responses.add(method, f"{API}{path}", status=502, json=fixture("error_500_internal.json"))
    with pytest.raises(PaymentGatewayUnavailable) as caught:
        call(gateway)
    assert isinstance(caught.value, DependencyUnavailable)
    assert len(responses.calls) == 3  # the first attempt and 2 retries


@responses.activate
def test_a_read_past_the_retries_is_unavailable(gateway):
    responses.get(f"{API}/charges/ch_1", status=502, body="Bad Gateway")
    with pytest.raises(PaymentGatewayUnavailable):
        gateway.get_charge("ch_1")
    assert len(responses.calls) == 3


@pytest.mark.parametrize(
    "failure",
    [
        requests.exceptions.ConnectTimeout("connect"),
        requests.exceptions.ReadTimeout("read"),
        requests.ConnectionError(),
    ],
)
@responses.activate
def test_timeouts_and_refused_connections_are_dependency_unavailable(gateway, failure):
    responses.post(f"{API}/orders", body=failure)
    with pytest.raises(PaymentGatewayUnavailable):
        gateway.create_charge(charge_request())


def test_the_session_retries_5xx_and_connection_failures_for_get_and_the_keyed_post_patch_and_delete_only():
    http_session.cache_clear()
    adapter = http_session(2).get_adapter(API)
    retry = adapter.max_retries
    assert set(retry.status_forcelist) == {500, 502, 503, 504}
    assert retry.allowed_methods == {"GET", "POST", "PATCH", "DELETE"}
    assert (retry.total, retry.connect, retry.read, retry.status) == (2, 2, 2, 2)
    assert not any(400 <= status < 500 for status in retry.status_forcelist)
    assert http_session(2) is http_session(2)  # one session per container
    http_session.cache_clear()


# ---------------------------------------------------------------- settings


def test_settings_come_from_the_environment_at_first_use(monkeypatch):
    monkeypatch.setenv("PAGARME_BASE_URL", "http://127.0.0.1:9/core/v5/")
    monkeypatch.setenv("PAGARME_SECRET_KEY", "sk_test_env")
    monkeypatch.setenv("PAGARME_PUBLIC_KEY", "pk_test_env")
    reset_gateway_settings()
    try:
        settings = PagarmeGateway().settings
        assert settings.api_url == "http://127.0.0.1:9/core/v5"
        assert settings.secret_key.get_secret_value() == "sk_test_env" and settings.public_key == "pk_test_env"
        assert "sk_test_env" not in repr(settings)
    finally:
        reset_gateway_settings()


def test_a_missing_secret_key_is_a_configuration_error_naming_the_variables():
    gateway = PagarmeGateway(GatewaySettings())
    with pytest.raises(ConfigurationError, match="PAGARME_SECRET_KEY"):
        gateway.get_charge("ch_1")


@responses.activate
def test_the_secret_key_can_live_in_an_ssm_parameter(stack):
    stack.client("ssm").put_parameter(Name="/vitrine/test/pagarme-secret-key", Value=SECRET, Type="SecureString")
    reset_gateway_settings()
    responses.get(f"{API}/charges/ch_K2rJ5nlHwTE4qRDP", json=fixture("charge_pix_paid.json"))
    gateway = PagarmeGateway(GatewaySettings(PAGARME_SECRET_KEY_PARAMETER="/vitrine/test/pagarme-secret-key"))
    try:
        gateway.get_charge("ch_K2rJ5nlHwTE4qRDP")
    finally:
        reset_gateway_settings()
    expected = "Basic " + base64.b64encode(f"{SECRET}:".encode()).decode()
    assert responses.calls[-1].request.headers["Authorization"] == expected

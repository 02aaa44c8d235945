"""Capture through the pagar.me v5 adapter, against recorded payloads (tests/fixtures/pagarme): the
``POST /charges/{id}/capture`` that carries the merchant's approval of a card held for antifraud review, how its
answer reads, and how it fails."""

import base64
import json

import pytest
import responses
from pagarme_fixtures import API, SECRET, fixture

from vitrine.errors import InvalidInput
from vitrine.payments.errors import (
    ChargeNotFound,
    PaymentGatewayUnavailable,
    PaymentRequestRejected,
)
from vitrine.payments.port import ChargeStatus, PaymentMethod

# The tests count attempts; they need not wait between them (fixtures in conftest.py).
pytestmark = pytest.mark.usefixtures("no_backoff")

CHARGE_ID = "ch_P4wNz7KqLm2XcR9s"  # the card of order_credit_card_antifraud_review.json
CAPTURE = f"{API}/charges/{CHARGE_ID}/capture"
KEY = "ord_card_0003-capture"


# ---------------------------------------------------------------- what is sent


@responses.activate
def test_a_capture_is_a_post_without_body_with_basic_auth_and_the_callers_key(gateway):
    responses.post(CAPTURE, json=fixture("charge_credit_card_captured.json"))
    gateway.capture_charge(CHARGE_ID, idempotency_key=KEY)

    (call,) = responses.calls
    assert call.request.method == "POST" and call.request.url == CAPTURE
    assert call.request.headers["Authorization"] == "Basic " + base64.b64encode(f"{SECRET}:".encode()).decode()
    assert call.request.headers["Idempotency-Key"] == KEY
    assert not call.request.body  # no amount: pagar.me captures the whole charge


@responses.activate
def test_a_capture_with_an_amount_sends_it_in_integer_centavos(gateway):
    responses.post(CAPTURE, json=fixture("charge_credit_card_captured.json"))
    gateway.capture_charge(CHARGE_ID, 40000, idempotency_key=KEY)

    (call,) = responses.calls
    assert call.request.headers["Content-Type"] == "application/json"
    assert json.loads(call.request.body) == {"amount": 40000}


@pytest.mark.parametrize("amount", [0, -100, 10.5, "40000", True])
def test_an_amount_that_is_not_positive_integer_centavos_is_refused_before_any_call(gateway, amount):
    with responses.RequestsMock() as mock, pytest.raises(InvalidInput, match="capture"):
        gateway.capture_charge(CHARGE_ID, amount, idempotency_key=KEY)
    assert len(mock.calls) == 0


@pytest.mark.parametrize("key", ["", "ord 1 capture", "x" * 129, None])
def test_a_capture_without_a_usable_idempotency_key_is_refused_before_any_call(gateway, key):
    with responses.RequestsMock() as mock, pytest.raises(InvalidInput, match="capture"):
        gateway.capture_charge(CHARGE_ID, idempotency_key=key)
    assert len(mock.calls) == 0


# ---------------------------------------------------------------- how the answer reads


@responses.activate
def test_a_captured_card_under_review_reads_as_paid_with_its_paid_amount(gateway):
    responses.post(CAPTURE, json=fixture("charge_credit_card_captured.json"))
    charge = gateway.capture_charge(CHARGE_ID, idempotency_key=KEY)
    assert charge.status is ChargeStatus.PAID and charge.gateway_status == "paid"
    assert charge.method is PaymentMethod.CARD and charge.charge_id == CHARGE_ID
    assert (charge.amount, charge.paid_amount, charge.refunded_amount, charge.refundable_amount) == (
        40000,
        40000,
        0,
        40000,
    )
    assert charge.order_id == "ord_card_0003" and charge.merchant_id == "loja-demo"
    assert charge.gateway_order_id == "or_Jx3kR8mWq2VnB7Tz"
    assert charge.card.last_four == "0036" and charge.decline_reason is None


# ---------------------------------------------------------------- how it fails


@responses.activate
def test_capturing_a_charge_already_paid_is_rejected_with_pagarmes_message_and_not_retried(gateway):
    responses.post(CAPTURE, status=412, json=fixture("error_412_charge_not_capturable.json"))
    with pytest.raises(PaymentRequestRejected, match="can not be captured") as caught:
        gateway.capture_charge(CHARGE_ID, idempotency_key=KEY)
    assert caught.value.status == 422  # a refused request, whatever pagar.me's 4xx
    assert len(responses.calls) == 1


@responses.activate
def test_a_capture_refused_with_field_errors_is_rejected_with_them(gateway):
    body = {"message": "The request is invalid.", "errors": {"amount": ["The amount is invalid."]}, "request": {}}
    responses.post(CAPTURE, status=422, json=body)
    with pytest.raises(PaymentRequestRejected) as caught:
        gateway.capture_charge(CHARGE_ID, 50000, idempotency_key=KEY)
    assert caught.value.details == [{"field": "amount", "reason": "The amount is invalid."}]
    assert len(responses.calls) == 1


@responses.activate
def test_capturing_an_unknown_charge_is_not_found_at_once(gateway):
    responses.post(f"{API}/charges/ch_missing/capture", status=404, json=fixture("error_404_not_found.json"))
    with pytest.raises(ChargeNotFound):
        gateway.capture_charge("ch_missing", idempotency_key=KEY)
    assert len(responses.calls) == 1


@responses.activate
def test_a_capture_still_running_under_the_same_key_is_unavailable_not_rejected(gateway):
    responses.post(CAPTURE, status=409, json={"message": "A request with this idempotency key is in progress."})
    with pytest.raises(PaymentGatewayUnavailable):
        gateway.capture_charge(CHARGE_ID, idempotency_key=KEY)
    assert len(responses.calls) == 1

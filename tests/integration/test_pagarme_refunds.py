"""Cancel and refund through the pagar.me v5 adapter, against recorded payloads (tests/fixtures/pagarme): the
``DELETE /charges/{id}`` it sends, how the answer reads as amounts a ledger can use, and how it fails."""

import base64
import json
from datetime import UTC, datetime

import pytest
import responses
from pagarme_fixtures import API, SECRET, fixture

from vitrine.errors import InvalidInput
from vitrine.payments.errors import (
    ChargeNotFound,
    PaymentRequestRejected,
)
from vitrine.payments.port import ChargeStatus, PaymentMethod

# The tests count attempts; they need not wait between them (fixtures in conftest.py).
pytestmark = pytest.mark.usefixtures("no_backoff")

CARD_CHARGE = f"{API}/charges/ch_L6MGn7eIbIxKR4d5"
PIX_CHARGE = f"{API}/charges/ch_K2rJ5nlHwTE4qRDP"


# ---------------------------------------------------------------- what is sent


@responses.activate
def test_a_full_refund_is_a_delete_without_body_with_basic_auth_and_the_callers_key(gateway):
    responses.delete(CARD_CHARGE, json=fixture("charge_credit_card_refunded.json"))
    gateway.cancel_charge("ch_L6MGn7eIbIxKR4d5", idempotency_key="ord_card_0001-refund-1")

    (call,) = responses.calls
    assert call.request.method == "DELETE" and call.request.url == CARD_CHARGE
    assert call.request.headers["Authorization"] == "Basic " + base64.b64encode(f"{SECRET}:".encode()).decode()
    assert call.request.headers["Idempotency-Key"] == "ord_card_0001-refund-1"
    assert not call.request.body  # no amount: pagar.me refunds everything that is left


@responses.activate
def test_a_partial_refund_sends_the_amount_in_integer_centavos(gateway):
    responses.delete(CARD_CHARGE, json=fixture("charge_credit_card_partial_refunded.json"))
    gateway.cancel_charge("ch_L6MGn7eIbIxKR4d5", 15000, idempotency_key="ord_card_0001-refund-1")

    (call,) = responses.calls
    assert call.request.headers["Content-Type"] == "application/json"
    assert json.loads(call.request.body) == {"amount": 15000}
    assert type(json.loads(call.request.body)["amount"]) is int


@pytest.mark.parametrize("amount", [0, -100, 10.5, "1500", True])
def test_an_amount_that_is_not_positive_integer_centavos_is_refused_before_any_call(gateway, amount):
    with responses.RequestsMock() as mock, pytest.raises(InvalidInput):
        gateway.cancel_charge("ch_L6MGn7eIbIxKR4d5", amount, idempotency_key="ord_card_0001-refund-1")
    assert len(mock.calls) == 0


@pytest.mark.parametrize("key", ["", "ord 1 refund", "x" * 129, None])
def test_a_refund_without_a_usable_idempotency_key_is_refused_before_any_call(gateway, key):
    with responses.RequestsMock() as mock, pytest.raises(InvalidInput):
        gateway.cancel_charge("ch_L6MGn7eIbIxKR4d5", idempotency_key=key)
    assert len(mock.calls) == 0


# ---------------------------------------------------------------- how each answer reads


@responses.activate
def test_a_pending_pix_cancelled_in_full_is_cancelled_and_no_money_was_refunded(gateway):
    responses.delete(PIX_CHARGE, json=fixture("charge_pix_canceled.json"))
    charge = gateway.cancel_charge("ch_K2rJ5nlHwTE4qRDP", idempotency_key="ord_pix_0001-cancel")
    assert charge.status is ChargeStatus.CANCELLED and charge.gateway_status == "canceled"
    assert charge.method is PaymentMethod.PIX and charge.order_id == "ord_pix_0001"
    assert (charge.amount, charge.paid_amount, charge.canceled_amount) == (350, 0, 350)
    assert charge.refunded_amount == 0 and charge.refundable_amount == 0
    assert charge.canceled_at == datetime(2026, 11, 23, 10, 12, 40, tzinfo=UTC)
    assert charge.merchant_id == "loja-demo" and charge.gateway_order_id == "or_56GXnk6T0eU88qMm"


@responses.activate
def test_a_paid_card_refunded_in_full_is_cancelled_with_everything_refunded(gateway):
    responses.delete(CARD_CHARGE, json=fixture("charge_credit_card_refunded.json"))
    charge = gateway.cancel_charge("ch_L6MGn7eIbIxKR4d5", idempotency_key="ord_card_0001-refund-1")
    assert charge.status is ChargeStatus.CANCELLED and charge.gateway_status == "canceled"
    assert (charge.paid_amount, charge.refunded_amount, charge.refundable_amount) == (40000, 40000, 0)
    assert charge.canceled_at == datetime(2026, 11, 24, 15, 3, 12, tzinfo=UTC)
    # A refund is not a decline: the acquirer's "cancelled" message is no reason to show a shopper.
    assert charge.decline_reason is None and charge.card.last_four == "0010"


@responses.activate
def test_a_paid_card_refunded_in_part_stays_paid_with_the_rest_still_refundable(gateway):
    responses.delete(CARD_CHARGE, json=fixture("charge_credit_card_partial_refunded.json"))
    charge = gateway.cancel_charge("ch_L6MGn7eIbIxKR4d5", 15000, idempotency_key="ord_card_0001-refund-1")
    assert charge.status is ChargeStatus.PAID and charge.gateway_status == "paid"
    assert (charge.paid_amount, charge.refunded_amount, charge.refundable_amount) == (40000, 15000, 25000)
    assert charge.canceled_at is None


@responses.activate
def test_the_refund_webhook_carries_a_charge_the_adapter_reads_the_same_way(gateway):
    # The consumer re-reads the charge before moving money; both readings must agree on the amounts.
    webhook = fixture("webhook_charge_refunded.json")
    responses.get(CARD_CHARGE, json=webhook["data"])
    charge = gateway.get_charge(webhook["data"]["id"])
    assert webhook["type"] == "charge.refunded" and set(webhook) == {"id", "account", "type", "created_at", "data"}
    assert charge.status is ChargeStatus.CANCELLED and charge.refunded_amount == 40000


# ---------------------------------------------------------------- how it fails


@responses.activate
def test_refunding_an_unknown_charge_is_not_found_at_once(gateway):
    responses.delete(f"{API}/charges/ch_missing", status=404, json=fixture("error_404_not_found.json"))
    with pytest.raises(ChargeNotFound):
        gateway.cancel_charge("ch_missing", idempotency_key="ord_1-refund-1")
    assert len(responses.calls) == 1


@responses.activate
def test_refunding_more_than_is_left_is_rejected_with_pagarmes_field_error_and_not_retried(gateway):
    responses.delete(CARD_CHARGE, status=422, json=fixture("error_422_refund_above_paid.json"))
    with pytest.raises(PaymentRequestRejected) as caught:
        gateway.cancel_charge("ch_L6MGn7eIbIxKR4d5", 30000, idempotency_key="ord_card_0001-refund-2")
    assert len(responses.calls) == 1
    assert caught.value.status == 422 and caught.value.message == "The request is invalid."
    (detail,) = caught.value.details
    assert detail["field"] == "amount" and "25000" in detail["reason"]


@responses.activate
def test_cancelling_a_charge_that_cannot_be_cancelled_is_rejected_with_pagarmes_message(gateway):
    responses.delete(CARD_CHARGE, status=412, json=fixture("error_412_charge_not_cancelable.json"))
    with pytest.raises(PaymentRequestRejected, match="can not be canceled"):
        gateway.cancel_charge("ch_L6MGn7eIbIxKR4d5", idempotency_key="ord_card_0001-refund-3")
    assert len(responses.calls) == 1

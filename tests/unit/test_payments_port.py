"""The gateway port's input model: what a charge request must say, and what it refuses."""

from datetime import date

import pytest
from charges import card_charge
from pydantic import ValidationError

from vitrine.payments.errors import PaymentDeclined
from vitrine.payments.port import ChargeRequest, ChargeStatus, PaymentGateway, PaymentMethod


def request(**overrides) -> dict:
    body = {
        "merchant_id": "loja-demo",
        "order_id": "ord_01",
        "amount": 6080,
        "items": [
            {"code": "CAM-M", "description": "Camiseta M", "quantity": 2, "unit_amount": 2990},
            {"code": "entrega", "description": "Entrega", "quantity": 1, "unit_amount": 100},
        ],
        "customer": {
            "name": "Maria Oliveira",
            "email": "maria@example.com",
            "cpf": "529.982.247-25",
            "phone": "+55 (11) 98765-4321",
        },
        "method": "pix",
        "pix": {"expires_in": 900},
    }
    body.update(overrides)
    return body


def test_a_pix_request_normalises_documents_and_phones():
    charge = ChargeRequest.model_validate(request())
    assert charge.customer.document == "52998224725" and charge.customer.document_type == "cpf"
    assert charge.customer.phone == "11987654321"
    assert charge.method is PaymentMethod.PIX and charge.pix.expires_in == 900
    assert [item.amount for item in charge.items] == [5980, 100]


def test_the_first_attempt_uses_the_order_id_as_idempotency_key_and_a_new_attempt_a_new_key():
    assert ChargeRequest.model_validate(request()).idempotency_key == "ord_01"
    assert ChargeRequest.model_validate(request(attempt=2)).idempotency_key == "ord_01-2"


def test_the_amount_must_be_the_sum_of_the_items():
    with pytest.raises(ValidationError, match="sum of the items"):
        ChargeRequest.model_validate(request(amount=6000))


@pytest.mark.parametrize(
    "overrides",
    [
        {"method": "card"},  # card without its options
        {"method": "pix", "card": {"token": "tok_1"}},  # options of another method
        {"method": "boleto", "pix": None, "boleto": {"due_at": "2026-12-01"}},  # boleto without an address
        {"amount": 6080.0},  # money is never a float
        {"amount": -1},
        {"items": []},
        {"order_id": "ord 01"},
        {"merchant_id": "Loja Demo"},
        {"status": "paid"},  # no mass assignment
        {"customer": {**request()["customer"], "cpf": "111.111.111-11"}},
        {"customer": {**request()["customer"], "email": "maria"}},
        {"customer": {**request()["customer"], "phone": "98765-4321"}},
        {"pix": {"expires_in": 10}},
    ],
)
def test_inconsistent_or_invalid_requests_are_refused(overrides):
    with pytest.raises(ValidationError):
        ChargeRequest.model_validate(request(**overrides))


def test_a_card_request_carries_only_the_token_and_installments():
    charge = ChargeRequest.model_validate(
        request(method="card", pix=None, card={"token": "token_abc", "installments": 3})
    )
    assert charge.card.token == "token_abc" and charge.card.installments == 3
    with pytest.raises(ValidationError):
        ChargeRequest.model_validate(
            request(method="card", pix=None, card={"token": "t", "number": "4000000000000010"})
        )
    with pytest.raises(ValidationError):
        ChargeRequest.model_validate(request(method="card", pix=None, card={"token": "t", "installments": 13}))


def test_a_boleto_request_needs_the_address_and_a_due_date():
    address = {"line_1": "10, Rua A, Centro", "zip_code": "01001000", "city": "São Paulo", "state": "SP"}
    customer = {**request()["customer"], "address": address}
    charge = ChargeRequest.model_validate(
        request(method="boleto", pix=None, boleto={"due_at": "2026-12-01"}, customer=customer)
    )
    assert charge.boleto.due_at == date(2026, 12, 1)


def test_a_declined_charge_becomes_a_402_naming_the_charge():
    charge = card_charge(status=ChargeStatus.FAILED, decline_reason="Transação não autorizada")
    error = PaymentDeclined.from_charge(charge)
    assert error.status == 402 and error.code == "payment_declined"
    assert error.details == {"charge_id": "ch_1", "reason": "Transação não autorizada"}


@pytest.mark.parametrize(
    ("status", "paid", "canceled", "refunded", "refundable"),
    [
        (ChargeStatus.CANCELLED, 0, 6080, 0, 0),  # a Pix cancelled before anyone paid: no money moved
        (ChargeStatus.PAID, 6080, 0, 0, 6080),
        (ChargeStatus.PAID, 6080, 2990, 2990, 3090),  # refunded in part: still paid
        (ChargeStatus.CANCELLED, 6080, 6080, 6080, 0),  # refunded in full
    ],
)
def test_refunds_read_as_amounts_a_ledger_can_post(status, paid, canceled, refunded, refundable):
    charge = card_charge(status=status, paid_amount=paid, canceled_amount=canceled)
    assert (charge.refunded_amount, charge.refundable_amount) == (refunded, refundable)


def test_the_pagarme_adapter_satisfies_the_port():
    from vitrine.payments.pagarme import PagarmeGateway

    gateway: PaymentGateway = PagarmeGateway()
    assert callable(gateway.create_charge) and callable(gateway.get_charge) and callable(gateway.cancel_charge)

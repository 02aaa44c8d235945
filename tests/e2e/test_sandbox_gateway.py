"""The sandbox gateway against Vitrine's real pagar.me adapter, over real HTTP on a free loopback port.

The first tests are one contract run twice, through the same ``PagarmeGateway``: once against pagar.me's recorded
answers (tests/fixtures/pagarme, replayed by ``responses``) and once against the sandbox. The fake cannot drift
from the real API without one of the two runs failing. The rest drive what only the sandbox has: tokenization
with the public key and CORS, paying a charge from its page or its JSON route, the QR and boleto files, the same
JSON shapes as the recordings, refunds past what pagar.me recorded for us, antifraud decisions and Pix expiry.
(Webhook delivery is in test_sandbox_webhooks.py.)
"""

import io
import json
import re
import time
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
import requests
import responses
from pagarme_fixtures import RECORDINGS, fixture

from local_stack.sandbox_gateway import SandboxGateway
from vitrine.payments.errors import (
    ChargeNotFound,
    PaymentGatewayAuthenticationFailed,
    PaymentRequestRejected,
)
from vitrine.payments.pagarme import PagarmeGateway, http_session, order_payload
from vitrine.payments.pix import read_fields
from vitrine.payments.port import Charge, ChargeRequest, ChargeStatus, PaymentMethod
from vitrine.payments.settings import GatewaySettings

STOREFRONT = "http://127.0.0.1:3000"
APPROVED, DECLINED, REVIEW = "4000000000000010", "4000000000000028", "4000000000000036"


def fetch(method: str, url: str, **kwargs: Any) -> requests.Response:
    return requests.request(method, url, timeout=10, **kwargs)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxGateway]:
    gateway = SandboxGateway()
    gateway.start()
    yield gateway
    gateway.stop()


def tokenize(sandbox: SandboxGateway, number: str, **card: Any) -> requests.Response:
    """What the storefront's browser does: the card goes to the gateway with the public key, never to Vitrine."""
    body = {"type": "card", "card": {"number": number, "holder_name": "Maria Oliveira", "exp_month": 12}}
    body["card"].update({"exp_year": date.today().year + 3, "cvv": "123", **card})
    return fetch(
        "POST",
        f"{sandbox.api_url}/tokens",
        params={"appId": sandbox.public_key},
        json=body,
        headers={"Origin": STOREFRONT},
    )


def tokenize_from(sandbox: SandboxGateway, origin: str) -> requests.Response:
    return fetch("OPTIONS", f"{sandbox.api_url}/tokens", headers={"Origin": origin})


_serial = iter(range(1, 1_000_000))


def charge_request(method: str, amount: int, **options: Any) -> ChargeRequest:
    order_id = f"ord_{method}_{next(_serial):04d}"
    customer = {
        "name": "Maria Oliveira",
        "email": "maria.oliveira@example.com",
        "cpf": "52998224725",
        "phone": "11987654321",
        "address": {
            "line_1": "375, Av. General Justo",
            "zip_code": "20021130",
            "city": "Rio de Janeiro",
            "state": "RJ",
        },
    }
    defaults = {
        "pix": {"pix": {"expires_in": 1800}},
        "boleto": {"boleto": {"due_at": date.today() + timedelta(days=3)}},
        "card": {},
    }[method]
    return ChargeRequest.model_validate(
        {
            "merchant_id": "loja-demo",
            "order_id": order_id,
            "amount": amount,
            "items": [{"code": "SKU-1", "description": "Produto de teste", "quantity": 1, "unit_amount": amount}],
            "customer": customer,
            "method": method,
            **defaults,
            **options,
        }
    )


# ---------------------------------------------------------------- one contract, two gateways


class RecordedBackend:
    """pagar.me's recorded answers, picked as pagar.me would: by payment method, and by card for a card."""

    CARD_FIXTURES = {
        "token_approved": "order_credit_card_paid.json",
        "token_declined": "order_credit_card_failed.json",
        "token_review": "order_credit_card_antifraud_review.json",
    }

    def __init__(self) -> None:
        self.gateway = PagarmeGateway(GatewaySettings(PAGARME_SECRET_KEY="sk_test_recorded"))
        self.mock = responses.RequestsMock(assert_all_requests_are_fired=False)
        self.mock.add_callback(responses.POST, "https://api.pagar.me/core/v5/orders", callback=self._order)
        self.mock.get("https://api.pagar.me/core/v5/charges/ch_K2rJ5nlHwTE4qRDP", json=fixture("charge_pix_paid.json"))
        self.mock.add_callback(
            responses.DELETE, re.compile(r"https://api\.pagar\.me/core/v5/charges/\w+"), callback=self._cancel
        )
        self.mock.post(
            re.compile(r"https://api\.pagar\.me/core/v5/charges/\w+/capture"),
            json=fixture("charge_credit_card_captured.json"),
        )

    def _order(self, request: Any) -> tuple[int, dict[str, str], str]:
        payment = json.loads(request.body)["payments"][0]
        method = payment["payment_method"]
        if method == "credit_card":
            name = self.CARD_FIXTURES[payment["credit_card"]["card_token"]]
        else:
            name = {"pix": "order_pix_pending.json", "boleto": "order_boleto_pending.json"}[method]
        return 200, {"Content-Type": "application/json"}, (RECORDINGS / name).read_text()

    def _cancel(self, request: Any) -> tuple[int, dict[str, str], str]:
        """The recorded cancel of the pending Pix, or the card's refund: in part with an amount, else in full."""
        if request.url.endswith("/ch_K2rJ5nlHwTE4qRDP"):
            name = "charge_pix_canceled.json"
        elif request.body:
            name = "charge_credit_card_partial_refunded.json"
        else:
            name = "charge_credit_card_refunded.json"
        return 200, {"Content-Type": "application/json"}, (RECORDINGS / name).read_text()

    def card_token(self, number: str) -> str:
        return {APPROVED: "token_approved", DECLINED: "token_declined", REVIEW: "token_review"}[number]

    def pay(self, charge: Charge) -> str:
        return "ch_K2rJ5nlHwTE4qRDP"  # the recording of a Pix after its payer paid it


class SandboxBackend:
    def __init__(self, sandbox: SandboxGateway) -> None:
        self.sandbox = sandbox
        self.gateway = PagarmeGateway(GatewaySettings.model_validate(sandbox.environment()))

    def card_token(self, number: str) -> str:
        return tokenize(self.sandbox, number).json()["id"]

    def pay(self, charge: Charge) -> str:
        response = fetch("POST", f"{self.sandbox.url}/sandbox/charges/{charge.charge_id}/pay")
        assert response.status_code == 200, response.text
        return charge.charge_id


@pytest.fixture(params=["recorded", "sandbox"])
def backend(request, sandbox) -> Iterator[RecordedBackend | SandboxBackend]:
    http_session.cache_clear()
    if request.param == "sandbox":
        yield SandboxBackend(sandbox)
    else:
        recorded = RecordedBackend()
        with recorded.mock:
            yield recorded
    http_session.cache_clear()


def test_contract_a_pix_charge_is_pending_with_a_valid_br_code_for_its_amount(backend):
    charge = backend.gateway.create_charge(charge_request("pix", 350))
    assert charge.status is ChargeStatus.PENDING and charge.method is PaymentMethod.PIX
    assert charge.amount == 350 and charge.merchant_id == "loja-demo" and charge.gateway_order_id
    fields = read_fields(charge.pix.qr_code)
    assert fields["54"] == "3.50" and fields["58"] == "BR" and fields["53"] == "986"
    assert charge.pix.qr_code_url.startswith("http") and charge.pix.expires_at is not None


def test_contract_a_paid_pix_reads_back_as_paid(backend):
    charge = backend.gateway.create_charge(charge_request("pix", 350))
    paid = backend.gateway.get_charge(backend.pay(charge))
    assert paid.status is ChargeStatus.PAID and paid.paid_amount == 350
    assert paid.method is PaymentMethod.PIX and paid.merchant_id == "loja-demo"


def test_contract_a_boleto_has_its_line_barcode_and_pdf(backend):
    charge = backend.gateway.create_charge(charge_request("boleto", 3090))
    assert charge.status is ChargeStatus.PENDING and charge.method is PaymentMethod.BOLETO
    digits = "".join(ch for ch in charge.boleto.line if ch.isdigit())
    assert len(digits) == 47 and digits.endswith("0000003090")
    assert charge.boleto.barcode and charge.boleto.pdf and charge.boleto.due_at is not None


@pytest.mark.parametrize(
    ("number", "status", "last_four"),
    [
        (APPROVED, ChargeStatus.PAID, "0010"),
        (DECLINED, ChargeStatus.FAILED, "0028"),
        (REVIEW, ChargeStatus.UNDER_REVIEW, "0036"),
    ],
)
def test_contract_the_test_cards_approve_decline_or_go_to_review(backend, number, status, last_four):
    card = {"token": backend.card_token(number), "installments": 3}
    charge = backend.gateway.create_charge(charge_request("card", 40000, card=card))
    assert charge.status is status and charge.method is PaymentMethod.CARD
    assert (charge.card.last_four, charge.card.brand, charge.card.installments) == (last_four, "Visa", 3)
    assert (charge.decline_reason is not None) is (status is ChargeStatus.FAILED)
    assert charge.paid_amount == (40000 if status is ChargeStatus.PAID else 0)


def test_contract_a_pending_pix_cancelled_is_cancelled_and_no_money_was_refunded(backend):
    charge = backend.gateway.create_charge(charge_request("pix", 350))
    cancelled = backend.gateway.cancel_charge(charge.charge_id, idempotency_key=f"{charge.order_id}-cancel")
    assert cancelled.status is ChargeStatus.CANCELLED and cancelled.charge_id == charge.charge_id
    assert (cancelled.canceled_amount, cancelled.refunded_amount) == (350, 0) and cancelled.canceled_at is not None


def test_contract_a_paid_card_refunded_in_part_stays_paid_and_refunding_the_rest_cancels_it(backend):
    card = {"token": backend.card_token(APPROVED)}
    charge = backend.gateway.create_charge(charge_request("card", 40000, card=card))
    part = backend.gateway.cancel_charge(charge.charge_id, 15000, idempotency_key=f"{charge.order_id}-refund-1")
    assert part.status is ChargeStatus.PAID and (part.refunded_amount, part.refundable_amount) == (15000, 25000)
    rest = backend.gateway.cancel_charge(charge.charge_id, idempotency_key=f"{charge.order_id}-refund-2")
    assert rest.status is ChargeStatus.CANCELLED and (rest.refunded_amount, rest.refundable_amount) == (40000, 0)


def test_contract_a_card_under_review_captured_by_the_merchant_is_paid(backend):
    card = {"token": backend.card_token(REVIEW), "installments": 3}
    charge = backend.gateway.create_charge(charge_request("card", 40000, card=card))
    assert charge.status is ChargeStatus.UNDER_REVIEW
    captured = backend.gateway.capture_charge(charge.charge_id, idempotency_key=f"{charge.order_id}-capture")
    assert captured.status is ChargeStatus.PAID and captured.charge_id == charge.charge_id
    assert (captured.paid_amount, captured.refunded_amount) == (40000, 0) and captured.decline_reason is None
    assert (captured.card.last_four, captured.merchant_id) == ("0036", "loja-demo")


# ---------------------------------------------------------------- the sandbox's own JSON is pagar.me's


def test_sandbox_answers_have_every_field_of_the_recorded_ones(sandbox, gateway):
    def keys(document: dict[str, Any]) -> set[str]:
        return set(document)

    orders = {
        "order_pix_pending.json": charge_request("pix", 350),
        "order_boleto_pending.json": charge_request("boleto", 3090),
        "order_credit_card_paid.json": charge_request(
            "card", 400, card={"token": tokenize(sandbox, APPROVED).json()["id"]}
        ),
        "order_credit_card_failed.json": charge_request(
            "card", 400, card={"token": tokenize(sandbox, DECLINED).json()["id"]}
        ),
        "order_credit_card_antifraud_review.json": charge_request(
            "card", 400, card={"token": tokenize(sandbox, REVIEW).json()["id"]}
        ),
    }
    # A hybrid boleto's Pix QR code is the one recorded field the sandbox does not play.
    not_played = {"qr_code"}
    for name, request in orders.items():
        recorded = fixture(name)
        played = fetch(
            "GET",
            f"{sandbox.api_url}/orders/{gateway.create_charge(request).gateway_order_id}",
            auth=(sandbox.secret_key, ""),
        ).json()
        assert keys(recorded) <= keys(played), name
        charge, played_charge = recorded["charges"][0], played["charges"][0]
        assert keys(charge) <= keys(played_charge), name
        transaction, played_transaction = charge["last_transaction"], played_charge["last_transaction"]
        assert keys(transaction) - not_played <= keys(played_transaction), name
        if "card" in transaction:
            assert keys(transaction["card"]) <= keys(played_transaction["card"]), name
        assert keys(charge["customer"]) - {"address"} <= keys(played_charge["customer"]), name

    token = tokenize(sandbox, APPROVED).json()
    assert keys(fixture("token_card.json")) <= keys(token)
    assert keys(fixture("token_card.json")["card"]) <= keys(token["card"])


def test_sandbox_refund_answers_have_every_field_of_the_recorded_ones(sandbox, gateway):
    def cancel(charge_id: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        response = fetch("DELETE", f"{sandbox.api_url}/charges/{charge_id}", json=body, auth=(sandbox.secret_key, ""))
        assert response.status_code == 200, response.text
        return response.json()

    pix = gateway.create_charge(charge_request("pix", 350))
    card = gateway.create_charge(
        charge_request("card", 40000, card={"token": tokenize(sandbox, APPROVED).json()["id"]})
    )
    played = {
        "charge_pix_canceled.json": cancel(pix.charge_id),
        "charge_credit_card_partial_refunded.json": cancel(card.charge_id, {"amount": 15000}),
        "charge_credit_card_refunded.json": cancel(card.charge_id),
    }
    for name, answer in played.items():
        recorded = fixture(name)
        assert set(recorded) <= set(answer), name
        assert set(recorded["last_transaction"]) - {"qr_code"} <= set(answer["last_transaction"]), name
        assert set(recorded["order"]) <= set(answer["order"]), name
        assert (answer["status"], answer["canceled_amount"]) == (recorded["status"], recorded["canceled_amount"])


def test_sandbox_capture_answer_has_every_field_of_the_recorded_one(sandbox, gateway):
    charge = gateway.create_charge(charge_request("card", 400, card={"token": tokenize(sandbox, REVIEW).json()["id"]}))
    response = fetch("POST", f"{sandbox.api_url}/charges/{charge.charge_id}/capture", auth=(sandbox.secret_key, ""))
    assert response.status_code == 200, response.text
    answer, recorded = response.json(), fixture("charge_credit_card_captured.json")
    assert set(recorded) <= set(answer)
    transaction, played = recorded["last_transaction"], answer["last_transaction"]
    assert set(transaction) <= set(played)
    assert set(transaction["card"]) <= set(played["card"])
    assert set(transaction["antifraud_response"]) <= set(played["antifraud_response"])
    assert set(recorded["order"]) <= set(answer["order"])
    for document in (recorded, answer):
        transaction = document["last_transaction"]
        assert (document["status"], document["paid_amount"] == document["amount"]) == ("paid", True)
        assert (transaction["status"], transaction["antifraud_response"]["status"]) == ("captured", "approved")
        assert document["order"]["status"] == "paid"
    refused = fetch("POST", f"{sandbox.api_url}/charges/{charge.charge_id}/capture", auth=(sandbox.secret_key, ""))
    assert refused.status_code == 412 and set(refused.json()) == set(fixture("error_412_charge_not_capturable.json"))


def test_sandbox_errors_have_pagarmes_shapes(sandbox):
    unauthorized = fetch("GET", f"{sandbox.api_url}/charges/ch_x", auth=("sk_test_wrong", ""))
    assert unauthorized.status_code == 401 and unauthorized.json() == fixture("error_401_unauthorized.json")
    float_money = {"items": [{"description": "x", "quantity": 1, "amount": 10.5}], "customer": {}, "payments": []}
    invalid = fetch("POST", f"{sandbox.api_url}/orders", json=float_money, auth=(sandbox.secret_key, ""))
    assert invalid.status_code == 422
    assert set(invalid.json()) == set(fixture("error_422_validation.json"))
    assert invalid.json()["message"] == "The request is invalid."
    assert "order.items[0].amount" in invalid.json()["errors"]
    missing = fetch("GET", f"{sandbox.api_url}/charges/ch_nope", auth=(sandbox.secret_key, ""))
    assert missing.status_code == 404 and set(missing.json()) == {"message"}
    not_cancelable = fetch("DELETE", f"{sandbox.api_url}/charges/ch_nope", auth=(sandbox.secret_key, ""))
    assert not_cancelable.status_code == 404 and not_cancelable.json() == fixture("error_404_not_found.json")


# ---------------------------------------------------------------- keys and tokenization


def test_the_secret_key_guards_orders_and_charges(sandbox):
    wrong = PagarmeGateway(GatewaySettings(PAGARME_BASE_URL=sandbox.api_url, PAGARME_SECRET_KEY="sk_test_wrong"))
    with pytest.raises(PaymentGatewayAuthenticationFailed):
        wrong.create_charge(charge_request("pix", 350))
    # The public key tokenizes cards; it opens nothing else.
    with pytest.raises(PaymentGatewayAuthenticationFailed):
        PagarmeGateway(
            GatewaySettings(PAGARME_BASE_URL=sandbox.api_url, PAGARME_SECRET_KEY=sandbox.public_key)
        ).get_charge("ch_x")


def test_the_storefront_page_may_tokenize_from_the_browser_with_the_public_key(sandbox):
    preflight = fetch(
        "OPTIONS",
        f"{sandbox.api_url}/tokens?appId={sandbox.public_key}",
        headers={"Origin": STOREFRONT, "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == STOREFRONT
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in preflight.headers["Access-Control-Allow-Headers"]

    token = tokenize(sandbox, APPROVED)
    assert token.status_code == 200 and token.headers["Access-Control-Allow-Origin"] == STOREFRONT
    body = token.json()
    assert body["id"].startswith("token_") and body["type"] == "card"
    assert body["card"]["last_four_digits"] == "0010" and body["card"]["brand"] == "Visa"
    assert APPROVED not in token.text and "cvv" not in token.text


def test_tokenization_refuses_a_wrong_public_key_a_foreign_origin_and_bad_cards(sandbox):
    wrong_key = fetch("POST", f"{sandbox.api_url}/tokens", params={"appId": "pk_test_wrong"}, json={"card": {}})
    assert wrong_key.status_code == 401
    foreign = tokenize_from(sandbox, "https://evil.example")
    assert "Access-Control-Allow-Origin" not in foreign.headers
    bad_luhn = tokenize(sandbox, "4000000000000011")
    assert bad_luhn.status_code == 422 and "request.card.number" in bad_luhn.json()["errors"]
    expired = tokenize(sandbox, APPROVED, exp_year=2020)
    assert expired.status_code == 422 and "request.card.exp_year" in expired.json()["errors"]
    no_cvv = tokenize(sandbox, APPROVED, cvv="1")
    assert no_cvv.status_code == 422 and "request.card.cvv" in no_cvv.json()["errors"]
    not_an_object = fetch("POST", f"{sandbox.api_url}/tokens", params={"appId": sandbox.public_key}, json=[1])
    assert not_an_object.status_code == 422 and not_an_object.json()["message"] == "The request is invalid."


def test_a_card_token_is_used_once(sandbox, gateway):
    token = tokenize(sandbox, APPROVED).json()["id"]
    gateway.create_charge(charge_request("card", 500, card={"token": token}))
    with pytest.raises(PaymentRequestRejected) as caught:
        gateway.create_charge(charge_request("card", 500, card={"token": token}))
    assert caught.value.details == [
        {"field": "order.payments[0].credit_card.card_token", "reason": "The card token is invalid or expired."}
    ]


def test_an_expired_card_token_is_refused(sandbox, gateway):
    sandbox.token_ttl_seconds = 0
    try:
        token = tokenize(sandbox, APPROVED).json()["id"]
    finally:
        sandbox.token_ttl_seconds = 60
    with pytest.raises(PaymentRequestRejected):
        gateway.create_charge(charge_request("card", 500, card={"token": token}))


# ---------------------------------------------------------------- idempotency


def test_a_repeated_request_returns_the_same_charge_and_a_new_attempt_a_new_one(sandbox, gateway):
    request = charge_request("pix", 990)
    first, again = gateway.create_charge(request), gateway.create_charge(request)
    assert first.charge_id == again.charge_id and first.pix.qr_code == again.pix.qr_code
    retry = gateway.create_charge(request.model_copy(update={"attempt": 2}))
    assert retry.charge_id != first.charge_id and retry.order_id == first.order_id


def test_an_unknown_charge_is_not_found(gateway):
    with pytest.raises(ChargeNotFound):
        gateway.get_charge("ch_doesnotexist0000")


# ---------------------------------------------------------------- paying, files and the page


def test_paying_a_pix_on_the_json_route_marks_it_paid_once_and_records_the_events(sandbox, gateway):
    charge = gateway.create_charge(charge_request("pix", 5980))
    events_before = len(sandbox.events)
    first = fetch("POST", f"{sandbox.url}/sandbox/charges/{charge.charge_id}/pay")
    second = fetch("POST", f"{sandbox.url}/sandbox/charges/{charge.charge_id}/pay")
    assert first.status_code == second.status_code == 200
    assert first.json()["status"] == "paid" and first.json()["last_transaction"]["end_to_end_id"]
    paid = gateway.get_charge(charge.charge_id)
    assert paid.status is ChargeStatus.PAID and paid.paid_amount == 5980
    new_events = sandbox.events[events_before:]
    assert [event["type"] for event in new_events] == ["charge.paid", "order.paid"]  # paying twice is harmless
    assert new_events[0]["id"].startswith("hook_") and new_events[0]["data"]["id"] == charge.charge_id


def test_antifraud_review_ends_in_paid_when_the_sandbox_pays_it(sandbox, gateway):
    token = tokenize(sandbox, REVIEW).json()["id"]
    charge = gateway.create_charge(charge_request("card", 1500, card={"token": token}))
    assert charge.status is ChargeStatus.UNDER_REVIEW
    fetch("POST", f"{sandbox.url}/sandbox/charges/{charge.charge_id}/pay").raise_for_status()
    assert gateway.get_charge(charge.charge_id).status is ChargeStatus.PAID


def test_a_failed_or_unknown_charge_cannot_be_paid(sandbox, gateway):
    token = tokenize(sandbox, DECLINED).json()["id"]
    failed = gateway.create_charge(charge_request("card", 1500, card={"token": token}))
    assert fetch("POST", f"{sandbox.url}/sandbox/charges/{failed.charge_id}/pay").status_code == 409
    assert fetch("POST", f"{sandbox.url}/sandbox/charges/ch_nope/pay").status_code == 404


def test_the_pix_qr_code_url_serves_a_png_of_the_br_code(sandbox, gateway):
    from PIL import Image

    charge = gateway.create_charge(charge_request("pix", 1234))
    image = fetch("GET", charge.pix.qr_code_url)
    assert image.status_code == 200 and image.headers["Content-Type"] == "image/png"
    with Image.open(io.BytesIO(image.content)) as png:
        assert png.format == "PNG" and png.width == png.height and png.width >= 200


def test_the_boleto_files_are_an_image_and_a_pdf(sandbox, gateway):
    from PIL import Image

    charge = gateway.create_charge(charge_request("boleto", 4590))
    barcode = fetch("GET", charge.boleto.barcode)
    assert barcode.headers["Content-Type"] == "image/png"
    with Image.open(io.BytesIO(barcode.content)) as png:
        assert png.width > png.height
    pdf = fetch("GET", charge.boleto.pdf)
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-1.4") and pdf.content.rstrip().endswith(b"%%EOF")
    assert charge.boleto.line.encode() in pdf.content


def test_the_pay_page_is_in_portuguese_and_its_button_pays(sandbox, gateway):
    charge = gateway.create_charge(charge_request("pix", 5980))
    page = fetch("GET", f"{sandbox.url}/pay/{charge.charge_id}")
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert "lang=pt-BR" in page.text and "R$ 59,80" in page.text and "Aguardando pagamento" in page.text
    assert ">Pagar</button>" in page.text and charge.pix.qr_code in page.text

    after = fetch("POST", f"{sandbox.url}/pay/{charge.charge_id}")  # the button; follows the 303 back to the page
    assert after.status_code == 200 and after.history[0].status_code == 303
    assert "Pago" in after.text and ">Pagar</button>" not in after.text
    assert gateway.get_charge(charge.charge_id).status is ChargeStatus.PAID

    assert fetch("GET", f"{sandbox.url}/pay/ch_nope").status_code == 404


# ---------------------------------------------------------------- cancel and refund


def paid_card(sandbox: SandboxGateway, gateway: PagarmeGateway, amount: int) -> Charge:
    charge = gateway.create_charge(
        charge_request("card", amount, card={"token": tokenize(sandbox, APPROVED).json()["id"]})
    )
    assert charge.status is ChargeStatus.PAID
    return charge


def test_a_refund_above_what_is_left_is_refused_and_returns_nothing(sandbox, gateway):
    charge = paid_card(sandbox, gateway, 40000)
    gateway.cancel_charge(charge.charge_id, 15000, idempotency_key=f"{charge.order_id}-refund-1")
    with pytest.raises(PaymentRequestRejected) as caught:
        gateway.cancel_charge(charge.charge_id, 30000, idempotency_key=f"{charge.order_id}-refund-2")
    (detail,) = caught.value.details
    assert detail["field"] == "amount" and "(25000)" in detail["reason"]
    assert gateway.get_charge(charge.charge_id).refunded_amount == 15000


def test_a_repeated_refund_key_replays_the_first_answer_and_returns_the_money_once(sandbox, gateway):
    charge = paid_card(sandbox, gateway, 9000)
    events_before = len(sandbox.events)
    key = f"{charge.order_id}-refund-1"
    first = gateway.cancel_charge(charge.charge_id, 1000, idempotency_key=key)
    again = gateway.cancel_charge(charge.charge_id, 1000, idempotency_key=key)
    assert first == again and again.refunded_amount == 1000
    assert [event["type"] for event in sandbox.events[events_before:]] == ["charge.partial_canceled"]
    second = gateway.cancel_charge(charge.charge_id, 1000, idempotency_key=f"{charge.order_id}-refund-2")
    assert second.refunded_amount == 2000 and second.status is ChargeStatus.PAID


def test_a_full_refund_cancels_the_charge_and_its_order_with_pagarmes_events(sandbox, gateway):
    charge = paid_card(sandbox, gateway, 5000)
    events_before = len(sandbox.events)
    refunded = gateway.cancel_charge(charge.charge_id, idempotency_key=f"{charge.order_id}-refund-1")
    assert refunded.status is ChargeStatus.CANCELLED and refunded.refunded_amount == 5000
    new_events = sandbox.events[events_before:]
    assert [event["type"] for event in new_events] == ["charge.refunded", "order.canceled"]
    assert new_events[0]["data"]["id"] == charge.charge_id and new_events[0]["data"]["canceled_amount"] == 5000
    assert new_events[1]["data"]["status"] == "canceled"


def test_a_failed_or_already_cancelled_charge_cannot_be_cancelled(sandbox, gateway):
    declined = gateway.create_charge(
        charge_request("card", 1500, card={"token": tokenize(sandbox, DECLINED).json()["id"]})
    )
    with pytest.raises(PaymentRequestRejected, match="Status: failed"):
        gateway.cancel_charge(declined.charge_id, idempotency_key=f"{declined.order_id}-refund-1")
    refunded = paid_card(sandbox, gateway, 1500)
    gateway.cancel_charge(refunded.charge_id, idempotency_key=f"{refunded.order_id}-refund-1")
    with pytest.raises(PaymentRequestRejected, match="Status: canceled"):
        gateway.cancel_charge(refunded.charge_id, idempotency_key=f"{refunded.order_id}-refund-2")


def test_a_pending_boleto_is_cancelled_in_full_only_and_can_no_longer_be_paid(sandbox, gateway):
    charge = gateway.create_charge(charge_request("boleto", 3090))
    with pytest.raises(PaymentRequestRejected):
        gateway.cancel_charge(charge.charge_id, 1000, idempotency_key=f"{charge.order_id}-cancel-1")
    cancelled = gateway.cancel_charge(charge.charge_id, idempotency_key=f"{charge.order_id}-cancel-2")
    assert cancelled.status is ChargeStatus.CANCELLED and cancelled.refunded_amount == 0
    assert fetch("POST", f"{sandbox.url}/sandbox/charges/{charge.charge_id}/pay").status_code == 409
    page = fetch("GET", f"{sandbox.url}/pay/{charge.charge_id}")
    assert "Cancelado" in page.text and ">Pagar</button>" not in page.text


def test_a_paid_boleto_is_refunded_only_to_a_bank_account(sandbox, gateway):
    charge = gateway.create_charge(charge_request("boleto", 3090))
    fetch("POST", f"{sandbox.url}/sandbox/charges/{charge.charge_id}/pay").raise_for_status()
    with pytest.raises(PaymentRequestRejected) as caught:
        gateway.cancel_charge(charge.charge_id, idempotency_key=f"{charge.order_id}-refund-1")
    assert caught.value.details[0]["field"] == "bank_account"
    account = {"holder_name": "Maria Oliveira", "holder_document": "52998224725", "bank": "341", "type": "checking"}
    refunded = fetch(
        "DELETE",
        f"{sandbox.api_url}/charges/{charge.charge_id}",
        json={"bank_account": account},
        auth=(sandbox.secret_key, ""),
    )
    assert refunded.status_code == 200 and refunded.json()["status"] == "canceled"


# ---------------------------------------------------------------- antifraud review and Pix expiry


def under_review(sandbox: SandboxGateway, gateway: PagarmeGateway) -> Charge:
    charge = gateway.create_charge(charge_request("card", 2500, card={"token": tokenize(sandbox, REVIEW).json()["id"]}))
    assert charge.status is ChargeStatus.UNDER_REVIEW
    return charge


def review(sandbox: SandboxGateway, charge_id: str, decision: Any) -> requests.Response:
    return fetch("POST", f"{sandbox.url}/sandbox/charges/{charge_id}/review", json={"decision": decision})


@pytest.mark.parametrize(
    ("decision", "status", "paid", "reason", "events"),
    [
        ("approve", ChargeStatus.PAID, 2500, None, ["charge.antifraud_approved", "charge.paid", "order.paid"]),
        (
            "reject",
            ChargeStatus.FAILED,
            0,
            "Transação recusada pela análise antifraude",
            ["charge.antifraud_reproved", "charge.payment_failed", "order.payment_failed"],
        ),
    ],
)
def test_a_review_decides_the_card_with_pagarmes_events(sandbox, gateway, decision, status, paid, reason, events):
    """Approving captures the card; rejecting fails it with the reason a shopper is shown."""
    charge = under_review(sandbox, gateway)
    events_before = len(sandbox.events)
    assert review(sandbox, charge.charge_id, decision).status_code == 200
    decided = gateway.get_charge(charge.charge_id)
    assert (decided.status, decided.paid_amount, decided.decline_reason) == (status, paid, reason)
    assert [event["type"] for event in sandbox.events[events_before:]] == events
    assert review(sandbox, charge.charge_id, "approve").status_code == 409  # decided once


def test_only_a_charge_under_review_can_be_decided_and_only_by_approve_or_reject(sandbox, gateway):
    pix = gateway.create_charge(charge_request("pix", 350))
    assert review(sandbox, pix.charge_id, "approve").status_code == 409
    assert review(sandbox, under_review(sandbox, gateway).charge_id, "maybe").status_code == 422
    assert review(sandbox, "ch_nope", "approve").status_code == 404


def test_an_unpaid_pix_past_its_expiry_reads_as_failed_and_says_so_once(sandbox, gateway):
    # Vitrine never asks for less than 60 s; the sandbox takes any expiry, so this Pix lives for one second.
    body = order_payload(charge_request("pix", 990))
    body["payments"][0]["pix"]["expires_in"] = 1
    created = fetch("POST", f"{sandbox.api_url}/orders", json=body, auth=(sandbox.secret_key, ""))
    charge_id = created.json()["charges"][0]["id"]
    events_before = len(sandbox.events)
    time.sleep(1.05)

    assert gateway.get_charge(charge_id).status is ChargeStatus.FAILED
    assert gateway.get_charge(charge_id).status is ChargeStatus.FAILED
    new_events = [event["type"] for event in sandbox.events[events_before:]]
    assert new_events == ["charge.payment_failed", "order.payment_failed"]
    assert fetch("POST", f"{sandbox.url}/sandbox/charges/{charge_id}/pay").status_code == 409
    assert "Pix expirado" in fetch("GET", f"{sandbox.url}/pay/{charge_id}").text


# ---------------------------------------------------------------- capture: the merchant approves a review


def capture(sandbox: SandboxGateway, charge_id: str, body: Any = None, key: str | None = None) -> requests.Response:
    headers = {"Idempotency-Key": key} if key else {}
    url = f"{sandbox.api_url}/charges/{charge_id}/capture"
    return fetch("POST", url, json=body, headers=headers, auth=(sandbox.secret_key, ""))


def test_capturing_a_review_through_the_adapter_pays_it_with_the_approve_events(sandbox, gateway):
    charge = under_review(sandbox, gateway)
    events_before = len(sandbox.events)
    captured = gateway.capture_charge(charge.charge_id, idempotency_key=f"{charge.order_id}-capture")
    assert captured.status is ChargeStatus.PAID and captured.paid_amount == 2500
    assert gateway.get_charge(charge.charge_id) == captured
    new_events = sandbox.events[events_before:]
    assert [event["type"] for event in new_events] == ["charge.antifraud_approved", "charge.paid", "order.paid"]
    paid_event = new_events[1]["data"]
    assert (paid_event["id"], paid_event["status"], paid_event["paid_amount"]) == (charge.charge_id, "paid", 2500)
    assert review(sandbox, charge.charge_id, "approve").status_code == 409  # decided once, either way


def test_a_repeated_capture_key_replays_the_first_answer_and_captures_once(sandbox, gateway):
    charge = under_review(sandbox, gateway)
    events_before = len(sandbox.events)
    key = f"{charge.order_id}-capture"
    first = gateway.capture_charge(charge.charge_id, idempotency_key=key)
    again = gateway.capture_charge(charge.charge_id, idempotency_key=key)
    assert first == again and again.status is ChargeStatus.PAID
    assert [event["type"] for event in sandbox.events[events_before:]].count("charge.paid") == 1


def test_capturing_a_paid_charge_is_412_and_rejected_by_the_adapter(sandbox, gateway):
    approved = under_review(sandbox, gateway)
    assert review(sandbox, approved.charge_id, "approve").status_code == 200  # decided elsewhere (the dashboard)
    events_before = len(sandbox.events)
    with pytest.raises(PaymentRequestRejected, match=r"can not be captured\. Status: paid"):
        gateway.capture_charge(approved.charge_id, idempotency_key=f"{approved.order_id}-capture")
    assert sandbox.events[events_before:] == []
    paid = paid_card(sandbox, gateway, 1500)
    answer = capture(sandbox, paid.charge_id, key=f"{paid.order_id}-capture")
    assert answer.status_code == 412 and set(answer.json()) == {"message"}


def test_a_failed_cancelled_or_non_card_charge_cannot_be_captured(sandbox, gateway):
    declined = gateway.create_charge(
        charge_request("card", 1500, card={"token": tokenize(sandbox, DECLINED).json()["id"]})
    )
    assert "Status: failed" in capture(sandbox, declined.charge_id).json()["message"]
    rejected = under_review(sandbox, gateway)
    review(sandbox, rejected.charge_id, "reject").raise_for_status()
    assert capture(sandbox, rejected.charge_id).status_code == 412
    voided = under_review(sandbox, gateway)
    gateway.cancel_charge(voided.charge_id, idempotency_key=f"{voided.order_id}-cancel")
    assert "Status: canceled" in capture(sandbox, voided.charge_id).json()["message"]
    pix = gateway.create_charge(charge_request("pix", 350))
    assert capture(sandbox, pix.charge_id).status_code == 412
    assert gateway.get_charge(pix.charge_id).status is ChargeStatus.PENDING


def test_a_capture_needs_the_secret_key_a_known_charge_and_the_full_amount(sandbox, gateway):
    charge = under_review(sandbox, gateway)
    url = f"{sandbox.api_url}/charges/{charge.charge_id}/capture"
    assert fetch("POST", url, auth=("sk_test_wrong", "")).status_code == 401
    assert capture(sandbox, "ch_nope").status_code == 404
    assert capture(sandbox, charge.charge_id, {"amount": 10.5}).status_code == 422
    partial = capture(sandbox, charge.charge_id, {"amount": 1000})
    assert partial.status_code == 422 and "amount" in partial.json()["errors"]
    assert gateway.get_charge(charge.charge_id).status is ChargeStatus.UNDER_REVIEW
    full = capture(sandbox, charge.charge_id, {"amount": 2500})
    assert full.status_code == 200 and full.json()["paid_amount"] == 2500

"""The platform's operator onboards a merchant through the IAM-authorized operator API: its stores, its profile and
its owner, who gets a one-time link to choose a password and is then in the console with every permission."""

import json

import pytest
from lambda_harness import API_DOMAIN, handler_of, http, json_body

from vitrine.auth.api_keys import issue_api_key
from vitrine.repository import merchants
from vitrine.repository import stores as store_records

MERCHANT = {
    "merchant_id": "casa-da-obra",
    "corporate_name": "Casa da Obra Materiais de Construção Ltda",
    "trade_name": "Casa da Obra",
    "cnpj": "11.222.333/0001-81",
    "stores": [
        {
            "code": "0001",
            "name": "Loja Centro",
            "fulfilment": ["pickup"],
            "city": "Campinas",
            "address": "Rua Barão de Jaguara, 1000 - Centro",
        },
        {"code": "9900", "name": "Loja Online", "online": True, "fulfilment": ["delivery"]},
        {"code": "9901", "name": "Marketplace", "online": True, "fulfilment": ["delivery"]},
    ],
    "owner": {"name": "Marta Obra", "email": "marta@casadaobra.com.br"},
}


def signed_headers(method: str, path: str, body: bytes | None) -> dict[str, str]:
    """SigV4 headers as ``vitrine-operator`` signs them (any credentials: the test's IAM is the harness's)."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    request = AWSRequest(
        method=method, url=f"https://{API_DOMAIN}{path}", data=body, headers={"Content-Type": "application/json"}
    )
    SigV4Auth(Credentials("AKIAOPERATORTEST0000", "secret"), "execute-api", "us-east-1").add_auth(request)
    return dict(request.headers)


def operator(method: str, path: str, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    return http(method, path, headers=signed_headers(method, path, data), body=data.decode() if data else None)


def test_an_unsigned_request_or_a_merchant_key_never_reaches_the_operators_api(stack):
    key = issue_api_key("m1", scopes=["merchant", "erp"], name="m1")
    for headers in ({}, {"authorization": f"Bearer {key}"}):
        answer = http("POST", "/operator/v1/merchants", headers=headers, body=json.dumps(MERCHANT))
        assert answer["statusCode"] == 403
    assert merchants.get_merchant("casa-da-obra") is None


def test_the_function_itself_refuses_a_request_api_gateway_did_not_authorize(stack):
    from local_stack.http_api_payload import HttpRequest, build_event
    from local_stack.lambda_context import LambdaContext

    request = HttpRequest(
        method="POST",
        target="/operator/v1/merchants",
        headers=[("content-type", "application/json")],
        body=json.dumps(MERCHANT).encode(),
    )
    event = build_event(
        request, "POST /operator/v1/merchants", {}, "r1", "123456789012", "vitrine", domain_name=API_DOMAIN
    )
    answer = handler_of("OperatorFunction")(event, LambdaContext())
    assert answer["statusCode"] == 403 and merchants.get_merchant("casa-da-obra") is None


def test_the_operator_onboards_a_merchant_whose_owner_gets_in_through_the_invitation(stack, monkeypatch):
    import hashlib

    from vitrine.auth import passwords

    monkeypatch.setattr(
        passwords, "_derive", lambda password, salt, *cost: hashlib.sha256(salt + password.encode()).digest()
    )
    created = operator("POST", "/operator/v1/merchants", MERCHANT)
    assert created["statusCode"] == 201, created["body"]
    body = json_body(created)
    assert [s["code"] for s in body["stores"]] == ["0001", "9900", "9901"] and body["merchant"][
        "cnpj"
    ] == "11222333000181"
    assert body["invitation_url"].startswith(f"https://{API_DOMAIN}/painel/convite#")
    assert merchants.get_shop_profile("casa-da-obra").trade_name == "Casa da Obra"
    # The pickup store's street address is kept for the pages and messages that tell shoppers where to go.
    (centre, *_) = store_records.list_stores("casa-da-obra")
    assert centre.place == "Loja Centro, Rua Barão de Jaguara, 1000 - Centro (Campinas)"

    token = body["invitation_url"].split("#", 1)[1]
    accepted = http(
        "POST", "/merchant/v1/invitations/accept", body=json.dumps({"token": token, "password": "senha-da-marta-1"})
    )
    assert accepted["statusCode"] == 201 and json_body(accepted)["member"]["owner"] is True
    session = json_body(accepted)["token"]
    stores = http("GET", "/merchant/v1/session", headers={"authorization": f"Bearer {session}"})
    assert "staff" in json_body(stores)["permissions"]

    again = operator("POST", "/operator/v1/merchants", MERCHANT)
    assert again["statusCode"] == 409
    described = json_body(operator("GET", "/operator/v1/merchants/casa-da-obra"))
    assert described["owner"]["has_password"] is True
    # The owner is in: a new invitation is refused (they change their password in the console).
    assert operator("POST", "/operator/v1/merchants/casa-da-obra/owner-invitation")["statusCode"] == 409
    assert operator("GET", "/operator/v1/merchants/nobody-here")["statusCode"] == 404


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("cnpj", "11.222.333/0001-00"),
        ("merchant_id", "Casa Da Obra"),
        ("stores", []),
        ("stores", [{"code": "0001", "name": "Loja Centro", "address": "R 1"}]),
        ("stores", [{"code": "0001", "name": "Loja Centro", "address": "Rua Direita, 1\n<script>"}]),
        ("owner", {"name": "M"}),
    ],
)
def test_bad_onboarding_input_is_a_422_and_writes_nothing(stack, field, value):
    answer = operator("POST", "/operator/v1/merchants", {**MERCHANT, field: value})
    assert answer["statusCode"] == 422
    assert merchants.get_merchant("casa-da-obra") is None

"""Any buyer may be a company (issue 14 item 5): the checkout takes a CNPJ, checked digit by digit, and the order,
the payment gateway and the ERP's feed carry which document it is."""

import json

import pytest
import responses
from infra_fixtures import publish_small_catalog
from pagarme_fixtures import API, fixture
from shoppers import SHOPPER
from test_checkout import available, checkout
from test_erp_orders import ONE_UNIT, Erp, paid_order, stored

from vitrine.payments.port import ChargeRequest

COMPANY = {**SHOPPER, "name": "Loja Parceira Ltda"}
del COMPANY["cpf"]
CNPJ = "11.222.333/0001-81"


def buying_as(customer: dict) -> dict:
    return {**ONE_UNIT, "customer": customer}


@pytest.fixture
def erp(stack, sandbox_gateway):
    publish_small_catalog()
    return Erp("m1")


def test_a_company_buys_by_cnpj_and_the_order_and_the_erp_feed_say_it_is_one(erp, sandbox_gateway):
    order_id = paid_order(sandbox_gateway, buying_as({**COMPANY, "document": CNPJ}))
    order = stored(order_id)
    assert (order.customer.document, order.customer.document_type) == ("11222333000181", "cnpj")
    (fed,) = erp.feed()["orders"]
    assert (fed["customer"]["document"], fed["customer"]["document_type"]) == ("11222333000181", "cnpj")
    assert fed["customer"]["cpf"] is None  # the older field holds CPFs only


def test_a_person_buys_by_cpf_under_document_or_under_the_older_cpf_field(erp, sandbox_gateway):
    for customer in ({**COMPANY, "document": "529.982.247-25"}, SHOPPER):
        order = stored(paid_order(sandbox_gateway, buying_as(customer)))
        assert (order.customer.document, order.customer.document_type) == ("52998224725", "cpf")


@pytest.mark.parametrize(
    ("customer", "field"),
    [
        ({**COMPANY, "document": "11.222.333/0001-80"}, "body.customer.document"),  # a wrong check digit
        ({**COMPANY, "document": "11.111.111/1111-11"}, "body.customer.document"),  # one digit repeated
        ({**COMPANY, "document": "1122233300018"}, "body.customer.document"),  # 13 digits: neither
        ({**COMPANY, "cpf": "11.222.333/0001-81"}, "body.customer.cpf"),  # the older field takes CPFs only
        ({**COMPANY, "document": CNPJ, "cpf": "529.982.247-25"}, "body.customer"),  # both
        (COMPANY, "body.customer"),  # neither
    ],
)
def test_a_document_that_is_not_a_valid_cpf_or_cnpj_is_a_422_and_nothing_is_reserved(erp, customer, field):
    before = available()
    response = checkout(buying_as(customer))
    assert response["statusCode"] == 422
    fields = [d["field"] for d in json.loads(response["body"])["error"]["details"]]
    assert any(f == field or f.startswith(field + ".") for f in fields), fields
    assert available() == before


def test_the_company_is_charged_as_a_company(erp, sandbox_gateway):
    order_id = paid_order(sandbox_gateway, buying_as({**COMPANY, "document": CNPJ}))
    charge = stored(order_id).charge
    status, gateway_order = sandbox_gateway.get_order(charge.gateway_order_id)
    sent = gateway_order["customer"]
    assert status == 200
    assert (sent["type"], sent["document"], sent["document_type"]) == ("company", "11222333000181", "cnpj")


@responses.activate
def test_pagarme_is_sent_a_company_customer_with_its_cnpj(gateway):
    responses.post(f"{API}/orders", json=fixture("order_pix_pending.json"))
    customer = {"name": "Loja Parceira Ltda", "email": "compras@parceira.com.br", "phone": "11988887777"}
    request = {
        "merchant_id": "loja-demo",
        "order_id": "ord_pix_0001",
        "amount": 350,
        "items": [{"code": "MEIA", "description": "Meia", "quantity": 1, "unit_amount": 350}],
        "customer": {**customer, "document": CNPJ},
        "method": "pix",
        "pix": {"expires_in": 1800},
    }
    gateway.create_charge(ChargeRequest.model_validate(request))
    (call,) = responses.calls
    sent = json.loads(call.request.body)["customer"]
    assert (sent["type"], sent["document"], sent["document_type"]) == ("company", "11222333000181", "CNPJ")

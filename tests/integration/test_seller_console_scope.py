"""A seller in the console: builds a vitrine for one of their customers (that customer's prices, a link nobody can
guess), every order through it is theirs, and they see their own customers, vitrines and orders only."""

import hashlib
import json
import re
import uuid

import pytest
from lambda_harness import http, json_body
from shoppers import SHOPPER, delivery_checkout

from vitrine.auth import passwords
from vitrine.auth.permissions import MERCHANT_PERMISSIONS
from vitrine.catalogs.models import StockLevel
from vitrine.people import accounts, staff
from vitrine.people.models import CustomerInput, SellerInput
from vitrine.repository import assortment, stock

DEMO = "demo-merchant"


class Owner:
    merchant_id, permissions, owner = DEMO, MERCHANT_PERMISSIONS, True


def call(method, path, token, body=None):
    headers = {"authorization": f"Bearer {token}"}
    return http(method, path, headers=headers, body=json.dumps(body) if body is not None else None)


@pytest.fixture
def sellers(stack, monkeypatch):
    """The demo merchant with Ana (customer Loja Parceira, wholesale) and Bruno (customer Loja Norte), both in the
    console's "Vendedores" group; their console tokens."""
    monkeypatch.setattr(
        passwords, "_derive", lambda password, salt, *cost: hashlib.sha256(salt + password.encode()).digest()
    )
    from demo_snapshot import seeded_demo

    seed = seeded_demo()  # as seed_demo({}) leaves a fresh stack (seeded once per process, restored for each test)
    accounts.save_seller(DEMO, "bruno", SellerInput(name="Bruno", email="bruno@vitrine.demo", password=seed.password))
    norte = CustomerInput(name="Loja Norte", document="529.982.247-25", email="norte@lojas.demo")
    accounts.save_customer(DEMO, "norte", norte)
    accounts.assign_customers(DEMO, "bruno", ["norte"])
    (group,) = [g for g in staff.list_groups(DEMO) if g.name == "Vendedores"]
    member = staff.NewStaff(
        name="Bruno", email="bruno@vitrine.demo", password=seed.password, group_ids=[group.group_id], seller_id="bruno"
    )
    staff.create_member(Owner(), member)
    tokens = {}
    for name, email in (("ana", seed.seller_login), ("bruno", "bruno@vitrine.demo")):
        signed = http("POST", "/merchant/v1/sessions", body=json.dumps({"email": email, "password": seed.password}))
        tokens[name] = json_body(signed)["token"]
    return tokens


def vitrine(token, **extra):
    body = {
        "slug": "ofertas-parceira",
        "title": "Ofertas para a Parceira",
        "selection": {"skus": ["CAM-BAS"]},
        "price_table_id": "varejo",
        "store_codes": ["0001", "9900"],
        **extra,
    }
    return call("POST", "/merchant/v1/catalogs", token, body)


def test_a_seller_builds_a_vitrine_for_their_customer_and_the_order_through_it_is_theirs_at_the_customers_prices(
    sellers,
):
    created = vitrine(sellers["ana"], customer_id="parceira")
    assert created["statusCode"] == 201, created["body"]
    catalog = json_body(created)
    assert (
        catalog["price_table_id"] == "atacado"
        and catalog["seller_id"] == "ana"
        and catalog["customer_id"] == "parceira"
    )
    assert re.fullmatch(r"ofertas-parceira-[a-z2-9]{10}", catalog["slug"])
    published = call("POST", f"/merchant/v1/catalogs/{catalog['catalog_id']}/publish", sellers["ana"])
    assert published["statusCode"] == 200

    # Another seller's customer is refused without saying whether they exist.
    assert vitrine(sellers["ana"], customer_id="norte")["statusCode"] == 422
    assert vitrine(sellers["ana"], customer_id="ninguem")["statusCode"] == 422

    for store in ("0001", "9900"):
        stock.set_stock(DEMO, StockLevel(store_code=store, sku="CAM-BAS-M-PRE", on_hand=5, sequence=10**9))
    wholesale = assortment.prices_of(DEMO, "atacado", ["CAM-BAS"])["CAM-BAS"]
    line = {"product_sku": "CAM-BAS", "sku": "CAM-BAS-M-PRE", "quantity": 1, "unit_price": wholesale}
    answer = http(
        "POST",
        "/api/checkout",
        headers={"idempotency-key": str(uuid.uuid4())},
        body=json.dumps(delivery_checkout(catalog["slug"], [line], SHOPPER)),
    )
    assert answer["statusCode"] == 201, answer["body"]
    order_id = json_body(answer)["order"]["order_id"]

    mine = call("GET", f"/merchant/v1/orders/{order_id}", sellers["ana"])
    assert mine["statusCode"] == 200
    order = json_body(mine)
    assert (order["origin"], order["seller_id"], order["customer_id"]) == ("seller", "ana", "parceira")
    assert order["lines"][0]["unit_price"] == wholesale

    # Bruno sees none of it: not the order, not the vitrine, not Ana's customer.
    assert call("GET", f"/merchant/v1/orders/{order_id}", sellers["bruno"])["statusCode"] == 404
    assert order_id not in call("GET", "/merchant/v1/orders", sellers["bruno"])["body"]
    assert order_id in call("GET", "/merchant/v1/orders", sellers["ana"])["body"]
    assert call("GET", f"/merchant/v1/catalogs/{catalog['catalog_id']}", sellers["bruno"])["statusCode"] == 404
    assert catalog["catalog_id"] not in call("GET", "/merchant/v1/catalogs", sellers["bruno"])["body"]
    assert call("GET", "/merchant/v1/customers/parceira", sellers["bruno"])["statusCode"] == 404
    assert call("GET", "/merchant/v1/customers/norte", sellers["bruno"])["statusCode"] == 200
    assert call("GET", "/merchant/v1/sellers/ana/customers", sellers["bruno"])["statusCode"] == 404
    cancel = call("POST", f"/merchant/v1/orders/{order_id}/cancel", sellers["bruno"], {"reason": "merchant_cancelled"})
    assert cancel["statusCode"] in (403, 404)


def test_a_seller_changes_no_one_and_does_not_read_the_merchants_journal(sellers):
    body = {"name": "Loja Nova", "document": "529.982.247-25", "email": "nova@lojas.demo"}
    assert call("PUT", "/merchant/v1/customers/nova", sellers["ana"], body)["statusCode"] == 403
    assert (
        call("PUT", "/merchant/v1/sellers/ana/customers", sellers["ana"], {"customer_ids": ["norte"]})["statusCode"]
        == 403
    )
    assert call("GET", "/merchant/v1/events", sellers["ana"])["statusCode"] == 403
    listed = json_body(call("GET", "/merchant/v1/sellers", sellers["ana"]))
    assert [s["seller_id"] for s in listed["sellers"]] == ["ana"]

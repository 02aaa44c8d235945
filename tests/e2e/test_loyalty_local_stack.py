"""Loyalty points on the local stack: a shopper's Pix order naming a professional's CPF, paid at the sandbox
gateway and invoiced by the sandbox ERP, shows its points at the sandbox loyalty partner (real HTTP all the way:
front, bus rule, SQS poller, the loyalty function, the partner's contract)."""

import re

import pytest
import requests
from shoppers import SHOPPER
from stack_harness import wait_until

from local_stack.demo_data import DEMO_LOYALTY_BRANDS
from vitrine.repository import keys

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("local_stack")]
PROFESSIONAL = "52998224725"


def erp_get(erp: dict, path: str) -> list[dict]:
    headers = {"Authorization": f"Bearer {erp['token']}"}
    response = requests.get(f"{erp['url']}{path}", params={"limit": 1000}, headers=headers, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def test_a_pix_order_with_a_professional_cpf_invoiced_by_the_erp_shows_its_points_at_the_partner(running_stack):
    loyalty, erp = running_stack.settings["loyalty"], running_stack.settings["erp"]
    assert loyalty["url"].startswith("http://127.0.0.1:")
    products = erp_get(erp, "/products")
    levels = erp_get(erp, "/stock")
    # A unit at store 0001 of a participating brand's product
    in_stock = {level["sku"] for level in levels if level["store_code"] == "0001" and level["on_hand"] >= 1}
    product, sku = next(
        (p, v["sku"])
        for p in products
        if p["brand"] in DEMO_LOYALTY_BRANDS
        for v in p["variants"]
        if v["sku"] in in_stock
    )

    # Given a Pix order for it, picked up at 0001, naming a professional's CPF, paid at the sandbox gateway
    body = {
        "catalog": "demo",
        "lines": [{"product_sku": product["sku"], "sku": sku, "quantity": 1}],
        "customer": SHOPPER,
        "fulfilment": {"kind": "pickup", "store_code": "0001"},
        "payment": {"method": "pix"},
        "professional_cpf": PROFESSIONAL,
    }
    placed = running_stack.checkout(body)
    assert placed.status == 201, placed.body
    order_id, token = placed.json()["order"]["order_id"], placed.json()["access_token"]
    line_total = placed.json()["order"]["lines"][0]["total"]
    item = running_stack.client("dynamodb").get_item(
        TableName=running_stack.settings["table_name"],
        Key={"PK": {"S": keys.merchant_pk("demo-merchant")}, "SK": {"S": keys.order_sk(order_id)}},
    )["Item"]
    gateway = running_stack.settings["payment_gateway"]
    charge_id = item["charge"]["M"]["charge_id"]["S"]
    requests.post(f"{gateway['url']}/sandbox/charges/{charge_id}/pay", timeout=10).raise_for_status()

    def shopper_view() -> dict:
        return running_stack.request("GET", f"/api/orders/{order_id}?token={token}").json()

    wait_until(lambda: shopper_view()["status"] == "paid", timeout=30, message="the order turning paid")
    assert shopper_view()["loyalty"] == {"state": "to_score", "points": 0}

    # When the sandbox ERP takes it from the feed and invoices it
    def invoiced() -> bool:
        requests.post(erp["sync_now_url"], timeout=60).raise_for_status()
        return shopper_view()["status"] == "invoiced"

    wait_until(invoiced, timeout=40, interval=0.5, message="the ERP invoicing the order")

    # Then the partner holds the order's accrual for the CPF, and the shopper sees the points
    def accrued() -> list[dict]:
        book = requests.get(loyalty["accruals_url"], timeout=10).json()
        return [m for m in book["accruals"] if m["order_id"] == order_id]

    (accrual,) = wait_until(accrued, timeout=30, interval=0.5, message="the points reaching the partner")
    # Store 0001's table: 2 points per R$ 1,00 for Vitrine, 1 for the other participating brands
    rate = 2 if product["brand"] == "Vitrine" else 1
    assert accrual["cpf"] == PROFESSIONAL and accrual["store_code"] == "DEMO-CENTRO"
    assert accrual["points"] == line_total * rate // 100
    assert accrual["lines"][0]["brand"] == product["brand"]
    book = requests.get(loyalty["accruals_url"], timeout=10).json()
    assert book["balances"][PROFESSIONAL] >= accrual["points"]
    assert shopper_view()["loyalty"] == {"state": "scored", "points": accrual["points"]}
    page = requests.get(f"{loyalty['url']}/", timeout=10)
    assert page.status_code == 200 and "529.982.247-25" in page.text


def test_the_owner_gives_an_orders_professional_cpf_in_the_console_until_it_is_invoiced(running_stack, phone):
    from playwright.sync_api import expect
    from test_console_browser import checked, sign_in

    # Given a paid Pix order that names no professional
    erp = running_stack.settings["erp"]
    in_stock = {lv["sku"] for lv in erp_get(erp, "/stock") if lv["store_code"] == "0001" and lv["on_hand"] >= 1}
    product, sku = next(
        (p, v["sku"])
        for p in erp_get(erp, "/products")
        if p["brand"] in DEMO_LOYALTY_BRANDS
        for v in p["variants"]
        if v["sku"] in in_stock
    )
    body = {
        "catalog": "demo",
        "lines": [{"product_sku": product["sku"], "sku": sku, "quantity": 1}],
        "customer": SHOPPER,
        "fulfilment": {"kind": "pickup", "store_code": "0001"},
        "payment": {"method": "pix"},
    }
    placed = running_stack.checkout(body)
    assert placed.status == 201, placed.body
    order_id = placed.json()["order"]["order_id"]

    # When the owner opens it in the console and gives the professional's CPF
    page = phone
    sign_in(page, running_stack, running_stack.settings["seed"]["owner_login"], f"/painel/pedidos/{order_id}")
    page.get_by_label(re.compile("Informar o CPF")).fill("529.982.247-25")
    page.get_by_role("button", name="Salvar CPF").click()

    # Then the order names it, "a pontuar", and the timeline says who changed it when
    expect(page.get_by_text("529.982.247-25")).to_be_visible(timeout=20_000)
    expect(page.get_by_text("a pontuar")).to_be_visible()
    expect(page.get_by_text(re.compile("CPF do profissional informado"))).to_be_visible()
    checked(page, "pedido_fidelidade")

    # And the settings page shows the demo's loyalty programme without the partner's key
    page.goto(f"{running_stack.url}/painel/configuracoes")
    expect(page.get_by_role("heading", name="Programa de fidelidade")).to_be_visible()
    assert running_stack.settings["seed"]["password"] not in page.content()
    assert "lp_sandbox_demo" not in page.content()
    checked(page, "configuracoes_fidelidade")

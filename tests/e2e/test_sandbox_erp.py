"""The whole ERP loop on the local stack: a shopper's Pix order, paid at the sandbox gateway, reaches the sandbox
ERP through Vitrine's order feed (real HTTP through the front, with the demo key), and the ERP's reports make it
``invoiced`` with the ERP's NF-e; the invoiced unit leaves the ERP's count, served to Vitrine's connector.

The stack runs the ERP's timers off (``stack_harness``): the test asks it to sync (``POST /sandbox/sync-now``) and
waits, to a deadline, for what it expects.
"""

import json

import pytest
import requests
from shoppers import SHOPPER
from stack_harness import wait_until

from vitrine.documents import is_valid_nfe_access_key
from vitrine.repository import keys

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("local_stack")]


def erp_get(erp: dict, path: str, **params) -> dict:
    headers = {"Authorization": f"Bearer {erp['token']}", "Accept": "application/json"}
    response = requests.get(f"{erp['url']}{path}", params=params, headers=headers, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def messages_about(stack, order_code: str, count: int, *, delivered: bool = False) -> list[dict] | None:
    """The sandbox provider's messages naming the order, once there are ``count`` (exactly: more is a failure)."""
    outbox = requests.get(stack.settings["messaging"]["outbox_url"], timeout=10).json()["messages"]
    mine = [m for m in outbox if order_code in m["text"]]
    assert len(mine) <= count, [m["template"] for m in mine]
    if len(mine) < count or (delivered and any(m["status"] != "delivered" for m in mine)):
        return None
    return mine


def a_variant_in_stock_at_0001(stack) -> tuple[str, str, dict]:
    """A variant the ERP and Vitrine both count at least 1 at store 0001, with its product's sku."""
    erp = stack.settings["erp"]
    levels = erp_get(erp, "/stock", limit=1000)["items"]
    products = erp_get(erp, "/products", limit=1000)["items"]
    product_of = {variant["sku"]: product["sku"] for product in products for variant in product["variants"]}
    level = next(lv for lv in levels if lv["store_code"] == "0001" and lv["on_hand"] >= 1)
    return product_of[level["sku"]], level["sku"], level


def test_the_stack_names_the_sandbox_erp_and_connects_it_to_the_feed(running_stack):
    erp = running_stack.settings["erp"]
    assert erp["url"].startswith("http://127.0.0.1:") and erp["feed_connected"] is True
    assert (erp["feed_poll_seconds"], erp["counter_sale_seconds"]) == (0, 0)
    status = requests.get(erp["status_url"], timeout=10).json()
    assert status["connected"] is True and status["vitrine_url"] == running_stack.url
    assert requests.get(f"{erp['url']}/stock?limit=1", timeout=10).status_code == 401
    page = requests.get(f"{erp['url']}/", timeout=10)
    assert page.status_code == 200 and "ERP de testes" in page.text


def test_a_pix_paid_at_the_gateway_is_taken_by_the_erp_and_becomes_invoiced_with_its_nfe(running_stack):
    erp = running_stack.settings["erp"]
    product_sku, sku, level = a_variant_in_stock_at_0001(running_stack)
    cursor_before = erp_get(erp, "/stock", limit=1000)["next_cursor"]

    # Given a shopper's Pix order for one unit, picked up at store 0001, paid at the sandbox gateway
    body = {
        "catalog": "demo",
        "lines": [{"product_sku": product_sku, "sku": sku, "quantity": 1}],
        "customer": SHOPPER,
        "fulfilment": {"kind": "pickup", "store_code": "0001"},
        "payment": {"method": "pix"},
    }
    placed = running_stack.checkout(body)
    assert placed.status == 201, placed.body
    order_id, token = placed.json()["order"]["order_id"], placed.json()["access_token"]
    item = running_stack.client("dynamodb").get_item(
        TableName=running_stack.settings["table_name"],
        Key={"PK": {"S": keys.merchant_pk("demo-merchant")}, "SK": {"S": keys.order_sk(order_id)}},
    )["Item"]
    charge_id = item["charge"]["M"]["charge_id"]["S"]
    gateway = running_stack.settings["payment_gateway"]
    requests.post(f"{gateway['url']}/sandbox/charges/{charge_id}/pay", timeout=10).raise_for_status()

    def shopper_view() -> dict:
        return running_stack.request("GET", f"/api/orders/{order_id}?token={token}").json()

    wait_until(lambda: shopper_view()["status"] == "paid", timeout=30, message="the order turning paid")
    # And the shopper got two WhatsApp messages at the sandbox provider: received (with the Pix code), then paid
    code = placed.json()["order"]["order_code"]
    two = wait_until(lambda: messages_about(running_stack, code, 2), timeout=30, message="two messages")
    assert [m["template"] for m in two] == ["vitrine_received_pix", "vitrine_paid"]
    assert placed.json()["order"]["payment"]["pix"]["qr_code"] in two[0]["text"]

    # When the ERP syncs with the feed (asked until it has invoiced the order: the feed may lag the payment)
    def invoiced_by_the_erp() -> dict | None:
        requests.post(erp["sync_now_url"], timeout=60).raise_for_status()
        status = requests.get(erp["status_url"], timeout=10).json()
        mine = [order for order in status["orders"] if order["order_id"] == order_id]
        return mine[0] if mine and mine[0]["state"] == "invoiced" else None

    booked = wait_until(invoiced_by_the_erp, timeout=30, interval=0.5, message="the ERP invoicing the order")

    # Then the shopper sees the order invoiced, after paid and in preparation
    order = shopper_view()
    assert order["status"] == "invoiced"
    assert [change["status"] for change in order["status_history"]] == [
        "pending_payment",
        "paid",
        "in_preparation",
        "invoiced",
    ]
    # And one message per ERP report, delivered (the sandbox's statuses came back through the signed webhook)
    four = wait_until(lambda: messages_about(running_stack, code, 4, delivered=True), timeout=30, message="4 messages")
    assert [m["template"] for m in four][2:] == ["vitrine_in_preparation", "vitrine_invoiced"]
    assert booked["invoice"]["number"] and str(booked["invoice"]["number"]) in four[3]["text"]
    # And the merchant sees the ERP's NF-e on it, a valid access key
    api_key = running_stack.settings["seed"]["api_key"]
    merchant_view = running_stack.request(
        "GET", f"/merchant/v1/orders/{order_id}", headers={"Authorization": f"Bearer {api_key}"}
    )
    assert merchant_view.status == 200, merchant_view.body
    assert merchant_view.json()["invoice"] == booked["invoice"]
    assert is_valid_nfe_access_key(booked["invoice"]["access_key"]) and booked["acknowledged"] is True
    # And the order left the feed: the ERP took it once
    feed = running_stack.request("GET", "/erp/v1/orders/feed", headers={"Authorization": f"Bearer {api_key}"})
    assert order_id not in {o["order_id"] for o in feed.json()["orders"]}
    # And the unit left the ERP's count at 0001, served to the connector with a newer sequence
    changed = erp_get(erp, "/stock", limit=1000, cursor=cursor_before)["items"]
    assert {**level, "on_hand": level["on_hand"] - 1, "sequence": level["sequence"] + 1} in changed


def test_a_counter_sale_on_the_stacks_erp_is_served_to_the_connector(running_stack):
    erp = running_stack.settings["erp"]
    _, sku, level = a_variant_in_stock_at_0001(running_stack)
    cursor = erp_get(erp, "/stock", limit=1000)["next_cursor"]

    sold = requests.post(erp["counter_sale_url"], json={"store_code": "0001", "sku": sku, "quantity": 1}, timeout=10)

    assert sold.status_code == 201
    page = erp_get(erp, "/stock", limit=1000, cursor=cursor)
    assert page["items"] == [{**level, "on_hand": level["on_hand"] - 1, "sequence": level["sequence"] + 1}]


def test_a_counter_sale_reaches_vitrines_stock_through_the_erp_connector(running_stack):
    pytest.importorskip("vitrine.erp.connector", reason="the polled ERP connector is not in this tree")
    erp, table = running_stack.settings["erp"], running_stack.settings["table_name"]
    api_key = running_stack.settings["seed"]["api_key"]
    _, sku, level = a_variant_in_stock_at_0001(running_stack)
    dynamodb = running_stack.client("dynamodb")

    def vitrine_level() -> tuple[int, int]:
        item = dynamodb.get_item(
            TableName=table, Key={"PK": {"S": keys.stock_pk("demo-merchant", "0001")}, "SK": {"S": sku}}
        )["Item"]
        return int(item["on_hand"]["N"]), int(item["sequence"]["N"])

    # Given a unit of the variant sold at the ERP's counter
    sold = requests.post(erp["counter_sale_url"], json={"store_code": "0001", "sku": sku, "quantity": 1}, timeout=10)
    assert sold.status_code == 201

    # When the connector polls the ERP (made due by a PUT of its configuration, then its schedule fired)
    def polled() -> bool:
        merchant = {"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"}
        due = running_stack.request(
            "PUT", "/merchant/v1/erp-connector", json.dumps({"base_url": erp["url"]}).encode(), merchant
        )
        assert due.status == 200, due.body
        running_stack.control("POST", "/_local/schedules/SyncErpConnectors")
        return vitrine_level() == (sold.json()["on_hand"], sold.json()["sequence"])

    # Then Vitrine holds the ERP's newer count
    wait_until(polled, timeout=60, interval=1, message="the counter sale's count reaching Vitrine")
    assert vitrine_level() == (level["on_hand"] - 1, level["sequence"] + 1)

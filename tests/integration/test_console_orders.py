"""The orders a member of staff reaches: a group limited to some stores sees those stores' orders only, through the
API and in the console; an unpaid order's page offers its Pix code again, to send to whoever pays."""

import hashlib
import json
import re

import pytest
from infra_fixtures import publish_small_catalog
from lambda_harness import http, json_body
from test_checkout import CHECKOUT, checkout

from vitrine.auth import passwords
from vitrine.auth.permissions import MERCHANT_PERMISSIONS, Permission
from vitrine.people import staff
from vitrine.repository import order_state


class Owner:
    merchant_id, permissions, owner = "m1", MERCHANT_PERMISSIONS, True


@pytest.fixture
def shop(stack, monkeypatch):
    """Merchant m1 with an online Pix order (store 9900), and two cashiers: one whose group reaches store 0001 only."""
    monkeypatch.setattr(
        passwords, "_derive", lambda password, salt, *cost: hashlib.sha256(salt + password.encode()).digest()
    )
    publish_small_catalog()
    answer = checkout(CHECKOUT)
    assert answer["statusCode"] == 201, answer["body"]
    order = json_body(answer)["order"]
    sessions = {}
    for name, stores in (("centro", ["0001"]), ("todas", None)):
        group = staff.create_group(
            Owner(), staff.GroupInput(name=f"Caixa {name}", permissions=[Permission.ORDERS_VIEW], stores=stores)
        )
        member = staff.NewStaff(
            name=f"Caixa {name}", email=f"{name}@loja.com.br", password="senha-forte-123", group_ids=[group.group_id]
        )
        staff.create_member(Owner(), member)
        signed = http(
            "POST", "/merchant/v1/sessions", body=json.dumps({"email": member.email, "password": "senha-forte-123"})
        )
        cookie = re.match(r"vitrine_console=([^;]+)", signed["cookies"][0]).group(1)
        sessions[name] = {"token": json_body(signed)["token"], "cookie": {"cookie": f"vitrine_console={cookie}"}}
    return order, sessions


def test_a_group_limited_to_a_store_reaches_that_stores_orders_only(shop):
    order, sessions = shop
    assert order_state.read_order("m1", order["order_id"])[0].store_code == "9900"  # a catalog's: the online site
    for name, sees in (("centro", False), ("todas", True)):
        bearer = {"authorization": f"Bearer {sessions[name]['token']}"}
        listed = http("GET", "/merchant/v1/orders", headers=bearer)
        assert (order["order_id"] in listed["body"]) is sees, name
        one = http("GET", f"/merchant/v1/orders/{order['order_id']}", headers=bearer)
        assert one["statusCode"] == (200 if sees else 404), name
        exported = http("GET", "/merchant/v1/orders.csv", headers=bearer)
        assert (order["order_code"] in exported["body"]) is sees, name
        page = http("GET", f"/painel/pedidos/{order['order_id']}", headers=sessions[name]["cookie"])
        assert page["statusCode"] == (200 if sees else 404), name
        listing = http("GET", "/painel/pedidos", headers=sessions[name]["cookie"])
        assert (order["order_id"] in listing["body"]) is sees, name


def test_an_unpaid_pix_orders_page_offers_its_code_again_and_says_the_erp_has_not_it_yet(shop):
    order, sessions = shop
    page = http("GET", f"/painel/pedidos/{order['order_id']}", headers=sessions["todas"]["cookie"])["body"]
    code = re.search(r'id="pix-code" value="([^"]+)"', page).group(1)
    assert code == order["payment"]["pix"]["qr_code"] and code.startswith("000201")
    assert "Copiar o Pix" in page


def test_a_search_by_the_order_code_keeps_to_the_stores_a_group_reaches(shop):
    order, sessions = shop
    for name, sees in (("centro", False), ("todas", True)):
        found = http("GET", "/painel/pedidos", headers=sessions[name]["cookie"], query={"q": order["order_code"]})
        assert (order["order_id"] in found["body"]) is sees, name


def test_the_orders_page_lists_the_messages_it_sent_with_the_recipient_masked(shop):
    from vitrine.repository import messages

    order, sessions = shop
    page = http("GET", f"/painel/pedidos/{order['order_id']}", headers=sessions["todas"]["cookie"])["body"]
    assert "Mensagens ao cliente" not in page  # none sent yet
    # Given the notifier's record of the paid message, sent and then delivered by WhatsApp
    base = {"merchant_id": "m1", "order_id": order["order_id"], "audience": "shopper", "kind": "paid"}
    record, held = messages.claim({**base, "event_id": "e1", "channel": "whatsapp", "recipient": "5511988887777"})
    assert held
    messages.mark_sent(record, "whatsapp", "wamid.page", body="Maria, o pagamento...", subject="Pago")
    messages.record_status("whatsapp", "wamid.page", "delivered", "")
    # Then the console's order page lists it, in Portuguese, without the shopper's full number
    page = http("GET", f"/painel/pedidos/{order['order_id']}", headers=sessions["todas"]["cookie"])["body"]
    assert "Mensagens ao cliente" in page
    assert "WhatsApp para +55 11 *****-7777 · Pagamento confirmado · <strong>entregue</strong>" in page
    assert "5511988887777" not in page

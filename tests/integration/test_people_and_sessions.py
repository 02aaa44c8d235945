"""Sellers and B2B customers: the merchant manages them, they sign in, and orders go at the right prices
for the right people only."""

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from infra_fixtures import publish_small_catalog
from lambda_harness import SESSION_SIGNING_KEYS, http, json_body
from shoppers import SHOPPER, delivery_checkout

from vitrine import aws
from vitrine.auth.api_keys import issue_api_key
from vitrine.auth.sessions import Role, issue_session
from vitrine.catalogs.models import PriceTable
from vitrine.parameters import forget_parameters
from vitrine.repository import assortment, people, stock

BUYER = {**SHOPPER, "name": "Compras Loja Sul", "email": "c@sul.com.br"}
ORDER = delivery_checkout("loja", [{"product_sku": "CAM", "sku": "CAM-P", "quantity": 1, "unit_price": 1}], BUYER)
PASSWORD = "segredo-forte-123"


def merchant(method, path, key, body=None):
    return http(method, path, headers={"authorization": f"Bearer {key}"}, body=json.dumps(body) if body else None)


def sign_in(role, email, password=PASSWORD, catalog="loja"):
    body = {"catalog": catalog, "role": role, "email": email, "password": password}
    return http("POST", "/api/sessions", body=json.dumps(body))


def bearer(response):
    return {"authorization": f"Bearer {json_body(response)['token']}"}


def checkout(body, headers):
    return http(
        "POST", "/api/checkout", headers={"idempotency-key": str(uuid.uuid4()), **headers}, body=json.dumps(body)
    )


def available(sku="CAM-P"):
    (level,) = [lv for lv in stock.stock_for_stores("m1", ["9900"]) if lv.sku == sku]
    return level.available


def orders_in_table(stack):
    items = stack.client("dynamodb").scan(TableName=stack.table_name)["Items"]
    return [i for i in items if i.get("type", {}).get("S") == "order"]


@pytest.fixture(autouse=True)
def _remembered_scrypt(remembered_scrypt):
    """Sign-ins, not hashing, are tested here: the real scrypt, each derivation once per process."""


@pytest.fixture
def shop(stack):
    """Merchant m1: catalog 'loja' at retail prices (CAM 49,90), a wholesale table (CAM 39,90), two sellers,
    two customers; Ana serves Loja Sul, Bruno serves Loja Norte."""
    publish_small_catalog()
    assortment.put_price_table("m1", PriceTable(table_id="atacado", name="Atacado"))
    assortment.put_prices("m1", "atacado", {"CAM": 3990, "SOLD": 800})
    key = issue_api_key("m1", scopes=["merchant"], name="m1")
    for seller_id, name in (("ana", "Ana"), ("bruno", "Bruno")):
        body = {"name": name, "email": f"{seller_id}@loja.com.br", "password": PASSWORD}
        assert merchant("PUT", f"/merchant/v1/sellers/{seller_id}", key, body)["statusCode"] == 201
    for customer_id, name, document in (("sul", "Loja Sul", "11.222.333/0001-81"), ("norte", "Loja Norte", None)):
        body = {"name": name, "document": document or "529.982.247-25", "email": f"{customer_id}@lojas.com.br"}
        if customer_id == "sul":
            body["price_table_id"] = "atacado"
        assert merchant("PUT", f"/merchant/v1/customers/{customer_id}", key, body)["statusCode"] == 201
    assert merchant("PUT", "/merchant/v1/sellers/ana/customers", key, {"customer_ids": ["sul"]})["statusCode"] == 200
    assert (
        merchant("PUT", "/merchant/v1/sellers/bruno/customers", key, {"customer_ids": ["norte"]})["statusCode"] == 200
    )
    return key


# --- merchant side ------------------------------------------------------------------------------------------


def test_a_seller_is_created_with_a_password_that_is_never_shown_and_kept_on_update(stack, shop):
    response = merchant("GET", "/merchant/v1/sellers", shop)
    sellers = json_body(response)["sellers"]
    assert [s["seller_id"] for s in sellers] == ["ana", "bruno"]
    assert "password" not in response["body"] and "scrypt" not in response["body"]

    renamed = merchant("PUT", "/merchant/v1/sellers/ana", shop, {"name": "Ana Souza", "email": "ANA@loja.com.br"})
    assert renamed["statusCode"] == 200 and json_body(renamed)["name"] == "Ana Souza"
    assert sign_in("seller", "ana@loja.com.br")["statusCode"] == 201


def test_a_new_seller_without_a_password_or_with_a_taken_email_is_refused_and_nothing_is_written(stack, shop):
    response = merchant("PUT", "/merchant/v1/sellers/carla", shop, {"name": "Carla", "email": "carla@loja.com.br"})
    assert response["statusCode"] == 422
    assert json_body(response)["error"]["details"][0]["field"] == "body.password"

    taken = {"name": "Carla", "email": "ana@loja.com.br", "password": PASSWORD}
    response = merchant("PUT", "/merchant/v1/sellers/carla", shop, taken)
    assert response["statusCode"] == 409
    assert [s["seller_id"] for s in json_body(merchant("GET", "/merchant/v1/sellers", shop))["sellers"]] == [
        "ana",
        "bruno",
    ]

    short = {"name": "Carla", "email": "carla@loja.com.br", "password": "curta"}
    assert merchant("PUT", "/merchant/v1/sellers/carla", shop, short)["statusCode"] == 422


def test_a_customer_needs_a_valid_document_and_an_existing_price_table(stack, shop):
    bad_table = {"name": "Loja Leste", "document": "529.982.247-25", "email": "l@x.com", "price_table_id": "vip"}
    response = merchant("PUT", "/merchant/v1/customers/leste", shop, bad_table)
    assert response["statusCode"] == 422
    assert json_body(response)["error"]["details"][0]["field"] == "body.price_table_id"
    bad_cnpj = {"name": "Loja Leste", "document": "11.222.333/0001-82", "email": "l@x.com"}
    assert merchant("PUT", "/merchant/v1/customers/leste", shop, bad_cnpj)["statusCode"] == 422
    assert merchant("GET", "/merchant/v1/customers/leste", shop)["statusCode"] == 404


def test_assigning_an_unknown_customer_changes_nothing(stack, shop):
    response = merchant("PUT", "/merchant/v1/sellers/ana/customers", shop, {"customer_ids": ["sul", "fantasma"]})
    assert response["statusCode"] == 422
    assert json_body(response)["error"]["details"] == [
        {"field": "body.customer_ids.1", "reason": "no customer 'fantasma'"}
    ]
    customers = json_body(merchant("GET", "/merchant/v1/sellers/ana/customers", shop))["customers"]
    assert [c["customer_id"] for c in customers] == ["sul"]


def test_merchant_b_reads_and_changes_nothing_of_merchant_a(stack, shop):
    other = issue_api_key("m2", scopes=["merchant"], name="m2")
    assert merchant("GET", "/merchant/v1/customers/sul", other)["statusCode"] == 404
    assert merchant("GET", "/merchant/v1/sellers/ana/customers", other)["statusCode"] == 404
    assert json_body(merchant("GET", "/merchant/v1/sellers", other))["sellers"] == []
    assert merchant("PUT", "/merchant/v1/customers/sul/web-access", other, {"password": PASSWORD})["statusCode"] == 404
    response = merchant("PUT", "/merchant/v1/sellers/ana/customers", other, {"customer_ids": ["sul"]})
    assert response["statusCode"] == 404
    # A's seller still has exactly the customer A gave her, and Loja Sul still cannot sign in.
    customers = json_body(merchant("GET", "/merchant/v1/sellers/ana/customers", shop))["customers"]
    assert [c["customer_id"] for c in customers] == ["sul"] and customers[0]["web_access"] is False
    assert sign_in("customer", "sul@lojas.com.br")["statusCode"] == 401


# --- signing in ---------------------------------------------------------------------------------------------


def test_signing_in_sets_an_http_only_strict_cookie_and_returns_the_token(stack, shop):
    response = sign_in("seller", "Ana@Loja.com.br")
    assert response["statusCode"] == 201
    (cookie,) = response["cookies"]
    assert cookie.startswith("vitrine_session=") and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    body = json_body(response)
    assert body["role"] == "seller" and body["name"] == "Ana" and body["token"] in cookie and body["csrf_token"]
    me = http("GET", "/api/session", headers=bearer(response))
    assert json_body(me)["subject_id"] == "ana"


def test_a_wrong_password_an_unknown_email_and_a_customer_without_web_access_get_the_same_401(stack, shop):
    answers = [
        sign_in("seller", "ana@loja.com.br", password="errada-123"),
        sign_in("seller", "ninguem@loja.com.br"),
        sign_in("customer", "sul@lojas.com.br"),
        sign_in("customer", "ana@loja.com.br"),  # a seller's login is not a customer's
    ]
    assert {a["statusCode"] for a in answers} == {401}
    assert len({json_body(a)["error"]["message"] for a in answers}) == 1
    assert not any(a.get("cookies") for a in answers)


def test_a_forged_or_expired_token_is_refused(stack, shop):
    forged_header = {"authorization": f"Bearer {json_body(sign_in('seller', 'ana@loja.com.br'))['token'][:-2]}xx"}
    assert http("GET", "/api/session", headers=forged_header)["statusCode"] == 401
    token, _ = issue_session("m1", Role.SELLER, "ana", now=datetime.now(UTC) - timedelta(hours=13))
    response = http("GET", "/api/session", headers={"authorization": f"Bearer {token}"})
    assert response["statusCode"] == 401 and "expired" in json_body(response)["error"]["message"]


def test_a_rotated_signing_key_keeps_open_sessions_until_the_old_key_is_dropped(stack, shop):
    old = sign_in("seller", "ana@loja.com.br")
    ssm = aws.client("ssm")
    name = "/vitrine/test/session-signing-keys"
    ssm.put_parameter(
        Name=name, Value=f"new-key-{'9' * 40},{SESSION_SIGNING_KEYS}", Type="SecureString", Overwrite=True
    )
    forget_parameters()
    assert http("GET", "/api/session", headers=bearer(old))["statusCode"] == 200
    new = sign_in("seller", "ana@loja.com.br")
    ssm.put_parameter(Name=name, Value=f"new-key-{'9' * 40}", Type="SecureString", Overwrite=True)
    forget_parameters()
    assert http("GET", "/api/session", headers=bearer(new))["statusCode"] == 200
    assert http("GET", "/api/session", headers=bearer(old))["statusCode"] == 401


# --- customers buying at their prices -----------------------------------------------------------------------


def enable_sul(key):
    assert merchant("PUT", "/merchant/v1/customers/sul/web-access", key, {"password": PASSWORD})["statusCode"] == 200


def test_a_signed_in_customer_is_quoted_and_charged_at_their_price_table(stack, shop):
    enable_sul(shop)
    session = sign_in("customer", "sul@lojas.com.br")
    quote_body = json.dumps({"catalog": "loja", "lines": ORDER["lines"]})
    anonymous = json_body(http("POST", "/api/carts/quote", body=quote_body))
    theirs = json_body(http("POST", "/api/carts/quote", headers=bearer(session), body=quote_body))
    assert (anonymous["subtotal"], theirs["subtotal"]) == (4990, 3990)

    response = checkout(ORDER, bearer(session))
    assert response["statusCode"] == 201
    order_id = json_body(response)["order"]["order_id"]
    assert json_body(response)["order"]["subtotal"] == 3990
    (stored,) = [o for o in orders_in_table(stack) if o["order_id"]["S"] == order_id]
    assert stored["origin"]["S"] == "customer_portal" and stored["customer_id"]["S"] == "sul"
    assert stored["price_table_id"]["S"] == "atacado"

    mine = json_body(http("GET", "/api/customer/orders", headers=bearer(session)))
    assert [o["order_id"] for o in mine["orders"]] == [order_id] and mine["orders"][0]["total"] == 3990 + 1500


def test_a_cookie_session_must_send_its_csrf_token_to_place_an_order(stack, shop):
    enable_sul(shop)
    session = json_body(sign_in("customer", "sul@lojas.com.br"))
    cookie = {"cookie": f"vitrine_session={session['token']}"}
    before = available()
    refused = checkout(ORDER, cookie)
    assert refused["statusCode"] == 403 and "CSRF" in json_body(refused)["error"]["message"]
    wrong = checkout(ORDER, {**cookie, "x-csrf-token": "x" * 43})
    assert wrong["statusCode"] == 403
    assert available() == before and orders_in_table(stack) == []
    # Reading needs no CSRF token; writing with it works.
    assert http("GET", "/api/customer/orders", headers=cookie)["statusCode"] == 200
    assert checkout(ORDER, {**cookie, "x-csrf-token": session["csrf_token"]})["statusCode"] == 201


def test_taking_web_access_away_ends_the_customers_open_session(stack, shop):
    enable_sul(shop)
    session = sign_in("customer", "sul@lojas.com.br")
    assert merchant("DELETE", "/merchant/v1/customers/sul/web-access", shop)["statusCode"] == 200
    assert checkout(ORDER, bearer(session))["statusCode"] == 401
    assert http("GET", "/api/customer/orders", headers=bearer(session))["statusCode"] == 401
    assert sign_in("customer", "sul@lojas.com.br")["statusCode"] == 401


def test_my_orders_needs_a_customer_session(stack, shop):
    assert http("GET", "/api/customer/orders")["statusCode"] == 401
    seller = sign_in("seller", "ana@loja.com.br")
    assert http("GET", "/api/customer/orders", headers=bearer(seller))["statusCode"] == 403


# --- sellers ordering for their customers -------------------------------------------------------------------


def test_a_seller_places_an_order_for_an_assigned_customer_at_the_customers_prices(stack, shop):
    seller = sign_in("seller", "ana@loja.com.br")
    mine = json_body(http("GET", "/api/seller/customers", headers=bearer(seller)))["customers"]
    assert [c["customer_id"] for c in mine] == ["sul"]

    response = checkout({**ORDER, "customer_id": "sul"}, bearer(seller))
    assert response["statusCode"] == 201
    order_id = json_body(response)["order"]["order_id"]
    (stored,) = [o for o in orders_in_table(stack) if o["order_id"]["S"] == order_id]
    assert stored["origin"]["S"] == "seller" and stored["seller_id"]["S"] == "ana"
    assert stored["customer_id"]["S"] == "sul" and stored["subtotal"]["N"] == "3990"


def test_a_seller_cannot_order_for_a_customer_not_assigned_to_them_and_nothing_is_written(stack, shop):
    seller = sign_in("seller", "ana@loja.com.br")
    before = available()
    for customer_id in ("norte", "ninguem"):
        response = checkout({**ORDER, "customer_id": customer_id}, bearer(seller))
        assert response["statusCode"] == 403
        assert json_body(response)["error"]["details"] == [
            {"field": "body.customer_id", "reason": "not assigned to this seller"}
        ]
    quote = http(
        "POST",
        "/api/carts/quote",
        headers=bearer(seller),
        body=json.dumps({"catalog": "loja", "lines": ORDER["lines"], "customer_id": "norte"}),
    )
    assert quote["statusCode"] == 403
    assert available() == before and orders_in_table(stack) == []


def test_only_a_seller_session_may_name_a_customer(stack, shop):
    assert checkout({**ORDER, "customer_id": "sul"}, {})["statusCode"] == 403
    enable_sul(shop)
    customer = sign_in("customer", "sul@lojas.com.br")
    assert checkout({**ORDER, "customer_id": "norte"}, bearer(customer))["statusCode"] == 403
    assert orders_in_table(stack) == []


def test_a_deactivated_seller_loses_their_session(stack, shop):
    seller = sign_in("seller", "ana@loja.com.br")
    body = {"name": "Ana", "email": "ana@loja.com.br", "active": False}
    assert merchant("PUT", "/merchant/v1/sellers/ana", shop, body)["statusCode"] == 200
    assert checkout({**ORDER, "customer_id": "sul"}, bearer(seller))["statusCode"] == 401
    assert sign_in("seller", "ana@loja.com.br")["statusCode"] == 401


def cleared_session_cookie(response):
    return any(c.startswith("vitrine_session=;") and "Max-Age=0" in c for c in response.get("cookies") or [])


def test_a_deactivated_sellers_open_session_reads_nothing_more_and_its_cookie_is_cleared(stack, shop):
    # Given Ana signed in and reading her customers
    seller = sign_in("seller", "ana@loja.com.br")
    cookie = {"cookie": f"vitrine_session={json_body(seller)['token']}"}
    assert "Loja Sul" in http("GET", "/api/seller/customers", headers=bearer(seller))["body"]
    # When the merchant deactivates her
    body = {"name": "Ana", "email": "ana@loja.com.br", "active": False}
    assert merchant("PUT", "/merchant/v1/sellers/ana", shop, body)["statusCode"] == 200
    # Then her session, as a token or as the cookie, reads neither the customer list nor who she is
    for headers in (bearer(seller), cookie):
        for path in ("/api/seller/customers", "/api/session"):
            response = http("GET", path, headers=headers)
            assert response["statusCode"] == 401 and "Loja Sul" not in response["body"]
            assert cleared_session_cookie(response)
    # And reactivated, she signs in anew: the session from before stays ended
    assert merchant("PUT", "/merchant/v1/sellers/ana", shop, {**body, "active": True})["statusCode"] == 200
    assert http("GET", "/api/session", headers=bearer(seller))["statusCode"] == 401
    again = sign_in("seller", "ana@loja.com.br")
    assert http("GET", "/api/seller/customers", headers=bearer(again))["statusCode"] == 200


def test_changing_a_sellers_password_ends_her_open_sessions_and_the_new_one_signs_in(stack, shop):
    old = sign_in("seller", "ana@loja.com.br")
    changed = {"name": "Ana", "email": "ana@loja.com.br", "password": "nova-senha-456"}
    assert merchant("PUT", "/merchant/v1/sellers/ana", shop, changed)["statusCode"] == 200
    assert http("GET", "/api/session", headers=bearer(old))["statusCode"] == 401
    assert http("GET", "/api/seller/customers", headers=bearer(old))["statusCode"] == 401
    assert checkout({**ORDER, "customer_id": "sul"}, bearer(old))["statusCode"] == 401
    assert sign_in("seller", "ana@loja.com.br")["statusCode"] == 401
    new = sign_in("seller", "ana@loja.com.br", password="nova-senha-456")
    assert new["statusCode"] == 201
    assert http("GET", "/api/seller/customers", headers=bearer(new))["statusCode"] == 200
    # An edit that keeps the password and the access keeps the sessions too
    renamed = {"name": "Ana Souza", "email": "ana@loja.com.br"}
    assert merchant("PUT", "/merchant/v1/sellers/ana", shop, renamed)["statusCode"] == 200
    assert json_body(http("GET", "/api/session", headers=bearer(new)))["subject_id"] == "ana"


def test_a_new_web_access_password_ends_the_customers_sessions_and_access_given_back_revives_none(stack, shop):
    enable_sul(shop)
    first = sign_in("customer", "sul@lojas.com.br")
    new_password = {"password": "outra-senha-789"}
    assert merchant("PUT", "/merchant/v1/customers/sul/web-access", shop, new_password)["statusCode"] == 200
    assert http("GET", "/api/session", headers=bearer(first))["statusCode"] == 401
    assert http("GET", "/api/customer/orders", headers=bearer(first))["statusCode"] == 401
    second = sign_in("customer", "sul@lojas.com.br", password=new_password["password"])
    assert http("GET", "/api/session", headers=bearer(second))["statusCode"] == 200

    assert merchant("DELETE", "/merchant/v1/customers/sul/web-access", shop)["statusCode"] == 200
    enable_sul(shop)
    for ended in (first, second):
        assert http("GET", "/api/session", headers=bearer(ended))["statusCode"] == 401
    assert sign_in("customer", "sul@lojas.com.br")["statusCode"] == 201


def test_a_session_request_reads_its_person_once(stack, shop):
    seller = sign_in("seller", "ana@loja.com.br")
    calls = []

    def count(model, **_):
        calls.append(model.name)

    events = aws.client("dynamodb").meta.events
    events.register("before-call.dynamodb", count)
    try:
        assert http("GET", "/api/session", headers=bearer(seller))["statusCode"] == 200
    finally:
        events.unregister("before-call.dynamodb", count)
    assert calls == ["GetItem"]


def test_a_save_built_from_a_read_before_a_password_change_does_not_bring_the_old_sessions_back(
    stack, shop, monkeypatch
):
    old = sign_in("seller", "ana@loja.com.br")
    # Given a rename that read Ana before her password changed, and lands after it
    stale = people.get_seller_item("m1", "ana")
    changed = {"name": "Ana", "email": "ana@loja.com.br", "password": "nova-senha-456"}
    assert merchant("PUT", "/merchant/v1/sellers/ana", shop, changed)["statusCode"] == 200
    reads, read = iter([stale]), people.get_seller_item
    monkeypatch.setattr(people, "get_seller_item", lambda mid, sid: next(reads, None) or read(mid, sid))
    renamed = {"name": "Ana Souza", "email": "ana@loja.com.br"}
    assert merchant("PUT", "/merchant/v1/sellers/ana", shop, renamed)["statusCode"] == 200
    # Then the rename is kept, and so are the new password and the end of the old sessions
    assert json_body(merchant("GET", "/merchant/v1/sellers", shop))["sellers"][0]["name"] == "Ana Souza"
    assert http("GET", "/api/session", headers=bearer(old))["statusCode"] == 401
    assert sign_in("seller", "ana@loja.com.br")["statusCode"] == 401
    assert sign_in("seller", "ana@loja.com.br", password="nova-senha-456")["statusCode"] == 201


def test_a_session_of_one_store_does_nothing_at_another(stack, shop):
    publish_small_catalog(merchant_id="m2", slug="outra")
    seller = sign_in("seller", "ana@loja.com.br")
    response = checkout({**ORDER, "catalog": "outra", "customer_id": "sul"}, bearer(seller))
    assert response["statusCode"] == 403
    assert sign_in("seller", "ana@loja.com.br", catalog="outra")["statusCode"] == 401
    # In a browser the cookie goes to every store on the host: elsewhere its holder shops like anyone else.
    cookie = {
        "cookie": f"vitrine_session={json_body(seller)['token']}",
        "x-csrf-token": json_body(seller)["csrf_token"],
    }
    response = checkout({**ORDER, "catalog": "outra"}, cookie)
    assert response["statusCode"] == 201
    (stored,) = orders_in_table(stack)
    assert stored["origin"]["S"] == "catalog"
    assert stored.get("seller_id", {"NULL": True}) == {"NULL": True}

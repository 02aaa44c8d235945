"""Checkout: server prices, one transaction that reserves every line or writes nothing, idempotent retries."""

import copy
import json
import uuid
from collections import Counter

import pytest
from infra_fixtures import publish_small_catalog
from lambda_harness import http, json_body
from shoppers import ADDRESS, SHOPPER, delivery_checkout

from vitrine.catalogs.models import CatalogStatus, PriceTable, StockLevel
from vitrine.repository import assortment, catalogs, stock

CHECKOUT = {
    **delivery_checkout("loja", [{"product_sku": "CAM", "sku": "CAM-P", "quantity": 2}]),
    "marketing_consent": True,
}


def checkout(body, key=None):
    headers = {"idempotency-key": key or str(uuid.uuid4())}
    return http("POST", "/api/checkout", headers=headers, body=json.dumps(body))


def available(sku="CAM-P", store="9900"):
    (level,) = [lv for lv in stock.stock_for_stores("m1", [store]) if lv.sku == sku]
    return level.on_hand - level.reserved


def items_of_type(stack, kind):
    items = stack.client("dynamodb").scan(TableName=stack.table_name)["Items"]
    return [i for i in items if i.get("type", {}).get("S") == kind]


@pytest.fixture
def catalog(stack):
    return publish_small_catalog()


def test_a_checkout_reserves_stock_and_the_shopper_can_follow_the_order(stack, catalog):
    response = checkout(CHECKOUT)
    assert response["statusCode"] == 201
    placed = json_body(response)
    order = placed["order"]
    assert order["status"] == "pending_payment"
    assert (order["subtotal"], order["fulfilment"]["delivery_price"], order["total"]) == (9980, 1500, 11480)
    assert order["fulfilment"]["store_code"] == "9900" and order["fulfilment"]["delivery_days"] == 2
    assert available() == 1
    followed = http("GET", f"/api/orders/{order['order_id']}", query={"token": placed["access_token"]})
    assert followed["statusCode"] == 200
    assert json_body(followed)["status_history"][0]["status"] == "pending_payment"


def test_each_order_gets_a_short_code_and_a_code_drawn_twice_is_drawn_again(stack, catalog, monkeypatch):
    from vitrine.orders import checkout as checkout_rules

    draws = iter(["K7M2QXA", "K7M2QXA", "P3H9WZD"])
    monkeypatch.setattr(checkout_rules, "new_order_code", lambda: next(draws))
    one = json_body(checkout({**CHECKOUT, "lines": [{"product_sku": "CAM", "sku": "CAM-P", "quantity": 1}]}))
    other = checkout({**CHECKOUT, "lines": [{"product_sku": "CAM", "sku": "CAM-P", "quantity": 1}]})
    assert other["statusCode"] == 201, other["body"]
    assert (one["order"]["order_code"], json_body(other)["order"]["order_code"]) == ("K7M2QXA", "P3H9WZD")
    # the attempt that met the taken code wrote nothing: each order reserved its unit once
    assert available() == 1
    codes = sorted(item["SK"]["S"] for item in items_of_type(stack, "order_code"))
    assert codes == ["ORDERCODE#K7M2QXA", "ORDERCODE#P3H9WZD"]
    followed = http("GET", f"/api/orders/{one['order']['order_id']}", query={"token": one["access_token"]})
    assert json_body(followed)["order_code"] == "K7M2QXA"


def test_prices_sent_by_the_client_are_ignored(stack, catalog):
    tampered = copy.deepcopy(CHECKOUT)
    tampered["lines"][0]["unit_price"] = 1
    order = json_body(checkout(tampered))["order"]
    assert order["lines"][0]["unit_price"] == 4990 and order["subtotal"] == 9980


@pytest.mark.parametrize("field", ["total", "status", "subtotal"])
def test_totals_and_status_cannot_be_assigned_by_the_client(stack, catalog, field):
    response = checkout({**CHECKOUT, field: 1})
    assert response["statusCode"] == 422
    assert f"body.{field}" in [d["field"] for d in json_body(response)["error"]["details"]]
    assert items_of_type(stack, "order") == []


def test_a_retry_with_the_same_key_returns_the_same_order_and_reserves_once(stack, catalog):
    key = str(uuid.uuid4())
    first, second = checkout(CHECKOUT, key), checkout(CHECKOUT, key)
    assert (first["statusCode"], second["statusCode"]) == (201, 200)
    assert json_body(first)["order"]["order_id"] == json_body(second)["order"]["order_id"]
    assert json_body(first)["access_token"] == json_body(second)["access_token"]
    assert available() == 1
    assert len(items_of_type(stack, "order")) == 1


def test_the_same_key_with_another_body_is_422_and_writes_nothing(stack, catalog):
    key = str(uuid.uuid4())
    checkout(CHECKOUT, key)
    other = copy.deepcopy(CHECKOUT)
    other["lines"][0]["quantity"] = 1
    response = checkout(other, key)
    assert response["statusCode"] == 422
    assert json_body(response)["error"]["details"][0]["field"] == "header.idempotency-key"
    assert available() == 1 and len(items_of_type(stack, "order")) == 1


def test_a_shortage_is_409_naming_the_short_line_and_writes_nothing(stack, catalog):
    body = copy.deepcopy(CHECKOUT)
    body["lines"] = [{"product_sku": "CAM", "sku": "CAM-P", "quantity": 4}]
    response = checkout(body)
    assert response["statusCode"] == 409
    error = json_body(response)["error"]
    assert error["code"] == "out_of_stock"
    assert error["details"] == [
        {"field": "body.lines.0.quantity", "reason": "only 3 available", "sku": "CAM-P", "requested": 4, "available": 3}
    ]
    assert available() == 3 and items_of_type(stack, "order") == []


def test_pickup_reserves_at_the_chosen_store(stack, catalog):
    body = {
        **CHECKOUT,
        "fulfilment": {"kind": "pickup", "store_code": "0001"},
        "lines": [{"product_sku": "CAM", "sku": "CAM-M", "quantity": 5}],
    }
    order = json_body(checkout(body))["order"]
    assert order["fulfilment"] == {
        "kind": "pickup",
        "store_code": "0001",
        "address": None,
        "delivery_price": 0,
        "delivery_days": None,
    }
    assert available("CAM-M", "0001") == 0


def test_duplicate_lines_of_one_variant_are_reserved_together(stack, catalog):
    body = {**CHECKOUT, "lines": [{"product_sku": "CAM", "sku": "CAM-P", "quantity": 2}] * 2}
    assert checkout(body)["statusCode"] == 409
    body["lines"] = [{"product_sku": "CAM", "sku": "CAM-P", "quantity": 1}] * 2
    assert checkout(body)["statusCode"] == 201 and available() == 1


BAD_BODIES = {
    "unknown sku": ({"lines": [{"product_sku": "CAM", "sku": "NOPE", "quantity": 1}]}, "body.lines.0.sku"),
    "unknown product": ({"lines": [{"product_sku": "NOPE", "sku": "NOPE-P", "quantity": 1}]}, "body.lines.0.sku"),
    "quantity 0": ({"lines": [{"product_sku": "CAM", "sku": "CAM-P", "quantity": 0}]}, "body.lines.0.quantity"),
    "negative": ({"lines": [{"product_sku": "CAM", "sku": "CAM-P", "quantity": -1}]}, "body.lines.0.quantity"),
    "absurd": ({"lines": [{"product_sku": "CAM", "sku": "CAM-P", "quantity": 10**7}]}, "body.lines.0.quantity"),
    "wrong type": ({"lines": [{"product_sku": "CAM", "sku": "CAM-P", "quantity": "dois"}]}, "body.lines.0.quantity"),
    "no lines": ({"lines": []}, "body.lines"),
    "invalid cpf": ({"customer": {**SHOPPER, "cpf": "123.456.789-00"}}, "body.customer.cpf"),
    "missing email": ({"customer": {k: v for k, v in SHOPPER.items() if k != "email"}}, "body.customer.email"),
    "bad cep": (
        {"fulfilment": {"kind": "delivery", "address": {**ADDRESS, "cep": "123"}}},
        "body.fulfilment.delivery.address.cep",
    ),
    "no delivery there": (
        {"fulfilment": {"kind": "delivery", "address": {**ADDRESS, "cep": "69900-000"}}},
        "body.fulfilment.address.cep",
    ),
    "no pickup there": ({"fulfilment": {"kind": "pickup", "store_code": "9900"}}, "body.fulfilment.store_code"),
    "unknown method": ({"payment": {"method": "cheque"}}, "body.payment"),
    "too many instalments": (
        {"payment": {"method": "card", "card_token": "tok_1234", "installments": 12}},
        "body.payment.installments",
    ),
    "bad professional cpf": ({"professional_cpf": "111.111.111-11"}, "body.professional_cpf"),
    # Strict inputs: each of these was taken as 1 (or true) and the order placed.
    "quantity true": ({"lines": [{"product_sku": "CAM", "sku": "CAM-P", "quantity": True}]}, "body.lines.0.quantity"),
    "quantity as text": ({"lines": [{"product_sku": "CAM", "sku": "CAM-P", "quantity": "1"}]}, "body.lines.0.quantity"),
    "instalments true": (
        {"payment": {"method": "card", "card_token": "tok_1234", "installments": True}},
        "body.payment.card.installments",
    ),
    "consent as a number": ({"marketing_consent": 1}, "body.marketing_consent"),
    "bidi override in the name": ({"customer": {**SHOPPER, "name": "Maria \u202eavliS"}}, "body.customer.name"),
    "line break in the street": (
        {"fulfilment": {"kind": "delivery", "address": {**ADDRESS, "street": "Rua A\r\nBcc: x"}}},
        "body.fulfilment.delivery.address.street",
    ),
}


@pytest.mark.parametrize("case", BAD_BODIES, ids=list(BAD_BODIES))
def test_bad_input_is_422_naming_the_field_and_writes_nothing(stack, catalog, case):
    change, field = BAD_BODIES[case]
    response = checkout({**CHECKOUT, **change})
    assert response["statusCode"] == 422, response["body"]
    assert field in [d["field"] for d in json_body(response)["error"]["details"]]
    assert available() == 3 and items_of_type(stack, "order") == []


@pytest.mark.parametrize("key", [None, "short", "has spaces in it", "x" * 101])
def test_a_checkout_needs_a_well_formed_idempotency_key(stack, catalog, key):
    headers = {} if key is None else {"idempotency-key": key}
    response = http("POST", "/api/checkout", headers=headers, body=json.dumps(CHECKOUT))
    assert response["statusCode"] == 422
    assert json_body(response)["error"]["details"][0]["field"] == "header.idempotency-key"


def test_an_unpublished_catalog_takes_no_orders(stack):
    publish_small_catalog(published=False)
    response = checkout(CHECKOUT)
    assert response["statusCode"] == 404
    assert items_of_type(stack, "order") == []


def test_another_merchants_products_cannot_be_bought_through_this_catalog(stack, catalog):
    from vitrine.catalogs.models import Product, StockLevel, Variant
    from vitrine.repository import assortment

    assortment.put_product("m2", Product(sku="ALIEN", name="Outro", variants=[Variant(sku="ALIEN-U")]))
    assortment.put_prices("m2", "varejo", {"ALIEN": 100})
    stock.set_stock("m2", StockLevel(store_code="9900", sku="ALIEN-U", on_hand=9, sequence=1))
    response = checkout({**CHECKOUT, "lines": [{"product_sku": "ALIEN", "sku": "ALIEN-U", "quantity": 1}]})
    assert response["statusCode"] == 422
    (level,) = stock.stock_for_stores("m2", ["9900"])
    assert level.reserved == 0


def test_an_oversized_body_is_413(stack, catalog):
    response = checkout({**CHECKOUT, "customer": {**SHOPPER, "name": "x" * 300_000}})
    assert response["statusCode"] == 413


def test_an_order_is_invisible_without_its_token(stack, catalog):
    order_id = json_body(checkout(CHECKOUT))["order"]["order_id"]
    for query in ({"token": "x" * 32}, {}):
        assert http("GET", f"/api/orders/{order_id}", query=query)["statusCode"] in (404, 422)
    assert http("GET", "/api/orders/0123456789abcdef0123456789abcdef", query={"token": "x" * 32})["statusCode"] == 404


def test_a_quote_prices_delivery_instalments_and_shortages(stack, catalog):
    body = {"catalog": "loja", "lines": [{"product_sku": "CAM", "sku": "CAM-P", "quantity": 4}], "cep": "01310100"}
    quote = json_body(http("POST", "/api/carts/quote", body=json.dumps(body)))
    assert quote["subtotal"] == 19960 and quote["fulfilment"]["delivery_price"] == 1500 and quote["total"] == 21460
    assert quote["short_lines"] == [{"sku": "CAM-P", "requested": 4, "available": 3}]
    assert [i["count"] for i in quote["installments"]] == [1, 2, 3, 4, 5, 6]
    body["lines"][0]["quantity"] = 5  # 24950 >= 20000: free delivery
    assert json_body(http("POST", "/api/carts/quote", body=json.dumps(body)))["fulfilment"]["delivery_price"] == 0


def test_a_retry_after_the_stock_ran_out_still_returns_the_original_order(stack, catalog):
    key = str(uuid.uuid4())
    body = {**CHECKOUT, "lines": [{"product_sku": "CAM", "sku": "CAM-P", "quantity": 3}]}
    first = checkout(body, key)
    assert first["statusCode"] == 201 and available() == 0
    retry = checkout(body, key)
    assert retry["statusCode"] == 200
    assert json_body(retry)["order"]["order_id"] == json_body(first)["order"]["order_id"]


def count_dynamodb_requests(stack):
    calls = Counter()
    client = stack.client("dynamodb")

    def count(model, **_):
        calls[model.name] += 1

    client.meta.events.register("before-call.dynamodb", count)
    return calls


def test_a_warm_checkout_reads_once_and_writes_the_order_and_its_reservations_in_one_transaction(stack, catalog):
    assert checkout(CHECKOUT)["statusCode"] == 201  # the container now knows the catalog behind 'loja'
    calls = count_dynamodb_requests(stack)
    body = {**CHECKOUT, "lines": [*CHECKOUT["lines"], {"product_sku": "CAM", "sku": "CAM-M", "quantity": 1}]}
    body["fulfilment"] = {"kind": "pickup", "store_code": "0001"}
    stock.set_stock("m1", StockLevel(store_code="0001", sku="CAM-P", on_hand=5, sequence=2))
    calls.clear()
    assert checkout(body)["statusCode"] == 201
    # The second transaction: the gateway's charge, kept on the order once the stock is held, with the order's
    # OrderPlaced in the outbox; the BatchWriteItem clears that outbox item once the event is on the bus.
    assert calls == Counter({"BatchGetItem": 1, "TransactWriteItems": 2, "BatchWriteItem": 1})


def test_a_catalog_changed_since_the_container_saw_it_is_read_again_before_pricing(stack, catalog):
    stock.set_stock("m1", StockLevel(store_code="9900", sku="CAM-P", on_hand=10, sequence=2))
    assert checkout(CHECKOUT)["statusCode"] == 201
    assortment.put_price_table("m1", PriceTable(table_id="promo", name="Promoção"))
    assortment.put_prices("m1", "promo", {"CAM": 2990})
    catalogs.put_catalog(catalog.model_copy(update={"price_table_id": "promo"}))
    response = checkout(CHECKOUT)
    assert response["statusCode"] == 201 and json_body(response)["order"]["subtotal"] == 2 * 2990


def test_a_catalog_unpublished_since_the_container_saw_it_takes_no_more_orders(stack, catalog):
    assert checkout(CHECKOUT)["statusCode"] == 201
    before = available()
    catalogs.put_catalog(catalog.model_copy(update={"status": CatalogStatus.DRAFT}))
    response = checkout(CHECKOUT)
    assert response["statusCode"] == 404 and available() == before

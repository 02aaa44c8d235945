"""A store's details edited by its owner (``PUT /merchant/v1/stores/{store_code}``) and what shoppers see of it:
through the bus and the read model's real consumer to the catalog's page, and at the checkout at once."""

import json
import uuid

import pytest
from infra_fixtures import publish_small_catalog
from lambda_harness import handler_of, http, json_body, sqs_event
from shoppers import delivery_checkout

from local_stack.lambda_context import LambdaContext
from vitrine.auth.api_keys import issue_api_key
from vitrine.catalogs.read_model_updates import rebuild_view
from vitrine.repository import catalog_views, stores

CONSUMER = "CatalogViewFunction"
CENTRE = {"name": "Loja Centro", "city": "Campinas", "address": "Rua Barão de Jaguara, 1000 - Centro"}


def owner() -> dict[str, str]:
    key = issue_api_key("m1", scopes=["merchant"], name="loja")
    return {"authorization": f"Bearer {key}", "content-type": "application/json"}


def put_store(headers: dict, code: str, body: object) -> dict:
    return http("PUT", f"/merchant/v1/stores/{code}", headers=headers, body=json.dumps(body))


def consume(bus_queue) -> list[str]:
    """Hand the bus's StoreChanged events to the read model's consumer, as its rule and queue would."""
    applied = []
    for body in bus_queue():
        if body["detail-type"] == "StoreChanged":
            assert handler_of(CONSUMER)(sqs_event([json.dumps(body)]), LambdaContext()) == {"batchItemFailures": []}
            applied.append(body["detail"]["data"]["store_code"])
    return applied


def pickup_stores() -> list[dict]:
    return json_body(http("GET", "/api/catalogs/loja"))["pickup_stores"]


def test_the_owner_gives_a_stores_address_and_the_catalogs_page_says_it_after_the_consumer(stack, bus_queue):
    catalog = publish_small_catalog()
    rebuild_view(catalog)
    bus_queue()  # what the set-up published
    headers = owner()
    version = catalog_views.read_for_change("m1", "c-loja", []).version
    assert pickup_stores() == [{"code": "0001", "name": "Centro", "city": None, "address": None}]

    edited = put_store(headers, "0001", {**CENTRE, "fulfilment": ["pickup"]})
    assert edited["statusCode"] == 200, edited["body"]
    assert json_body(edited) == {"code": "0001", "online": False, "fulfilment": ["pickup"], **CENTRE}
    listed = json_body(http("GET", "/merchant/v1/stores", headers=headers))["stores"]
    assert {s["code"]: s["address"] for s in listed} == {"0001": CENTRE["address"], "9900": None}
    # The page follows once the consumer has the event (it read the read model until then)
    assert consume(bus_queue) == ["0001"]
    assert pickup_stores() == [{"code": "0001", **CENTRE}]
    assert catalog_views.read_for_change("m1", "c-loja", []).version > version
    # An edit that changes nothing writes nothing and announces nothing
    again = put_store(headers, "0001", {**CENTRE, "fulfilment": ["pickup"]})
    assert again["statusCode"] == 200 and consume(bus_queue) == []


def test_a_store_that_stops_handing_orders_over_leaves_the_page_and_the_checkout(stack, bus_queue):
    catalog = publish_small_catalog()
    rebuild_view(catalog)
    bus_queue()
    assert put_store(owner(), "0001", {"name": "Centro", "fulfilment": []})["statusCode"] == 200
    assert consume(bus_queue) == ["0001"]
    # The view was rebuilt: no pickup store, and the size only Centro had is no longer on sale for pickup
    catalog_json = json_body(http("GET", "/api/catalogs/loja"))
    assert catalog_json["pickup_stores"] == []
    (cam,) = [p for p in catalog_json["products"] if p["sku"] == "CAM"]
    assert {v["sku"]: v["pickup"] for v in cam["variants"]}["CAM-M"] == {}
    # and the checkout, which reads the stores as they are, no longer hands an order over there
    body = delivery_checkout("loja", [{"product_sku": "CAM", "sku": "CAM-M", "quantity": 1}])
    body["fulfilment"] = {"kind": "pickup", "store_code": "0001"}
    headers = {"content-type": "application/json", "idempotency-key": uuid.uuid4().hex}
    refused = http("POST", "/api/checkout", headers=headers, body=json.dumps(body))
    assert refused["statusCode"] == 422, refused["body"]
    assert json_body(refused)["error"]["details"][0]["field"] == "body.fulfilment.store_code"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Centro", "address": "R 1"}, "body.address"),
        ({"name": "Centro", "address": "Rua Direita, 1\n<script>"}, "body.address"),
        ({"name": True}, "body.name"),
        ({"name": "Centro", "fulfilment": ["drone"]}, "body.fulfilment.0"),
        ({"name": "Centro", "online": True}, "body.online"),  # onboarding's alone
        ({"name": "Centro", "code": "0002"}, "body.code"),
    ],
)
def test_bad_store_details_are_a_422_naming_the_field_and_change_nothing(stack, bus_queue, body, field):
    publish_small_catalog()
    bus_queue()
    before = stores.list_stores("m1")
    answer = put_store(owner(), "0001", body)
    assert answer["statusCode"] == 422, answer["body"]
    assert field in [d["field"] for d in json_body(answer)["error"]["details"]]
    assert stores.list_stores("m1") == before and consume(bus_queue) == []


def test_a_store_the_merchant_was_not_onboarded_with_is_a_404_and_another_merchants_is_not_reached(stack):
    publish_small_catalog()
    publish_small_catalog(merchant_id="m2", slug="outra")
    assert put_store(owner(), "0002", {"name": "Nova"})["statusCode"] == 404
    assert put_store(owner(), "0001", {"name": "Centro Novo", "fulfilment": ["pickup"]})["statusCode"] == 200
    assert {s.code: s.name for s in stores.list_stores("m2")}["0001"] == "Centro"
    assert http("PUT", "/merchant/v1/stores/0001", body=json.dumps({"name": "X"}))["statusCode"] == 401

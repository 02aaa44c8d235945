"""Stock is never sold twice: 50 shoppers race over real HTTP, through the local stack, for the last 10 units."""

import json
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from shoppers import delivery_checkout
from stack_harness import fetch

from vitrine.repository import keys

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("local_stack")]

SHOPPERS = 50
LAST_UNITS = 10


def test_fifty_checkouts_for_the_last_ten_units_make_exactly_ten_orders(running_stack):
    settings = running_stack.settings
    dynamodb = running_stack.client("dynamodb")
    table = settings["table_name"]
    product = running_stack.request("GET", "/api/catalogs/demo").json()["products"][0]
    variant = product["variants"][0]["sku"]
    merchant = "demo-merchant"

    def order_ids() -> set[str]:
        """Every order of the demo merchant: the stack is shared with other modules, whose orders are not the race's."""
        pages = dynamodb.get_paginator("query").paginate(
            TableName=table,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :order)",
            ExpressionAttributeValues={":pk": {"S": keys.merchant_pk(merchant)}, ":order": {"S": "ORDER#"}},
        )
        return {item["order_id"]["S"] for page in pages for item in page["Items"]}

    before = order_ids()
    # Given: the online store (which ships deliveries) has exactly the last 10 units of this variant.
    dynamodb.update_item(
        TableName=table,
        Key={"PK": {"S": keys.stock_pk(merchant, "9900")}, "SK": {"S": variant}},
        UpdateExpression="SET on_hand = :n, reserved = :zero, available = :n",
        ExpressionAttributeValues={":n": {"N": str(LAST_UNITS)}, ":zero": {"N": "0"}},
    )
    body = json.dumps(
        delivery_checkout("demo", [{"product_sku": product["sku"], "sku": variant, "quantity": 1}])
    ).encode()

    def shop(_):
        headers = {"content-type": "application/json", "idempotency-key": str(uuid.uuid4())}
        return fetch(f"{running_stack.url}/api/checkout", "POST", body, headers)

    # When: 50 shoppers check out at once.
    with ThreadPoolExecutor(max_workers=SHOPPERS) as pool:
        results = list(pool.map(shop, range(SHOPPERS)))

    # Then: exactly 10 orders, everyone else is told the product ran out, and nothing is left or negative.
    statuses = sorted(r.status for r in results)
    assert statuses.count(201) == LAST_UNITS, statuses
    assert statuses.count(409) == SHOPPERS - LAST_UNITS, [(r.status, r.body[:300]) for r in results if r.status != 201]
    refused = next(r.json() for r in results if r.status == 409)
    assert refused["error"]["code"] == "out_of_stock"
    item = dynamodb.get_item(
        TableName=table, Key={"PK": {"S": keys.stock_pk(merchant, "9900")}, "SK": {"S": variant}}, ConsistentRead=True
    )["Item"]
    assert (int(item["available"]["N"]), int(item["reserved"]["N"]), int(item["on_hand"]["N"])) == (0, 10, 10)
    made = order_ids() - before
    assert len(made) == LAST_UNITS
    assert made == {r.json()["order"]["order_id"] for r in results if r.status == 201}

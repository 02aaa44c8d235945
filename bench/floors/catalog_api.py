"""Floor for CatalogApiFunction (GET /api/catalogs/{slug}): plain SDK, GetItem (slug) + Query x5."""

import json
import os

from _sdk import client

ddb = client("dynamodb")
TABLE = os.environ["TABLE_NAME"]


def query(pk, prefix=None, limit=1000):
    condition, values = "PK = :pk", {":pk": {"S": pk}}
    if prefix:
        condition, values[":p"] = condition + " AND begins_with(SK, :p)", {"S": prefix}
    return ddb.query(TableName=TABLE, KeyConditionExpression=condition, ExpressionAttributeValues=values, Limit=limit)


def handler(event, context):
    # The slug pointer carries a copy of the catalog: one GetItem resolves a share link.
    key = {"PK": {"S": "SLUG#" + event["pathParameters"]["slug"]}, "SK": {"S": "SLUG"}}
    catalog = ddb.get_item(TableName=TABLE, Key=key)["Item"]
    mpk = "M#" + catalog["merchant_id"]["S"]
    products = query(mpk, "PRODUCT#", 500)["Items"]
    prices = {
        i["SK"]["S"]: int(i["price"]["N"]) for i in query(f"{mpk}#PRICES#{catalog['price_table_id']['S']}")["Items"]
    }
    stock = [i for s in catalog["store_codes"]["L"] for i in query(f"{mpk}#STOCK#{s['S']}")["Items"]]
    stores = query(mpk, "STORE#", 200)["Items"]
    shown = [{"sku": p["sku"]["S"], "name": p["name"]["S"], "price": prices[p["sku"]["S"]]} for p in products]
    body = {
        "slug": catalog["slug"]["S"],
        "product_count": len(shown),
        "stock_rows": len(stock),
        "stores": len(stores),
        "products": shown[:24],
    }
    return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}

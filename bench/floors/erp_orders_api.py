"""Floor for ErpOrdersApiFunction (GET /erp/v1/orders/feed): plain SDK, GetItem (the API key), Query (the feed's
pointers, oldest payment first). The bench's demo merchant has no paid order in its feed, so neither makes the
BatchGetItem of the orders a non-empty page adds."""

import hashlib
import json
import os

from _sdk import client

ddb = client("dynamodb")
TABLE = os.environ["TABLE_NAME"]


def handler(event, context):
    key = event["headers"].get("authorization", "").removeprefix("Bearer ")
    lookup = {"PK": {"S": "APIKEY#" + hashlib.sha256(key.encode()).hexdigest()}, "SK": {"S": "APIKEY"}}
    record = ddb.get_item(TableName=TABLE, Key=lookup).get("Item")
    if record is None or {"S": "erp"} not in (record.get("permissions") or record["scopes"])["L"]:
        return {"statusCode": 401, "body": '{"error": "unauthorized"}'}
    feed = ddb.query(
        TableName=TABLE,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": f"M#{record['merchant_id']['S']}#ERPFEED"}},
        Limit=50,
    )
    orders = [{"order_id": item["order_id"]["S"]} for item in feed.get("Items", [])]
    body = json.dumps({"orders": orders, "next_cursor": None})
    return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": body}

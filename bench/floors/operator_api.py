"""Floor for OperatorFunction (GET /operator/v1/merchants/{id}, IAM-authorized): plain SDK, the caller's IAM
principal from the request context, the merchant (GetItem), its staff (Query: the owner), the owner's record
(GetItem, consistent) and its stores (Query), as one JSON body."""

import json
import os

import _sdk

ddb = _sdk.client("dynamodb")
TABLE = os.environ["TABLE_NAME"]


def plain(attribute: dict):
    """A DynamoDB attribute as JSON."""
    (kind, value), *_ = attribute.items()
    if kind == "M":
        return {k: plain(v) for k, v in value.items()}
    if kind == "L":
        return [plain(v) for v in value]
    if kind == "N":
        return int(value) if value.lstrip("-").isdigit() else float(value)
    return value


def query(pk: str, prefix: str) -> list[dict]:
    return ddb.query(
        TableName=TABLE,
        KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
        ExpressionAttributeValues={":pk": {"S": pk}, ":prefix": {"S": prefix}},
        Limit=100,
    )["Items"]


def handler(event, context):
    if not event["requestContext"].get("authorizer", {}).get("iam", {}).get("userArn"):
        return {"statusCode": 403, "body": '{"error": "forbidden"}'}
    merchant_id = event["pathParameters"]["merchant_id"]
    pk = f"M#{merchant_id}"
    merchant = ddb.get_item(TableName=TABLE, Key={"PK": {"S": pk}, "SK": {"S": "MERCHANT"}}).get("Item")
    if merchant is None:
        return {"statusCode": 404, "body": json.dumps({"error": "not_found"})}
    owner = next(item for item in query(pk, "STAFF#") if item.get("owner", {}).get("BOOL"))
    key = {"PK": {"S": pk}, "SK": owner["SK"]}
    member = ddb.get_item(TableName=TABLE, Key=key, ConsistentRead=True)["Item"]
    stores = query(pk, "STORE#")
    hidden = {"PK", "SK", "password_hash"}
    body = {
        "merchant": {k: plain(v) for k, v in merchant.items() if k not in hidden},
        "stores": [{k: plain(v) for k, v in store.items() if k not in hidden} for store in stores],
        "owner": {k: plain(v) for k, v in member.items() if k not in hidden},
        "invitation": None,
    }
    return {"statusCode": 200, "headers": {"content-type": "application/json"}, "body": json.dumps(body)}

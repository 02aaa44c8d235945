"""Floor for LoyaltyFunction (SQS batch of an order's events from the bus): plain SDK and requests, for an invoiced
order: its ledger and the merchant's loyalty settings (GetItem each), the order (GetItem), the professional's
loyalty_sharing consent in force (Query, consistent: the newest record of its CPF's hash), its products' brands
(BatchGetItem), the accrual recorded with the order's CPF checked (TransactWriteItems), the settings again (as the
function reads them to send), the accrual POSTed to the partner (bearer key, idempotency key), marked sent
(conditional PutItem)."""

import hashlib
import hmac
import json
import os
from datetime import UTC, datetime

import _sdk  # before requests, as a handler importing its SDK first: requests then finds botocore's urllib3 loaded
import requests

ddb = _sdk.client("dynamodb")
TABLE = os.environ["TABLE_NAME"]


def get(pk: str, sk: str, consistent: bool = False) -> dict | None:
    key = {"PK": {"S": pk}, "SK": {"S": sk}}
    return ddb.get_item(TableName=TABLE, Key=key, ConsistentRead=consistent).get("Item")


def attribute(value) -> dict:
    """A JSON value as a DynamoDB attribute (lists and maps nested)."""
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, int):
        return {"N": str(value)}
    if isinstance(value, list):
        return {"L": [attribute(v) for v in value]}
    if isinstance(value, dict):
        return {"M": {k: attribute(v) for k, v in value.items()}}
    return {"S": str(value)}


def handler(event, context):
    for record in event["Records"]:
        detail = json.loads(record["body"])["detail"]
        if detail["type"] != "OrderInvoiced":  # off the main path: cancellations and refunds reverse
            raise RuntimeError("the floor accrues invoiced orders only")
        merchant, order_id, event_id = f"M#{detail['merchant_id']}", detail["data"]["order_id"], detail["id"]
        if get(f"{merchant}#LOYALTY", order_id, consistent=True) is not None:
            raise RuntimeError("the floor accrues orders without a ledger only")
        settings = get(merchant, "LOYALTYSETTINGS")
        order = get(merchant, f"ORDER#{order_id}", consistent=True)
        cpf = order["professional_cpf"]["S"]
        subject = hmac.new(detail["merchant_id"].encode(), f"document:{cpf}".encode(), hashlib.sha256).hexdigest()
        consents = ddb.query(
            TableName=TABLE,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues={
                ":pk": {"S": f"{merchant}#CONSENT#{subject}"},
                ":prefix": {"S": "loyalty_sharing#any#"},
            },
            Limit=200,
            ConsistentRead=True,
        )["Items"]
        newest = max(consents, key=lambda c: (c["recorded_at"]["S"], c["record_id"]["S"]), default=None)
        if newest is None or not newest["granted"]["BOOL"]:  # off the main path: no consent, nothing shared
            raise RuntimeError("the floor accrues for professionals who consented only")
        lines = order["lines"]["L"]
        keys = [{"PK": {"S": merchant}, "SK": {"S": f"PRODUCT#{line['M']['product_sku']['S']}"}} for line in lines]
        request = {TABLE: {"Keys": keys, "ProjectionExpression": "PK, SK, sku, brand, classifiers"}}
        products = ddb.batch_get_item(RequestItems=request)["Responses"][TABLE]
        brands = {p["sku"]["S"]: p.get("brand", {}).get("S", "").casefold() for p in products}
        participating = {b["S"].casefold() for b in settings["brands"]["L"]}
        store_code = order["fulfilment"]["M"]["store_code"]["S"]
        table = settings["stores"]["M"][store_code]["M"]
        rates = {name.casefold(): int(rate["N"]) for name, rate in table["brand_rates"]["M"].items()}
        scored = []
        for line in lines:
            line = line["M"]
            brand = brands.get(line["product_sku"]["S"])
            if brand not in participating:
                continue
            rate = rates.get(brand, int(table["default_rate"]["N"]))
            amount = int(line["total"]["N"])
            scored.append({"sku": line["sku"]["S"], "brand": brand, "amount": amount, "points": amount * rate // 100})
        points = sum(line["points"] for line in scored)
        now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        key = f"{order_id}:{event_id}:accrual"
        operation = {"idempotency_key": key, "kind": "accrual", "points": points, "status": "pending"}
        ledger = {
            "PK": {"S": f"{merchant}#LOYALTY"},
            "SK": {"S": order_id},
            "type": {"S": "loyalty"},
            "order_id": {"S": order_id},
            "version": {"N": "1"},
            "events_seen": {"L": [{"S": event_id}]},
            "invoiced": {"BOOL": True},
            "cpf": {"S": cpf},
            "points": {"N": str(points)},
            "accrued": {"N": str(points)},
            "lines": attribute(scored),
            "operations": attribute([operation]),
            "cpf_locked": {"BOOL": True},
        }
        ddb.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": TABLE, "Item": ledger, "ConditionExpression": "attribute_not_exists(PK)"}},
                {
                    "ConditionCheck": {
                        "TableName": TABLE,
                        "Key": {"PK": {"S": merchant}, "SK": {"S": f"ORDER#{order_id}"}},
                        "ConditionExpression": "professional_cpf = :cpf",
                        "ExpressionAttributeValues": {":cpf": {"S": cpf}},
                    }
                },
            ]
        )
        partner = get(merchant, "LOYALTYSETTINGS")["partner"]["M"]
        body = {
            "idempotency_key": key,
            "order_id": order_id,
            "event": "OrderInvoiced",
            "store_code": table["partner_store_code"]["S"],
            "cpf": cpf,
            "points": points,
            "occurred_at": now,
            "lines": scored,
        }
        headers = {"Authorization": f"Bearer {partner['api_key']['S']}", "Idempotency-Key": key}
        response = requests.post(
            partner["base_url"]["S"].rstrip("/") + "/accruals", json=body, headers=headers, timeout=(3.05, 8.0)
        )
        response.raise_for_status()
        operation |= {"status": "sent", "sent_at": now, "transaction_id": response.json()["transaction_id"]}
        sent = ledger | {"version": {"N": "2"}, "operations": attribute([operation])}
        ddb.put_item(
            TableName=TABLE,
            Item=sent,
            ConditionExpression="version = :read",
            ExpressionAttributeValues={":read": {"N": "1"}},
        )
    return {"batchItemFailures": []}

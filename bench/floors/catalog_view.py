"""Floor for CatalogViewFunction (SQS batch of one StockLevelsChanged): plain SDK, the variants' products (the
variant index, BatchGetItem), the merchant's catalogs and stores (Query each), the view's head, bounds and the
product's entry (BatchGetItem), the product, its price and its variants' stock (BatchGetItem each), the entry
recomputed and written with the head at version + 1 (TransactWriteItems, conditioned on the version read)."""

import json
import os
import zlib

from _sdk import client

ddb = client("dynamodb")
TABLE = os.environ["TABLE_NAME"]


def batch_get(keys, consistent=True, attributes=None):
    request = {"Keys": [{"PK": {"S": pk}, "SK": {"S": sk}} for pk, sk in keys], "ConsistentRead": consistent}
    if attributes:
        request["ProjectionExpression"] = ", ".join(attributes)
    return ddb.batch_get_item(RequestItems={TABLE: request})["Responses"][TABLE]


def query(pk, prefix, limit):
    return ddb.query(
        TableName=TABLE,
        KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
        ExpressionAttributeValues={":pk": {"S": pk}, ":prefix": {"S": prefix}},
        Limit=limit,
    )["Items"]


def text(item):
    return zlib.decompress(item["body"]["B"]).decode()


def packed(pk, sk, kind, body, **more):
    return {"PK": {"S": pk}, "SK": {"S": sk}, "type": {"S": kind}, **more, "body": {"B": zlib.compress(body, 6)}}


def handler(event, context):
    for record in event["Records"]:
        envelope = json.loads(record["body"])["detail"]
        merchant, levels = envelope["merchant_id"], envelope["data"]["levels"]
        pk = f"M#{merchant}"
        variants = batch_get([(pk, f"VARIANT#{level['sku']}") for level in levels], False, ["PK", "SK", "product_sku"])
        skus = sorted({v["product_sku"]["S"] for v in variants})
        published = [c for c in query(pk, "CATALOG#", 100) if c["status"]["S"] == "published"]
        stores = {s["code"]["S"] for s in query(pk, "STORE#", 200)}
        for catalog in published:
            if not {level["store_code"] for level in levels} & stores:
                continue
            view = f"{pk}#VIEW#{catalog['catalog_id']['S']}"
            found = {i["SK"]["S"]: i for i in batch_get([(view, "HEAD"), (view, "BOUNDS"), (view, f"ITEM#{skus[0]}")])}
            head_item = found["HEAD"]
            head, entry = json.loads(text(head_item)), json.loads(text(found[f"ITEM#{skus[0]}"]))
            (product,) = batch_get([(pk, f"PRODUCT#{skus[0]}")])
            table = catalog["price_table_id"]["S"]
            (price,) = batch_get([(f"{pk}#PRICES#{table}", skus[0])], attributes=["PK", "SK", "price"])
            selling = [head["delivery"], *head["pickup"]]
            wanted = [(f"{pk}#STOCK#{s}", v["M"]["sku"]["S"]) for v in product["variants"]["L"] for s in selling]
            stock = batch_get(wanted, attributes=["PK", "SK", "store_code", "on_hand", "reserved"])
            units = {
                (i["store_code"]["S"], i["SK"]["S"]): max(int(i["on_hand"]["N"]) - int(i["reserved"]["N"]), 0)
                for i in stock
            }
            shown = entry[2]
            shown["price"] = int(price["price"]["N"])
            for variant in shown["variants"]:
                variant["delivery"] = units.get((head["delivery"], variant["sku"]), 0)
                variant["pickup"] = {s: units.get((s, variant["sku"]), 0) for s in head["pickup"]}
                variant["available"] = max([variant["delivery"], *variant["pickup"].values()])
            shown["available"] = sum(v["available"] for v in shown["variants"])
            version = int(head_item["version"]["N"])
            head["version"] = version + 1
            head["first"] = [entry if e[2]["sku"] == shown["sku"] else e for e in head["first"]]
            compact = {"separators": (",", ":"), "ensure_ascii": False}
            head_body = json.dumps(head, **compact).encode()
            version_attribute = {"version": {"N": str(version + 1)}}
            ddb.transact_write_items(
                TransactItems=[
                    {
                        "Put": {
                            "TableName": TABLE,
                            "Item": packed(view, "HEAD", "catalog_view_head", head_body, **version_attribute),
                            "ConditionExpression": "version = :expected",
                            "ExpressionAttributeValues": {":expected": {"N": str(version)}},
                        }
                    },
                    {
                        "Put": {
                            "TableName": TABLE,
                            "Item": packed(
                                view, f"ITEM#{shown['sku']}", "catalog_view_item", json.dumps(entry, **compact).encode()
                            ),
                        }
                    },
                ]
            )
    return {"batchItemFailures": []}

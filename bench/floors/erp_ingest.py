"""Floor for StockSyncIngestFunction (SQS batch of 1 chunk of stock counts): plain SDK, the stores (Query), the
variant index (BatchGetItem: a count for no variant of the merchant's is rejected), the stored levels
(BatchGetItem), a conditional UpdateItem per count, PutEvents, the job's count (UpdateItem)."""

import base64
import gzip
import json
import os

from _sdk import client

ddb = client("dynamodb")
events = client("events")
TABLE = os.environ["TABLE_NAME"]


def handler(event, context):
    for record in event["Records"]:
        chunk = json.loads(record["body"])
        entries = json.loads(gzip.decompress(base64.b64decode(chunk["items_gz"])))
        merchant = f"M#{chunk['merchant_id']}"
        ddb.query(
            TableName=TABLE,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :stores)",
            ExpressionAttributeValues={":pk": {"S": merchant}, ":stores": {"S": "STORE#"}},
        )
        skus = list(dict.fromkeys(e["item"]["sku"] for e in entries))
        variants = [{"PK": {"S": merchant}, "SK": {"S": f"VARIANT#{sku}"}} for sku in skus]
        ddb.batch_get_item(RequestItems={TABLE: {"Keys": variants, "ProjectionExpression": "SK"}})
        keys = [
            {"PK": {"S": f"{merchant}#STOCK#{e['item']['store_code']}"}, "SK": {"S": e["item"]["sku"]}} for e in entries
        ]
        ddb.batch_get_item(RequestItems={TABLE: {"Keys": keys}})
        for key, entry in zip(keys, entries, strict=True):
            ddb.update_item(
                TableName=TABLE,
                Key=key,
                UpdateExpression="SET on_hand = :n, #seq = :seq, reserved = if_not_exists(reserved, :zero), "
                "available = :n - if_not_exists(reserved, :zero)",
                ConditionExpression="attribute_not_exists(PK) OR #seq < :seq",
                ExpressionAttributeNames={"#seq": "sequence"},
                ExpressionAttributeValues={
                    ":n": {"N": str(entry["item"]["on_hand"])},
                    ":seq": {"N": str(entry["item"]["sequence"])},
                    ":zero": {"N": "0"},
                },
            )
        detail = {"job_id": chunk["job_id"], "skus": [e["item"]["sku"] for e in entries]}
        events.put_events(
            Entries=[
                {
                    "EventBusName": os.environ["EVENT_BUS_NAME"],
                    "Source": "vitrine.stock_sync",
                    "DetailType": "StockLevelsChanged",
                    "Detail": json.dumps(detail),
                }
            ]
        )
        ddb.update_item(
            TableName=TABLE,
            Key={"PK": {"S": merchant}, "SK": {"S": f"JOB#{chunk['job_id']}"}},
            UpdateExpression="ADD chunks_done :chunks, applied :n",
            ConditionExpression="attribute_exists(PK) AND NOT contains(chunks_done, :chunk)",
            ExpressionAttributeValues={
                ":chunks": {"SS": [str(chunk["chunk"])]},
                ":chunk": {"S": str(chunk["chunk"])},
                ":n": {"N": str(len(entries))},
            },
        )
    return {"batchItemFailures": []}

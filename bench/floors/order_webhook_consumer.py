"""Floor for OrderWebhookConsumerFunction (SQS batch of queued webhooks): plain SDK, GetItem + conditional PutItem."""

import json
import os
import time

from _sdk import client

ddb = client("dynamodb")
TABLE = os.environ["TABLE_NAME"]


def handler(event, context):
    for record in event["Records"]:
        queued = json.loads(record["body"])
        note = json.loads(queued["body"])
        item = {
            "PK": {"S": f"WEBHOOK#{queued['provider']}#{note['id']}"},
            "SK": {"S": "WEBHOOK"},
            "event_type": {"S": note["type"]},
            "payload": {"S": queued["body"]},
            "expires_at": {"N": str(int(time.time()) + 30 * 86400)},
        }
        if "Item" in ddb.get_item(TableName=TABLE, Key={"PK": item["PK"], "SK": item["SK"]}):
            continue  # seen before: a duplicate
        ddb.put_item(TableName=TABLE, Item=item, ConditionExpression="attribute_not_exists(PK)")
    return {"batchItemFailures": []}

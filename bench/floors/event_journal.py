"""Floor for EventJournalFunction (SQS batch of EventBridge events): plain SDK, one conditional PutItem each."""

import json
import os
import time

from _sdk import client

ddb = client("dynamodb")
TABLE = os.environ["TABLE_NAME"]


def handler(event, context):
    for record in event["Records"]:
        detail = json.loads(record["body"])["detail"]
        item = {
            "PK": {"S": f"M#{detail['merchant_id']}#EVENTS"},
            "SK": {"S": f"{detail['occurred_at']}#{detail['id']}"},
            "event": {"S": json.dumps(detail)},
            "expires_at": {"N": str(int(time.time()) + 400 * 86400)},
        }
        ddb.put_item(TableName=TABLE, Item=item, ConditionExpression="attribute_not_exists(PK)")
    return {"batchItemFailures": []}

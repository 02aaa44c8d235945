"""Floor for OutboundWebhookFanOutFunction (SQS batch of EventBridge events): plain SDK, the merchant's endpoints
(Query), a conditional PutItem of each subscribed endpoint's delivery, one SendMessageBatch of their messages, and
an UpdateItem marking each delivery queued."""

import hashlib
import json
import os
import time
from datetime import UTC, datetime

from _sdk import client

ddb = client("dynamodb")
sqs = client("sqs")
TABLE = os.environ["TABLE_NAME"]
QUEUE_URL = os.environ["OUTBOUND_WEBHOOK_QUEUE_URL"]


def handler(event, context):
    for record in event["Records"]:
        detail = json.loads(record["body"])["detail"]
        merchant = f"M#{detail['merchant_id']}"
        now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        endpoints = ddb.query(
            TableName=TABLE,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues={":pk": {"S": merchant}, ":prefix": {"S": "WEBHOOKENDPOINT#"}},
        )["Items"]
        queued = []
        for endpoint in endpoints:
            if detail["type"] not in [t["S"] for t in endpoint["event_types"]["L"]]:
                continue
            endpoint_id = endpoint["endpoint_id"]["S"]
            delivery_id = "msg_" + hashlib.sha256(f"{detail['id']}\n{endpoint_id}".encode()).hexdigest()[:32]
            key = {"PK": {"S": f"{merchant}#WEBHOOKDELIVERY#{delivery_id}"}, "SK": {"S": "DELIVERY"}}
            index, order = f"{merchant}#WEBHOOKENDPOINT#{endpoint_id}", f"{now}#{delivery_id}"
            item = {
                **key,
                "merchant_id": {"S": detail["merchant_id"]},
                "delivery_id": {"S": delivery_id},
                "endpoint_id": {"S": endpoint_id},
                "event_id": {"S": detail["id"]},
                "event_type": {"S": detail["type"]},
                "payload": {"S": json.dumps(detail, separators=(",", ":"))},
                "status": {"S": "pending"},
                "attempts": {"N": "0"},
                "generation": {"N": "1"},
                "created_at": {"S": now},
                "GSI1PK": {"S": index},
                "GSI1SK": {"S": order},
                "GSI2PK": {"S": f"{index}#pending"},
                "GSI2SK": {"S": order},
                "expires_at": {"N": str(int(time.time()) + 30 * 86400)},
            }
            ddb.put_item(TableName=TABLE, Item=item, ConditionExpression="attribute_not_exists(PK)")
            queued.append((key, {"merchant_id": detail["merchant_id"], "delivery_id": delivery_id, "generation": 1}))
        if queued:
            entries = [{"Id": str(i), "MessageBody": json.dumps(message)} for i, (_, message) in enumerate(queued)]
            sqs.send_message_batch(QueueUrl=QUEUE_URL, Entries=entries)
        for key, _ in queued:
            ddb.update_item(
                TableName=TABLE,
                Key=key,
                UpdateExpression="SET queued_at = :now",
                ConditionExpression="attribute_exists(PK) AND generation = :one",
                ExpressionAttributeValues={":now": {"S": now}, ":one": {"N": "1"}},
            )
    return {"batchItemFailures": []}

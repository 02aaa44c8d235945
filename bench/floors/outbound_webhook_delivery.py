"""Floor for OutboundWebhookDeliveryFunction (SQS batch of queued deliveries): plain SDK and requests, the
delivery and its endpoint (GetItem each), one POST signed per Standard Webhooks (hmac), the result (UpdateItem)."""

import base64
import hashlib
import hmac
import json
import os
from datetime import UTC, datetime

import _sdk  # before requests, as a handler importing its SDK first: requests then finds botocore's urllib3 loaded
import requests

ddb = _sdk.client("dynamodb")
TABLE = os.environ["TABLE_NAME"]


def handler(event, context):
    failures = []
    for record in event["Records"]:
        message = json.loads(record["body"])
        merchant, webhook_id = f"M#{message['merchant_id']}", message["delivery_id"]
        key = {"PK": {"S": f"{merchant}#WEBHOOKDELIVERY#{webhook_id}"}, "SK": {"S": "DELIVERY"}}
        delivery = ddb.get_item(TableName=TABLE, Key=key, ConsistentRead=True)["Item"]
        endpoint_id = delivery["endpoint_id"]["S"]
        endpoint_key = {"PK": {"S": merchant}, "SK": {"S": f"WEBHOOKENDPOINT#{endpoint_id}"}}
        endpoint = ddb.get_item(TableName=TABLE, Key=endpoint_key, ConsistentRead=True)["Item"]
        moment = datetime.now(UTC)
        now = moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        timestamp, body = str(int(moment.timestamp())), delivery["payload"]["S"].encode()
        secrets = [s["M"] for s in endpoint["secrets"]["L"]]
        current = [s for s in secrets if "S" not in s["retires_at"] or s["retires_at"]["S"] > now]
        keys = [base64.b64decode(s["secret"]["S"].removeprefix("whsec_")) for s in current]
        signed = f"{webhook_id}.{timestamp}.".encode() + body
        signatures = [base64.b64encode(hmac.new(k, signed, hashlib.sha256).digest()).decode() for k in keys]
        headers = {
            "webhook-id": webhook_id,
            "webhook-timestamp": timestamp,
            "webhook-signature": " ".join(f"v1,{signature}" for signature in signatures),
            "Content-Type": "application/json",
            "User-Agent": "Vitrine-Webhooks/1.0",
        }
        response = requests.post(
            endpoint["url"]["S"], data=body, headers=headers, timeout=(3.05, 7.0), allow_redirects=False
        )
        if not 200 <= response.status_code < 300:  # off the main path: SQS tries again
            failures.append({"itemIdentifier": record["messageId"]})
            continue
        ddb.update_item(
            TableName=TABLE,
            Key=key,
            UpdateExpression="SET #status = :status, last_attempt_at = :now, last_status_code = :code, "
            "succeeded_at = :now, GSI2PK = :index ADD attempts :one",
            ConditionExpression="attribute_exists(PK) AND generation = :generation",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={
                ":status": {"S": "succeeded"},
                ":now": {"S": now},
                ":code": {"N": str(response.status_code)},
                ":index": {"S": f"{merchant}#WEBHOOKENDPOINT#{endpoint_id}#succeeded"},
                ":one": {"N": "1"},
                ":generation": {"N": str(message["generation"])},
            },
        )
    return {"batchItemFailures": failures}

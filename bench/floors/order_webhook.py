"""Floor for OrderWebhookFunction (POST /webhooks/gateway): plain SDK, SSM GetParameter + SQS SendMessage."""

import base64
import hmac
import json
import os

from _sdk import client

ssm = client("ssm")
sqs = client("sqs")


def handler(event, context):
    name = os.environ["GATEWAY_WEBHOOK_CREDENTIALS_PARAMETER"]
    expected = ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"]
    presented = base64.b64decode(event["headers"].get("authorization", "")[len("Basic ") :])
    if not hmac.compare_digest(presented, expected.encode()):
        return {"statusCode": 401, "body": '{"error": "unauthorized"}'}
    message = {"provider": "pagarme", "headers": {}, "body": event["body"]}
    sent = sqs.send_message(QueueUrl=os.environ["GATEWAY_WEBHOOK_QUEUE_URL"], MessageBody=json.dumps(message))
    body = json.dumps({"status": "queued", "message_id": sent["MessageId"]})
    return {"statusCode": 202, "headers": {"Content-Type": "application/json"}, "body": body}

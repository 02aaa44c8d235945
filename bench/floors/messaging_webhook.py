"""Floor for MessagingWebhookFunction (POST /webhooks/whatsapp, a provider's delivery statuses): plain SDK, the
providers' secrets (SSM GetParameter, at the first call), the body's X-Hub-Signature-256 checked (hmac), each
status's pointer (GetItem) and its message moved forward (a conditional UpdateItem)."""

import base64
import hashlib
import hmac
import json
import os
from datetime import UTC, datetime

import _sdk

ddb = _sdk.client("dynamodb")
ssm = _sdk.client("ssm")
TABLE = os.environ["TABLE_NAME"]
LOWER = {"delivered": ["pending", "sent", "not_delivered"]}  # the main path's status; the function ranks them all
_secrets: list[dict] = []


def handler(event, context):
    if not _secrets:
        name = os.environ["MESSAGING_CREDENTIALS_PARAMETER"]
        _secrets.append(json.loads(ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"]))
    raw = base64.b64decode(event["body"]) if event.get("isBase64Encoded") else event["body"].encode()
    expected = hmac.new(_secrets[0]["whatsapp_app_secret"].encode(), raw, hashlib.sha256).hexdigest()
    presented = event["headers"].get("x-hub-signature-256", "").removeprefix("sha256=")
    if not hmac.compare_digest(expected, presented):
        return {"statusCode": 401, "headers": {"content-type": "application/json"}, "body": '{"error": "signature"}'}
    received = 0
    for entry in json.loads(raw)["entry"]:
        for change in entry["changes"]:
            for status in change["value"].get("statuses", []):
                key = {"PK": {"S": f"MSGID#whatsapp#{status['id']}"}, "SK": {"S": "MSGID"}}
                pointer = ddb.get_item(TableName=TABLE, Key=key).get("Item")
                if pointer is None:
                    continue
                lower = {f":s{i}": {"S": s} for i, s in enumerate(LOWER[status["status"]])}
                ddb.update_item(
                    TableName=TABLE,
                    Key={"PK": pointer["record_pk"], "SK": pointer["record_sk"]},
                    UpdateExpression="SET #status = :status, error_code = :code, status_at = :at",
                    ConditionExpression=f"attribute_exists(PK) AND #status IN ({', '.join(lower)})",
                    ExpressionAttributeNames={"#status": "status"},
                    ExpressionAttributeValues={
                        ":status": {"S": status["status"]},
                        ":code": {"S": ""},
                        ":at": {"S": datetime.now(UTC).isoformat(timespec="milliseconds")},
                        **lower,
                    },
                    ReturnValues="ALL_NEW",
                )
                received += 1
    body = json.dumps({"received": received})
    return {"statusCode": 200, "headers": {"content-type": "application/json"}, "body": body}

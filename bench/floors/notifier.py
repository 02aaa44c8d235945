"""Floor for NotifierFunction (SQS batch of bus events, each an order's status): plain SDK and requests, the order
(GetItem), its catalog, merchant, profile, texts and the shopper's suppression (BatchGetItem), the providers' secrets
and the signing key of the order's link (SSM GetParameter each, at the first message), the message claimed
(conditional PutItem), the WhatsApp template POSTed, the record sent with its pointer (TransactWriteItems)."""

import base64
import hashlib
import hmac
import json
import os
from datetime import UTC, datetime, timedelta

import _sdk  # before requests, as a handler importing its SDK first: requests then finds botocore's urllib3 loaded
import requests

ddb = _sdk.client("dynamodb")
ssm = _sdk.client("ssm")
TABLE = os.environ["TABLE_NAME"]
URL = f"{os.environ['WHATSAPP_API_BASE_URL'].rstrip('/')}/{os.environ['WHATSAPP_PHONE_NUMBER_ID']}/messages"
_secrets: dict[str, str] = {}


def secret(variable: str) -> str:
    if variable not in _secrets:
        name = os.environ[variable]
        _secrets[variable] = ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"]
    return _secrets[variable]


def handler(event, context):
    for record in event["Records"]:
        detail = json.loads(record["body"])["detail"]
        merchant, order_id, event_id = f"M#{detail['merchant_id']}", detail["data"]["order_id"], detail["id"]
        key = {"PK": {"S": merchant}, "SK": {"S": f"ORDER#{order_id}"}}
        order = ddb.get_item(TableName=TABLE, Key=key, ConsistentRead=True)["Item"]
        digits = "".join(c for c in order["customer"]["M"]["phone"]["S"] if c.isdigit())
        phone = "55" + digits if len(digits) in (10, 11) else digits
        suppressed = (f"{merchant}#SUPPRESSED", "whatsapp#" + hashlib.sha256(phone.encode()).hexdigest()[:32])
        wanted = [
            (merchant, f"CATALOG#{order['catalog_id']['S']}"),
            (merchant, "MERCHANT"),
            (merchant, "PROFILE"),
            (merchant, "MESSAGETEMPLATES"),
            suppressed,
        ]
        keys = [{"PK": {"S": p}, "SK": {"S": s}} for p, s in wanted]
        found = ddb.batch_get_item(RequestItems={TABLE: {"Keys": keys}})["Responses"][TABLE]
        items = {(i["PK"]["S"], i["SK"]["S"]): i for i in found}
        if suppressed in items:  # off the main path: the shopper's number refused WhatsApp
            raise RuntimeError("the floor sends to numbers that are not suppressed")
        slug = items.get(wanted[0], {}).get("slug", {"S": ""})["S"]
        shop = items.get(wanted[2], items.get(wanted[1], {})).get("name", {"S": "loja"})["S"]
        signing_key = secret("SESSION_SIGNING_KEY_PARAMETER").split(",")[0].strip().encode()
        digest = hmac.new(signing_key, f"order-link:{order_id}".encode(), hashlib.sha256).digest()
        token = base64.urlsafe_b64encode(digest)
        link = f"{os.environ.get('PUBLIC_BASE_URL') or os.environ['API_BASE_URL']}/c/{slug}/pedido/{order_id}#token=l"
        link += token.rstrip(b"=").decode()
        credentials = json.loads(secret("MESSAGING_CREDENTIALS_PARAMETER"))
        now = datetime.now(UTC)
        pk, sk = f"{merchant}#MESSAGES#{order_id}", f"{event_id}#shopper#whatsapp"
        total = int(order["total"]["N"])
        parameters = [
            order["customer"]["M"]["name"]["S"].split()[0],
            order["order_code"]["S"],
            f"R$ {total // 100},{total % 100:02d}",
            shop,
            link,
        ]
        claim = {
            "PK": {"S": pk},
            "SK": {"S": sk},
            "type": {"S": "message"},
            "status": {"S": "pending"},
            "attempts": {"N": "0"},
            "created_at": {"S": now.isoformat(timespec="milliseconds")},
            "lease_until": {"S": (now + timedelta(seconds=60)).isoformat()},
            "expires_at": {"N": str(int((now + timedelta(days=400)).timestamp()))},
            "merchant_id": {"S": detail["merchant_id"]},
            "order_id": {"S": order_id},
            "event_id": {"S": event_id},
            "recipient": {"S": phone},
        }
        ddb.put_item(TableName=TABLE, Item=claim, ConditionExpression="attribute_not_exists(PK)")
        body = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": phone,
            "type": "template",
            "template": {
                "name": "vitrine_paid",
                "language": {"code": "pt_BR"},
                "components": [{"type": "body", "parameters": [{"type": "text", "text": p} for p in parameters]}],
            },
        }
        headers = {"Authorization": f"Bearer {credentials['whatsapp_token']}"}
        response = requests.post(URL, json=body, headers=headers, timeout=(3, 8), allow_redirects=False)
        response.raise_for_status()
        wamid = response.json()["messages"][0]["id"]
        at = datetime.now(UTC).isoformat(timespec="milliseconds")
        ddb.transact_write_items(
            TransactItems=[
                {
                    "Update": {
                        "TableName": TABLE,
                        "Key": {"PK": {"S": pk}, "SK": {"S": sk}},
                        "UpdateExpression": "SET #s = :sent, provider = :provider, provider_message_id = :pid, "
                        "sent_at = :at, attempts = attempts + :one, body = :body REMOVE lease_until",
                        "ConditionExpression": "attribute_exists(PK)",
                        "ExpressionAttributeNames": {"#s": "status"},
                        "ExpressionAttributeValues": {
                            ":sent": {"S": "sent"},
                            ":provider": {"S": "whatsapp"},
                            ":pid": {"S": wamid},
                            ":at": {"S": at},
                            ":one": {"N": "1"},
                            ":body": {"S": " ".join(parameters)},
                        },
                    }
                },
                {
                    "Put": {
                        "TableName": TABLE,
                        "Item": {
                            "PK": {"S": f"MSGID#whatsapp#{wamid}"},
                            "SK": {"S": "MSGID"},
                            "type": {"S": "message_pointer"},
                            "record_pk": {"S": pk},
                            "record_sk": {"S": sk},
                            "expires_at": {"N": str(int((now + timedelta(days=30)).timestamp()))},
                        },
                    }
                },
            ]
        )
    return {"batchItemFailures": []}

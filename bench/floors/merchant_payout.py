"""Floor for MerchantPayoutFunction (SQS batch of one merchant's payout): plain SDK and requests, the settings, cursor
and payout (BatchGetItem), the ledger's sum (Query), the gateway's key (SSM GetParameter), its balance (GET), the
payout begun (conditional PutItem), the transfer (POST, the payout id as idempotency key), the payout and the moved
cursor (TransactWriteItems), and PayoutSent on the bus (PutEvents)."""

import json
import os
import uuid
from datetime import UTC, date, datetime, timedelta

import _sdk  # before requests, as a handler importing its SDK first: requests then finds botocore's urllib3 loaded
import requests

ddb = _sdk.client("dynamodb")
ssm = _sdk.client("ssm")
events = _sdk.client("events")
TABLE = os.environ["TABLE_NAME"]
GATEWAY = os.environ["PAGARME_BASE_URL"].rstrip("/")
_key: list[str] = []


def gateway(method: str, path: str, body=None, idempotency_key=None) -> dict:
    if not _key:
        name = os.environ["PAGARME_SECRET_KEY_PARAMETER"]
        _key.append(ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"])
    headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
    response = requests.request(method, GATEWAY + path, json=body, headers=headers, auth=(_key[0], ""), timeout=10)
    response.raise_for_status()
    return response.json()


def handler(event, context):
    for record in event["Records"]:
        message = json.loads(record["body"])
        merchant, day = message["merchant_id"], date.fromisoformat(message["scheduled_on"])
        payout_id, through = f"po-{merchant}-{day:%Y%m%d}", day - timedelta(days=1)
        pk, payouts_pk, payout_sk = f"M#{merchant}", f"M#{merchant}#PAYOUTS", f"{day.isoformat()}#{payout_id}"
        wanted = [(pk, "PAYOUTSETTINGS"), (pk, "PAYOUTSTATE"), (payouts_pk, payout_sk)]
        keys = [{"PK": {"S": p}, "SK": {"S": s}} for p, s in wanted]
        found = ddb.batch_get_item(RequestItems={TABLE: {"Keys": keys, "ConsistentRead": True}})["Responses"][TABLE]
        items = {(i["PK"]["S"], i["SK"]["S"]): i for i in found}
        settings, state = items[wanted[0]], items.get(wanted[1])
        if state is not None or wanted[2] in items:  # off the main path: a cursor or this day's payout exists
            raise RuntimeError("the floor pays new merchants only")
        entries = ddb.query(
            TableName=TABLE,
            KeyConditionExpression="PK = :pk AND SK BETWEEN :min AND :max",
            ExpressionAttributeValues={
                ":pk": {"S": f"{pk}#LEDGER"},
                ":min": {"S": "0000"},
                ":max": {"S": day.isoformat()},
            },
            ProjectionExpression="amount",
            ConsistentRead=True,
        )["Items"]
        total = sum(int(e["amount"]["N"]) for e in entries)
        recipient = settings["recipient_id"]["S"]
        amount = min(total, gateway("GET", f"/recipients/{recipient}/balance")["available_amount"])
        now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        payout = {
            "PK": {"S": payouts_pk},
            "SK": {"S": payout_sk},
            "type": {"S": "payout"},
            "payout_id": {"S": payout_id},
            "merchant_id": {"S": merchant},
            "scheduled_on": {"S": day.isoformat()},
            "through": {"S": through.isoformat()},
            "entries_amount": {"N": str(total)},
            "carried_in": {"N": "0"},
            "amount": {"N": str(amount)},
            "status": {"S": "transferring"},
            "recipient_id": {"S": recipient},
            "created_at": {"S": now},
            "updated_at": {"S": now},
        }
        ddb.put_item(TableName=TABLE, Item=payout, ConditionExpression="attribute_not_exists(PK)")
        body = {"amount": amount, "metadata": {"payout_id": payout_id, "merchant_id": merchant}}
        transfer = gateway("POST", f"/recipients/{recipient}/transfers", body, payout_id)
        status = {"pending_transfer": "pending", "transferred": "paid", "failed": "failed"}[transfer["status"]]
        ddb.transact_write_items(
            TransactItems=[
                {
                    "Update": {
                        "TableName": TABLE,
                        "Key": {"PK": {"S": payouts_pk}, "SK": {"S": payout_sk}},
                        "UpdateExpression": "SET #s = :status, transfer_id = :transfer, amount = :amount, "
                        "updated_at = :at",
                        "ConditionExpression": "#s = :transferring",
                        "ExpressionAttributeNames": {"#s": "status"},
                        "ExpressionAttributeValues": {
                            ":status": {"S": status},
                            ":transfer": {"S": transfer["id"]},
                            ":amount": {"N": str(transfer["amount"])},
                            ":at": {"S": datetime.now(UTC).isoformat()},
                            ":transferring": {"S": "transferring"},
                        },
                    }
                },
                {
                    "Put": {
                        "TableName": TABLE,
                        "Item": {
                            "PK": {"S": pk},
                            "SK": {"S": "PAYOUTSTATE"},
                            "type": {"S": "payout_state"},
                            "paid_through": {"S": through.isoformat()},
                            "carried": {"N": str(total - transfer["amount"])},
                            "version": {"N": "1"},
                            "last_payout_id": {"S": payout_id},
                        },
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
            ],
            ClientRequestToken=str(uuid.uuid4()),
        )
        # The merchant is told (PayoutSent: the notifier's e-mail, its webhooks).
        sent = {"payout_id": payout_id, "amount": transfer["amount"], "scheduled_on": message["scheduled_on"]}
        events.put_events(
            Entries=[
                {
                    "EventBusName": os.environ["EVENT_BUS_NAME"],
                    "Source": "vitrine.payouts",
                    "DetailType": "PayoutSent",
                    "Detail": json.dumps({"id": f"payout-sent-{payout_id}", "type": "PayoutSent", "data": sent}),
                }
            ]
        )
    return {"batchItemFailures": []}

"""Floor for StockSyncApiFunction (POST /erp/v1/stock): plain SDK, GetItem (the API key), PutItem (the job),
SQS SendMessage (the chunk)."""

import hashlib
import json
import os
import uuid

from _sdk import client

ddb = client("dynamodb")
sqs = client("sqs")
TABLE = os.environ["TABLE_NAME"]


def handler(event, context):
    key = event["headers"].get("authorization", "").removeprefix("Bearer ")
    lookup = {"PK": {"S": "APIKEY#" + hashlib.sha256(key.encode()).hexdigest()}, "SK": {"S": "APIKEY"}}
    record = ddb.get_item(TableName=TABLE, Key=lookup).get("Item")
    if record is None or {"S": "erp"} not in (record.get("permissions") or record["scopes"])["L"]:
        return {"statusCode": 401, "body": '{"error": "unauthorized"}'}
    merchant_id, items, job_id = record["merchant_id"]["S"], json.loads(event["body"])["items"], uuid.uuid4().hex
    job = {"PK": {"S": f"M#{merchant_id}"}, "SK": {"S": f"JOB#{job_id}"}, "total": {"N": str(len(items))}}
    ddb.put_item(TableName=TABLE, Item=job)
    chunk = {"merchant_id": merchant_id, "job_id": job_id, "kind": "stock", "chunk": 0, "items": items}
    sqs.send_message(QueueUrl=os.environ["ERP_INGEST_QUEUE_URL"], MessageBody=json.dumps(chunk))
    body = json.dumps({"job_id": job_id, "status": "queued", "total": len(items), "queued": len(items), "rejected": 0})
    return {"statusCode": 202, "headers": {"Content-Type": "application/json"}, "body": body}

"""Floor for StockSyncFunction and PayoutFunction (a schedule input): plain SDK, claim + complete (2 UpdateItem);
for sync_erp_connectors also the due index's 4 shards (4 Query on GSI2), as the job reads them."""

import os
import time

from _sdk import client

ddb = client("dynamodb")
TABLE = os.environ["TABLE_NAME"]


def handler(event, context):
    job, at, now = event["job"], event["scheduled_time"], int(time.time())
    key = {"PK": {"S": f"SCHEDULE#{job}"}, "SK": {"S": f"RUN#{at}"}}
    ddb.update_item(
        TableName=TABLE,
        Key=key,
        UpdateExpression="SET #s = :running, lease_until = :lease, expires_at = :expires",
        ConditionExpression="attribute_not_exists(PK) OR (#s = :running AND lease_until < :now)",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={
            ":running": {"S": "running"},
            ":lease": {"N": str(now + 90)},
            ":expires": {"N": str(now + 14 * 86400)},
            ":now": {"N": str(now)},
        },
    )
    if job == "sync_erp_connectors":
        until = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + "#\uffff"
        for shard in range(4):
            ddb.query(
                TableName=TABLE,
                IndexName="GSI2",
                KeyConditionExpression="GSI2PK = :pk AND GSI2SK <= :until",
                ExpressionAttributeValues={":pk": {"S": f"ERPCONNECTOR#{shard}"}, ":until": {"S": until}},
                Limit=50,
            )
    ddb.update_item(
        TableName=TABLE,
        Key=key,
        UpdateExpression="SET #s = :completed REMOVE lease_until",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":completed": {"S": "completed"}},
    )
    return {"job": job, "scheduled_time": at}

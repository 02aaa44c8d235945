"""Floor for StockSyncFunction and PayoutFunction (a schedule input): plain SDK, claim + complete (2 UpdateItem);
for sync_erp_connectors also the due index's 4 shards (4 Query on GSI2), as the job reads them; for
run_due_payouts the due index's partition of each payout schedule due that Brasília day (a Query on GSI2 each:
daily, the weekday's, the month day's, and on a Monday the month days that fell on the weekend before)."""

import os
import time
from datetime import date, datetime, timedelta, timezone

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
    if job == "run_due_payouts":
        day = datetime.fromisoformat(at.replace("Z", "+00:00")).astimezone(timezone(timedelta(hours=-3))).date()
        for schedule in payout_schedules_due(day):
            ddb.query(
                TableName=TABLE,
                IndexName="GSI2",
                KeyConditionExpression="GSI2PK = :pk",
                ExpressionAttributeValues={":pk": {"S": f"PAYOUTDUE#{schedule}"}},
                Limit=1000,
            )
    ddb.update_item(
        TableName=TABLE,
        Key=key,
        UpdateExpression="SET #s = :completed REMOVE lease_until",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":completed": {"S": "completed"}},
    )
    return {"job": job, "scheduled_time": at}


def payout_schedules_due(day: date) -> list[str]:
    if day.weekday() >= 5:
        return []

    def rolled(moment: date) -> date:
        while moment.weekday() >= 5:
            moment += timedelta(days=1)
        return moment

    last_month = day.replace(day=1) - timedelta(days=1)
    monthly = [d for d in range(1, 29) if day in (rolled(day.replace(day=d)), rolled(last_month.replace(day=d)))]
    return ["daily", f"weekly#{day.isoweekday()}", *(f"monthly#{d}" for d in monthly)]

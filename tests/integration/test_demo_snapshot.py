"""The demo snapshot (``demo_snapshot.py``) is the demo seed: a restored stack holds what ``seed_demo({})`` writes into
a fresh one, item for item and object for object, and the seed writes nowhere else the snapshot would miss."""

import hashlib
import json
import re

import pytest
from demo_snapshot import bucket_objects, restore, seeded_demo, take_snapshot
from lambda_harness import http

from local_stack.seed import seed_demo
from vitrine.auth import passwords


@pytest.fixture
def cheap_hashes(monkeypatch):
    """The console tests' stand-in for scrypt (``test_console_pages.demo``): so these check the very snapshot those
    tests restore."""
    monkeypatch.setattr(
        passwords, "_derive", lambda password, salt, *cost: hashlib.sha256(salt + password.encode()).digest()
    )


def table_items(stack) -> list[dict]:
    dynamodb, items, start = stack.client("dynamodb"), [], {}
    while True:
        page = dynamodb.scan(TableName=stack.table_name, **start)
        items += page["Items"]
        if "LastEvaluatedKey" not in page:
            return sorted(items, key=lambda item: (item["PK"]["S"], item["SK"]["S"]))
        start = {"ExclusiveStartKey": page["LastEvaluatedKey"]}


def everything_else(stack) -> dict:
    """What the stack holds besides the table and the bucket: queues and their messages, parameters, bus rules."""
    sqs, ssm, events = stack.client("sqs"), stack.client("ssm"), stack.client("events")
    queues = {
        url: sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]["ApproximateNumberOfMessages"]
        for url in sqs.list_queues().get("QueueUrls", [])
    }
    parameters = {p["Name"]: p["Version"] for p in ssm.describe_parameters()["Parameters"]}
    buses = events.list_event_buses()["EventBuses"]
    rules = {bus["Name"]: events.list_rules(EventBusName=bus["Name"])["Rules"] for bus in buses}
    return {"queues": queues, "parameters": parameters, "rules": rules}


def wipe(stack) -> None:
    """Back to the fresh stack the fixture made: no item, no object."""
    dynamodb, s3 = stack.client("dynamodb"), stack.client("s3")
    items = table_items(stack)
    for start in range(0, len(items), 25):
        deletes = [{"DeleteRequest": {"Key": {"PK": i["PK"], "SK": i["SK"]}}} for i in items[start : start + 25]]
        assert not dynamodb.batch_write_item(RequestItems={stack.table_name: deletes})["UnprocessedItems"]
    for stored in bucket_objects():
        s3.delete_object(Bucket=stack.bucket, Key=stored["Key"])
    assert table_items(stack) == [] and bucket_objects() == ()


def test_a_restored_demo_is_the_freshly_seeded_one_item_for_item_and_the_seed_writes_nowhere_else(stack, cheap_hashes):
    before = everything_else(stack)
    snapshot = take_snapshot()  # seed_demo({}) into this fresh stack, and what it wrote
    seeded, seeded_objects = table_items(stack), bucket_objects()
    assert everything_else(stack) == before  # no message, parameter or rule the snapshot would not restore
    assert len(seeded) > 400 and len(seeded_objects) >= 20  # the whole demo: ~440 items, its images

    wipe(stack)
    assert restore(snapshot) == snapshot.seed
    assert table_items(stack) == seeded
    assert bucket_objects() == seeded_objects
    assert everything_else(stack) == before


# What a seed draws anew each time (staff and group ids, the API key, password salts) and the second it writes at:
# these attributes' values, and the ids in keys.
DRAWN = {"staff_id", "group_ids", "group_id", "key_id", "key_hash", "password_hash", "created_at"}
DRAWN_IN_KEYS = re.compile(r"^(APIKEY#)[0-9a-f]{64}$|(STAFF#stf_|PERMGROUP#grp_|APIKEY#)[0-9a-f]{12}$")


def masked(items: list[dict]) -> list[str]:
    def mask(item: dict) -> dict:
        kept = {name: value for name, value in item.items() if name not in DRAWN}
        for name in ("PK", "SK"):
            kept[name] = DRAWN_IN_KEYS.sub(lambda m: (m.group(1) or m.group(2)) + "<drawn>", item[name]["S"])
        return {**kept, "drawn": sorted(name for name in item if name in DRAWN)}

    return sorted(json.dumps(mask(item), sort_keys=True, ensure_ascii=False) for item in items)


def test_the_snapshot_the_other_tests_restore_is_what_a_fresh_seed_writes(stack, cheap_hashes):
    # Given the demo as the console's tests get it (the process's snapshot, restored; or seeded, if it is the first)
    demo = seeded_demo()
    restored, restored_objects = table_items(stack), bucket_objects()
    # Then its password and API key are the ones its table holds
    (owner,) = [i for i in restored if i.get("email", {}).get("S") == demo.owner_login and i["type"]["S"] == "staff"]
    assert passwords.verify_password(demo.password, owner["password_hash"]["S"])
    answer = http("GET", "/merchant/v1/catalogs", headers={"authorization": f"Bearer {demo.api_key}"})
    assert answer["statusCode"] == 200, answer["body"]

    # And a fresh seed writes the same items and images, but for what a seed draws anew (ids, key, salts, time)
    wipe(stack)
    seed_demo({})
    fresh = table_items(stack)
    assert masked(fresh) == masked(restored)
    assert bucket_objects() == restored_objects

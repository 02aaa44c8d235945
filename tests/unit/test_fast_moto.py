"""The integration tests' shortcuts through moto (``tests/fast_moto.py``) answer what moto answers: every call below
runs both ways (``verify``) and fails on a difference; and the shortcuts are taken (moto's serializer and its
whole-table walk are not reached, nor the size of an item the sort key condition drops)."""

import contextlib

import boto3
import pytest
from botocore.exceptions import ClientError
from dynamodb_pages import query_pages
from fast_moto import fast_dynamodb, jsonpaths_parsed_once
from moto import mock_aws
from moto.core.serialize import ResponseSerializer
from moto.dynamodb.models.table import Table

ITEMS = [
    {
        "PK": {"S": f"P#{p}"},
        "SK": {"S": f"{kind}#{i:02d}"},
        "n": {"N": str(i * 10 + p)},
        "price": {"N": "12.50"},
        "bytes": {"B": bytes([i, p, 0, 255])},
        "tags": {"SS": ["a", f"t{i}"]},
        "counts": {"NS": ["1", str(i + 2)]},
        "nested": {"M": {"list": {"L": [{"S": "x"}, {"N": "1"}, {"BOOL": True}, {"NULL": True}]}, "e": {"S": ""}}},
    }
    for p in range(3)
    for kind in ("ITEM", "PAGE")
    for i in range(12)
]


@contextlib.contextmanager
def _table():
    with mock_aws():
        dynamodb = boto3.client("dynamodb", region_name="us-east-1")
        dynamodb.create_table(
            TableName="t",
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[
                {"AttributeName": "PK", "AttributeType": "S"},
                {"AttributeName": "SK", "AttributeType": "S"},
                {"AttributeName": "n", "AttributeType": "N"},
            ],
            KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}],
            GlobalSecondaryIndexes=[
                {
                    "IndexName": "by-n",
                    "KeySchema": [{"AttributeName": "n", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "ALL"},
                }
            ],
        )
        for start in range(0, len(ITEMS), 25):
            dynamodb.batch_write_item(
                RequestItems={"t": [{"PutRequest": {"Item": i}} for i in ITEMS[start : start + 25]]}
            )
        yield dynamodb


@pytest.fixture
def client():
    with _table() as dynamodb:
        yield dynamodb


def _every_operation(client) -> list:
    pk = {":pk": {"S": "P#1"}}
    answers = [
        query_pages(client, KeyConditionExpression="PK = :pk", ExpressionAttributeValues=pk, Limit=7),
        query_pages(
            client, KeyConditionExpression="PK = :pk", ExpressionAttributeValues=pk, Limit=5, ScanIndexForward=False
        ),
        query_pages(
            client,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :p)",
            ExpressionAttributeValues={**pk, ":p": {"S": "ITEM#"}},
            Limit=4,
        ),
        query_pages(
            client,
            KeyConditionExpression="PK = :pk AND SK BETWEEN :a AND :b",
            ExpressionAttributeValues={**pk, ":a": {"S": "ITEM#03"}, ":b": {"S": "PAGE#02"}, ":n": {"N": "51"}},
            FilterExpression="n > :n",
            ProjectionExpression="SK, n, nested.#l",
            ExpressionAttributeNames={"#l": "list"},
            Limit=3,
        ),
        # The sort key condition keeps a part of the partition (shortcut 3), forwards and backwards, a page ending
        # where the kept items end (moto then answers a last key for the dropped ones after it) or before.
        query_pages(
            client,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :p)",
            ExpressionAttributeValues={**pk, ":p": {"S": "PAGE#"}},
            ScanIndexForward=False,
            Limit=6,
        ),
        query_pages(
            client,
            KeyConditionExpression="PK = :pk AND SK < :s",
            ExpressionAttributeValues={**pk, ":s": {"S": "ITEM#07"}},
            Limit=7,
        ),
        query_pages(
            client,
            KeyConditionExpression="PK = :pk AND SK >= :s",
            ExpressionAttributeValues={**pk, ":s": {"S": "PAGE#10"}, ":n": {"N": "0"}},
            FilterExpression="n < :n",
            Limit=1,
        ),
        query_pages(client, KeyConditionExpression="PK = :pk", ExpressionAttributeValues={":pk": {"S": "P#none"}}),
        query_pages(
            client, IndexName="by-n", KeyConditionExpression="n = :n", ExpressionAttributeValues={":n": {"N": "31"}}
        ),
        client.get_item(TableName="t", Key={"PK": {"S": "P#2"}, "SK": {"S": "ITEM#05"}})["Item"],
        client.get_item(TableName="t", Key={"PK": {"S": "P#2"}, "SK": {"S": "nope"}}).get("Item"),
        client.batch_get_item(
            RequestItems={
                "t": {"Keys": [{"PK": {"S": "P#0"}, "SK": {"S": f"PAGE#{i:02d}"}} for i in range(0, 12, 2)]}
                | {"ProjectionExpression": "SK, bytes, tags"}
            }
        )["Responses"],
        client.put_item(TableName="t", Item=ITEMS[0] | {"n": {"N": "-1"}}, ReturnValues="ALL_OLD")["Attributes"],
        client.update_item(
            TableName="t",
            Key={"PK": {"S": "P#0"}, "SK": {"S": "ITEM#01"}},
            UpdateExpression="SET n = n + :one ADD tags :t",
            ExpressionAttributeValues={":one": {"N": "1"}, ":t": {"SS": ["new"]}},
            ReturnValues="ALL_NEW",
        )["Attributes"],
        client.delete_item(TableName="t", Key={"PK": {"S": "P#0"}, "SK": {"S": "ITEM#02"}}, ReturnValues="ALL_OLD"),
        client.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": "t", "Item": {"PK": {"S": "P#9"}, "SK": {"S": "X"}}}},
                {"Delete": {"TableName": "t", "Key": {"PK": {"S": "P#1"}, "SK": {"S": "ITEM#00"}}}},
            ]
        ),
        client.transact_get_items(
            TransactItems=[{"Get": {"TableName": "t", "Key": {"PK": {"S": "P#9"}, "SK": {"S": "X"}}}}]
        )["Responses"],
        client.scan(TableName="t", Limit=10)["Items"],
        client.batch_write_item(
            RequestItems={"t": [{"DeleteRequest": {"Key": {"PK": {"S": "P#9"}, "SK": {"S": "X"}}}}]}
        ),
    ]
    with pytest.raises(ClientError) as refused:
        client.put_item(TableName="t", Item=ITEMS[1], ConditionExpression="attribute_not_exists(PK)")
    answers.append(refused.value.response["Error"])
    for answer in answers:
        if isinstance(answer, dict):
            answer.pop("ResponseMetadata", None)
    return answers


def test_the_shortcuts_answer_what_moto_answers(client):
    with fast_dynamodb(verify=True):
        fast = _every_operation(client)
    assert fast[0][0]["Items"] and fast[2][-1]["n"] >= 0


def test_a_fresh_table_read_and_written_with_the_shortcuts_answers_as_one_without():
    def answers(shortcuts: bool) -> list:
        with _table() as dynamodb, fast_dynamodb(verify=False) if shortcuts else contextlib.nullcontext():
            return _every_operation(dynamodb)

    assert answers(True) == answers(False)


def test_a_query_whose_kept_items_could_end_a_page_on_size_answers_what_moto_answers(client):
    # Three items of ~350 KB: the two kept weigh more than 1 MB less the largest item, so moto's own way runs.
    heavy = [{"PK": {"S": "P#big"}, "SK": {"S": sk}, "blob": {"S": "x" * 350_000}} for sk in ("A#1", "A#2", "B#1")]
    for item in heavy:
        client.put_item(TableName="t", Item=item)
    with fast_dynamodb(verify=True):
        pages = query_pages(
            client,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :p)",
            ExpressionAttributeValues={":pk": {"S": "P#big"}, ":p": {"S": "A#"}},
            ProjectionExpression="SK",
        )
    assert [item["SK"]["S"] for page in pages for item in page["Items"]] == ["A#1", "A#2"]


def test_the_shortcuts_are_taken(client, monkeypatch):
    serialised, walked = [], []
    serialize, all_items = ResponseSerializer.serialize, Table.all_items
    monkeypatch.setattr(ResponseSerializer, "serialize", lambda self, r: serialised.append(1) or serialize(self, r))
    monkeypatch.setattr(Table, "all_items", lambda self: walked.append(1) or all_items(self))
    with fast_dynamodb(verify=False):
        client.query(TableName="t", KeyConditionExpression="PK = :pk", ExpressionAttributeValues={":pk": {"S": "P#1"}})
        client.get_item(TableName="t", Key={"PK": {"S": "P#2"}, "SK": {"S": "ITEM#05"}})
    assert serialised == [] and walked == []


def test_a_query_by_sort_key_weighs_only_the_items_its_condition_keeps(client, monkeypatch):
    from moto.dynamodb.models.dynamo_type import Item

    weighed, size = [], Item.size
    monkeypatch.setattr(Item, "size", lambda self: weighed.append(self.range_key.value) or size(self))
    with fast_dynamodb(verify=False):
        answer = client.query(
            TableName="t",
            KeyConditionExpression="PK = :pk AND begins_with(SK, :p)",
            ExpressionAttributeValues={":pk": {"S": "P#1"}, ":p": {"S": "PAGE#"}},
        )
    assert len(answer["Items"]) == 12 and weighed and all(sk.startswith("PAGE#") for sk in weighed)


def test_the_servers_list_of_moto_services_is_moto_own_read_once(monkeypatch):
    import os

    from fast_moto import moto_modules_listed_once
    from moto import backends

    listed = list(backends.list_of_moto_modules())
    with moto_modules_listed_once():
        listings = []
        listdir = os.listdir
        monkeypatch.setattr(os, "listdir", lambda path: listings.append(path) or listdir(path))
        assert list(backends.list_of_moto_modules()) == listed and "dynamodb" in backends.list_of_moto_modules()
        assert "sqs" in backends.list_of_moto_modules() and "no-such-service" not in backends.list_of_moto_modules()
        assert listings == []
    assert list(backends.list_of_moto_modules()) == listed


def test_a_jsonpath_parsed_once_finds_what_a_fresh_parse_finds():
    import jsonpath_ng.ext

    before = jsonpath_ng.ext.parse  # jsonpath_ng's own, or the integration tests' session-wide one on this worker
    event = {"account": "1", "detail": {"a": [1, 2]}, "detail-type": "T", "resources": []}
    fresh = {path: [m.value for m in jsonpath_ng.ext.parse(path).find(event)] for path in ("$.detail", "$.detail.a[1]")}
    with jsonpaths_parsed_once():
        first = jsonpath_ng.ext.parse("$.detail")
        assert jsonpath_ng.ext.parse("$.detail") is first
        for _ in range(2):
            assert {p: [m.value for m in jsonpath_ng.ext.parse(p).find(event)] for p in fresh} == fresh
    assert jsonpath_ng.ext.parse is before

"""The integration tests' shortcuts through moto (``tests/fast_moto.py``) answer what moto answers: every call below
runs both ways (``verify``) and fails on a difference; and the shortcuts are taken (moto's serializer and its
whole-table walk are not reached)."""

import contextlib

import boto3
import pytest
from botocore.exceptions import ClientError
from dynamodb_pages import query_pages
from fast_moto import fast_dynamodb
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


def test_the_shortcuts_are_taken(client, monkeypatch):
    serialised, walked = [], []
    serialize, all_items = ResponseSerializer.serialize, Table.all_items
    monkeypatch.setattr(ResponseSerializer, "serialize", lambda self, r: serialised.append(1) or serialize(self, r))
    monkeypatch.setattr(Table, "all_items", lambda self: walked.append(1) or all_items(self))
    with fast_dynamodb(verify=False):
        client.query(TableName="t", KeyConditionExpression="PK = :pk", ExpressionAttributeValues={":pk": {"S": "P#1"}})
        client.get_item(TableName="t", Key={"PK": {"S": "P#2"}, "SK": {"S": "ITEM#05"}})
    assert serialised == [] and walked == []

"""The storefront bench's shortcuts through moto (``bench/moto_speed.py``) answer what moto answers: the same
items, pages and cursors for a table's Query read page by page (forward, backward, by prefix, with a condition on
the sort key), the same items and projections from BatchGetItem, GetItem and after writes, deletes and
transactions (a cancelled one rolled back as moto rolls it back), the same errors; only faster."""

import importlib.util
from pathlib import Path

import boto3
import pytest
from dynamodb_pages import query_pages
from moto import mock_aws

# Loaded by path: putting bench/ on sys.path would let its modules shadow others.
_spec = importlib.util.spec_from_file_location(
    "moto_speed", Path(__file__).resolve().parents[2] / "bench/moto_speed.py"
)
moto_speed = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(moto_speed)


def _reads(client) -> list:
    pk = {":pk": {"S": "P#1"}}
    found = [
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
            ExpressionAttributeValues={**pk, ":a": {"S": "ITEM#03"}, ":b": {"S": "PAGE#02"}},
            Limit=3,
        ),
        query_pages(
            client,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :p)",
            ExpressionAttributeValues={":pk": {"S": "P#2"}, ":p": {"S": "ITEM#"}},
            ProjectionExpression="SK, #n",
            ExpressionAttributeNames={"#n": "n"},
        ),
        query_pages(client, KeyConditionExpression="PK = :pk", ExpressionAttributeValues={":pk": {"S": "none"}}),
    ]
    keys = [{"PK": {"S": f"P#{p}"}, "SK": {"S": f"ITEM#{i:02d}"}} for p in (1, 2) for i in range(0, 30, 3)]
    batch = client.batch_get_item(RequestItems={"t": {"Keys": keys, "ProjectionExpression": "SK, body, n"}})
    found.append(sorted(batch["Responses"]["t"], key=lambda item: (item["SK"]["S"], item["n"]["N"])))
    found.append(client.get_item(TableName="t", Key={"PK": {"S": "P#1"}, "SK": {"S": "ITEM#05"}}).get("Item"))
    found.append(client.get_item(TableName="t", Key={"PK": {"S": "P#1"}, "SK": {"S": "nope"}}).get("Item"))
    return found


def _run(fast: bool) -> list:
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        client.create_table(
            TableName="t",
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[
                {"AttributeName": "PK", "AttributeType": "S"},
                {"AttributeName": "SK", "AttributeType": "S"},
            ],
            KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}],
        )
        shortcuts = moto_speed.faster_moto() if fast else _nothing()
        with shortcuts:
            for p in (1, 2):
                items = [
                    {
                        "PK": {"S": f"P#{p}"},
                        "SK": {"S": f"{kind}#{i:02d}"},
                        "n": {"N": str(i * p)},
                        "body": {"B": bytes([i, p, 0, 255])},
                        "tags": {"L": [{"S": "á"}, {"M": {"x": {"BOOL": True}, "y": {"NULL": True}}}]},
                    }
                    for kind in ("ITEM", "PAGE", "HEAD")
                    for i in range(25)
                ]
                for start in range(0, len(items), 25):
                    client.batch_write_item(
                        RequestItems={"t": [{"PutRequest": {"Item": i}} for i in items[start : start + 25]]}
                    )
            before = _reads(client)
            client.delete_item(TableName="t", Key={"PK": {"S": "P#1"}, "SK": {"S": "ITEM#04"}})
            client.put_item(TableName="t", Item={"PK": {"S": "P#1"}, "SK": {"S": "ITEM#045"}, "n": {"N": "1"}})
            with pytest.raises(client.exceptions.ConditionalCheckFailedException):
                client.put_item(
                    TableName="t",
                    Item={"PK": {"S": "P#1"}, "SK": {"S": "ITEM#05"}},
                    ConditionExpression="attribute_not_exists(PK)",
                )
            key = {"PK": {"S": "P#1"}, "SK": {"S": "ITEM#07"}}
            client.transact_write_items(
                TransactItems=[
                    {"Put": {"TableName": "t", "Item": {"PK": {"S": "P#1"}, "SK": {"S": "ITEM#071"}, "n": {"N": "7"}}}},
                    {"Delete": {"TableName": "t", "Key": {"PK": {"S": "P#2"}, "SK": {"S": "ITEM#08"}}}},
                    {
                        "Update": {
                            "TableName": "t",
                            "Key": key,
                            "UpdateExpression": "SET n = :n",
                            "ExpressionAttributeValues": {":n": {"N": "70"}},
                        }
                    },
                ]
            )
            with pytest.raises(client.exceptions.TransactionCanceledException):
                client.transact_write_items(
                    TransactItems=[
                        {"Put": {"TableName": "t", "Item": {"PK": {"S": "P#1"}, "SK": {"S": "ITEM#072"}}}},
                        {"Delete": {"TableName": "t", "Key": {"PK": {"S": "P#1"}, "SK": {"S": "ITEM#09"}}}},
                        {
                            "Update": {
                                "TableName": "t",
                                "Key": key,
                                "UpdateExpression": "SET n = :n",
                                "ExpressionAttributeValues": {":n": {"N": "71"}},
                            }
                        },
                        {
                            "Put": {
                                "TableName": "t",
                                "Item": {"PK": {"S": "P#1"}, "SK": {"S": "ITEM#05"}},
                                "ConditionExpression": "attribute_not_exists(PK)",
                            }
                        },
                    ]
                )
            return [before, _reads(client)]


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *_):
        return False


def test_the_shortcuts_answer_what_moto_answers():
    assert _run(fast=True) == _run(fast=False)

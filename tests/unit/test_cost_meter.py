"""The cost bench's meter bills DynamoDB writes as DynamoDB does: the larger of the item before and after, per
started KB, once more per index the item is in, twice where its index key changed; a refused condition still pays."""

import importlib.util
from pathlib import Path

import pytest

# Loaded by path: putting bench/ on sys.path would let its modules (checkout, webhooks) shadow others.
_spec = importlib.util.spec_from_file_location(
    "cost_meter", Path(__file__).resolve().parents[2] / "bench/cost_meter.py"
)
cost_meter = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cost_meter)
AwsMeter, item_kind = cost_meter.AwsMeter, cost_meter.item_kind

INDEXES = {"GSI1": ["GSI1PK", "GSI1SK"]}
KEY = {"PK": {"S": "M#m1"}, "SK": {"S": "ORDER#o1"}}


class Reader:
    """The meter's uncounted client: hands out the item as the table holds it."""

    def __init__(self) -> None:
        self.item: dict | None = None

    def get_item(self, **_):
        return {"Item": self.item} if self.item else {}


def _item(size: int, **index) -> dict:
    base = {**KEY, **{k: {"S": v} for k, v in index.items()}}
    used = sum(len(k) + len(v["S"]) for k, v in base.items())
    return {**base, "blob": {"S": "x" * (size - used - 4)}}


class Model:
    def __init__(self, name: str) -> None:
        self.name = name
        self.service_model = type("S", (), {"service_name": "dynamodb"})()


def _write(meter, reader, operation, params, after, parsed=None):
    context: dict = {}
    meter._before_call(Model(operation), params, context)
    reader.item = after
    meter._after_call(Model(operation), parsed if parsed is not None else {}, context)
    return meter.usage["step"].write_units


@pytest.fixture
def metered():
    reader = Reader()
    meter = AwsMeter(INDEXES, reader)
    meter.charge_to = "step"
    return meter, reader


def test_an_update_that_moves_the_index_key_pays_the_larger_item_and_a_delete_and_put_in_the_index(metered):
    meter, reader = metered
    reader.item = _item(2500, GSI1PK="orders", GSI1SK="pending#1")  # 3 KB started
    after = _item(1500, GSI1PK="orders", GSI1SK="paid#1")
    units = _write(meter, reader, "UpdateItem", {"TableName": "t", "Key": KEY}, after)
    assert units == 3 * (1 + 2)


def test_a_transaction_doubles_the_table_write_not_the_index_and_an_unchanged_key_is_one_index_write(metered):
    meter, reader = metered
    reader.item = _item(900, GSI1PK="orders", GSI1SK="paid#1")
    params = {"TransactItems": [{"Update": {"TableName": "t", "Key": KEY}}]}
    assert _write(meter, reader, "TransactWriteItems", params, _item(1000, GSI1PK="orders", GSI1SK="paid#1")) == 3


def test_a_delete_pays_the_item_it_removes_from_the_table_and_its_index(metered):
    meter, reader = metered
    reader.item = _item(1100, GSI1PK="orders", GSI1SK="paid#1")
    assert _write(meter, reader, "DeleteItem", {"TableName": "t", "Key": KEY}, None) == 2 * 2
    assert meter.usage["step"].writes_by_kind[("ORDER", "Delete")] == 4


def test_a_refused_condition_pays_the_item_in_the_table_alone(metered):
    meter, reader = metered
    reader.item = _item(1500, GSI1PK="orders", GSI1SK="paid#1")
    refused = {"Error": {"Code": "ConditionalCheckFailedException"}}
    assert _write(meter, reader, "PutItem", {"TableName": "t", "Item": _item(300)}, reader.item, refused) == 2


def test_item_kinds_leave_the_ids_out():
    assert item_kind({"PK": {"S": "M#m1#WEBHOOKDELIVERY#msg_1"}, "SK": {"S": "DELIVERY"}}) == "WEBHOOKDELIVERY"
    assert item_kind(KEY) == "ORDER"
    assert item_kind({"PK": {"S": "WEBHOOK#pagarme#hook_1"}, "SK": {"S": "WEBHOOK"}}) == "WEBHOOK"

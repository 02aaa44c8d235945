from decimal import Decimal

import pytest

from vitrine.repository.items import from_item, to_item


def test_values_round_trip_through_dynamodb_attributes():
    values = {
        "PK": "M#m1",
        "price": 4990,
        "negative": -5,
        "active": True,
        "tags": ["a", "b"],
        "nested": {"x": 1, "y": [{"z": "w"}]},
        "empty_list": [],
        "blob": b"\x00\x01",
        "null_inside": {"gone": None},
    }
    assert from_item(to_item(values)) == values


def test_top_level_none_is_not_stored():
    assert "missing" not in to_item({"PK": "x", "missing": None})


def test_floats_never_reach_the_table():
    with pytest.raises(TypeError, match="floats are refused"):
        to_item({"price": 49.9})


def test_decimal_numbers_read_back_as_decimal_and_integers_as_int():
    item = from_item({"a": {"N": "10"}, "b": {"N": "-3"}, "c": {"N": "1.5"}})
    assert item == {"a": 10, "b": -3, "c": Decimal("1.5")}
    assert isinstance(item["a"], int)

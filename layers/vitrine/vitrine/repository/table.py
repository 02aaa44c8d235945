"""Thin access to the single table: the operations the named access patterns are built from.

SDK errors are re-raised as domain errors here, once: a failed condition becomes ``ConditionFailed``,
a cancelled transaction ``TransactionCancelled`` (with each item's reason), anything else the caller
cannot fix ``DependencyUnavailable``.
"""

import base64
import binascii
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from vitrine import aws
from vitrine.errors import DependencyUnavailable, InvalidInput
from vitrine.repository.items import from_item, to_attribute, to_item
from vitrine.settings import get_settings


class ConditionFailed(Exception):
    """A conditional write found the item in another state than the one it was conditioned on."""


class TransactionCancelled(Exception):
    def __init__(self, reasons: list[str]) -> None:
        super().__init__(f"transaction cancelled: {reasons}")
        self.reasons = reasons


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    cursor: str | None


@contextmanager
def _translated_errors() -> Iterator[None]:
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code == "ConditionalCheckFailedException":
            raise ConditionFailed(exc.response["Error"].get("Message", "")) from exc
        if code == "TransactionCanceledException":
            reasons = [r.get("Code", "None") for r in exc.response.get("CancellationReasons", [])]
            raise TransactionCancelled(reasons) from exc
        raise DependencyUnavailable(f"DynamoDB {exc.operation_name} failed: {code}") from exc
    except BotoCoreError as exc:
        raise DependencyUnavailable(f"DynamoDB unreachable: {exc}") from exc


def table_name() -> str:
    return get_settings().require("table_name")


def _ddb() -> Any:
    return aws.client("dynamodb")


def put(
    values: dict[str, Any],
    *,
    condition: str | None = None,
    names: dict[str, str] | None = None,
    condition_values: dict[str, Any] | None = None,
) -> None:
    request: dict[str, Any] = {"TableName": table_name(), "Item": to_item(values)}
    if condition:
        request["ConditionExpression"] = condition
    if names:
        request["ExpressionAttributeNames"] = names
    if condition_values:
        request["ExpressionAttributeValues"] = {k: to_attribute(v) for k, v in condition_values.items()}
    with _translated_errors():
        _ddb().put_item(**request)


def update(
    pk: str,
    sk: str,
    *,
    expression: str,
    values: dict[str, Any],
    names: dict[str, str] | None = None,
    condition: str | None = None,
) -> dict[str, Any]:
    """An ``UpdateItem``; returns the item as it is after the update."""
    request: dict[str, Any] = {
        "TableName": table_name(),
        "Key": to_item({"PK": pk, "SK": sk}),
        "UpdateExpression": expression,
        "ReturnValues": "ALL_NEW",
    }
    if values:
        request["ExpressionAttributeValues"] = {k: to_attribute(v) for k, v in values.items()}
    if names:
        request["ExpressionAttributeNames"] = names
    if condition:
        request["ConditionExpression"] = condition
    with _translated_errors():
        response = _ddb().update_item(**request)
    return from_item(response.get("Attributes", {}))


def batch_put(items: list[dict[str, Any]]) -> None:
    """Unconditional puts, 25 to a request, retrying what DynamoDB reports unprocessed."""
    _batch_write([{"PutRequest": {"Item": to_item(i)}} for i in items])


def batch_delete(keys: list[tuple[str, str]]) -> None:
    """Deletes by key, 25 to a request, retrying what DynamoDB reports unprocessed."""
    _batch_write([{"DeleteRequest": {"Key": to_item({"PK": pk, "SK": sk})}} for pk, sk in keys])


def _batch_write(requests: list[dict[str, Any]]) -> None:
    for start in range(0, len(requests), 25):
        request = {table_name(): requests[start : start + 25]}
        for _ in range(5):
            with _translated_errors():
                response = _ddb().batch_write_item(RequestItems=request)
            request = response.get("UnprocessedItems") or {}
            if not request:
                break
        else:
            raise DependencyUnavailable("DynamoDB kept writes unprocessed after 5 attempts")


def put_new(values: dict[str, Any]) -> bool:
    """Write the item only if its key is free; ``False`` when it already exists (a duplicate)."""
    try:
        put(values, condition="attribute_not_exists(PK)")
    except ConditionFailed:
        return False
    return True


def delete_existing(pk: str, sk: str) -> bool:
    """Delete the item; ``False`` when there was none."""
    return delete_where(pk, sk, condition="attribute_exists(PK)")


def delete_where(pk: str, sk: str, *, condition: str, values: dict[str, Any] | None = None) -> bool:
    """Delete the item if ``condition`` holds; ``False`` when it did not (or there was no item)."""
    request: dict[str, Any] = {"TableName": table_name(), "Key": to_item({"PK": pk, "SK": sk})}
    request["ConditionExpression"] = condition
    if values:
        request["ExpressionAttributeValues"] = {k: to_attribute(v) for k, v in values.items()}
    try:
        with _translated_errors():
            _ddb().delete_item(**request)
    except ConditionFailed:
        return False
    return True


def _projection(attributes: list[str] | None) -> dict[str, Any]:
    if not attributes:
        return {}
    names = {f"#a{i}": name for i, name in enumerate(["PK", "SK", *attributes])}
    return {"ProjectionExpression": ", ".join(names), "ExpressionAttributeNames": names}


def get(pk: str, sk: str, *, consistent: bool = False, attributes: list[str] | None = None) -> dict[str, Any] | None:
    """One item by key. ``attributes``: only these (and the keys) come back; the read costs the same."""
    with _translated_errors():
        response = _ddb().get_item(
            TableName=table_name(),
            Key=to_item({"PK": pk, "SK": sk}),
            ConsistentRead=consistent,
            **_projection(attributes),
        )
    item = response.get("Item")
    return from_item(item) if item else None


def batch_get(
    keys: list[tuple[str, str]], *, attributes: list[str] | None = None, consistent: bool = False
) -> list[dict[str, Any]]:
    """Items by key, 100 to a request (one request for up to 100 keys), retrying only what DynamoDB
    reports unprocessed. Missing items are simply absent from the result.

    ``attributes``: only these (and the keys) come back; the read costs the same, the response is smaller.
    ``consistent``: strongly consistent reads (twice the read units).
    """
    unique = list(dict.fromkeys(keys))
    found: list[dict[str, Any]] = []
    options = {**_projection(attributes), **({"ConsistentRead": True} if consistent else {})}
    for start in range(0, len(unique), 100):
        batch = [to_item({"PK": pk, "SK": sk}) for pk, sk in unique[start : start + 100]]
        request = {table_name(): {"Keys": batch, **options}}
        for _ in range(5):
            with _translated_errors():
                response = _ddb().batch_get_item(RequestItems=request)
            found.extend(from_item(i) for i in response.get("Responses", {}).get(table_name(), []))
            request = response.get("UnprocessedKeys") or {}
            if not request:
                break
        else:
            raise DependencyUnavailable("DynamoDB kept items unprocessed after 5 attempts")
    return found


def query(
    pk: str,
    *,
    sk_prefix: str | None = None,
    index: str | None = None,
    limit: int = 100,
    cursor: str | None = None,
    newest_first: bool = False,
    consistent: bool = False,
) -> Page:
    """One page of a partition, optionally narrowed to a sort-key prefix; ``cursor`` continues it.
    ``consistent``: a strongly consistent read (of the table, not an index; twice the read units)."""
    pk_name, sk_name = ("PK", "SK") if index is None else (f"{index}PK", f"{index}SK")
    condition = "#pk = :pk"
    values: dict[str, Any] = {":pk": pk}
    names = {"#pk": pk_name}
    if sk_prefix:
        condition += " AND begins_with(#sk, :prefix)"
        values[":prefix"] = sk_prefix
        names["#sk"] = sk_name
    request: dict[str, Any] = {
        "TableName": table_name(),
        "KeyConditionExpression": condition,
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": {k: to_attribute(v) for k, v in values.items()},
        "Limit": limit,
        "ScanIndexForward": not newest_first,
    }
    if index:
        request["IndexName"] = index
    if consistent:
        request["ConsistentRead"] = True
    if cursor:
        request["ExclusiveStartKey"] = decode_cursor(cursor, expected_pk=(pk_name, pk))
    with _translated_errors():
        response = _ddb().query(**request)
    last = response.get("LastEvaluatedKey")
    return Page(
        items=[from_item(i) for i in response.get("Items", [])],
        cursor=encode_cursor(last) if last else None,
    )


def query_until(pk: str, sk_max: str, *, index: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """The first ``limit`` items of a partition whose sort key is at most ``sk_max``, in sort-key order: what
    is due by a time, when the sort key starts with the time."""
    pk_name, sk_name = ("PK", "SK") if index is None else (f"{index}PK", f"{index}SK")
    request: dict[str, Any] = {
        "TableName": table_name(),
        "KeyConditionExpression": "#pk = :pk AND #sk <= :max",
        "ExpressionAttributeNames": {"#pk": pk_name, "#sk": sk_name},
        "ExpressionAttributeValues": {":pk": to_attribute(pk), ":max": to_attribute(sk_max)},
        "Limit": limit,
    }
    if index:
        request["IndexName"] = index
    with _translated_errors():
        response = _ddb().query(**request)
    return [from_item(i) for i in response.get("Items", [])]


def query_between(
    pk: str,
    sk_min: str,
    sk_max: str,
    *,
    attributes: list[str] | None = None,
    consistent: bool = False,
    cursor: str | None = None,
    limit: int = 1000,
) -> Page:
    """One page of the items whose sort key is from ``sk_min`` to ``sk_max`` (both included), in order."""
    request: dict[str, Any] = {
        "TableName": table_name(),
        "KeyConditionExpression": "PK = :pk AND SK BETWEEN :min AND :max",
        "ExpressionAttributeValues": {
            ":pk": to_attribute(pk),
            ":min": to_attribute(sk_min),
            ":max": to_attribute(sk_max),
        },
        "Limit": limit,
        **_projection(attributes),
        **({"ConsistentRead": True} if consistent else {}),
    }
    if cursor:
        request["ExclusiveStartKey"] = decode_cursor(cursor, expected_pk=("PK", pk))
    with _translated_errors():
        response = _ddb().query(**request)
    last = response.get("LastEvaluatedKey")
    return Page(items=[from_item(i) for i in response.get("Items", [])], cursor=encode_cursor(last) if last else None)


def transact_write(operations: list[dict[str, Any]]) -> None:
    """All-or-nothing writes (up to 100); each operation is a ready ``TransactItems`` entry."""
    with _translated_errors():
        _ddb().transact_write_items(TransactItems=operations)


def put_operation(
    values: dict[str, Any], condition: str | None = None, condition_values: dict[str, Any] | None = None
) -> dict[str, Any]:
    operation: dict[str, Any] = {"TableName": table_name(), "Item": to_item(values)}
    if condition:
        operation["ConditionExpression"] = condition
    if condition_values:
        operation["ExpressionAttributeValues"] = {k: to_attribute(v) for k, v in condition_values.items()}
    return {"Put": operation}


def delete_operation(pk: str, sk: str, *, condition: str | None = None) -> dict[str, Any]:
    """A ``DeleteItem`` (conditional when ``condition`` is given) as a ``TransactItems`` entry."""
    operation: dict[str, Any] = {"TableName": table_name(), "Key": to_item({"PK": pk, "SK": sk})}
    if condition:
        operation["ConditionExpression"] = condition
    return {"Delete": operation}


def update_operation(pk: str, sk: str, *, expression: str, condition: str, values: dict[str, Any]) -> dict[str, Any]:
    """A conditional ``UpdateItem`` as a ``TransactItems`` entry."""
    return {
        "Update": {
            "TableName": table_name(),
            "Key": to_item({"PK": pk, "SK": sk}),
            "UpdateExpression": expression,
            "ConditionExpression": condition,
            "ExpressionAttributeValues": {name: to_attribute(value) for name, value in values.items()},
        }
    }


def encode_cursor(last_evaluated_key: dict[str, Any]) -> str:
    raw = json.dumps(from_item(last_evaluated_key), separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, *, expected_pk: tuple[str, str]) -> dict[str, Any]:
    """A cursor is only valid for the partition it came from: one merchant's cursor cannot page another's."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("cursor is not valid", details=[{"field": "cursor", "reason": "malformed"}]) from exc
    pk_name, pk_value = expected_pk
    if (
        not isinstance(key, dict)
        or key.get(pk_name) != pk_value
        or not all(isinstance(v, str | int) for v in key.values())
    ):
        raise InvalidInput("cursor is not valid", details=[{"field": "cursor", "reason": "not for this list"}])
    return to_item(key)

"""Access patterns: a merchant's outbound webhook endpoints and their deliveries (keys in ``repository.keys``).

Endpoints are stored with their signing secrets (see ``vitrine.webhooks.endpoints`` for why in the table);
``list_endpoints`` returns whole items and the API layer decides what of them is ever shown.
"""

from typing import Any

from vitrine.repository import keys, table
from vitrine.repository.items import to_attribute, to_item
from vitrine.repository.table import ConditionFailed, Page, TransactionCancelled

MAX_ENDPOINTS_PER_MERCHANT = 10
DELIVERY_RETENTION_SECONDS = 30 * 24 * 3600


class TooManyEndpoints(Exception):
    """The merchant already has ``MAX_ENDPOINTS_PER_MERCHANT`` endpoints."""


def add_endpoint(merchant_id: str, endpoint: dict[str, Any]) -> None:
    """Write a new endpoint and count it, in one transaction: the cap holds even under concurrent creates."""
    pk = keys.merchant_pk(merchant_id)
    counter = _endpoint_count_update(
        pk,
        "SET #count = if_not_exists(#count, :zero) + :one",
        condition="attribute_not_exists(#count) OR #count < :max",
        values={":zero": 0, ":one": 1, ":max": MAX_ENDPOINTS_PER_MERCHANT},
    )
    item = {"PK": pk, "SK": keys.webhook_endpoint_sk(endpoint["endpoint_id"]), "type": "webhook_endpoint", **endpoint}
    try:
        table.transact_write([counter, table.put_operation(item, condition="attribute_not_exists(PK)")])
    except TransactionCancelled as exc:
        if exc.reasons and exc.reasons[0] == "ConditionalCheckFailed":
            raise TooManyEndpoints from exc
        raise


def _endpoint_count_update(pk: str, expression: str, *, condition: str, values: dict[str, int]) -> dict[str, Any]:
    """A transaction's update of the merchant's endpoint counter, the item that keeps the cap under races."""
    return {
        "Update": {
            "TableName": table.table_name(),
            "Key": to_item({"PK": pk, "SK": keys.webhook_endpoint_count_sk()}),
            "UpdateExpression": expression,
            "ConditionExpression": condition,
            "ExpressionAttributeNames": {"#count": "count"},
            "ExpressionAttributeValues": {name: to_attribute(value) for name, value in values.items()},
        }
    }


def get_endpoint(merchant_id: str, endpoint_id: str) -> dict[str, Any] | None:
    return table.get(keys.merchant_pk(merchant_id), keys.webhook_endpoint_sk(endpoint_id), consistent=True)


def list_endpoints(merchant_id: str) -> list[dict[str, Any]]:
    """Every endpoint of the merchant (at most 10: one page)."""
    page = table.query(
        keys.merchant_pk(merchant_id), sk_prefix=keys.webhook_endpoint_prefix(), limit=MAX_ENDPOINTS_PER_MERCHANT + 1
    )
    return page.items


def delete_endpoint(merchant_id: str, endpoint_id: str) -> bool:
    """Delete the endpoint and uncount it; ``False`` when there was no such endpoint."""
    pk = keys.merchant_pk(merchant_id)
    delete = {
        "Delete": {
            "TableName": table.table_name(),
            "Key": to_item({"PK": pk, "SK": keys.webhook_endpoint_sk(endpoint_id)}),
            "ConditionExpression": "attribute_exists(PK)",
        }
    }
    uncount = _endpoint_count_update(
        pk, "SET #count = #count - :one", condition="#count > :zero", values={":zero": 0, ":one": 1}
    )
    try:
        table.transact_write([delete, uncount])
    except TransactionCancelled as exc:
        if exc.reasons and exc.reasons[0] == "ConditionalCheckFailed":
            return False
        raise
    return True


def replace_secrets(merchant_id: str, endpoint_id: str, secrets: list[dict[str, Any]], version: int, now: str) -> bool:
    """Store the endpoint's new secret list if nobody changed it since ``version`` was read."""
    try:
        table.update(
            keys.merchant_pk(merchant_id),
            keys.webhook_endpoint_sk(endpoint_id),
            expression="SET #secrets = :secrets, #version = :next, updated_at = :now",
            names={"#secrets": "secrets", "#version": "version"},
            values={":secrets": secrets, ":next": version + 1, ":version": version, ":now": now},
            condition="attribute_exists(PK) AND #version = :version",
        )
    except ConditionFailed:
        return False
    return True


# --- Deliveries -------------------------------------------------------------------------------------------


def add_delivery(delivery: dict[str, Any], expires_at: int) -> bool:
    """Record a new delivery, not yet listed; ``False`` when this event was already fanned out to this endpoint.

    Written small and outside the indexes. Every attempt rewrites the whole item, billed per started 1 KB (once
    more for each index it is in), and a delivery is about 1 KB: so no empty attributes, and neither the merchant
    id nor the delivery id, which its key holds (``_from_item`` puts them back). A write of an item in both indexes
    pays for three, and this one is rewritten at once by ``mark_delivery_queued``, which lists it; the status
    index's partition key is set here already (alone it indexes nothing), so the mark never names a status.
    """
    merchant_id, delivery_id = delivery["merchant_id"], delivery["delivery_id"]
    kept = {name: value for name, value in delivery.items() if value is not None and name not in _IN_THE_KEY}
    indexes = keys.webhook_delivery_indexes(
        merchant_id, delivery["endpoint_id"], delivery["status"], delivery["created_at"], delivery_id
    )
    return table.put_new(
        {
            "PK": keys.webhook_delivery_pk(merchant_id, delivery_id),
            "SK": keys.webhook_delivery_sk(),
            "type": "webhook_delivery",
            **kept,
            "GSI2PK": indexes["GSI2PK"],
            "expires_at": expires_at,
        }
    )


def mark_delivery_queued(delivery: dict[str, Any], queued_at: str) -> bool:
    """Mark the first generation of the delivery queued and list it (both indexes), whatever its status is by now:
    its message may have been delivered already. ``False`` when a replay moved it on meanwhile."""
    merchant_id, delivery_id = delivery["merchant_id"], delivery["delivery_id"]
    indexes = keys.webhook_delivery_indexes(
        merchant_id, delivery["endpoint_id"], delivery["status"], delivery["created_at"], delivery_id
    )
    try:
        table.update(
            keys.webhook_delivery_pk(merchant_id, delivery_id),
            keys.webhook_delivery_sk(),
            expression="SET queued_at = :now, GSI1PK = :gsi1pk, GSI1SK = :gsi1sk, GSI2SK = :gsi2sk",
            names={"#generation": "generation"},
            values={
                ":now": queued_at,
                ":gsi1pk": indexes["GSI1PK"],
                ":gsi1sk": indexes["GSI1SK"],
                ":gsi2sk": indexes["GSI2SK"],
                ":generation": 1,
            },
            condition="attribute_exists(PK) AND #generation = :generation",
        )
    except ConditionFailed:
        return False
    return True


_IN_THE_KEY = ("merchant_id", "delivery_id")


def _from_item(item: dict[str, Any], merchant_id: str) -> dict[str, Any]:
    """A stored delivery with the ids its key holds."""
    return {**item, "merchant_id": merchant_id, "delivery_id": item["PK"].rsplit("#", 1)[1]}


def get_delivery(merchant_id: str, delivery_id: str) -> dict[str, Any] | None:
    item = table.get(keys.webhook_delivery_pk(merchant_id, delivery_id), keys.webhook_delivery_sk(), consistent=True)
    return _from_item(item, merchant_id) if item else None


def update_delivery(
    delivery: dict[str, Any], changes: dict[str, Any], *, generation: int, count_attempt: bool = False
) -> dict[str, Any] | None:
    """Apply ``changes`` (re-keying the status index, and adding one attempt atomically: two containers may
    race on a duplicate message) if the delivery is still at ``generation``; the updated delivery, or ``None``
    when a replay moved it on meanwhile."""
    merchant_id, delivery_id = delivery["merchant_id"], delivery["delivery_id"]
    status = changes.get("status", delivery["status"])
    changes = {
        **changes,
        "GSI2PK": keys.webhook_deliveries_by_status_gsi2_pk(merchant_id, delivery["endpoint_id"], status),
    }
    # An attribute with no value is removed, not stored as a null: every byte is paid on each later write.
    kept = {name: value for name, value in changes.items() if value is not None}
    names = {f"#f{i}": name for i, name in enumerate(changes)}
    values: dict[str, Any] = {f":v{i}": value for i, value in enumerate(changes.values()) if value is not None}
    values[":generation"] = generation
    expression = "SET " + ", ".join(f"#f{i} = :v{i}" for i, name in enumerate(changes) if name in kept)
    if count_attempt:
        expression += " ADD attempts :one"
        values[":one"] = 1
    removed = [f"#f{i}" for i, name in enumerate(changes) if name not in kept]
    if removed:
        expression += " REMOVE " + ", ".join(removed)
    try:
        updated = table.update(
            keys.webhook_delivery_pk(merchant_id, delivery_id),
            keys.webhook_delivery_sk(),
            expression=expression,
            names={**names, "#generation": "generation"},
            values=values,
            condition="attribute_exists(PK) AND #generation = :generation",
        )
    except ConditionFailed:
        return None
    return _from_item(updated, merchant_id)


def list_deliveries(
    merchant_id: str, endpoint_id: str, *, status: str | None = None, limit: int = 50, cursor: str | None = None
) -> Page:
    """An endpoint's deliveries, newest first; with ``status``, only those in it."""
    if status is None:
        pk, index = keys.webhook_deliveries_gsi1_pk(merchant_id, endpoint_id), "GSI1"
    else:
        pk, index = keys.webhook_deliveries_by_status_gsi2_pk(merchant_id, endpoint_id, status), "GSI2"
    page = table.query(pk, index=index, limit=limit, cursor=cursor, newest_first=True)
    return Page([_from_item(item, merchant_id) for item in page.items], page.cursor)

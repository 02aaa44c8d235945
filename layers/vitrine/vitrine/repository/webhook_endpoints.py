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
    """Record a new delivery; ``False`` when this event was already fanned out to this endpoint."""
    merchant_id, delivery_id = delivery["merchant_id"], delivery["delivery_id"]
    return table.put_new(
        {
            "PK": keys.webhook_delivery_pk(merchant_id, delivery_id),
            "SK": keys.webhook_delivery_sk(),
            "type": "webhook_delivery",
            **delivery,
            **keys.webhook_delivery_indexes(
                merchant_id, delivery["endpoint_id"], delivery["status"], delivery["created_at"], delivery_id
            ),
            "expires_at": expires_at,
        }
    )


def get_delivery(merchant_id: str, delivery_id: str) -> dict[str, Any] | None:
    return table.get(keys.webhook_delivery_pk(merchant_id, delivery_id), keys.webhook_delivery_sk(), consistent=True)


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
    names = {f"#f{i}": name for i, name in enumerate(changes)}
    values: dict[str, Any] = {f":v{i}": value for i, value in enumerate(changes.values())}
    values[":generation"] = generation
    expression = "SET " + ", ".join(f"#f{i} = :v{i}" for i in range(len(changes)))
    if count_attempt:
        expression += " ADD attempts :one"
        values[":one"] = 1
    try:
        return table.update(
            keys.webhook_delivery_pk(merchant_id, delivery_id),
            keys.webhook_delivery_sk(),
            expression=expression,
            names={**names, "#generation": "generation"},
            values=values,
            condition="attribute_exists(PK) AND #generation = :generation",
        )
    except ConditionFailed:
        return None


def list_deliveries(
    merchant_id: str, endpoint_id: str, *, status: str | None = None, limit: int = 50, cursor: str | None = None
) -> Page:
    """An endpoint's deliveries, newest first; with ``status``, only those in it."""
    if status is None:
        pk, index = keys.webhook_deliveries_gsi1_pk(merchant_id, endpoint_id), "GSI1"
    else:
        pk, index = keys.webhook_deliveries_by_status_gsi2_pk(merchant_id, endpoint_id, status), "GSI2"
    return table.query(pk, index=index, limit=limit, cursor=cursor, newest_first=True)

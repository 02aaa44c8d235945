"""Access patterns: sellers, B2B customers, the seller-customer assignments and sign-in names.

A login (an e-mail, per merchant and role) is a pointer item of its own so two people can never hold the same
one: the pointer and the person are written in one transaction, the pointer conditional on being free or
already theirs.

A person carries ``session_version`` (absent on people stored before it: version 0), the version their sessions
were issued at. The whole-person write is conditional on the version read before it, so a concurrent change
that ended the person's sessions is never written back over (``PersonChanged``: read again and retry); a change
of web access alone moves it with an atomic ``ADD``.
"""

from typing import Any

from vitrine.errors import Conflict
from vitrine.people.models import Customer, Seller
from vitrine.repository import keys, table
from vitrine.repository.table import TransactionCancelled


class LoginTaken(Conflict):
    code = "login_taken"


class PersonChanged(Conflict):
    """Someone else wrote the person between the read this write was built from and the write."""

    code = "person_changed"


SESSION_VERSION = "session_version"
_STANDING = ["active", "password_hash", SESSION_VERSION]


def _person_sk(role: str, person_id: str) -> str:
    return keys.seller_sk(person_id) if role == "seller" else keys.customer_sk(person_id)


def _person_item(merchant_id: str, sk: str, kind: str, values: dict[str, Any]) -> dict[str, Any]:
    return {"PK": keys.merchant_pk(merchant_id), "SK": sk, "type": kind, **values}


def _login_operations(merchant_id: str, role: str, person_id: str, login: str, previous: str | None) -> list[dict]:
    operations = [
        table.put_operation(
            {
                "PK": keys.merchant_pk(merchant_id),
                "SK": keys.login_sk(role, login),
                "type": "login",
                "role": role,
                "person_id": person_id,
            },
            condition="attribute_not_exists(PK) OR person_id = :me",
            condition_values={":me": person_id},
        )
    ]
    if previous and previous != login:
        operations.append(
            {
                "Delete": {
                    "TableName": table.table_name(),
                    "Key": {"PK": {"S": keys.merchant_pk(merchant_id)}, "SK": {"S": keys.login_sk(role, previous)}},
                }
            }
        )
    return operations


def session_version(item: dict[str, Any] | None) -> int:
    return int((item or {}).get(SESSION_VERSION, 0))


def save_person(
    merchant_id: str,
    role: str,
    person_id: str,
    values: dict[str, Any],
    *,
    login: str,
    previous_login: str | None,
    read_version: int,
) -> None:
    """Write a seller or customer with their login pointer; ``LoginTaken`` when someone else has that login,
    ``PersonChanged`` when the stored ``session_version`` is no longer ``read_version`` (the one read before)."""
    sk = _person_sk(role, person_id)
    try:
        table.transact_write(
            [
                table.put_operation(
                    _person_item(merchant_id, sk, role, values),
                    condition=f"attribute_not_exists({SESSION_VERSION}) OR {SESSION_VERSION} = :read",
                    condition_values={":read": read_version},
                ),
                *_login_operations(merchant_id, role, person_id, login, previous_login),
            ]
        )
    except TransactionCancelled as exc:
        if exc.reasons[0] == "ConditionalCheckFailed":
            raise PersonChanged(
                f"this {role} changed while being saved; send it again",
                details=[{"field": f"{role}_id", "reason": "changed while being saved"}],
            ) from exc
        if exc.reasons[1] == "ConditionalCheckFailed":
            raise LoginTaken(
                f"another {role} of this merchant signs in with {login}",
                details=[{"field": "body.email", "reason": "already used"}],
            ) from exc
        raise


def get_seller_item(merchant_id: str, seller_id: str) -> dict[str, Any] | None:
    return table.get(keys.merchant_pk(merchant_id), keys.seller_sk(seller_id), consistent=True)


def get_customer_item(merchant_id: str, customer_id: str) -> dict[str, Any] | None:
    return table.get(keys.merchant_pk(merchant_id), keys.customer_sk(customer_id), consistent=True)


def get_standing(merchant_id: str, role: str, person_id: str) -> dict[str, Any] | None:
    """What decides whether the person's session still stands (active, access, session version): one strongly
    consistent ``GetItem`` (a deactivation counts from the next request), projected to those attributes."""
    pk, sk = keys.merchant_pk(merchant_id), _person_sk(role, person_id)
    return table.get(pk, sk, consistent=True, attributes=_STANDING)


def find_login(merchant_id: str, role: str, login: str) -> dict[str, Any] | None:
    return table.get(keys.merchant_pk(merchant_id), keys.login_sk(role, login), consistent=True)


def set_password_hash(merchant_id: str, role: str, person_id: str, password_hash: str | None) -> None:
    """Grant (or, with ``None``, take away) sign-in, ending the person's open sessions. The ERP sync's content hash
    goes with it: access is part of what the ERP sends, so its next sync of this person writes them again instead
    of seeing them unchanged."""
    values: dict[str, Any] = {":one": 1}
    if password_hash is None:
        expression = f"REMOVE password_hash, content_hash ADD {SESSION_VERSION} :one"
    else:
        expression = f"SET password_hash = :hash REMOVE content_hash ADD {SESSION_VERSION} :one"
        values[":hash"] = password_hash
    table.update(
        keys.merchant_pk(merchant_id),
        _person_sk(role, person_id),
        expression=expression,
        values=values,
        condition="attribute_exists(PK)",
    )


def list_sellers(merchant_id: str, *, limit: int, cursor: str | None) -> tuple[list[Seller], str | None]:
    page = table.query(keys.merchant_pk(merchant_id), sk_prefix="SELLER#", limit=limit, cursor=cursor)
    sellers = [Seller.model_validate(item) for item in page.items if item.get("type") == "seller"]
    return sellers, page.cursor


def customers_of_seller(merchant_id: str, seller_id: str) -> list[str]:
    ids: list[str] = []
    cursor = None
    while True:
        page = table.query(
            keys.merchant_pk(merchant_id), sk_prefix=keys.seller_customer_sk(seller_id, ""), limit=500, cursor=cursor
        )
        ids.extend(item["customer_id"] for item in page.items)
        cursor = page.cursor
        if cursor is None:
            return ids


def replace_assignments(merchant_id: str, seller_id: str, customer_ids: list[str]) -> None:
    """Make the seller's customers exactly ``customer_ids`` (adds and removes in batches of 25)."""
    current = set(customers_of_seller(merchant_id, seller_id))
    wanted = set(customer_ids)
    pk = keys.merchant_pk(merchant_id)
    table.batch_put(
        [
            {
                "PK": pk,
                "SK": keys.seller_customer_sk(seller_id, cid),
                "type": "seller_customer",
                "seller_id": seller_id,
                "customer_id": cid,
            }
            for cid in sorted(wanted - current)
        ]
    )
    table.batch_delete([(pk, keys.seller_customer_sk(seller_id, cid)) for cid in sorted(current - wanted)])


def customers_by_id(merchant_id: str, customer_ids: list[str]) -> dict[str, dict[str, Any]]:
    found = table.batch_get([(keys.merchant_pk(merchant_id), keys.customer_sk(cid)) for cid in customer_ids])
    return {item["customer_id"]: item for item in found}


def sellers_by_id(merchant_id: str, seller_ids: list[str]) -> dict[str, dict[str, Any]]:
    found = table.batch_get([(keys.merchant_pk(merchant_id), keys.seller_sk(sid)) for sid in seller_ids])
    return {item["seller_id"]: item for item in found}


def seller_and_customer(
    merchant_id: str, seller_id: str, customer_id: str | None
) -> tuple[dict | None, dict | None, bool]:
    """The seller, the customer and whether the customer is assigned to the seller, in one ``BatchGetItem``."""
    pk = keys.merchant_pk(merchant_id)
    wanted = [(pk, keys.seller_sk(seller_id))]
    if customer_id is not None:
        wanted += [(pk, keys.customer_sk(customer_id)), (pk, keys.seller_customer_sk(seller_id, customer_id))]
    by_type = {item.get("type"): item for item in table.batch_get(wanted)}
    return by_type.get("seller"), by_type.get("customer"), "seller_customer" in by_type


def to_customer(item: dict[str, Any]) -> Customer:
    return Customer.model_validate({**item, "web_access": "password_hash" in item})


def to_seller(item: dict[str, Any]) -> Seller:
    return Seller.model_validate(item)

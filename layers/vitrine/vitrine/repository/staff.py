"""Access patterns: the merchant's staff (console accounts), permission groups, staff logins and invitations.

A member of staff is one item in the merchant's partition, written in one transaction with their login pointer
(``STAFFLOGIN#<login>``, unique across the platform: the console's sign-in finds the merchant from it), the pointer
conditional on being free or already theirs, the member conditional on the ``session_version`` read before (as
``repository.people``: a change that ended their sessions is never written back over).

A permission group is one item; members hold its id. A merchant has a handful of groups and at most a few hundred
members, so listing either is one query of the merchant partition by sort-key prefix (paged past 100).

An invitation is a pointer by the SHA-256 of its one-time token (the token itself is never stored), with the TTL
of its expiry; using it deletes it in the same transaction that sets the member's password, on the condition that
it is still there, so two uses of one link set one password.
"""

from typing import Any

from vitrine.errors import Conflict
from vitrine.repository import keys, table
from vitrine.repository.table import TransactionCancelled

SESSION_VERSION = "session_version"
_STANDING = ["active", "password_hash", SESSION_VERSION, "group_ids", "owner", "seller_id", "name", "email"]


class StaffLoginTaken(Conflict):
    code = "login_taken"


class StaffChanged(Conflict):
    code = "staff_changed"


def session_version(item: dict[str, Any] | None) -> int:
    return int((item or {}).get(SESSION_VERSION, 0))


def _login_pointer(merchant_id: str, staff_id: str, login: str) -> dict[str, Any]:
    return table.put_operation(
        {
            "PK": keys.staff_login_pk(login),
            "SK": "STAFFLOGIN",
            "type": "staff_login",
            "merchant_id": merchant_id,
            "staff_id": staff_id,
        },
        condition="attribute_not_exists(PK) OR (merchant_id = :mid AND staff_id = :me)",
        condition_values={":mid": merchant_id, ":me": staff_id},
    )


def save_staff(
    merchant_id: str,
    staff_id: str,
    values: dict[str, Any],
    *,
    previous_login: str | None,
    read_version: int | None,
    extra: list[dict[str, Any]] | None = None,
) -> None:
    """Write a member with their login pointer (and ``extra`` operations, in the same transaction).

    ``read_version`` ``None``: the member must be new. ``StaffLoginTaken`` when the login is someone else's,
    ``StaffChanged`` when the stored member is not the one read."""
    login = values["email"]
    if read_version is None:
        condition, condition_values = "attribute_not_exists(PK)", None
    else:
        condition = f"attribute_exists(PK) AND (attribute_not_exists({SESSION_VERSION}) OR {SESSION_VERSION} = :read)"
        condition_values = {":read": read_version}
    operations = [
        table.put_operation(
            {"PK": keys.merchant_pk(merchant_id), "SK": keys.staff_sk(staff_id), "type": "staff", **values},
            condition=condition,
            condition_values=condition_values,
        ),
        _login_pointer(merchant_id, staff_id, login),
    ]
    if previous_login and previous_login != login:
        operations.append(
            table.delete_operation(keys.staff_login_pk(previous_login), "STAFFLOGIN"),
        )
    operations.extend(extra or [])
    try:
        table.transact_write(operations)
    except TransactionCancelled as exc:
        if exc.reasons[0] == "ConditionalCheckFailed":
            raise StaffChanged(
                "this member of staff changed while being saved (or already exists); read it again",
                details=[{"field": "staff_id", "reason": "changed while being saved"}],
            ) from exc
        if exc.reasons[1] == "ConditionalCheckFailed":
            raise StaffLoginTaken(
                "this e-mail cannot sign in to the console: it is already someone's login",
                details=[{"field": "body.email", "reason": "already used"}],
            ) from exc
        raise


def get_staff(merchant_id: str, staff_id: str) -> dict[str, Any] | None:
    return table.get(keys.merchant_pk(merchant_id), keys.staff_sk(staff_id), consistent=True)


def get_standing(merchant_id: str, staff_id: str) -> dict[str, Any] | None:
    """What a session of the member needs on each request: access, version, groups (one consistent ``GetItem``)."""
    return table.get(keys.merchant_pk(merchant_id), keys.staff_sk(staff_id), consistent=True, attributes=_STANDING)


def find_login(login: str) -> dict[str, Any] | None:
    return table.get(keys.staff_login_pk(login), "STAFFLOGIN", consistent=True)


def _list(merchant_id: str, prefix: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = table.query(keys.merchant_pk(merchant_id), sk_prefix=prefix, limit=100, cursor=cursor)
        found.extend(page.items)
        cursor = page.cursor
        if cursor is None:
            return found


def list_staff(merchant_id: str) -> list[dict[str, Any]]:
    return _list(merchant_id, "STAFF#")


def put_group(merchant_id: str, group_id: str, values: dict[str, Any], *, new: bool) -> None:
    """Write a group; ``new``: only if its id is free (else ``ConditionFailed``), otherwise only if it exists."""
    condition = "attribute_not_exists(PK)" if new else "attribute_exists(PK)"
    table.put(
        {"PK": keys.merchant_pk(merchant_id), "SK": keys.permission_group_sk(group_id), "type": "permission_group"}
        | values,
        condition=condition,
    )


def get_group(merchant_id: str, group_id: str) -> dict[str, Any] | None:
    return table.get(keys.merchant_pk(merchant_id), keys.permission_group_sk(group_id), consistent=True)


def groups_by_id(merchant_id: str, group_ids: list[str]) -> dict[str, dict[str, Any]]:
    """The groups that exist of ``group_ids`` (one consistent ``BatchGetItem``; a member has a few)."""
    if not group_ids:
        return {}
    pk = keys.merchant_pk(merchant_id)
    found = table.batch_get([(pk, keys.permission_group_sk(group_id)) for group_id in group_ids], consistent=True)
    return {item["group_id"]: item for item in found}


def list_groups(merchant_id: str) -> list[dict[str, Any]]:
    return _list(merchant_id, "PERMGROUP#")


def delete_group(merchant_id: str, group_id: str) -> bool:
    return table.delete_existing(keys.merchant_pk(merchant_id), keys.permission_group_sk(group_id))


def put_invitation(token_hash: str, merchant_id: str, staff_id: str, expires_at: int) -> dict[str, Any]:
    """The pointer of a new invitation, as a ``TransactItems`` entry (written with the member it invites)."""
    return table.put_operation(
        {
            "PK": keys.invitation_pk(token_hash),
            "SK": "INVITATION",
            "type": "invitation",
            "merchant_id": merchant_id,
            "staff_id": staff_id,
            "expires_at": expires_at,
        },
        condition="attribute_not_exists(PK)",
    )


def get_invitation(token_hash: str) -> dict[str, Any] | None:
    return table.get(keys.invitation_pk(token_hash), "INVITATION", consistent=True)


def use_invitation(token_hash: str) -> dict[str, Any]:
    """The operation that spends an invitation: deleted on the condition that it is still there."""
    return table.delete_operation(keys.invitation_pk(token_hash), "INVITATION", condition="attribute_exists(PK)")


def write(operations: list[dict[str, Any]]) -> None:
    """Operations built here (an invitation's pointer), written together."""
    table.transact_write(operations)

"""The merchant's staff: console accounts, permission groups, invitations and signing in.

- **The owner** is the member the operator created with the merchant (``create_owner``). They hold every
  permission, cannot be deactivated or given groups, and are the one who can lift a sign-in lock of anyone's.
- **Members** are created by someone with the ``staff`` permission: name, e-mail (their login, unique on the
  platform: the console's sign-in finds the merchant from it) and either a password (hashed with scrypt, as
  sellers' are) or nothing, in which case the answer carries a one-time **invitation** link to set it (7 days).
  A member has permission groups, and may be one of the shop's sellers (``seller_id``: the console then shows
  them what a seller may see).
- **Groups** (as Saleor's): a name, permissions, and optionally the stores they are limited to.
- **No one grants what they do not hold** (``vitrine.auth.permissions.require_grantable``): a group can only be
  given permissions its creator holds, and a member only groups whose permissions the creator holds.
- A member's sessions end (``session_version``) when their password changes, they are deactivated, or their
  groups change; a group's edit takes effect on the next request of each member, who never holds it in a token.
- **Signing in** (``sign_in``) goes through the sign-in throttle (per client address and per login) before any
  password is hashed, and answers the same 401 for an unknown login, a wrong password or an inactive member, with
  the same scrypt time.
"""

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import ConfigDict, Field

from vitrine.auth import sign_in_throttle
from vitrine.auth.passwords import hash_password, verify_password
from vitrine.auth.permissions import MERCHANT_PERMISSIONS, HoldsPermissions, Permission, require_grantable
from vitrine.auth.sessions import Role, Session, issue_session
from vitrine.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthorized
from vitrine.ids import StoreCode
from vitrine.inputs import Flag, Text
from vitrine.lazy_models import LazyModel
from vitrine.people.models import Login, Password, normalise_login
from vitrine.people.staff_access import StaffPrincipal, may_sign_in
from vitrine.repository import staff as stored
from vitrine.repository.table import ConditionFailed, TransactionCancelled

INVITATION_DAYS = 7
# The throttle's counters are per merchant; staff sign in before any merchant is known, so theirs share one space,
# named so no merchant id can be it (a merchant id is lower-case letters, digits and dashes).
THROTTLE_SPACE = "_console"
THROTTLE_KIND = "staff"

StaffId = Annotated[str, Field(pattern=r"^stf_[a-z0-9]{12}$")]
GroupId = Annotated[str, Field(pattern=r"^grp_[a-z0-9]{12}$")]


class _Input(LazyModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class GroupInput(_Input):
    name: Text = Field(min_length=2, max_length=60, description="e.g. Gerentes, Caixa, Vendedores.")
    permissions: list[Permission] = Field(max_length=len(Permission), description="What the group's members may do.")
    stores: list[StoreCode] | None = Field(
        default=None, max_length=50, description="Limit the group to these stores' orders and vitrines (null: all)."
    )


class Group(LazyModel):
    group_id: str
    name: str
    permissions: list[Permission]
    stores: list[str] | None


class NewStaff(_Input):
    name: Text = Field(min_length=2, max_length=120)
    email: Login
    password: Password | None = Field(
        default=None, description="Leave out to get an invitation link the member opens to choose it."
    )
    group_ids: list[GroupId] = Field(default_factory=list, max_length=10)
    seller_id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,40}$")] | None = Field(
        default=None, description="The shop's seller this member is (their code in the ERP), if they are one."
    )


class StaffUpdate(_Input):
    name: Text = Field(min_length=2, max_length=120)
    email: Login
    password: Password | None = Field(default=None, description="A new password (ends the member's sessions).")
    group_ids: list[GroupId] = Field(max_length=10)
    seller_id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,40}$")] | None = None
    active: Flag


class StaffMember(LazyModel):
    staff_id: str
    name: str
    email: str
    owner: bool
    active: bool
    group_ids: list[str]
    seller_id: str | None
    has_password: bool = Field(description="False until the member has used their invitation.")
    permissions: list[Permission] = Field(description="What the member holds through their groups (or as owner).")


class Invitation(LazyModel):
    token: str = Field(description="One-time: shown once. The console's link is /painel/convite#<token>.")
    expires_at: datetime


@dataclass(frozen=True)
class SignedInStaff:
    token: str
    session: Session
    member: StaffMember


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _staff_id() -> str:
    return "stf_" + secrets.token_hex(6)


def _group_id() -> str:
    return "grp_" + secrets.token_hex(6)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- groups ---------------------------------------------------------------------------------------------------


def _group(item: dict[str, Any]) -> Group:
    return Group(
        group_id=item["group_id"],
        name=item["name"],
        permissions=sorted(Permission(p) for p in item.get("permissions") or []),
        stores=item.get("stores"),
    )


def list_groups(merchant_id: str) -> list[Group]:
    return sorted((_group(item) for item in stored.list_groups(merchant_id)), key=lambda g: g.name.lower())


def create_group(caller: HoldsPermissions, body: GroupInput) -> Group:
    require_grantable(caller, set(body.permissions))
    group_id = _group_id()
    values = {"group_id": group_id, "name": body.name, "permissions": sorted(set(body.permissions))}
    values["stores"] = sorted(set(body.stores)) if body.stores is not None else None
    stored.put_group(caller.merchant_id, group_id, values, new=True)
    return _group(values)


def update_group(caller: HoldsPermissions, group_id: str, body: GroupInput) -> Group:
    existing = stored.get_group(caller.merchant_id, group_id)
    if existing is None:
        raise NotFound("no such permission group")
    # What the group held and what it will hold: the caller must hold both (no one edits a group above them).
    require_grantable(caller, set(body.permissions) | {Permission(p) for p in existing.get("permissions") or []})
    values = {"group_id": group_id, "name": body.name, "permissions": sorted(set(body.permissions))}
    values["stores"] = sorted(set(body.stores)) if body.stores is not None else None
    try:
        stored.put_group(caller.merchant_id, group_id, values, new=False)
    except ConditionFailed as exc:
        raise NotFound("no such permission group") from exc
    return _group(values)


def delete_group(caller: HoldsPermissions, group_id: str) -> None:
    existing = stored.get_group(caller.merchant_id, group_id)
    if existing is None:
        raise NotFound("no such permission group")
    require_grantable(caller, {Permission(p) for p in existing.get("permissions") or []})
    members = [
        item["staff_id"] for item in stored.list_staff(caller.merchant_id) if group_id in item.get("group_ids", [])
    ]
    if members:
        raise Conflict(
            "the group still has members; take them out of it first",
            details=[{"field": "group_id", "reason": "has members", "staff_ids": members}],
        )
    stored.delete_group(caller.merchant_id, group_id)


def _groups_granting(caller: HoldsPermissions, group_ids: list[str]) -> set[Permission]:
    """The permissions ``group_ids`` grant, all of which must exist."""
    found = stored.groups_by_id(caller.merchant_id, group_ids)
    missing = [group_id for group_id in group_ids if group_id not in found]
    if missing:
        raise InvalidInput(
            "no such permission group", details=[{"field": "body.group_ids", "reason": f"unknown group {missing[0]}"}]
        )
    return {Permission(p) for group in found.values() for p in group.get("permissions") or []}


# --- members --------------------------------------------------------------------------------------------------


def _member(merchant_id: str, item: dict[str, Any], groups: dict[str, dict[str, Any]] | None = None) -> StaffMember:
    if item.get("owner"):
        permissions = set(MERCHANT_PERMISSIONS)
    else:
        groups = groups if groups is not None else stored.groups_by_id(merchant_id, list(item.get("group_ids") or []))
        permissions = {
            Permission(p)
            for group_id in item.get("group_ids") or []
            for p in (groups.get(group_id) or {}).get("permissions") or []
        }
    return StaffMember(
        staff_id=item["staff_id"],
        name=item["name"],
        email=item["email"],
        owner=bool(item.get("owner")),
        active=item.get("active", True) is not False,
        group_ids=list(item.get("group_ids") or []),
        seller_id=item.get("seller_id"),
        has_password="password_hash" in item,
        permissions=sorted(permissions),
    )


def list_staff(merchant_id: str) -> list[StaffMember]:
    items = stored.list_staff(merchant_id)
    groups = {item["group_id"]: item for item in stored.list_groups(merchant_id)}
    members = [_member(merchant_id, item, groups) for item in items]
    return sorted(members, key=lambda m: (not m.owner, m.name.lower()))


def get_member(merchant_id: str, staff_id: str) -> StaffMember:
    item = stored.get_staff(merchant_id, staff_id)
    if item is None:
        raise NotFound("no such member of staff")
    return _member(merchant_id, item)


def _invitation(merchant_id: str, staff_id: str) -> tuple[Invitation, dict[str, Any]]:
    token = secrets.token_urlsafe(32)
    expires = int(time.time()) + INVITATION_DAYS * 86400
    operation = stored.put_invitation(_token_hash(token), merchant_id, staff_id, expires)
    return Invitation(token=token, expires_at=datetime.fromtimestamp(expires, UTC)), operation


def create_member(caller: HoldsPermissions, body: NewStaff) -> tuple[StaffMember, Invitation | None]:
    """A new member; without a password, with the invitation that lets them choose it."""
    require_grantable(caller, _groups_granting(caller, body.group_ids))
    return _create(caller.merchant_id, body, owner=False)


def create_owner(
    merchant_id: str, name: str, email: str, *, password: str | None = None
) -> tuple[StaffMember, Invitation | None]:
    """The merchant's owner (what onboarding creates), invited to choose a password (or, for the local stack's
    demo, with one)."""
    return _create(merchant_id, NewStaff(name=name, email=email, password=password), owner=True)


def _create(merchant_id: str, body: NewStaff, *, owner: bool) -> tuple[StaffMember, Invitation | None]:
    staff_id = _staff_id()
    values: dict[str, Any] = {
        "staff_id": staff_id,
        "name": body.name,
        "email": normalise_login(body.email),
        "active": True,
        "owner": owner,
        "group_ids": [] if owner else list(dict.fromkeys(body.group_ids)),
        "seller_id": body.seller_id,
        "created_at": _now().isoformat(),
        stored.SESSION_VERSION: 0,
    }
    invitation, extra = None, []
    if body.password:
        values["password_hash"] = hash_password(body.password)
    else:
        invitation, operation = _invitation(merchant_id, staff_id)
        extra = [operation]
    stored.save_staff(merchant_id, staff_id, values, previous_login=None, read_version=None, extra=extra)
    return _member(merchant_id, values), invitation


def update_member(caller: StaffPrincipal | HoldsPermissions, staff_id: str, body: StaffUpdate) -> StaffMember:
    existing = stored.get_staff(caller.merchant_id, staff_id)
    if existing is None:
        raise NotFound("no such member of staff")
    if existing.get("owner"):
        if not body.active or body.group_ids:
            raise Conflict(
                "the owner holds every permission and cannot be deactivated or given groups",
                details=[{"field": "staff_id", "reason": "is the owner"}],
            )
        if not getattr(caller, "owner", False):
            raise Forbidden("only the owner changes the owner's account")
    # The caller must hold what the member holds now and what they will hold.
    require_grantable(
        caller, _groups_granting(caller, body.group_ids) | _groups_granting(caller, existing.get("group_ids") or [])
    )
    new_hash = hash_password(body.password) if body.password else None
    read_version = stored.session_version(existing)
    ends_sessions = bool(new_hash) or (existing.get("active", True) and not body.active)
    ends_sessions = ends_sessions or sorted(existing.get("group_ids") or []) != sorted(body.group_ids)
    values = {
        **{k: v for k, v in existing.items() if k not in ("PK", "SK", "type")},
        "name": body.name,
        "email": normalise_login(body.email),
        "active": body.active,
        "group_ids": list(dict.fromkeys(body.group_ids)),
        "seller_id": body.seller_id,
        stored.SESSION_VERSION: read_version + (1 if ends_sessions else 0),
    }
    if new_hash:
        values["password_hash"] = new_hash
    stored.save_staff(caller.merchant_id, staff_id, values, previous_login=existing["email"], read_version=read_version)
    return _member(caller.merchant_id, values)


def invite_again(caller: HoldsPermissions, staff_id: str) -> Invitation:
    """A fresh invitation for a member who has not chosen a password yet."""
    existing = stored.get_staff(caller.merchant_id, staff_id)
    if existing is None:
        raise NotFound("no such member of staff")
    if "password_hash" in existing:
        raise Conflict(
            "this member has a password already; set a new one instead",
            details=[{"field": "staff_id", "reason": "has a password"}],
        )
    invitation, operation = _invitation(caller.merchant_id, staff_id)
    stored.write([operation])
    return invitation


def unlock(caller: StaffPrincipal | HoldsPermissions, staff_id: str) -> None:
    """The owner lifts the sign-in lock of a member's login (the per-login counter; an address stays counted)."""
    if not getattr(caller, "owner", False):
        raise Forbidden("only the owner lifts a sign-in lock")
    existing = stored.get_staff(caller.merchant_id, staff_id)
    if existing is None:
        raise NotFound("no such member of staff")
    sign_in_throttle.clear_login(THROTTLE_SPACE, THROTTLE_KIND, existing["email"])


# --- invitations and signing in ---------------------------------------------------------------------------------


def accept_invitation(token: str, password: str) -> StaffMember:
    """Set the invited member's password and spend the invitation (once: a second use is a 404)."""
    new_hash = hash_password(password)
    token_hash = _token_hash(token)
    invitation = stored.get_invitation(token_hash)
    if invitation is None or invitation.get("expires_at", 0) <= time.time():
        raise NotFound("this invitation link is not valid (used, expired or mistyped); ask for a new one")
    merchant_id, staff_id = invitation["merchant_id"], invitation["staff_id"]
    existing = stored.get_staff(merchant_id, staff_id)
    if existing is None:
        raise NotFound("this invitation link is not valid (used, expired or mistyped); ask for a new one")
    read_version = stored.session_version(existing)
    values = {
        **{k: v for k, v in existing.items() if k not in ("PK", "SK", "type")},
        "password_hash": new_hash,
        stored.SESSION_VERSION: read_version + 1,
    }
    try:
        stored.save_staff(
            merchant_id,
            staff_id,
            values,
            previous_login=existing["email"],
            read_version=read_version,
            extra=[stored.use_invitation(token_hash)],
        )
    except (stored.StaffChanged, TransactionCancelled) as exc:
        # The member changed, or the invitation was spent, since they were read: a second use of one link.
        raise NotFound("this invitation link is not valid (used, expired or mistyped); ask for a new one") from exc
    return _member(merchant_id, values)


def sign_in(email: str, password: str, *, address: str) -> SignedInStaff:
    login = normalise_login(email)

    def verify() -> tuple[dict[str, Any], dict[str, Any]] | None:
        pointer = stored.find_login(login)
        item = stored.get_staff(pointer["merchant_id"], pointer["staff_id"]) if pointer else None
        standing = item if may_sign_in(item) else None
        if not verify_password(password, standing.get("password_hash") if standing else None):
            return None
        return pointer, standing

    found = sign_in_throttle.attempt_sign_in(THROTTLE_SPACE, THROTTLE_KIND, login, address, verify)
    if found is None:
        raise Unauthorized("e-mail or password not recognised")
    pointer, item = found
    merchant_id = pointer["merchant_id"]
    token, session = issue_session(merchant_id, Role.STAFF, item["staff_id"], version=stored.session_version(item))
    return SignedInStaff(token=token, session=session, member=_member(merchant_id, item))

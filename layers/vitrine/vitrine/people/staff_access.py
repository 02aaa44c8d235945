"""Who a console session is, and what they may do: the merchant routes' check of a staff session.

A member of staff signs in (``vitrine.people.staff.sign_in``) to a session of role ``staff``
(``vitrine.auth.sessions``: the same signed token, sliding expiry and CSRF rule as sellers' and customers', carried
in the console's own cookie ``vitrine_console`` or as a bearer token). Every merchant route accepts it in place of
an API key (``vitrine.http.routing``), and checks it here on every request: the member is read (one consistent
``GetItem``), and the session stands only while they are active, have a password and are still at the
``session_version`` it was issued at (a new password, a deactivation, a change of groups moves it). Their
permissions are read with them, never carried in the token: the owner holds every permission but ``erp``; anyone
else the union of their groups' (one consistent ``BatchGetItem`` of their groups), so a group edited or deleted
takes effect on the next request.

A group may be restricted to some stores: ``stores_for(permission)`` says which stores a permission reaches
(``None``: all of them), for the routes whose answers are per store.
"""

from dataclasses import dataclass, field
from typing import Any

from vitrine.auth.permissions import MERCHANT_PERMISSIONS, Permission
from vitrine.auth.sessions import CONSOLE_COOKIE_NAME, Role, Session, session_from_request
from vitrine.errors import SessionEnded, Unauthorized
from vitrine.repository import staff as stored


@dataclass(frozen=True)
class StaffPrincipal:
    merchant_id: str
    staff_id: str
    name: str
    permissions: frozenset[Permission]
    owner: bool = False
    seller_id: str | None = None  # the ERP seller this member is, when they are one of the shop's sellers
    session: Session | None = None
    # Permission -> the stores it reaches through the member's groups; absent: every store.
    store_limits: dict[Permission, frozenset[str]] = field(default_factory=dict)

    def stores_for(self, permission: Permission) -> frozenset[str] | None:
        return self.store_limits.get(permission)


def may_sign_in(item: dict[str, Any] | None) -> bool:
    return item is not None and "password_hash" in item and item.get("active", True) is not False


def principal_of(merchant_id: str, staff_id: str, item: dict[str, Any], session: Session | None) -> StaffPrincipal:
    """The member's permissions (the owner's all; anyone else's their groups'), with what restricts them."""
    if item.get("owner"):
        permissions, limits = MERCHANT_PERMISSIONS, {}
    else:
        permissions, limits = _from_groups(stored.groups_by_id(merchant_id, list(item.get("group_ids") or [])))
    return StaffPrincipal(
        merchant_id=merchant_id,
        staff_id=staff_id,
        name=item.get("name", ""),
        permissions=permissions,
        owner=bool(item.get("owner")),
        seller_id=item.get("seller_id"),
        session=session,
        store_limits=limits,
    )


def _from_groups(groups: dict[str, dict[str, Any]]) -> tuple[frozenset[Permission], dict[Permission, frozenset[str]]]:
    """The union of the groups' permissions; a permission is limited to some stores only if every group that
    grants it is (then to the union of their stores)."""
    granted: set[Permission] = set()
    limits: dict[Permission, set[str] | None] = {}
    for group in groups.values():
        stores = group.get("stores")
        for name in group.get("permissions") or []:
            permission = Permission(name)
            if permission not in MERCHANT_PERMISSIONS:
                continue
            granted.add(permission)
            if stores is None or limits.get(permission, set()) is None:
                limits[permission] = None
            else:
                limits[permission] = set(limits.get(permission) or set()) | set(stores)
    return frozenset(granted), {p: frozenset(s) for p, s in limits.items() if s is not None}


def staff_from_request(event: Any) -> StaffPrincipal | None:
    """The console session the request carries, checked against its member; ``None`` when it carries none."""
    session = session_from_request(event.http_method, event.headers, event.cookies, cookie_name=CONSOLE_COOKIE_NAME)
    if session is None:
        return None
    if session.role is not Role.STAFF:
        raise Unauthorized("a seller's or customer's catalog session does not reach the merchant API")
    item = stored.get_standing(session.merchant_id, session.subject_id)
    if not may_sign_in(item) or stored.session_version(item) != session.version:
        raise SessionEnded("this session has ended; sign in again")
    return principal_of(session.merchant_id, session.subject_id, item, session)

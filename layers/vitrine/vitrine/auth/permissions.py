"""What a merchant's API key or a member of its staff may do: permissions, and the check every merchant route runs.

Every route of the merchant API declares the one permission it needs (``vitrine.http.routing``: ``permission=``),
and the route machinery checks it right after the caller is authenticated and before anything of the request is
read: without it the answer is a 403 that names the permission (``code: "forbidden"``, as before permissions, and
``details[0].permission``), and nothing changes. The permission of every route is in the OpenAPI document
(``x-permission``), which is how a test walks them all. The few routes any caller of the merchant's may use (who am
I) declare ``ANY_CALLER`` instead, and say so there.

The permissions (what the console's pages and the merchant API's routes are grouped by):

- ``catalogs``: vitrines (create, edit, publish), their covers and product images, uploads.
- ``orders.view``: orders and their history; the merchant's event journal.
- ``orders.manage``: approve or reject a hold, cancel, refund, edit the loyalty CPF.
- ``customers``: B2B customers, sellers and their assignments.
- ``receivables``: what is owed, the payouts, the ledger and its CSV downloads (view only).
- ``payouts.manage``: the bank account, the cadence, the recipient's KYC link, anticipation.
- ``settings``: the stores' settings (delivery, instalments, payment expiry) and the shop's profile.
- ``integrations``: API keys, webhook endpoints and their deliveries, the ERP connector.
- ``staff``: staff accounts and permission groups.
- ``erp``: the ERP integration API (``/erp/v1``): what an ERP's key holds. No person has it: the console's
  people act through the merchant API, the ERP through its own.

Who holds them: an API key holds the permissions it was issued with; a member of staff the union of their
permission groups' (as Saleor's groups: permissions belong to groups, a person has groups), and the merchant's
owner all of them but ``erp``. A group may be restricted to some stores (``vitrine.people.staff``).

**No one grants what they do not hold**: a key or a group can only be given permissions its creator holds
(``require_grantable``), so ``integrations`` alone cannot mint a key with ``payouts.manage``, nor ``staff`` alone a
group with ``orders.manage``. Keys made before permissions existed hold ``scopes``: ``merchant`` stood for every
merchant route, so it reads as every permission but ``erp``, and ``erp`` as ``erp``.
"""

from enum import StrEnum
from typing import Protocol

from vitrine.errors import Forbidden


class Permission(StrEnum):
    CATALOGS = "catalogs"
    ORDERS_VIEW = "orders.view"
    ORDERS_MANAGE = "orders.manage"
    CUSTOMERS = "customers"
    RECEIVABLES = "receivables"
    PAYOUTS_MANAGE = "payouts.manage"
    SETTINGS = "settings"
    INTEGRATIONS = "integrations"
    STAFF = "staff"
    ERP = "erp"


# What a route needs that anyone the merchant let in may call (who am I, signing out): not a permission.
ANY_CALLER = "any-caller"
# What the console's people can hold: every permission but the ERP integration's.
MERCHANT_PERMISSIONS = frozenset(Permission) - {Permission.ERP}
# The scopes keys were issued with before permissions: the bundles they stood for.
LEGACY_SCOPES: dict[str, frozenset[Permission]] = {
    "merchant": MERCHANT_PERMISSIONS,
    "erp": frozenset({Permission.ERP}),
}


class HoldsPermissions(Protocol):
    merchant_id: str
    permissions: frozenset[Permission]


class MissingPermission(Forbidden):
    def __init__(self, permission: Permission, *, granting: bool = False) -> None:
        if granting:
            message = f"you cannot grant the '{permission}' permission: you do not hold it"
        else:
            message = f"this needs the '{permission}' permission"
        super().__init__(message, details=[{"field": "permission", "reason": message, "permission": str(permission)}])
        self.permission = permission


def expand(names: list[str] | tuple[str, ...] | frozenset[str]) -> frozenset[Permission]:
    """The permissions ``names`` stand for: permission names, or the legacy bundles (``merchant``, ``erp``)."""
    found: set[Permission] = set()
    for name in names:
        if name in LEGACY_SCOPES:
            found |= LEGACY_SCOPES[name]
        else:
            found.add(Permission(name))
    return frozenset(found)


def require(principal: HoldsPermissions, permission: Permission | str) -> None:
    if permission != ANY_CALLER and permission not in principal.permissions:
        raise MissingPermission(permission)


def require_grantable(principal: HoldsPermissions, granted: frozenset[Permission] | set[Permission]) -> None:
    """Refuse to hand out (to a key, a group) a permission the caller does not hold, naming the first one."""
    for permission in sorted(set(granted) - principal.permissions):
        raise MissingPermission(permission, granting=True)

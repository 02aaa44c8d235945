"""Sellers and B2B customers: the merchant manages them and they sign in to the merchant's catalogs (who an order
is for, and at which prices, is the checkout's rule: ``vitrine.orders.buyers``).

Access ends sessions (``vitrine.people.access``): a new password, a seller saved inactive after being active, or a
customer's web access withdrawn moves the person's ``session_version`` in the same write. A write that finds the
person changed since it read them (``PersonChanged``) reads again and retries, so it never restores a version.
Signing in goes through the sign-in throttle (``vitrine.auth.sign_in_throttle``) before any password is hashed.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from vitrine.auth import sign_in_throttle
from vitrine.auth.passwords import hash_password, verify_password
from vitrine.auth.sessions import Role, Session, issue_session
from vitrine.catalogs.storefront import published_catalog
from vitrine.errors import InvalidInput, NotFound, Unauthorized
from vitrine.people.access import may_sign_in
from vitrine.people.models import Customer, CustomerInput, Seller, SellerInput, normalise_login
from vitrine.repository import assortment, people

T = TypeVar("T")
_WRITE_ROUNDS = 3


def _retried_on_change(write: Callable[[], T]) -> T:
    """``write()`` (which reads the person itself) again when another write got to the person in between."""
    for _ in range(_WRITE_ROUNDS - 1):
        try:
            return write()
        except people.PersonChanged:
            continue
    return write()


@dataclass(frozen=True)
class SignedIn:
    token: str
    session: Session
    name: str


def save_seller(
    merchant_id: str, seller_id: str, body: SellerInput, *, sync: dict[str, str] | None = None
) -> tuple[Seller, bool]:
    """Create or update a seller; ``True`` when created. A new seller needs a password.

    ``sync``: what the ERP sync stores with the seller (its content hash and job, see ``vitrine.erp``).
    """
    new_hash = hash_password(body.password) if body.password else None  # once, outside the retries
    login = normalise_login(body.email)

    def write() -> tuple[Seller, bool]:
        existing = people.get_seller_item(merchant_id, seller_id)
        if existing is None and new_hash is None:
            raise InvalidInput(
                "a new seller needs a password", details=[{"field": "body.password", "reason": "required on create"}]
            )
        read_version = people.session_version(existing)
        deactivated = existing is not None and existing.get("active", True) and not body.active
        values: dict[str, Any] = {
            "seller_id": seller_id,
            "name": body.name,
            "email": login,
            "active": body.active,
            people.SESSION_VERSION: read_version + (1 if existing and (new_hash or deactivated) else 0),
            **(sync or {}),
        }
        password_hash = new_hash or (existing and existing.get("password_hash"))
        if password_hash:
            values["password_hash"] = password_hash
        _save(merchant_id, Role.SELLER, seller_id, values, login=login, existing=existing, read_version=read_version)
        return people.to_seller(values), existing is None

    return _retried_on_change(write)


def _save(
    merchant_id: str,
    role: Role,
    person_id: str,
    values: dict[str, Any],
    *,
    login: str,
    existing: dict[str, Any] | None,
    read_version: int,
) -> None:
    """Write a person as read at ``read_version`` (its login moved from the one ``existing`` had)."""
    previous_login = existing and existing["email"]
    people.save_person(
        merchant_id, role, person_id, values, login=login, previous_login=previous_login, read_version=read_version
    )


def save_customer(
    merchant_id: str,
    customer_id: str,
    body: CustomerInput,
    *,
    sync: dict[str, str] | None = None,
    password: str | None = None,
    revoke_access: bool = False,
) -> tuple[Customer, bool]:
    """Create or update a B2B customer; ``True`` when created. Web access is kept as it is, unless a ``password``
    grants it (or changes it) or ``revoke_access`` takes it away, in the same write.

    ``sync``: what the ERP sync stores with the customer (its content hash and job, see ``vitrine.erp``).
    """
    if body.price_table_id and not assortment.price_table_exists(merchant_id, body.price_table_id):
        raise InvalidInput(
            f"no price table '{body.price_table_id}'",
            details=[{"field": "body.price_table_id", "reason": "unknown price table"}],
        )
    new_hash = hash_password(password) if password is not None else None  # once, outside the retries
    login = normalise_login(body.email)

    def write() -> tuple[Customer, bool]:
        existing = people.get_customer_item(merchant_id, customer_id)
        read_version = people.session_version(existing)
        had_access = bool(existing and existing.get("password_hash"))
        values: dict[str, Any] = {"customer_id": customer_id, **body.model_dump(), "email": login, **(sync or {})}
        if new_hash is not None:
            values["password_hash"] = new_hash
        elif had_access and not revoke_access:
            values["password_hash"] = existing["password_hash"]
        access_changed = existing is not None and (new_hash is not None or (had_access and revoke_access))
        values[people.SESSION_VERSION] = read_version + (1 if access_changed else 0)
        _save(
            merchant_id, Role.CUSTOMER, customer_id, values, login=login, existing=existing, read_version=read_version
        )
        return people.to_customer(values), existing is None

    return _retried_on_change(write)


def customer(merchant_id: str, customer_id: str) -> Customer:
    item = people.get_customer_item(merchant_id, customer_id)
    if item is None:
        raise NotFound(f"no customer '{customer_id}'")
    return people.to_customer(item)


def set_web_access(merchant_id: str, customer_id: str, password: str | None) -> Customer:
    """Let the customer sign in with ``password``, or (``None``) take their access away; either ends the customer's
    open sessions."""
    customer(merchant_id, customer_id)
    people.set_password_hash(merchant_id, Role.CUSTOMER, customer_id, password and hash_password(password))
    return customer(merchant_id, customer_id)


def assign_customers(merchant_id: str, seller_id: str, customer_ids: list[str]) -> list[str]:
    """Make ``customer_ids`` the seller's whole list; every customer must exist."""
    if people.get_seller_item(merchant_id, seller_id) is None:
        raise NotFound(f"no seller '{seller_id}'")
    wanted = list(dict.fromkeys(customer_ids))
    found = people.customers_by_id(merchant_id, wanted)
    unknown = [cid for cid in wanted if cid not in found]
    if unknown:
        raise InvalidInput(
            "some customers do not exist",
            details=[
                {"field": f"body.customer_ids.{customer_ids.index(cid)}", "reason": f"no customer '{cid}'"}
                for cid in unknown
            ],
        )
    people.replace_assignments(merchant_id, seller_id, wanted)
    return wanted


def sellers_customers(merchant_id: str, seller_id: str) -> list[Customer]:
    ids = people.customers_of_seller(merchant_id, seller_id)
    found = people.customers_by_id(merchant_id, ids)
    return [people.to_customer(found[cid]) for cid in ids if cid in found]


def sign_in(slug: str, role: Role, login: str, password: str, *, address: str) -> SignedIn:
    """A session for a seller or customer of the merchant behind ``slug``; one vague 401 for every failure, a 429
    (``TooManyAttempts``) while the client ``address`` or the login is throttled."""
    catalog = published_catalog(slug, field="body.catalog")
    login = normalise_login(login)

    def verify() -> dict[str, Any] | None:
        pointer = people.find_login(catalog.merchant_id, role, login)
        person = None
        if pointer is not None:
            getter = people.get_seller_item if role is Role.SELLER else people.get_customer_item
            person = getter(catalog.merchant_id, pointer["person_id"])
        usable = may_sign_in(person)
        # The hash is checked even when nobody has the login, so the answer's timing does not tell logins apart.
        matches = verify_password(password, person["password_hash"] if usable else None)
        return person if usable and matches else None

    person = sign_in_throttle.attempt_sign_in(catalog.merchant_id, role.value, login, address, verify)
    if person is None:
        raise Unauthorized("e-mail or password not recognised")
    person_id = person["seller_id"] if role is Role.SELLER else person["customer_id"]
    token, session = issue_session(catalog.merchant_id, role, person_id, version=people.session_version(person))
    return SignedIn(token=token, session=session, name=person["name"])


def require_web_access(session: Session) -> dict[str, Any]:
    """The signed-in customer, as long as the merchant still lets them in (taking access away ends sessions)."""
    item = people.get_customer_item(session.merchant_id, session.subject_id)
    if not may_sign_in(item):
        raise Unauthorized("this customer can no longer sign in")
    return item

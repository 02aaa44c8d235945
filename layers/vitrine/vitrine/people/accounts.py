"""Sellers and B2B customers: the merchant manages them and they sign in to the merchant's catalogs (who an order
is for, and at which prices, is the checkout's rule: ``vitrine.orders.buyers``).
"""

from dataclasses import dataclass
from typing import Any

from vitrine.auth.passwords import hash_password, verify_password
from vitrine.auth.sessions import Role, Session, issue_session
from vitrine.catalogs.storefront import published_catalog
from vitrine.errors import InvalidInput, NotFound, Unauthorized
from vitrine.people.models import Customer, CustomerInput, Seller, SellerInput, normalise_login
from vitrine.repository import assortment, people


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
    existing = people.get_seller_item(merchant_id, seller_id)
    if existing is None and body.password is None:
        raise InvalidInput(
            "a new seller needs a password", details=[{"field": "body.password", "reason": "required on create"}]
        )
    login = normalise_login(body.email)
    values: dict[str, Any] = {
        "seller_id": seller_id,
        "name": body.name,
        "email": login,
        "active": body.active,
        **(sync or {}),
    }
    password_hash = hash_password(body.password) if body.password else existing and existing.get("password_hash")
    if password_hash:
        values["password_hash"] = password_hash
    people.save_person(
        merchant_id, Role.SELLER, seller_id, values, login=login, previous_login=existing and existing["email"]
    )
    return people.to_seller(values), existing is None


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
    existing = people.get_customer_item(merchant_id, customer_id)
    login = normalise_login(body.email)
    values: dict[str, Any] = {"customer_id": customer_id, **body.model_dump(), "email": login, **(sync or {})}
    if password is not None:
        values["password_hash"] = hash_password(password)
    elif existing and existing.get("password_hash") and not revoke_access:
        values["password_hash"] = existing["password_hash"]
    people.save_person(
        merchant_id, Role.CUSTOMER, customer_id, values, login=login, previous_login=existing and existing["email"]
    )
    return people.to_customer(values), existing is None


def customer(merchant_id: str, customer_id: str) -> Customer:
    item = people.get_customer_item(merchant_id, customer_id)
    if item is None:
        raise NotFound(f"no customer '{customer_id}'")
    return people.to_customer(item)


def set_web_access(merchant_id: str, customer_id: str, password: str | None) -> Customer:
    """Let the customer sign in with ``password``, or (``None``) take their access away."""
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


def sign_in(slug: str, role: Role, login: str, password: str) -> SignedIn:
    """A session for a seller or customer of the merchant behind ``slug``; one vague 401 for every failure."""
    catalog = published_catalog(slug, field="body.catalog")
    pointer = people.find_login(catalog.merchant_id, role, normalise_login(login))
    person = None
    if pointer is not None:
        getter = people.get_seller_item if role is Role.SELLER else people.get_customer_item
        person = getter(catalog.merchant_id, pointer["person_id"])
    usable = person is not None and person.get("active", True)
    # The hash is checked even when nobody has the login, so the answer's timing does not tell logins apart.
    if not verify_password(password, person.get("password_hash") if usable else None) or not usable:
        raise Unauthorized("e-mail or password not recognised")
    person_id = person["seller_id"] if role is Role.SELLER else person["customer_id"]
    token, session = issue_session(catalog.merchant_id, role, person_id)
    return SignedIn(token=token, session=session, name=person["name"])


def require_web_access(session: Session) -> dict[str, Any]:
    """The signed-in customer, as long as the merchant still lets them in (taking access away ends sessions)."""
    item = people.get_customer_item(session.merchant_id, session.subject_id)
    if item is None or "password_hash" not in item:
        raise Unauthorized("this customer can no longer sign in")
    return item

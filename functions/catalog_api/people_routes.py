"""Merchant routes for sellers (vendedores) and B2B customers (a key or a console session with ``customers``).
A member who is one of the shop's sellers reads their own record and customers only, and changes none.

Sellers and customers are written by the merchant's own codes (``PUT`` creates or updates, as an ERP
sync would). Passwords are only ever written, never read back; the rules live in ``vitrine.people``.
"""

import re

from vitrine.auth.permissions import Permission
from vitrine.errors import Forbidden, InvalidInput, NotFound
from vitrine.http.paging import PageQuery
from vitrine.http.resolver import Router
from vitrine.http.routing import Auth, Routes, json_response
from vitrine.ids import PersonId
from vitrine.lazy_models import LazyModel
from vitrine.people import accounts, directory
from vitrine.people.models import AssignmentInput, Customer, CustomerInput, Seller, SellerInput, WebAccessInput

router = Router()
routes = Routes(
    router,
    function="CatalogApiFunction",
    auth=Auth.MERCHANT_API_KEY,
    tags=("merchant",),
    permission=Permission.CUSTOMERS,
)
_PERSON_ID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


def _not_for_sellers() -> None:
    """A member who is one of the shop's sellers sees their own customers; managing people is the shop's."""
    if routes.seller_scope() is not None:
        raise Forbidden("a seller sees their own customers; sellers and customers are managed by the shop")


def _seller_reaches(customer_id: str) -> None:
    """A seller reaches their own customers only: another's is a 404, as one that does not exist."""
    seller = routes.seller_scope()
    if seller is not None and customer_id not in directory.known_sellers_customers_ids(routes.merchant_id(), seller):
        raise NotFound("no such customer")


def _person_id(value: str, name: str) -> str:
    if not _PERSON_ID.match(value):
        raise InvalidInput(
            f"{name} is 1-40 letters, digits, '-' or '_'", details=[{"field": f"path.{name}", "reason": "malformed"}]
        )
    return value


class SellersPage(LazyModel):
    sellers: list[Seller]
    next_cursor: str | None


class SellerCustomers(LazyModel):
    seller_id: str
    customers: list[Customer]


@routes.put(
    "/merchant/v1/sellers/{seller_id}",
    summary="Create or update a seller (a new one needs a password)",
    body=SellerInput,
    response=Seller,
    also=(201,),
    errors=(409,),
)
def put_seller(seller_id: PersonId, body: SellerInput):
    _not_for_sellers()
    seller, created = accounts.save_seller(routes.merchant_id(), _person_id(seller_id, "seller_id"), body)
    return json_response(201 if created else 200, seller)


@routes.get(
    "/merchant/v1/sellers",
    summary="The merchant's sellers",
    query=PageQuery,
    response=SellersPage,
)
def list_sellers(query: PageQuery) -> SellersPage:
    sellers, cursor = directory.list_sellers(routes.merchant_id(), limit=query.limit, cursor=query.cursor)
    if (me := routes.seller_scope()) is not None:
        sellers = [seller for seller in sellers if seller.seller_id == me]
    return SellersPage(sellers=sellers, next_cursor=cursor)


@routes.put(
    "/merchant/v1/sellers/{seller_id}/customers",
    summary="Set the seller's whole list of customers",
    body=AssignmentInput,
    response=SellerCustomers,
    errors=(404,),
)
def put_seller_customers(seller_id: PersonId, body: AssignmentInput) -> SellerCustomers:
    _not_for_sellers()
    merchant_id = routes.merchant_id()
    accounts.assign_customers(merchant_id, _person_id(seller_id, "seller_id"), body.customer_ids)
    return SellerCustomers(seller_id=seller_id, customers=accounts.sellers_customers(merchant_id, seller_id))


@routes.get(
    "/merchant/v1/sellers/{seller_id}/customers",
    summary="The seller's customers",
    response=SellerCustomers,
    errors=(404, 422),
)
def get_seller_customers(seller_id: PersonId) -> SellerCustomers:
    if (me := routes.seller_scope()) is not None and seller_id != me:
        raise NotFound("no such seller")
    customers = directory.known_sellers_customers(routes.merchant_id(), _person_id(seller_id, "seller_id"))
    return SellerCustomers(seller_id=seller_id, customers=customers)


@routes.put(
    "/merchant/v1/customers/{customer_id}",
    summary="Create or update a B2B customer (its web access is kept)",
    body=CustomerInput,
    response=Customer,
    also=(201,),
    errors=(409,),
)
def put_customer(customer_id: PersonId, body: CustomerInput):
    _not_for_sellers()
    customer, created = accounts.save_customer(routes.merchant_id(), _person_id(customer_id, "customer_id"), body)
    return json_response(201 if created else 200, customer)


@routes.get(
    "/merchant/v1/customers/{customer_id}",
    summary="A B2B customer",
    response=Customer,
    errors=(404, 422),
)
def get_customer(customer_id: PersonId) -> Customer:
    _seller_reaches(customer_id)
    return accounts.customer(routes.merchant_id(), _person_id(customer_id, "customer_id"))


@routes.put(
    "/merchant/v1/customers/{customer_id}/web-access",
    summary="Let the customer sign in to the catalogs with this password",
    body=WebAccessInput,
    response=Customer,
    errors=(404,),
)
def put_web_access(customer_id: PersonId, body: WebAccessInput) -> Customer:
    _not_for_sellers()
    return accounts.set_web_access(routes.merchant_id(), _person_id(customer_id, "customer_id"), body.password)


@routes.delete(
    "/merchant/v1/customers/{customer_id}/web-access",
    summary="Take the customer's web access away (their open sessions end with it)",
    response=Customer,
    errors=(404, 422),
)
def delete_web_access(customer_id: PersonId) -> Customer:
    _not_for_sellers()
    return accounts.set_web_access(routes.merchant_id(), _person_id(customer_id, "customer_id"), None)

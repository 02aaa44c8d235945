"""Merchant routes for sellers (vendedores) and B2B customers (API key with the ``merchant`` scope).

Sellers and customers are written by the merchant's own codes (``PUT`` creates or updates, as an ERP
sync would). Passwords are only ever written, never read back; the rules live in ``vitrine.people``.
"""

import re

from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from pydantic import ConfigDict, Field

from vitrine.errors import InvalidInput, NotFound
from vitrine.http.routing import json_response, principal_of, route
from vitrine.lazy_models import LazyModel
from vitrine.people import accounts
from vitrine.people.models import AssignmentInput, Customer, CustomerInput, Seller, SellerInput, WebAccessInput
from vitrine.repository import people

router = APIGatewayHttpRouter()
FUNCTION = "CatalogApiFunction"
_PERSON_ID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


def _merchant_id() -> str:
    return principal_of(router).merchant_id


def _person_id(value: str, name: str) -> str:
    if not _PERSON_ID.match(value):
        raise InvalidInput(
            f"{name} is 1-40 letters, digits, '-' or '_'", details=[{"field": f"path.{name}", "reason": "malformed"}]
        )
    return value


class PageQuery(LazyModel):
    model_config = ConfigDict(extra="forbid")

    cursor: str | None = Field(default=None, max_length=500)
    limit: int = Field(default=50, ge=1, le=200)


class SellersPage(LazyModel):
    sellers: list[Seller]
    next_cursor: str | None


class SellerCustomers(LazyModel):
    seller_id: str
    customers: list[Customer]


@route(
    router,
    "PUT",
    "/merchant/v1/sellers/{seller_id}",
    summary="Create or update a seller (a new one needs a password)",
    function=FUNCTION,
    body=SellerInput,
    response=Seller,
    also=(201,),
    auth="merchant_api_key",
    tags=("merchant",),
    errors=(401, 403, 409, 413, 415, 422),
)
def put_seller(seller_id: str, body: SellerInput):
    seller, created = accounts.save_seller(_merchant_id(), _person_id(seller_id, "seller_id"), body)
    return json_response(201 if created else 200, seller)


@route(
    router,
    "GET",
    "/merchant/v1/sellers",
    summary="The merchant's sellers",
    function=FUNCTION,
    query=PageQuery,
    response=SellersPage,
    auth="merchant_api_key",
    tags=("merchant",),
    errors=(401, 403, 422),
)
def list_sellers(query: PageQuery) -> SellersPage:
    sellers, cursor = people.list_sellers(_merchant_id(), limit=query.limit, cursor=query.cursor)
    return SellersPage(sellers=sellers, next_cursor=cursor)


@route(
    router,
    "PUT",
    "/merchant/v1/sellers/{seller_id}/customers",
    summary="Set the seller's whole list of customers",
    function=FUNCTION,
    body=AssignmentInput,
    response=SellerCustomers,
    auth="merchant_api_key",
    tags=("merchant",),
    errors=(401, 403, 404, 413, 415, 422),
)
def put_seller_customers(seller_id: str, body: AssignmentInput) -> SellerCustomers:
    merchant_id = _merchant_id()
    accounts.assign_customers(merchant_id, _person_id(seller_id, "seller_id"), body.customer_ids)
    return SellerCustomers(seller_id=seller_id, customers=accounts.sellers_customers(merchant_id, seller_id))


@route(
    router,
    "GET",
    "/merchant/v1/sellers/{seller_id}/customers",
    summary="The seller's customers",
    function=FUNCTION,
    response=SellerCustomers,
    auth="merchant_api_key",
    tags=("merchant",),
    errors=(401, 403, 404, 422),
)
def get_seller_customers(seller_id: str) -> SellerCustomers:
    merchant_id = _merchant_id()
    if people.get_seller_item(merchant_id, _person_id(seller_id, "seller_id")) is None:
        raise NotFound(f"no seller '{seller_id}'")
    return SellerCustomers(seller_id=seller_id, customers=accounts.sellers_customers(merchant_id, seller_id))


@route(
    router,
    "PUT",
    "/merchant/v1/customers/{customer_id}",
    summary="Create or update a B2B customer (its web access is kept)",
    function=FUNCTION,
    body=CustomerInput,
    response=Customer,
    also=(201,),
    auth="merchant_api_key",
    tags=("merchant",),
    errors=(401, 403, 409, 413, 415, 422),
)
def put_customer(customer_id: str, body: CustomerInput):
    customer, created = accounts.save_customer(_merchant_id(), _person_id(customer_id, "customer_id"), body)
    return json_response(201 if created else 200, customer)


@route(
    router,
    "GET",
    "/merchant/v1/customers/{customer_id}",
    summary="A B2B customer",
    function=FUNCTION,
    response=Customer,
    auth="merchant_api_key",
    tags=("merchant",),
    errors=(401, 403, 404, 422),
)
def get_customer(customer_id: str) -> Customer:
    return accounts.customer(_merchant_id(), _person_id(customer_id, "customer_id"))


@route(
    router,
    "PUT",
    "/merchant/v1/customers/{customer_id}/web-access",
    summary="Let the customer sign in to the catalogs with this password",
    function=FUNCTION,
    body=WebAccessInput,
    response=Customer,
    auth="merchant_api_key",
    tags=("merchant",),
    errors=(401, 403, 404, 413, 415, 422),
)
def put_web_access(customer_id: str, body: WebAccessInput) -> Customer:
    return accounts.set_web_access(_merchant_id(), _person_id(customer_id, "customer_id"), body.password)


@route(
    router,
    "DELETE",
    "/merchant/v1/customers/{customer_id}/web-access",
    summary="Take the customer's web access away (their open sessions end with it)",
    function=FUNCTION,
    response=Customer,
    auth="merchant_api_key",
    tags=("merchant",),
    errors=(401, 403, 404, 422),
)
def delete_web_access(customer_id: str) -> Customer:
    return accounts.set_web_access(_merchant_id(), _person_id(customer_id, "customer_id"), None)

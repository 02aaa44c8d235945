"""Sign-in of sellers and B2B customers, and what a session lets them see.

A session is a short-lived signed token (``vitrine.auth.sessions``): set as an ``HttpOnly`` cookie for the
storefront's pages and returned in the body for API clients. Placing an order for a customer, or at the
customer's own prices, goes through ``POST /api/checkout`` with the session (see ``checkout_routes``).

Signing in is throttled per client address and per login (``vitrine.auth.sign_in_throttle``): the address is the
one API Gateway saw (``requestContext.http.sourceIp``), never a forwarded header. Every route here that takes a
session has it checked against the person by its ``auth`` (``vitrine.people.access``), not by the route.

What is personal stays out of the public pages (which a CDN may keep): a B2B customer's prices and record are
answered here, to the session only, with ``Cache-Control: private, no-store``; the page's script fetches them.
"""

from order_views import ShopperOrder
from pydantic import AwareDatetime, ConfigDict, Field

from vitrine.auth.sessions import Role, Session, csrf_token, session_cookie
from vitrine.http.resolver import Response, Router
from vitrine.http.routing import Auth, Routes, json_response
from vitrine.ids import PersonId, Sku, Slug
from vitrine.inputs import Cursor
from vitrine.lazy_models import LazyModel
from vitrine.money import Centavos
from vitrine.orders.queries import customer_orders as orders_of_customer
from vitrine.people import accounts
from vitrine.people.models import Customer, Login

router = Router()
routes = Routes(router, function="CatalogApiFunction", auth=Auth.SESSION, tags=("sessions",))


class SignInRequest(LazyModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    catalog: Slug = Field(description="The catalog being signed in to; it names the store.")
    role: Role
    email: Login
    password: str = Field(min_length=1, max_length=128, json_schema_extra={"format": "password"})


class SessionView(LazyModel):
    role: Role
    name: str
    expires_at: AwareDatetime
    token: str = Field(description="For API clients: send as 'Authorization: Bearer <token>'.")
    csrf_token: str = Field(description="Send as X-CSRF-Token on writes that ride on the session cookie.")


class WhoAmI(LazyModel):
    role: Role
    subject_id: str = Field(description="The seller's or customer's code.")
    expires_at: AwareDatetime


class SellerCustomersView(LazyModel):
    customers: list[Customer]


class OrdersQuery(LazyModel):
    model_config = ConfigDict(extra="forbid")

    cursor: Cursor | None = None
    limit: int = Field(default=20, ge=1, le=100)


class CustomerOrdersPage(LazyModel):
    orders: list[ShopperOrder] = Field(description="Newest first.")
    next_cursor: str | None


class PricesQuery(LazyModel):
    model_config = ConfigDict(extra="forbid")

    customer_id: PersonId | None = Field(
        default=None, description="A signed-in seller asks for one of their customers (whom they may order for)."
    )


class BuyerPricesView(LazyModel):
    customer_id: str | None = Field(
        description="The customer these prices are for; null for a seller who named none (the catalog's prices)."
    )
    prices: dict[Sku, Centavos] = Field(
        description="Product SKU -> the buyer's price, for every product the catalog shows that the buyer's price "
        "table prices (one left out cannot be bought by this buyer); what the quote and the checkout charge."
    )


PRIVATE = {"Cache-Control": "private, no-store"}


def _session() -> Session:
    return routes.principal()


@routes.post(
    "/api/sessions",
    summary="Sign in as a seller or B2B customer of the catalog's store",
    auth=Auth.PUBLIC,
    body=SignInRequest,
    response=SessionView,
    status=201,
    errors=(401, 404, 429),
)
def sign_in(body: SignInRequest) -> Response:
    address = router.current_event.request_context.http.source_ip
    signed_in = accounts.sign_in(body.catalog, body.role, body.email, body.password, address=address)
    view = SessionView(
        role=signed_in.session.role,
        name=signed_in.name,
        expires_at=signed_in.session.expires_at,
        token=signed_in.token,
        csrf_token=csrf_token(signed_in.session),
    )
    response = json_response(201, view, headers=PRIVATE)
    response.cookies.append(session_cookie(signed_in.token, signed_in.session))
    return response


@routes.delete(
    "/api/sessions",
    summary="Sign out: clears the session cookie",
    status=204,
    auth=Auth.OPTIONAL_SESSION,
    errors=(401, 403),
)
def sign_out() -> Response:
    response = Response(status_code=204, body="")
    response.cookies.append(session_cookie(None))
    return response


@routes.get(
    "/api/session",
    summary="Who the session belongs to",
    response=WhoAmI,
)
def who_am_i() -> WhoAmI:
    session = _session()
    return WhoAmI(role=session.role, subject_id=session.subject_id, expires_at=session.expires_at)


@routes.get(
    "/api/seller/customers",
    summary="The signed-in seller's customers (whom they may order for)",
    response=SellerCustomersView,
    errors=(403,),
)
def seller_customers() -> SellerCustomersView:
    session = _session().require(Role.SELLER)
    return SellerCustomersView(customers=accounts.sellers_customers(session.merchant_id, session.subject_id))


@routes.get(
    "/api/customer/orders",
    summary="The signed-in customer's orders, newest first",
    query=OrdersQuery,
    response=CustomerOrdersPage,
    errors=(403,),
)
def customer_orders(query: OrdersQuery) -> CustomerOrdersPage:
    session = _session().require(Role.CUSTOMER)
    found, cursor = orders_of_customer(session.merchant_id, session.subject_id, limit=query.limit, cursor=query.cursor)
    return CustomerOrdersPage(orders=[ShopperOrder.of(order) for order in found], next_cursor=cursor)


@routes.get(
    "/api/customer",
    summary="The signed-in customer's own record (what the checkout is filled with)",
    response=Customer,
    errors=(403,),
)
def my_record() -> Response:
    session = _session().require(Role.CUSTOMER)
    return json_response(200, accounts.customer(session.merchant_id, session.subject_id), headers=PRIVATE)


@routes.get(
    "/api/catalogs/{slug}/prices",
    summary="The signed-in buyer's prices of what the catalog shows: a B2B customer's own, or a seller's customer's",
    query=PricesQuery,
    response=BuyerPricesView,
    errors=(403, 404),
)
def buyer_prices(slug: Slug, query: PricesQuery) -> Response:
    from vitrine.orders.buyers import buyer_prices as prices_of_buyer

    found = prices_of_buyer(slug, _session(), query.customer_id)
    return json_response(200, BuyerPricesView(customer_id=found.customer_id, prices=found.prices), headers=PRIVATE)

"""Cart quote, checkout and the shopper's view of an order (public; the order needs its access token)."""

from order_views import ShopperOrder
from pydantic import ConfigDict, Field

from vitrine.http.resolver import Router
from vitrine.http.routing import Auth, Routes, json_response, principal_of
from vitrine.ids import OrderId
from vitrine.lazy_models import LazyModel
from vitrine.orders.models import CheckoutRequest, Quote, QuoteRequest

router = Router()
routes = Routes(router, function="CatalogApiFunction", auth=Auth.OPTIONAL_SESSION, tags=("storefront",))


class CheckoutResponse(LazyModel):
    order: ShopperOrder
    access_token: str = Field(description="Shows this order to whoever holds it; keep it with the order link.")
    status_url: str


class OrderQuery(LazyModel):
    model_config = ConfigDict(extra="forbid")

    token: str = Field(min_length=10, max_length=100)


@routes.post(
    "/api/carts/quote",
    summary="Price a cart: lines, stock, delivery, instalments (a session prices it for its customer)",
    body=QuoteRequest,
    response=Quote,
    errors=(401, 403, 404),
)
def quote(body: QuoteRequest) -> Quote:
    # The checkout rules are imported by the routes that run them: every other route's cold start skips them.
    from vitrine.orders.checkout import quote_cart

    return quote_cart(body, principal_of(router))


@routes.post(
    "/api/checkout",
    summary=(
        "Place an order (requires an Idempotency-Key header; a retry returns the same order). With a session: "
        "a B2B customer's order at their prices, or a seller's order for one of their customers (customer_id)"
    ),
    body=CheckoutRequest,
    response=CheckoutResponse,
    status=201,
    also=(200,),
    errors=(401, 403, 404, 409),
)
def checkout(body: CheckoutRequest):
    from vitrine.http.evidence import evidence_of
    from vitrine.orders.place_and_charge import check_out
    from vitrine.payments.pagarme import get_gateway

    key = router.current_event.headers.get("idempotency-key")
    placed = check_out(get_gateway(), body, key, principal_of(router), evidence_of(router))
    response = CheckoutResponse(
        order=ShopperOrder.of(placed.order),
        access_token=placed.access_token,
        status_url=f"/api/orders/{placed.order.order_id}?token={placed.access_token}",
    )
    return json_response(200 if placed.replayed else 201, response)


@routes.get(
    "/api/orders/{order_id}",
    summary="An order, for the holder of its access token",
    auth=Auth.PUBLIC,
    query=OrderQuery,
    response=ShopperOrder,
    errors=(404,),
)
def get_order(order_id: OrderId, query: OrderQuery) -> ShopperOrder:
    from vitrine.loyalty.status import order_loyalty
    from vitrine.orders.checkout import order_for_shopper

    order = order_for_shopper(order_id, query.token)
    return ShopperOrder.of(order, loyalty=order_loyalty(order))

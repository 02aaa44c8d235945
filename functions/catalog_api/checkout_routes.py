"""Cart quote, checkout and the shopper's view of an order (public; the order needs its access token)."""

from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from pydantic import AwareDatetime, ConfigDict, Field

from vitrine.http.routing import OPTIONAL_SESSION, json_response, principal_of, route
from vitrine.lazy_models import LazyModel
from vitrine.money import Centavos
from vitrine.orders.models import (
    CheckoutRequest,
    Fulfilment,
    Order,
    OrderLine,
    OrderStatus,
    PaymentMethod,
    Quote,
    QuoteRequest,
    StatusChange,
)
from vitrine.payments.port import BoletoDetails, CardDetails, ChargeStatus, PixDetails

router = APIGatewayHttpRouter()
FUNCTION = "CatalogApiFunction"


class PaymentView(LazyModel):
    """How to pay (Pix code, boleto line) or how the card went."""

    method: PaymentMethod
    status: ChargeStatus
    pix: PixDetails | None
    boleto: BoletoDetails | None
    card: CardDetails | None
    decline_reason: str | None


class ShopperOrder(LazyModel):
    """An order as its shopper sees it."""

    order_id: str
    status: OrderStatus
    lines: list[OrderLine]
    subtotal: Centavos
    fulfilment: Fulfilment
    total: Centavos
    payment_method: PaymentMethod
    installments: int
    created_at: AwareDatetime
    reservation_expires_at: AwareDatetime
    status_history: list[StatusChange]
    payment: PaymentView | None = Field(description="Absent until the gateway has the charge.")

    @classmethod
    def of(cls, order: Order) -> "ShopperOrder":
        fields = order.model_dump(include=set(cls.model_fields) - {"payment"})
        charge = order.charge
        payment = charge and PaymentView(
            method=order.payment_method,
            status=charge.status,
            pix=charge.pix,
            boleto=charge.boleto,
            card=charge.card,
            decline_reason=charge.decline_reason,
        )
        return cls.model_validate({**fields, "payment": payment})


class CheckoutResponse(LazyModel):
    order: ShopperOrder
    access_token: str = Field(description="Shows this order to whoever holds it; keep it with the order link.")
    status_url: str


class OrderQuery(LazyModel):
    model_config = ConfigDict(extra="forbid")

    token: str = Field(min_length=10, max_length=100)


@route(
    router,
    "POST",
    "/api/carts/quote",
    summary="Price a cart: lines, stock, delivery, instalments (a session prices it for its customer)",
    function=FUNCTION,
    body=QuoteRequest,
    response=Quote,
    auth=OPTIONAL_SESSION,
    tags=("storefront",),
    errors=(401, 403, 404, 413, 415, 422),
)
def quote(body: QuoteRequest) -> Quote:
    # The checkout rules are imported by the routes that run them: every other route's cold start skips them.
    from vitrine.orders.checkout import quote_cart

    return quote_cart(body, principal_of(router))


@route(
    router,
    "POST",
    "/api/checkout",
    summary=(
        "Place an order (requires an Idempotency-Key header; a retry returns the same order). With a session: "
        "a B2B customer's order at their prices, or a seller's order for one of their customers (customer_id)"
    ),
    function=FUNCTION,
    body=CheckoutRequest,
    response=CheckoutResponse,
    status=201,
    also=(200,),
    auth=OPTIONAL_SESSION,
    tags=("storefront",),
    errors=(401, 403, 404, 409, 413, 415, 422),
)
def checkout(body: CheckoutRequest):
    from vitrine.orders.place_and_charge import check_out
    from vitrine.payments.pagarme import get_gateway

    placed = check_out(get_gateway(), body, router.current_event.headers.get("idempotency-key"), principal_of(router))
    response = CheckoutResponse(
        order=ShopperOrder.of(placed.order),
        access_token=placed.access_token,
        status_url=f"/api/orders/{placed.order.order_id}?token={placed.access_token}",
    )
    return json_response(200 if placed.replayed else 201, response)


@route(
    router,
    "GET",
    "/api/orders/{order_id}",
    summary="An order, for the holder of its access token",
    function=FUNCTION,
    query=OrderQuery,
    response=ShopperOrder,
    tags=("storefront",),
    errors=(404, 422),
)
def get_order(order_id: str, query: OrderQuery) -> ShopperOrder:
    from vitrine.orders.checkout import order_for_shopper

    return ShopperOrder.of(order_for_shopper(order_id, query.token))

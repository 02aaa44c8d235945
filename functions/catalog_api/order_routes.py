"""Merchant routes for orders (a key or a console session with ``orders.view`` / ``orders.manage``): list and read
them, cancel one (stock goes back on sale, money back to the payer), and decide a card payment held for antifraud
review. A member who is one of the shop's sellers reaches only the orders that came through them.

The rules live in ``vitrine.orders.gateway_sync`` and the one state machine, ``vitrine.orders.state``.
"""

from typing import Literal

from pydantic import ConfigDict, Field

from vitrine.auth.permissions import Permission
from vitrine.errors import NotFound
from vitrine.http.resolver import Response, Router
from vitrine.http.routing import Auth, Routes, json_response
from vitrine.ids import OrderId
from vitrine.inputs import Cursor
from vitrine.lazy_models import LazyModel
from vitrine.loyalty.models import LoyaltyStatus
from vitrine.messaging.history import MessageHistory
from vitrine.money import Centavos
from vitrine.orders.models import Order, OrderMoney, OrderStatus, ReservationOutcome
from vitrine.orders.queries import merchant_order, merchant_orders
from vitrine.orders.search import OrderSearch, orders_csv

router = Router()
routes = Routes(router, function="CatalogApiFunction", auth=Auth.MERCHANT_API_KEY, tags=("merchant",))


class OrdersQuery(LazyModel):
    model_config = ConfigDict(extra="forbid")

    status: OrderStatus | None = None
    cursor: Cursor | None = None
    limit: int = Field(default=50, ge=1, le=200)


class MerchantOrder(Order):
    money: OrderMoney = Field(description="What the order has booked: captured, refunded, charged back.")
    reservation: ReservationOutcome | None = Field(description="How its stock reservation ended (None: still held).")
    loyalty: LoyaltyStatus | None = Field(
        default=None, description="Its loyalty points (null: no professional's CPF and no points)."
    )


class OrdersPage(LazyModel):
    orders: list[Order] = Field(description="Newest first within each status.")
    next_cursor: str | None


class CancelRequest(LazyModel):
    model_config = ConfigDict(extra="forbid")

    reason: Literal["merchant_cancelled", "out_of_stock", "customer_request"] = "merchant_cancelled"


class RefundRequest(LazyModel):
    model_config = ConfigDict(extra="forbid")

    amount: Centavos = Field(gt=0, description="Centavos to give back (at most what the order still holds).")
    refunded_before: Centavos = Field(
        ge=0,
        description="`money.refund_requested` as you read it when you decided: a refund asked since is a 409, so a "
        "double tap gives back once.",
    )


class ReviewRequest(LazyModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["approve", "reject"]


def _view(merchant_id: str, order_id: str) -> MerchantOrder:
    from vitrine.loyalty.status import order_loyalty

    order, books = merchant_order(merchant_id, order_id)
    loyalty = order_loyalty(order)
    return MerchantOrder(**dict(order), money=books.money, reservation=books.reservation, loyalty=loyalty)


def _theirs(order_id: str) -> None:
    """A seller (``routes.seller_scope``) reaches only the orders that came through them, and a member whose groups
    reach some stores only those stores' orders: another's is a 404."""
    seller, stores = routes.seller_scope(), routes.store_scope(Permission.ORDERS_VIEW)
    if seller is None and stores is None:
        return
    order = merchant_order(routes.merchant_id(), order_id)[0]
    if (seller is not None and order.seller_id != seller) or (stores is not None and order.store_code not in stores):
        raise NotFound("no such order")


def _move_money(
    move: Literal["cancel_by_merchant", "review", "refund"], order_id: str, **arguments: object
) -> MerchantOrder:
    """Run ``gateway_sync.cancel_by_merchant``, ``.review`` or ``.refund`` on one of the merchant's orders (404 if it
    is not theirs, before anything moves) with the gateway, and answer the order as it is afterwards.

    The gateway rules are imported by the two routes that move money only: the other routes' cold starts skip them.
    """
    from vitrine.orders import gateway_sync
    from vitrine.payments.pagarme import get_gateway

    merchant_id = routes.merchant_id()
    _theirs(order_id)
    getattr(gateway_sync, move)(get_gateway(), merchant_id, order_id, **arguments)
    return _view(merchant_id, order_id)


@routes.get(
    "/merchant/v1/orders",
    permission=Permission.ORDERS_VIEW,
    summary="The merchant's orders, by status",
    query=OrdersQuery,
    response=OrdersPage,
)
def list_orders(query: OrdersQuery) -> OrdersPage:
    found, cursor = merchant_orders(routes.merchant_id(), query.status, limit=query.limit, cursor=query.cursor)
    if (seller := routes.seller_scope()) is not None:
        found = [order for order in found if order.seller_id == seller]  # a page of theirs may be short
    if (stores := routes.store_scope(Permission.ORDERS_VIEW)) is not None:
        found = [order for order in found if order.store_code in stores]
    return OrdersPage(orders=found, next_cursor=cursor)


@routes.get(
    "/merchant/v1/orders/{order_id}",
    permission=Permission.ORDERS_VIEW,
    summary="An order with its status history and what it has booked",
    response=MerchantOrder,
    errors=(404,),
)
def get_order(order_id: OrderId) -> MerchantOrder:
    _theirs(order_id)
    return _view(routes.merchant_id(), order_id)


@routes.post(
    "/merchant/v1/orders/{order_id}/cancel",
    permission=Permission.ORDERS_MANAGE,
    summary="Cancel an order: 200, cancelled here (its charge cancelled or refunded, its stock back on sale) while"
    " the ERP does not have it yet; 202 once it has: the ERP is asked (feed and event OrderCancellationRequested)"
    " and the order is cancelled when the ERP reports it",
    body=CancelRequest,
    response=MerchantOrder,
    also=(202,),
    errors=(404, 409),
)
def cancel_order(order_id: OrderId, body: CancelRequest):
    order = _move_money("cancel_by_merchant", order_id, reason=body.reason)
    asked = order.cancellation_requested is not None and order.status not in (
        OrderStatus.CANCELLED,
        OrderStatus.REFUNDED,
    )
    return json_response(202 if asked else 200, order)


@routes.post(
    "/merchant/v1/orders/{order_id}/review",
    permission=Permission.ORDERS_MANAGE,
    summary="Approve (capture) or reject (cancel and release) a card payment held for antifraud review",
    body=ReviewRequest,
    response=MerchantOrder,
    errors=(404, 409),
)
def review_order(order_id: OrderId, body: ReviewRequest) -> MerchantOrder:
    return _move_money("review", order_id, approve=body.decision == "approve")


@routes.post(
    "/merchant/v1/orders/{order_id}/refunds",
    permission=Permission.ORDERS_MANAGE,
    summary="Refund part (or all) of an order's payment; its status and stock stay (all refunded: `refunded`)",
    body=RefundRequest,
    response=MerchantOrder,
    status=201,
    errors=(404, 409),
    notes={409: "More than the order still holds (`details[0].refundable`), or another refund was asked since."},
)
def refund_order(order_id: OrderId, body: RefundRequest) -> Response:
    order = _move_money("refund", order_id, amount=body.amount, asked_before=body.refunded_before)
    return json_response(201, order)


@routes.get(
    "/merchant/v1/orders.csv",
    permission=Permission.ORDERS_VIEW,
    summary="The orders a search finds (status, method, vitrine, seller, store, days, code, CPF, name) as a CSV",
    query=OrderSearch,
    content_type="text/csv",
    notes={422: "`since` after `until`, or more than 93 days apart."},
)
def export_orders(query: OrderSearch) -> Response:
    stores = routes.store_scope(Permission.ORDERS_VIEW)
    text = orders_csv(routes.merchant_id(), query, seller_scope=routes.seller_scope(), stores=stores)
    headers = {"Content-Disposition": 'attachment; filename="pedidos.csv"'}
    return Response(status_code=200, content_type="text/csv; charset=utf-8", body=text, headers=headers)


@routes.get(
    "/merchant/v1/orders/{order_id}/messages",
    permission=Permission.ORDERS_VIEW,
    summary="The messages an order's events sent (WhatsApp, SMS, e-mail): kind, status, the recipient masked",
    response=MessageHistory,
    errors=(404,),
)
def order_messages(order_id: OrderId) -> MessageHistory:
    from vitrine.messaging.history import order_history

    _theirs(order_id)
    merchant_order(routes.merchant_id(), order_id)  # another merchant's order, or none, is a 404
    return order_history(routes.merchant_id(), order_id)

"""ERP order routes (``/erp/v1``, the merchant's API key with the ``erp`` scope): the feed of paid orders and its
acknowledgement, the ERP's reports on each order, and the units online orders hold at each store.

The rules live in ``vitrine.erp.order_feed`` and ``vitrine.erp.order_reports`` (through the one state machine).
"""

from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from vitrine.erp.order_feed import (
    AckRequest,
    AckResponse,
    FeedQuery,
    OrderFeedPage,
    ReservationsPage,
    ReservationsQuery,
    acknowledge_orders,
    open_reservations,
    order_feed,
)
from vitrine.erp.order_reports import ErpOrderState, OrderEventReport, report_order_event
from vitrine.errors import NotFound
from vitrine.http.routing import Auth, Routes
from vitrine.ids import OrderId, is_order_id
from vitrine.payments.pagarme import get_gateway

router = APIGatewayHttpRouter()
routes = Routes(router, function="ErpOrdersApiFunction", auth=Auth.ERP_API_KEY, tags=("erp",))


@routes.get(
    "/erp/v1/orders/feed",
    summary="Paid orders the ERP has not acknowledged yet, oldest payment first (paged by cursor)",
    query=FeedQuery,
    response=OrderFeedPage,
)
def get_order_feed(query: FeedQuery) -> OrderFeedPage:
    return order_feed(routes.merchant_id(), limit=query.limit, cursor=query.cursor)


@routes.post(
    "/erp/v1/orders/feed/ack",
    summary="Acknowledge the orders the ERP booked: they leave the feed (an outcome per id, never a failed batch)",
    body=AckRequest,
    response=AckResponse,
)
def acknowledge_order_feed(body: AckRequest) -> AckResponse:
    return acknowledge_orders(routes.merchant_id(), body.order_ids)


@routes.post(
    "/erp/v1/orders/{order_id}/events",
    summary="Report an order's progress: in_preparation, ready_for_pickup, dispatched, invoiced, delivered, cancelled",
    body=OrderEventReport,
    response=ErpOrderState,
    errors=(404, 409),
)
def report_order(order_id: OrderId, body: OrderEventReport) -> ErpOrderState:
    if not is_order_id(order_id):
        raise NotFound("no such order")
    return report_order_event(routes.merchant_id(), order_id, body, gateway=get_gateway)


@routes.get(
    "/erp/v1/stock/reservations",
    summary="Units held for online orders not yet invoiced or cancelled, per store and SKU (paged by cursor)",
    query=ReservationsQuery,
    response=ReservationsPage,
)
def list_reservations(query: ReservationsQuery) -> ReservationsPage:
    return open_reservations(routes.merchant_id(), store=query.store, limit=query.limit, cursor=query.cursor)

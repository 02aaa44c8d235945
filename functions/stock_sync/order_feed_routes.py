"""ERP order routes (``/erp/v1``, the merchant's API key with the ``erp`` scope): the feed of paid orders and its
acknowledgement, and the units online orders hold at each store. The rules live in ``vitrine.erp.order_feed``.

The ERP's reports on each order are in ``order_report_routes``: they move orders through the state machine and
may refund at the gateway, which the feed never needs, so a cold start serving the feed (what an ERP polls every
few seconds) does not import those rules (``ROUTE_MODULES`` in ``erp_orders_api``).
"""

from typing import Any

from vitrine.erp.order_feed import (
    AckRequest,
    AckResponse,
    FeedQuery,
    ReservationsQuery,
    acknowledge_orders,
    open_reservations,
    order_feed,
)
from vitrine.http.resolver import Router
from vitrine.http.routing import Auth, Routes

router = Router()
routes = Routes(router, function="ErpOrdersApiFunction", auth=Auth.ERP_API_KEY, tags=("erp",))


@routes.get(
    "/erp/v1/orders/feed",
    summary="Paid orders the ERP has not acknowledged yet, oldest payment first (paged by cursor)",
    query=FeedQuery,
    response="vitrine.erp.feed_models:OrderFeedPage",
)
def get_order_feed(query: FeedQuery) -> dict[str, Any]:
    # The page as its JSON (``order_feed`` says why); OrderFeedPage, named above by reference (imported by the
    # OpenAPI build, not by a poll), is its shape for the OpenAPI document.
    return order_feed(routes.merchant_id(), limit=query.limit, cursor=query.cursor)


@routes.post(
    "/erp/v1/orders/feed/ack",
    summary="Acknowledge the orders the ERP booked: they leave the feed (an outcome per id, never a failed batch)",
    body=AckRequest,
    response=AckResponse,
)
def acknowledge_order_feed(body: AckRequest) -> AckResponse:
    return acknowledge_orders(routes.merchant_id(), body.order_ids)


@routes.get(
    "/erp/v1/stock/reservations",
    summary="Units held for online orders not yet invoiced or cancelled, per store and SKU (paged by cursor)",
    query=ReservationsQuery,
    response="vitrine.erp.feed_models:ReservationsPage",
)
def list_reservations(query: ReservationsQuery) -> Any:
    return open_reservations(routes.merchant_id(), store=query.store, limit=query.limit, cursor=query.cursor)

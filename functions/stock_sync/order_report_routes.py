"""ERP order reports (``/erp/v1``, the merchant's API key with the ``erp`` scope): the ERP tells an order's
progress (in preparation, ready, dispatched, invoiced, delivered, cancelled); the rules live in
``vitrine.erp.order_reports`` (through the one state machine; a cancellation of a paid order refunds it at the
gateway). A module apart from the feed's routes (``order_feed_routes``), so serving the feed imports none of it.
"""

from vitrine.erp.order_reports import ErpOrderState, OrderEventReport, report_order_event
from vitrine.errors import NotFound
from vitrine.http.resolver import Router
from vitrine.http.routing import Auth, Routes
from vitrine.ids import OrderId, is_order_id
from vitrine.payments.pagarme import get_gateway

router = Router()
routes = Routes(router, function="ErpOrdersApiFunction", auth=Auth.ERP_API_KEY, tags=("erp",))


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

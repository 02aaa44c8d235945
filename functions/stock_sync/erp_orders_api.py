"""ERP order API: the order feed and its acknowledgement, the ERP's reports on orders, open reservations.

A function of its own beside the ingest API: it moves orders and money (gateway refunds, bus events), which the
batch ingest never needs, so each holds only the permissions its routes use. Routes in ``order_feed_routes`` (the
feed, its acknowledgement, the reservations) and ``order_report_routes`` (the reports); the event's ``routeKey``
picks the one module a request needs (``vitrine.http.route_table``), so the feed's cold start does not import the
state machine's reports and the gateway adapter.
"""

from vitrine.http.route_table import api_handler

ROUTE_MODULES = {
    "GET /erp/v1/orders/feed": "order_feed_routes",
    "POST /erp/v1/orders/feed/ack": "order_feed_routes",
    "GET /erp/v1/stock/reservations": "order_feed_routes",
    "POST /erp/v1/orders/{order_id}/events": "order_report_routes",
}

handler = api_handler(route_modules=ROUTE_MODULES)

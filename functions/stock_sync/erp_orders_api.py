"""ERP order API: the order feed and its acknowledgement, the ERP's reports on orders, open reservations.

A function of its own beside the ingest API: it moves orders and money (gateway refunds, bus events), which the
batch ingest never needs, so each holds only the permissions its routes use. Routes in ``order_feed_routes``.
"""

import order_feed_routes

from vitrine.http.route_table import api_handler

handler = api_handler(order_feed_routes.router)

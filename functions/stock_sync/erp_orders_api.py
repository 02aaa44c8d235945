"""ERP order API: the order feed and its acknowledgement, the ERP's reports on orders, open reservations.

A function of its own beside the ingest API: it moves orders and money (gateway refunds, bus events), which the
batch ingest never needs, so each holds only the permissions its routes use. Routes in ``order_feed_routes``.
"""

import order_feed_routes
from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging import correlation_paths

from vitrine.http.route_table import resolver_for_router

logger = Logger()
metrics = Metrics()
app = resolver_for_router(order_feed_routes.router, logger)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
def handler(event: dict, context: object) -> dict:
    return app.resolve(event, context)

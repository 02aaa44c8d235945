"""ERP API: checks each batch, queues its items and answers 202 with the job. Routes in ``erp_routes``."""

import erp_routes
from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging import correlation_paths

from vitrine.http.route_table import resolver_for_router

logger = Logger()
metrics = Metrics()
app = resolver_for_router(erp_routes.router, logger)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
def handler(event: dict, context: object) -> dict:
    return app.resolve(event, context)

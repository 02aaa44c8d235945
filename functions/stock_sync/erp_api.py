"""ERP API: checks each batch, queues its items and answers 202 with the job. Routes in ``erp_routes``."""

import erp_routes
from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.logging import correlation_paths

from vitrine.http.errors import register_error_handlers

logger = Logger()
metrics = Metrics()
app = APIGatewayHttpResolver()
register_error_handlers(app, logger)
app.include_router(erp_routes.router)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
def handler(event: dict, context: object) -> dict:
    return app.resolve(event, context)

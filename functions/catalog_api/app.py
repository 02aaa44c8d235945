"""Storefront and merchant API (HTTP API payload v2). Routes live in the ``*_routes`` modules beside this one."""

import checkout_routes
import erp_connector_routes
import image_routes
import merchant_routes
import order_routes
import people_routes
import session_routes
import storefront_routes
import system_routes
import webhook_endpoint_routes
from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.logging import correlation_paths

from vitrine.http.errors import register_error_handlers

logger = Logger()
metrics = Metrics()
app = APIGatewayHttpResolver()
register_error_handlers(app, logger)
app.include_router(system_routes.router)
app.include_router(storefront_routes.router)
app.include_router(merchant_routes.router)
app.include_router(order_routes.router)
app.include_router(checkout_routes.router)
app.include_router(image_routes.router)
app.include_router(people_routes.router)
app.include_router(session_routes.router)
app.include_router(webhook_endpoint_routes.router)
app.include_router(erp_connector_routes.router)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
def handler(event: dict, context: object) -> dict:
    return app.resolve(event, context)

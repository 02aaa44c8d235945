"""Gateway webhook ingest: authenticate, queue the raw body, answer 202. No business logic here."""

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit

from vitrine.http.errors import register_error_handlers
from vitrine.http.resolver import HttpApiResolver
from vitrine.http.routing import Auth, read_body, route
from vitrine.lazy_models import LazyModel
from vitrine.webhooks.inbound import queue_gateway_webhook

logger = Logger()
metrics = Metrics()
app = HttpApiResolver()
register_error_handlers(app, logger)


class WebhookAccepted(LazyModel):
    status: str
    message_id: str


@route(
    app,
    "POST",
    "/webhooks/gateway",
    summary="Payment gateway webhook (pagar.me v5 format, HTTP Basic auth)",
    function="OrderWebhookFunction",
    response=WebhookAccepted,
    status=202,
    auth=Auth.GATEWAY_BASIC,
    tags=("webhooks",),
    errors=(413, 422),
)
def receive_gateway_webhook() -> WebhookAccepted:
    event = app.current_event
    # The body travels on as text (an SQS message is UTF-8): bytes that are not are refused, not queued.
    body = read_body(app, media_type=None)
    message_id = queue_gateway_webhook(body, event.headers)
    metrics.add_metric(name="GatewayWebhooksQueued", unit=MetricUnit.Count, value=1)
    return WebhookAccepted(status="queued", message_id=message_id)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
def handler(event: dict, context: object) -> dict:
    return app.resolve(event, context)

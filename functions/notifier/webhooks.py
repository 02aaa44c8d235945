"""The messaging providers' delivery-status webhooks (``MessagingWebhookFunction``).

- ``GET /webhooks/whatsapp``: Meta's subscription check: ``hub.mode=subscribe`` with our ``hub.verify_token``
  answers ``hub.challenge`` as plain text; anything else is a 403.
- ``POST /webhooks/whatsapp``: ``X-Hub-Signature-256`` is checked against the raw body with the app secret, in
  constant time, before the body is read: a forged or unsigned one is a 401 and changes nothing.
- ``POST /webhooks/zenvia``: the subscription's own header, ``X-Vitrine-Webhook-Token``, compared in constant time.

A verified body's statuses are applied at once (a read and a write or two each): the providers want a 200 within
seconds and retry otherwise, and applying twice changes nothing (a status never moves a message back).
"""

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from pydantic import ConfigDict, Field

from vitrine.errors import Forbidden, Unauthorized
from vitrine.http.errors import register_error_handlers
from vitrine.http.resolver import HttpApiResolver, Response
from vitrine.http.routing import read_body, route
from vitrine.inputs import Text
from vitrine.lazy_models import LazyModel

logger = Logger()
metrics = Metrics()
app = HttpApiResolver()
register_error_handlers(app, logger)
FUNCTION = "MessagingWebhookFunction"


class SubscriptionCheck(LazyModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    mode: Text = Field(alias="hub.mode", max_length=20)
    verify_token: Text = Field(alias="hub.verify_token", max_length=200)
    challenge: Text = Field(alias="hub.challenge", max_length=200)


class StatusesReceived(LazyModel):
    received: int = Field(description="How many of the statuses were for messages of ours.")


def _credentials() -> dict[str, str]:
    from vitrine.messaging.settings import MessagingSettings, credentials

    return credentials(MessagingSettings.from_environment())


@route(
    app,
    "GET",
    "/webhooks/whatsapp",
    summary="WhatsApp Cloud API webhook subscription check (answers hub.challenge as text)",
    function=FUNCTION,
    query=SubscriptionCheck,
    content_type="text/plain",
    tags=("webhooks",),
    errors=(403, 422),
)
def verify_subscription(query: SubscriptionCheck) -> Response:
    import hmac

    expected = _credentials()["whatsapp_verify_token"]
    if query.mode != "subscribe" or not expected or not hmac.compare_digest(expected, query.verify_token):
        raise Forbidden("the verify token is not ours")
    return Response(status_code=200, content_type="text/plain", body=query.challenge)


@route(
    app,
    "POST",
    "/webhooks/whatsapp",
    summary="WhatsApp Cloud API delivery statuses (signed with X-Hub-Signature-256)",
    function=FUNCTION,
    response=StatusesReceived,
    tags=("webhooks",),
    errors=(401, 413, 422),
)
def whatsapp_statuses() -> StatusesReceived:
    from vitrine.messaging import whatsapp
    from vitrine.messaging.port import Channel
    from vitrine.messaging.statuses import apply_statuses

    raw = read_body(app, media_type=None).encode()
    if not whatsapp.signature_valid(
        _credentials()["whatsapp_app_secret"], raw, app.current_event.headers.get("x-hub-signature-256")
    ):
        metrics.add_metric(name="MessagingWebhooksRefused", unit=MetricUnit.Count, value=1)
        raise Unauthorized("the signature does not match the body")
    return StatusesReceived(received=apply_statuses(Channel.WHATSAPP, _parsed(whatsapp.statuses, raw)))


@route(
    app,
    "POST",
    "/webhooks/zenvia",
    summary="Zenvia SMS delivery statuses (the subscription's X-Vitrine-Webhook-Token header)",
    function=FUNCTION,
    response=StatusesReceived,
    tags=("webhooks",),
    errors=(401, 413, 422),
)
def zenvia_statuses() -> StatusesReceived:
    from vitrine.messaging import zenvia
    from vitrine.messaging.port import Channel
    from vitrine.messaging.statuses import apply_statuses

    raw = read_body(app, media_type=None).encode()
    if not zenvia.token_valid(
        _credentials()["zenvia_webhook_token"], app.current_event.headers.get(zenvia.TOKEN_HEADER)
    ):
        metrics.add_metric(name="MessagingWebhooksRefused", unit=MetricUnit.Count, value=1)
        raise Unauthorized("the webhook token is not ours")
    return StatusesReceived(received=apply_statuses(Channel.SMS, _parsed(zenvia.statuses, raw)))


def _parsed(parse, raw: bytes) -> list:
    from vitrine.errors import InvalidInput

    try:
        return parse(raw)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InvalidInput(
            "the body is not the provider's status payload", details=[{"field": "body", "reason": str(exc)[:200]}]
        ) from exc


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
def handler(event: dict, context: object) -> dict:
    return app.resolve(event, context)

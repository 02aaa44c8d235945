"""Merchant routes for outbound webhooks (API key with the ``merchant`` scope): endpoints, secrets, deliveries.

A secret is in the answer of the create and rotate routes only. Every id is looked up under the merchant the key
resolves to, so another merchant's endpoint or delivery is simply not found. The rules live in
``vitrine.webhooks.endpoints`` and ``vitrine.webhooks.deliveries``.
"""

from pydantic import ConfigDict, Field

from vitrine.auth.permissions import Permission
from vitrine.http.resolver import Response, Router
from vitrine.http.routing import Auth, Routes
from vitrine.ids import DeliveryId, EndpointId
from vitrine.inputs import Cursor
from vitrine.lazy_models import LazyModel
from vitrine.webhooks import deliveries, endpoints
from vitrine.webhooks.deliveries import DeliveryStatus, DeliveryView
from vitrine.webhooks.endpoints import NewWebhookEndpoint, WebhookEndpoint, WebhookEndpointWithSecret

router = Router()
routes = Routes(
    router,
    function="CatalogApiFunction",
    auth=Auth.MERCHANT_API_KEY,
    tags=("merchant", "webhooks"),
    permission=Permission.INTEGRATIONS,
)


class WebhookEndpoints(LazyModel):
    endpoints: list[WebhookEndpoint]


class DeliveriesQuery(LazyModel):
    model_config = ConfigDict(extra="forbid")

    status: DeliveryStatus | None = Field(default=None, description="Only deliveries in this status (failed: DLQ).")
    cursor: Cursor | None = None
    limit: int = Field(default=50, ge=1, le=200)


class DeliveriesPage(LazyModel):
    deliveries: list[DeliveryView] = Field(description="Newest first.")
    next_cursor: str | None


@routes.post(
    "/merchant/v1/webhook-endpoints",
    summary="Subscribe a URL to domain events; the answer holds its signing secret, shown only now",
    body=NewWebhookEndpoint,
    response=WebhookEndpointWithSecret,
    status=201,
    errors=(409,),
)
def create_webhook_endpoint(body: NewWebhookEndpoint) -> WebhookEndpointWithSecret:
    return endpoints.create_endpoint(routes.merchant_id(), body)


@routes.get(
    "/merchant/v1/webhook-endpoints",
    summary="The merchant's webhook endpoints (never their secrets)",
    response=WebhookEndpoints,
)
def list_webhook_endpoints() -> WebhookEndpoints:
    return WebhookEndpoints(endpoints=endpoints.list_endpoints(routes.merchant_id()))


@routes.delete(
    "/merchant/v1/webhook-endpoints/{endpoint_id}",
    summary="Unsubscribe: nothing more is sent to the endpoint, retries included",
    status=204,
    errors=(404, 422),
)
def delete_webhook_endpoint(endpoint_id: EndpointId) -> Response:
    endpoints.delete_endpoint(routes.merchant_id(), endpoints.check_endpoint_id(endpoint_id))
    return Response(status_code=204, body="")


@routes.post(
    "/merchant/v1/webhook-endpoints/{endpoint_id}/rotate-secret",
    summary="A new signing secret (shown only now); the previous one keeps signing alongside it for 24 hours",
    response=WebhookEndpointWithSecret,
    errors=(404, 409, 422),
)
def rotate_webhook_secret(endpoint_id: EndpointId) -> WebhookEndpointWithSecret:
    return endpoints.rotate_secret(routes.merchant_id(), endpoints.check_endpoint_id(endpoint_id))


@routes.get(
    "/merchant/v1/webhook-endpoints/{endpoint_id}/deliveries",
    summary="The endpoint's deliveries, newest first (status=failed: those that ended in the DLQ)",
    query=DeliveriesQuery,
    response=DeliveriesPage,
    errors=(404,),
)
def list_webhook_deliveries(endpoint_id: EndpointId, query: DeliveriesQuery) -> DeliveriesPage:
    found, cursor = deliveries.list_deliveries(
        routes.merchant_id(),
        endpoints.check_endpoint_id(endpoint_id),
        status=query.status,
        limit=query.limit,
        cursor=query.cursor,
    )
    return DeliveriesPage(deliveries=found, next_cursor=cursor)


@routes.post(
    "/merchant/v1/webhook-deliveries/{delivery_id}/replay",
    summary="Send a delivery again: same webhook-id and body, a fresh set of retries",
    response=DeliveryView,
    status=202,
    errors=(404, 409, 422),
)
def replay_webhook_delivery(delivery_id: DeliveryId) -> DeliveryView:
    return deliveries.replay(routes.merchant_id(), deliveries.check_delivery_id(delivery_id))

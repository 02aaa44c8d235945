"""Merchant routes (API key with the ``merchant`` scope): what happened in the merchant's account."""

from typing import Any

from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from pydantic import BaseModel, ConfigDict, Field

from vitrine.auth.api_keys import authenticate
from vitrine.http.routing import route
from vitrine.repository import journal

router = APIGatewayHttpRouter()


class EventsQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cursor: str | None = Field(default=None, max_length=500)
    limit: int = Field(default=50, ge=1, le=200)


class EventsPage(BaseModel):
    events: list[dict[str, Any]] = Field(description="Event envelopes, newest first.")
    next_cursor: str | None


@route(
    router,
    "GET",
    "/merchant/v1/events",
    summary="The merchant's event journal, newest first",
    function="CatalogApiFunction",
    query=EventsQuery,
    response=EventsPage,
    auth="merchant_api_key",
    tags=("merchant",),
    errors=(401, 403, 422),
)
def list_merchant_events(query: EventsQuery) -> EventsPage:
    principal = authenticate(router.current_event.headers, scope="merchant")
    page = journal.list_events(principal.merchant_id, limit=query.limit, cursor=query.cursor)
    return EventsPage(events=[item["event"] for item in page.items], next_cursor=page.cursor)

"""Merchant routes (API key with the ``merchant`` scope): the merchant's catalogs, store settings and journal.

Every route resolves the merchant from the key; the rules live in ``vitrine.catalogs.management``.
"""

from typing import Any

import storefront_page
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from pydantic import ConfigDict, Field

from vitrine.catalogs import management
from vitrine.catalogs.models import Catalog
from vitrine.http.routing import principal_of, route
from vitrine.lazy_models import LazyModel
from vitrine.merchants import StoreSettings
from vitrine.repository import journal

router = APIGatewayHttpRouter()
FUNCTION = "CatalogApiFunction"


class EventsQuery(LazyModel):
    model_config = ConfigDict(extra="forbid")

    cursor: str | None = Field(default=None, max_length=500)
    limit: int = Field(default=50, ge=1, le=200)


class EventsPage(LazyModel):
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
    page = journal.list_events(_merchant_id(), limit=query.limit, cursor=query.cursor)
    return EventsPage(events=[item["event"] for item in page.items], next_cursor=page.cursor)


# --- Catalogs ---------------------------------------------------------------------------------------------


class CatalogsQuery(LazyModel):
    model_config = ConfigDict(extra="forbid")

    cursor: str | None = Field(default=None, max_length=500)
    limit: int = Field(default=50, ge=1, le=200)


class MerchantCatalog(Catalog):
    share_url: str = Field(description="The catalog's public link (answers 404 until it is published).")


class CatalogsPage(LazyModel):
    catalogs: list[MerchantCatalog]
    next_cursor: str | None


class PublishedLinks(LazyModel):
    catalog: MerchantCatalog
    share_url: str = Field(description="The public link to send to shoppers.")
    whatsapp_url: str = Field(description="https://wa.me/?text=<title and share link, URL-encoded>.")


def _merchant_id() -> str:
    return principal_of(router).merchant_id


def _view(catalog: Catalog) -> MerchantCatalog:
    origin = storefront_page.public_origin(router.current_event)
    return MerchantCatalog(**dict(catalog), share_url=f"{origin}/c/{catalog.slug}")


@route(
    router,
    "POST",
    "/merchant/v1/catalogs",
    summary="Create a catalog (a draft until published; the slug cannot be changed afterwards)",
    function=FUNCTION,
    body=management.NewCatalog,
    response=MerchantCatalog,
    status=201,
    auth="merchant_api_key",
    tags=("merchant",),
    errors=(401, 403, 409, 413, 415, 422),
)
def create_catalog(body: management.NewCatalog) -> MerchantCatalog:
    return _view(management.create_catalog(_merchant_id(), body))


@route(
    router,
    "GET",
    "/merchant/v1/catalogs",
    summary="The merchant's catalogs, drafts and published",
    function=FUNCTION,
    query=CatalogsQuery,
    response=CatalogsPage,
    auth="merchant_api_key",
    tags=("merchant",),
    errors=(401, 403, 422),
)
def list_catalogs(query: CatalogsQuery) -> CatalogsPage:
    found, cursor = management.list_catalogs(_merchant_id(), limit=query.limit, cursor=query.cursor)
    return CatalogsPage(catalogs=[_view(catalog) for catalog in found], next_cursor=cursor)


@route(
    router,
    "GET",
    "/merchant/v1/catalogs/{catalog_id}",
    summary="One of the merchant's catalogs",
    function=FUNCTION,
    response=MerchantCatalog,
    auth="merchant_api_key",
    tags=("merchant",),
    errors=(401, 403, 404),
)
def get_catalog(catalog_id: str) -> MerchantCatalog:
    return _view(management.get_catalog(_merchant_id(), catalog_id))


@route(
    router,
    "PUT",
    "/merchant/v1/catalogs/{catalog_id}",
    summary="Replace a catalog's editable fields (everything but the slug, which is fixed at creation)",
    function=FUNCTION,
    body=management.CatalogChanges,
    response=MerchantCatalog,
    auth="merchant_api_key",
    tags=("merchant",),
    errors=(401, 403, 404, 413, 415, 422),
)
def update_catalog(catalog_id: str, body: management.CatalogChanges) -> MerchantCatalog:
    return _view(management.update_catalog(_merchant_id(), catalog_id, body))


@route(
    router,
    "POST",
    "/merchant/v1/catalogs/{catalog_id}/publish",
    summary="Publish a catalog: returns its share link and a ready WhatsApp share URL (event CatalogPublished)",
    function=FUNCTION,
    response=PublishedLinks,
    auth="merchant_api_key",
    tags=("merchant",),
    errors=(401, 403, 404),
)
def publish_catalog(catalog_id: str) -> PublishedLinks:
    view = _view(management.publish_catalog(_merchant_id(), catalog_id))
    return PublishedLinks(
        catalog=view,
        share_url=view.share_url,
        whatsapp_url=management.whatsapp_share_url(view.title, view.share_url),
    )


@route(
    router,
    "POST",
    "/merchant/v1/catalogs/{catalog_id}/unpublish",
    summary="Take a catalog down: its link answers 404 and checkout refuses it (event CatalogUnpublished)",
    function=FUNCTION,
    response=MerchantCatalog,
    auth="merchant_api_key",
    tags=("merchant",),
    errors=(401, 403, 404),
)
def unpublish_catalog(catalog_id: str) -> MerchantCatalog:
    return _view(management.unpublish_catalog(_merchant_id(), catalog_id))


# --- Store settings ---------------------------------------------------------------------------------------


@route(
    router,
    "GET",
    "/merchant/v1/settings",
    summary="How the merchant sells online: delivery ranges, instalments, payment expiry",
    function=FUNCTION,
    response=StoreSettings,
    auth="merchant_api_key",
    tags=("merchant",),
    errors=(401, 403),
)
def get_settings() -> StoreSettings:
    return management.get_store_settings(_merchant_id())


@route(
    router,
    "PUT",
    "/merchant/v1/settings",
    summary="Replace the merchant's store settings (each delivery range needs cep_from <= cep_to)",
    function=FUNCTION,
    body=StoreSettings,
    response=StoreSettings,
    auth="merchant_api_key",
    tags=("merchant",),
    errors=(401, 403, 413, 415, 422),
)
def put_settings(body: StoreSettings) -> StoreSettings:
    return management.update_store_settings(_merchant_id(), body)

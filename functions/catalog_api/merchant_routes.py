"""Merchant routes (an API key or a console session, each route with its permission): the merchant's catalogs, store
settings and journal.

Every route resolves the merchant from the caller; the rules live in ``vitrine.catalogs.management``. A member of
staff who is one of the shop's sellers (``routes.seller_scope()``) builds vitrines that are theirs, and sees and
changes only those; the journal, which holds every order, is not theirs to read.
"""

from datetime import datetime
from typing import Any

from pydantic import Field

from vitrine.auth.permissions import Permission
from vitrine.catalogs import management, previews
from vitrine.catalogs.models import Catalog
from vitrine.errors import Forbidden
from vitrine.events.journal import merchant_events
from vitrine.http.origins import public_origin
from vitrine.http.paging import PageQuery
from vitrine.http.resolver import Router
from vitrine.http.routing import Auth, Routes
from vitrine.ids import CatalogId
from vitrine.lazy_models import LazyModel
from vitrine.merchants import StoreSettings

router = Router()
routes = Routes(router, function="CatalogApiFunction", auth=Auth.MERCHANT_API_KEY, tags=("merchant",))


class EventsPage(LazyModel):
    events: list[dict[str, Any]] = Field(description="Event envelopes, newest first.")
    next_cursor: str | None


@routes.get(
    "/merchant/v1/events",
    permission=Permission.ORDERS_VIEW,
    summary="The merchant's event journal, newest first",
    query=PageQuery,
    response=EventsPage,
)
def list_merchant_events(query: PageQuery) -> EventsPage:
    if routes.seller_scope() is not None:
        raise Forbidden("the merchant's journal holds every order and change; a seller sees their own in the console")
    events, cursor = merchant_events(routes.merchant_id(), limit=query.limit, cursor=query.cursor)
    return EventsPage(events=events, next_cursor=cursor)


# --- Catalogs ---------------------------------------------------------------------------------------------


class MerchantCatalog(Catalog):
    share_url: str = Field(description="The catalog's public link (answers 404 until it is published).")


class CatalogsPage(LazyModel):
    catalogs: list[MerchantCatalog]
    next_cursor: str | None


class PublishedLinks(LazyModel):
    catalog: MerchantCatalog
    share_url: str = Field(description="The public link to send to shoppers.")
    whatsapp_url: str = Field(description="https://wa.me/?text=<title and share link, URL-encoded>.")


_REFERENCES_422 = (
    "Invalid input; details name each field. The price table, the stores and the SKUs must be the merchant's own."
)


def _view(catalog: Catalog) -> MerchantCatalog:
    origin = public_origin(router.current_event)
    return MerchantCatalog(**dict(catalog), share_url=f"{origin}/c/{catalog.slug}")


@routes.post(
    "/merchant/v1/catalogs",
    permission=Permission.CATALOGS,
    summary="Create a catalog (a draft until published; the slug cannot be changed afterwards)",
    body=management.NewCatalog,
    response=MerchantCatalog,
    status=201,
    errors=(409,),
    notes={422: _REFERENCES_422},
)
def create_catalog(body: management.NewCatalog) -> MerchantCatalog:
    return _view(management.create_catalog(routes.merchant_id(), body, seller_id=routes.seller_scope()))


@routes.get(
    "/merchant/v1/catalogs",
    permission=Permission.CATALOGS,
    summary="The merchant's catalogs, drafts and published",
    query=PageQuery,
    response=CatalogsPage,
)
def list_catalogs(query: PageQuery) -> CatalogsPage:
    mine = routes.seller_scope()
    found, cursor = management.list_catalogs(
        routes.merchant_id(), limit=query.limit, cursor=query.cursor, seller_id=mine
    )
    return CatalogsPage(catalogs=[_view(catalog) for catalog in found], next_cursor=cursor)


@routes.get(
    "/merchant/v1/catalogs/{catalog_id}",
    permission=Permission.CATALOGS,
    summary="One of the merchant's catalogs",
    response=MerchantCatalog,
    errors=(404,),
)
def get_catalog(catalog_id: CatalogId) -> MerchantCatalog:
    return _view(management.get_catalog(routes.merchant_id(), catalog_id, seller_id=routes.seller_scope()))


@routes.put(
    "/merchant/v1/catalogs/{catalog_id}",
    permission=Permission.CATALOGS,
    summary="Replace a catalog's editable fields (everything but the slug, which is fixed at creation)",
    body=management.CatalogChanges,
    response=MerchantCatalog,
    errors=(404,),
    notes={422: _REFERENCES_422},
)
def update_catalog(catalog_id: CatalogId, body: management.CatalogChanges) -> MerchantCatalog:
    return _view(management.update_catalog(routes.merchant_id(), catalog_id, body, seller_id=routes.seller_scope()))


@routes.post(
    "/merchant/v1/catalogs/{catalog_id}/publish",
    permission=Permission.CATALOGS,
    summary="Publish a catalog: returns its share link and a ready WhatsApp share URL (event CatalogPublished)",
    response=PublishedLinks,
    errors=(404,),
)
def publish_catalog(catalog_id: CatalogId) -> PublishedLinks:
    view = _view(management.publish_catalog(routes.merchant_id(), catalog_id, seller_id=routes.seller_scope()))
    return PublishedLinks(
        catalog=view,
        share_url=view.share_url,
        whatsapp_url=management.whatsapp_share_url(view.title, view.share_url),
    )


class CatalogPreview(LazyModel):
    preview_url: str = Field(
        description="Opens the catalog's page as shoppers would see it now, published or not, marked as a preview "
        "and with nothing to buy. Anyone holding it can open it until expires_at; send it only to whom should see "
        "the draft."
    )
    expires_at: datetime = Field(description="The link answers 404 after this instant (24 hours).")


@routes.post(
    "/merchant/v1/catalogs/{catalog_id}/preview",
    permission=Permission.CATALOGS,
    summary="A signed link to the catalog's page before it is published, valid for 24 hours",
    response=CatalogPreview,
    errors=(404,),
)
def preview_catalog(catalog_id: CatalogId) -> CatalogPreview:
    management.get_catalog(routes.merchant_id(), catalog_id, seller_id=routes.seller_scope())
    link = previews.preview_link(routes.merchant_id(), catalog_id)
    return CatalogPreview(preview_url=public_origin(router.current_event) + link.path, expires_at=link.expires_at)


@routes.post(
    "/merchant/v1/catalogs/{catalog_id}/unpublish",
    permission=Permission.CATALOGS,
    summary="Take a catalog down: its link answers 404 and checkout refuses it (event CatalogUnpublished)",
    response=MerchantCatalog,
    errors=(404,),
)
def unpublish_catalog(catalog_id: CatalogId) -> MerchantCatalog:
    return _view(management.unpublish_catalog(routes.merchant_id(), catalog_id, seller_id=routes.seller_scope()))


# --- Store settings ---------------------------------------------------------------------------------------


@routes.get(
    "/merchant/v1/settings",
    permission=Permission.SETTINGS,
    summary="How the merchant sells online: delivery ranges, instalments, payment expiry",
    response=StoreSettings,
)
def get_settings() -> StoreSettings:
    return management.get_store_settings(routes.merchant_id())


@routes.put(
    "/merchant/v1/settings",
    permission=Permission.SETTINGS,
    summary="Replace the merchant's store settings (each delivery range needs cep_from <= cep_to)",
    body=StoreSettings,
    response=StoreSettings,
)
def put_settings(body: StoreSettings) -> StoreSettings:
    return management.update_store_settings(routes.merchant_id(), body)

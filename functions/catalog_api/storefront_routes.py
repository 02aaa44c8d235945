"""Shopper-facing routes: the catalog behind a share link, as JSON and as a page, each product's own link, a
merchant's signed preview of a catalog, and the order page a checkout leads to."""

import functools
import hashlib
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import ConfigDict, Field

from vitrine.catalogs.storefront import (
    JsonView,
    SearchFilter,
    StorefrontView,
    catalog_by_slug,
    catalog_json_view,
    catalog_view,
    json_of,
    live_view,
    published_catalog,
    search_view,
)
from vitrine.catalogs.stores import catalog_stores, delivers, pickup_stores
from vitrine.errors import NotFound
from vitrine.http.caching import IMMUTABLE, not_modified, version_etag
from vitrine.http.origins import public_origin
from vitrine.http.resolver import Response, Router
from vitrine.http.routing import Routes, json_response
from vitrine.ids import OrderId, Sku, Slug, is_order_id
from vitrine.image_store import image_url, public_url, servable_key
from vitrine.inputs import Cursor, Text
from vitrine.lazy_models import LazyModel
from vitrine.settings import get_settings

if TYPE_CHECKING:
    import storefront_page

router = Router()
routes = Routes(router, function="CatalogApiFunction", tags=("storefront",))
FIRST_PAGE = 24
# A preview page holds its products' descriptions and galleries (the JSON API serves published catalogs only).
PREVIEW_PRODUCTS = 100
PreviewToken = Annotated[
    str, Field(max_length=60, pattern=r"^\d{10}\.[A-Za-z0-9_-]{43}$", description="The preview link's signed token.")
]


def shopper_product(product: dict[str, Any]) -> dict[str, Any]:
    """A ``ShopperProduct``'s JSON, from a ``CatalogProduct``'s (what the read model holds, validated when it was
    written): a JSON view builds no model to answer, and ``tests/integration/test_catalog_api.py`` holds its
    answers to the declared ones."""
    # Never a signed URL: one differs every second, and a view a CDN holds must be the same for every request.
    origin = public_origin(router.current_event)
    body = dict(product)
    body["images"] = [{**image, "src": _lasting_url(image, origin)} for image in body["images"]]
    body["image_url"] = _lasting_url(body["image"], origin) if body.get("image") else None
    return body


def _lasting_url(image: dict[str, Any], origin: str) -> str:
    return public_url(image.get("url"), image.get("key"), origin)


class ProductsQuery(LazyModel):
    model_config = ConfigDict(extra="forbid")

    cursor: Cursor | None = Field(default=None, max_length=40)
    limit: int = Field(default=24, ge=1, le=100)
    q: Text | None = Field(
        default=None,
        max_length=100,
        description="Search the whole catalog: products whose name, brand, classifiers or sku hold every word (accents "
        "and case do not matter). A search answers a bounded step at a time: follow `next_cursor` until it is null, "
        "even past a step that found nothing.",
    )
    classifier: Text | None = Field(
        default=None, max_length=60, description="Only products under this first-level classifier (whole catalog)."
    )
    subclassifier: Text | None = Field(
        default=None, max_length=60, description="Only products under this second-level classifier (whole catalog)."
    )


def share_url(slug: str) -> str:
    return f"{public_origin(router.current_event)}/c/{slug}"


def _pickup_stores(view: JsonView) -> list[dict[str, Any]]:
    """The ``PickupStore``s of the view, as JSON: its stores where an order can be picked up, in their order."""
    pickup = view.fulfilments.pickup
    return [
        {"code": s["code"], "name": s["name"], "city": s.get("city"), "address": s.get("address")}
        for s in view.stores
        if s["code"] in pickup
    ]


def _pages() -> ModuleType:
    """The pages' markup, style and script (``storefront_page``), imported at a container's first page: one
    started for the JSON API never loads them."""
    import storefront_page

    return storefront_page


@functools.cache
def api_release() -> str:
    """A digest of what shapes the JSON views besides their data (this module and its schemas, the images' base
    URL): part of their ETags, as ``storefront_page.release`` is of the pages', which also names the pages' style
    and script and the card tokenization's URL, none of which is in a JSON view."""
    code = Path(__file__).read_text() + (Path(__file__).parent / "storefront_schemas.py").read_text()
    return hashlib.sha256((code + get_settings().public_images_base_url).encode()).hexdigest()[:12]


def _unchanged(view: StorefrontView | JsonView, release: str, *parts: str) -> Response | None:
    """A bodiless 304 when the client holds this version of the view already: from the read model's version
    alone, before anything is rendered. The ETag names the route's kind and its inputs, the read model's version
    and the pointer's catalog (``StorefrontView.version``), the origin and the ``release`` (the pages' or the API's)."""
    if not view.version:
        return None  # computed live: the body's digest is the ETag (``caching.shared_view``)
    etag = version_etag(view.version, public_origin(router.current_event), release, *parts)
    return not_modified(etag, router.current_event.headers.get("if-none-match"))


def _tagged(response: Response, view: StorefrontView | JsonView, release: str, *parts: str) -> Response:
    if view.version:
        response.headers["ETag"] = version_etag(view.version, public_origin(router.current_event), release, *parts)
    return response


@routes.get(
    "/api/catalogs/{slug}",
    shared_cache=True,
    summary="A published catalog, its first page of products, and how it delivers",
    response="storefront_schemas:CatalogView",
    errors=(404,),
)
def get_catalog(slug: Slug) -> Response:
    view = catalog_json_view(slug)
    unchanged = _unchanged(view, api_release(), "catalog-json")
    if unchanged is not None:
        return unchanged
    catalog = view.catalog
    body = {  # a CatalogView
        "slug": catalog["slug"],
        "title": catalog["title"],
        "description": catalog.get("description", ""),
        "share_url": share_url(catalog["slug"]),
        "product_count": view.product_count,
        "products": [shopper_product(p) for p in view.products],
        "next_cursor": view.next_cursor,
        "delivery_available": view.fulfilments.delivery is not None,
        "pickup_stores": _pickup_stores(view),
    }
    return _tagged(json_response(200, body), view, api_release(), "catalog-json")


@routes.get(
    "/api/catalogs/{slug}/products",
    shared_cache=True,
    summary="Products of a published catalog, by cursor (a page of the catalog's read model: `limit` is a hint, a "
    "page holds what the read model put in it)",
    query=ProductsQuery,
    response="storefront_schemas:ProductsPage",
    errors=(404,),
)
def list_catalog_products(slug: Slug, query: ProductsQuery) -> Response:
    search = SearchFilter(q=query.q or "", classifier=query.classifier, subclassifier=query.subclassifier)
    if search:
        view = json_of(search_view(slug, search, cursor=query.cursor, limit=query.limit))
    else:
        view = catalog_json_view(slug, cursor=query.cursor, limit=query.limit)
    filters = (query.q or "", query.classifier or "", query.subclassifier or "")
    parts = ("products-json", query.cursor or "", str(query.limit), *filters)
    unchanged = _unchanged(view, api_release(), *parts)
    if unchanged is not None:
        return unchanged
    body = {"products": [shopper_product(p) for p in view.products], "next_cursor": view.next_cursor}  # a ProductsPage
    return _tagged(json_response(200, body), view, api_release(), *parts)


def _storefront(view: StorefrontView, *, preview: bool = False) -> "storefront_page.Storefront":
    pages = _pages()
    return pages.Storefront(
        view=view,
        share_url=share_url(view.catalog.slug),
        delivers=delivers(view.stores),
        pickup_stores=pages.pickup_rows(pickup_stores(view.stores)),
        card=pages.card_tokenization(),
        shop=view.shop,
        origin=public_origin(router.current_event),
        preview=preview,
    )


@routes.get(
    "/c/{slug}",
    shared_cache=True,
    summary="The catalog page a share link opens (HTML, pt-BR)",
    content_type="text/html",
    errors=(404,),
)
def catalog_page(slug: Slug) -> Response:
    try:
        view = catalog_view(slug)
    except NotFound:
        return _pages().not_found()
    release = _pages().release()
    return _unchanged(view, release, "page") or _tagged(_pages().render(_storefront(view)), view, release, "page")


@routes.get(
    "/c/{slug}/p/{product_sku}",
    shared_cache=True,
    summary="A product's share link: its own preview, opening the catalog page on that product (HTML, pt-BR)",
    content_type="text/html",
    errors=(404,),
)
def product_page(slug: Slug, product_sku: Sku) -> Response:
    try:
        view = catalog_view(slug, sku=product_sku)
    except NotFound:
        return _pages().not_found()
    if view.product is None:
        return _pages().product_not_found(view.catalog, share_url(slug))
    parts = ("product", product_sku)
    release = _pages().release()
    unchanged = _unchanged(view, release, *parts)
    if unchanged is not None:
        return unchanged
    return _tagged(_pages().render(_storefront(view), product=view.product), view, release, *parts)


@routes.get(
    "/c/{slug}/previa/{token}",
    summary="A merchant's signed preview of a catalog, published or not (HTML, pt-BR; not indexed, never cached, "
    "no checkout)",
    content_type="text/html",
    errors=(404,),
)
def preview_page(slug: Slug, token: PreviewToken) -> Response:
    # Imported here: the share links' pages (the cold starts that matter) never load the preview's signing.
    from vitrine.catalogs.previews import previewed_catalog

    # A forged, expired or other catalog's token is the same 404 page as an unknown slug: no oracle.
    catalog = previewed_catalog(slug, token)
    if catalog is None:
        return _pages().not_found()
    # A draft has no read model: the preview computes what shoppers would see now.
    return _pages().render(_storefront(live_view(catalog, limit=PREVIEW_PRODUCTS), preview=True))


# Not in the OpenAPI document: it is the <img src> of the pages (image_store.image_src), answered with a redirect,
# not an API resource (the JSON answers give signed image URLs), and its key spans path segments, which no
# OpenAPI path parameter can.
@routes.get(
    "/img/{key+}",
    summary="A catalog image: redirects to its CDN address, or without the CDN to a short-lived signed URL of the "
    "private bucket",
    content_type="image/*",
    errors=(404,),
    documented=False,
)
def image(key: str) -> Response:
    if not servable_key(key):
        return json_response(404, {"error": {"code": "not_found", "message": "no such image"}})
    from vitrine.catalogs.models import Image

    # Browsers keep the redirect for an hour, well inside the signed URL's lifetime.
    location = image_url(Image(key=key, width=1, height=1))
    return Response(status_code=302, headers={"Location": location, "Cache-Control": "public, max-age=3600"})


# Not in the OpenAPI document either: the pages' own script (storefront_page.script), not an API resource.
@routes.get(
    "/s/{name}",
    summary="A storefront page's script, named by its digest: cached for good (HTML pages name the current one)",
    content_type="text/javascript",
    errors=(404,),
    documented=False,
)
def page_script(name: str) -> Response:
    found = _pages().script(name)
    if found is None:
        return json_response(404, {"error": {"code": "not_found", "message": "no such script"}})
    js, current = found
    cache = IMMUTABLE if current else "public, max-age=300"
    headers = {"Cache-Control": cache, "X-Content-Type-Options": "nosniff"}
    return Response(status_code=200, content_type="text/javascript; charset=utf-8", body=js, headers=headers)


@routes.get(
    "/c/{slug}/entrar",
    summary="Sign-in page of the store's sellers and B2B customers (HTML, pt-BR)",
    content_type="text/html",
    errors=(404,),
)
def sign_in_page(slug: Slug) -> Response:
    try:
        catalog = published_catalog(slug)
    except NotFound:
        return _pages().not_found()
    return _pages().render_sign_in(catalog, share_url(slug))


@routes.get(
    "/c/{slug}/pedido/{order_id}",
    summary="The page a checkout leads to: how to pay and the order's status (HTML, pt-BR; token in the fragment)",
    content_type="text/html",
    errors=(404,),
)
def order_page(slug: Slug, order_id: OrderId) -> Response:
    # Imported here: the catalog's views read the shop from the read model, never the merchant's records.
    from vitrine.catalogs.shop_identity import shop_identity

    # Any catalog, published or not: a shopper keeps following an order after the catalog is taken down.
    catalog = catalog_by_slug(slug)
    if catalog is None or not is_order_id(order_id):
        return _pages().not_found()
    stores = _pages().pickup_rows(pickup_stores(catalog_stores(catalog)))
    return _pages().render_order(catalog, share_url(slug), order_id, stores, shop=shop_identity(catalog.merchant_id))

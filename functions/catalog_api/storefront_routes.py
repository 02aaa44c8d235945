"""Shopper-facing routes: the catalog behind a share link, as JSON and as a page, each product's own link, a
merchant's signed preview of a catalog, and the order page a checkout leads to."""

from typing import Annotated

import storefront_page
from pydantic import ConfigDict, Field

from vitrine.catalogs.models import CatalogProduct, Image, Store
from vitrine.catalogs.storefront import (
    SearchFilter,
    StorefrontView,
    catalog_by_slug,
    catalog_view,
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
from vitrine.image_store import image_url, public_image_url, servable_key
from vitrine.inputs import Cursor, Text
from vitrine.lazy_models import LazyModel

router = Router()
routes = Routes(router, function="CatalogApiFunction", tags=("storefront",))
FIRST_PAGE = 24
# A preview page holds its products' descriptions and galleries (the JSON API serves published catalogs only).
PREVIEW_PRODUCTS = 100
PreviewToken = Annotated[
    str, Field(max_length=60, pattern=r"^\d{10}\.[A-Za-z0-9_-]{43}$", description="The preview link's signed token.")
]


class ShopperImage(Image):
    src: str = Field(
        description="The image's lasting absolute URL: the merchant's own, or Vitrine's image route on the public "
        "origin (it redirects to a freshly signed URL of the bucket). Fit to keep: a cart, a shared link."
    )


class ShopperProduct(CatalogProduct):
    image_url: str | None = Field(
        description="The product's first image: its lasting absolute URL, as images[0].src (the CDN's, or the image "
        "route's, which redirects to a freshly signed URL of the bucket)."
    )
    images: list[ShopperImage] = Field(description="The product's gallery (up to 10 images), in display order.")

    @classmethod
    def of(cls, product: CatalogProduct) -> "ShopperProduct":
        # Never a signed URL: one differs every second, and a view a CDN holds must be the same for every request.
        origin = public_origin(router.current_event)
        url = public_image_url(product.image, origin) if product.image else None
        images = [ShopperImage(**dict(image), src=public_image_url(image, origin)) for image in product.images]
        return cls(**{**dict(product), "images": images}, image_url=url)


class PickupStore(LazyModel):
    code: str
    name: str
    city: str | None


class CatalogView(LazyModel):
    slug: str
    title: str
    description: str
    share_url: str
    product_count: int
    products: list[ShopperProduct] = Field(description="The first page of products.")
    next_cursor: str | None
    delivery_available: bool = Field(description="Whether one of the catalog's stores delivers (quote with a CEP).")
    pickup_stores: list[PickupStore] = Field(description="Stores where the shopper may pick the order up.")


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


class ProductsPage(LazyModel):
    products: list[ShopperProduct]
    next_cursor: str | None


def share_url(slug: str) -> str:
    return f"{public_origin(router.current_event)}/c/{slug}"


def _pickup_stores(stores: list[Store]) -> list[PickupStore]:
    return [PickupStore(code=store.code, name=store.name, city=store.city) for store in pickup_stores(stores)]


def _unchanged(view: StorefrontView, *parts: str) -> Response | None:
    """A bodiless 304 when the client holds this version of the view already: from the read model's version
    alone, before anything is rendered. The ETag names the route's kind and its inputs, the read model's version
    and the pointer's catalog (``StorefrontView.version``), the origin and the release's script."""
    if not view.version:
        return None  # computed live: the body's digest is the ETag (``caching.shared_view``)
    etag = version_etag(view.version, public_origin(router.current_event), storefront_page.release(), *parts)
    return not_modified(etag, router.current_event.headers.get("if-none-match"))


def _tagged(response: Response, view: StorefrontView, *parts: str) -> Response:
    if view.version:
        etag = version_etag(view.version, public_origin(router.current_event), storefront_page.release(), *parts)
        response.headers["ETag"] = etag
    return response


@routes.get(
    "/api/catalogs/{slug}",
    shared_cache=True,
    summary="A published catalog, its first page of products, and how it delivers",
    response=CatalogView,
    errors=(404,),
)
def get_catalog(slug: Slug) -> CatalogView | Response:
    view = catalog_view(slug)
    unchanged = _unchanged(view, "catalog-json")
    if unchanged is not None:
        return unchanged
    catalog = view.catalog
    body = CatalogView(
        slug=catalog.slug,
        title=catalog.title,
        description=catalog.description,
        share_url=share_url(catalog.slug),
        product_count=view.product_count,
        products=[ShopperProduct.of(p) for p in view.products],
        next_cursor=view.next_cursor,
        delivery_available=delivers(view.stores),
        pickup_stores=_pickup_stores(view.stores),
    )
    return _tagged(json_response(200, body), view, "catalog-json")


@routes.get(
    "/api/catalogs/{slug}/products",
    shared_cache=True,
    summary="Products of a published catalog, by cursor (a page of the catalog's read model: `limit` is a hint, a "
    "page holds what the read model put in it)",
    query=ProductsQuery,
    response=ProductsPage,
    errors=(404,),
)
def list_catalog_products(slug: Slug, query: ProductsQuery) -> ProductsPage | Response:
    search = SearchFilter(q=query.q or "", classifier=query.classifier, subclassifier=query.subclassifier)
    if search:
        view = search_view(slug, search, cursor=query.cursor, limit=query.limit)
    else:
        view = catalog_view(slug, cursor=query.cursor, limit=query.limit)
    filters = (query.q or "", query.classifier or "", query.subclassifier or "")
    parts = ("products-json", query.cursor or "", str(query.limit), *filters)
    unchanged = _unchanged(view, *parts)
    if unchanged is not None:
        return unchanged
    body = ProductsPage(products=[ShopperProduct.of(p) for p in view.products], next_cursor=view.next_cursor)
    return _tagged(json_response(200, body), view, *parts)


def _storefront(view: StorefrontView, *, preview: bool = False) -> storefront_page.Storefront:
    return storefront_page.Storefront(
        view=view,
        share_url=share_url(view.catalog.slug),
        delivers=delivers(view.stores),
        pickup_stores=[(s.code, s.name, s.city) for s in _pickup_stores(view.stores)],
        card=storefront_page.card_tokenization(),
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
        return storefront_page.not_found()
    return _unchanged(view, "page") or _tagged(storefront_page.render(_storefront(view)), view, "page")


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
        return storefront_page.not_found()
    if view.product is None:
        return storefront_page.product_not_found(view.catalog, share_url(slug))
    parts = ("product", product_sku)
    unchanged = _unchanged(view, *parts)
    if unchanged is not None:
        return unchanged
    return _tagged(storefront_page.render(_storefront(view), product=view.product), view, *parts)


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
        return storefront_page.not_found()
    # A draft has no read model: the preview computes what shoppers would see now.
    return storefront_page.render(_storefront(live_view(catalog, limit=PREVIEW_PRODUCTS), preview=True))


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
    found = storefront_page.script(name)
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
        return storefront_page.not_found()
    return storefront_page.render_sign_in(catalog, share_url(slug))


@routes.get(
    "/c/{slug}/pedido/{order_id}",
    summary="The page a checkout leads to: how to pay and the order's status (HTML, pt-BR; token in the fragment)",
    content_type="text/html",
    errors=(404,),
)
def order_page(slug: Slug, order_id: OrderId) -> Response:
    # Imported here: the catalog's views read the shop from the read model, never the merchant's records.
    from vitrine.catalogs.shop import shop_identity

    # Any catalog, published or not: a shopper keeps following an order after the catalog is taken down.
    catalog = catalog_by_slug(slug)
    if catalog is None or not is_order_id(order_id):
        return storefront_page.not_found()
    stores = [(s.code, s.name, s.city) for s in _pickup_stores(catalog_stores(catalog))]
    return storefront_page.render_order(
        catalog, share_url(slug), order_id, stores, shop=shop_identity(catalog.merchant_id)
    )

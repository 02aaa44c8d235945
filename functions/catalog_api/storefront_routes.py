"""Shopper-facing routes: the catalog behind a share link, as JSON and as a page."""

import storefront_page
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from pydantic import BaseModel, ConfigDict, Field

from vitrine.catalogs.models import CatalogProduct
from vitrine.catalogs.storefront import load_published_catalog, page_of
from vitrine.errors import NotFound
from vitrine.http.routing import route

router = APIGatewayHttpRouter()
FUNCTION = "CatalogApiFunction"


class CatalogView(BaseModel):
    slug: str
    title: str
    description: str
    share_url: str
    product_count: int
    products: list[CatalogProduct] = Field(description="The first page of products.")
    next_cursor: str | None


class ProductsQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cursor: str | None = Field(default=None, max_length=40)
    limit: int = Field(default=24, ge=1, le=100)


class ProductsPage(BaseModel):
    products: list[CatalogProduct]
    next_cursor: str | None


def share_url(slug: str) -> str:
    return f"{storefront_page.public_origin(router.current_event)}/c/{slug}"


@route(
    router,
    "GET",
    "/api/catalogs/{slug}",
    summary="A published catalog and its first page of products",
    function=FUNCTION,
    response=CatalogView,
    tags=("storefront",),
    errors=(404,),
)
def get_catalog(slug: str) -> CatalogView:
    contents = load_published_catalog(slug)
    first, cursor = page_of(contents.products, limit=24, cursor=None)
    catalog = contents.catalog
    return CatalogView(
        slug=catalog.slug,
        title=catalog.title,
        description=catalog.description,
        share_url=share_url(catalog.slug),
        product_count=len(contents.products),
        products=first,
        next_cursor=cursor,
    )


@route(
    router,
    "GET",
    "/api/catalogs/{slug}/products",
    summary="Products of a published catalog, by cursor",
    function=FUNCTION,
    query=ProductsQuery,
    response=ProductsPage,
    tags=("storefront",),
    errors=(404, 422),
)
def list_catalog_products(slug: str, query: ProductsQuery) -> ProductsPage:
    contents = load_published_catalog(slug)
    products, cursor = page_of(contents.products, limit=query.limit, cursor=query.cursor)
    return ProductsPage(products=products, next_cursor=cursor)


@route(
    router,
    "GET",
    "/c/{slug}",
    summary="The catalog page a share link opens (HTML, pt-BR)",
    function=FUNCTION,
    content_type="text/html",
    tags=("storefront",),
    errors=(404,),
)
def catalog_page(slug: str) -> Response:
    try:
        contents = load_published_catalog(slug)
    except NotFound:
        return storefront_page.not_found()
    return storefront_page.render(contents, share_url(slug))

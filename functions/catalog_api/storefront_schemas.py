"""The JSON answers' models of the storefront routes (``storefront_routes``), for the OpenAPI document and the
tests: the routes name them by reference (``response="storefront_schemas:CatalogView"``) and build their answers
from the catalog's read model without them, so a view's cold start imports neither these nor the catalog's models.
``tests/integration/test_catalog_api.py`` and ``test_catalog_read_model.py`` hold the answers to them, key for key.
"""

from pydantic import Field

from vitrine.catalogs.models import CatalogProduct, Image
from vitrine.lazy_models import LazyModel


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


class PickupStore(LazyModel):
    code: str
    name: str
    city: str | None
    address: str | None = Field(description="Street, number and district (none when the store has not given it).")


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


class ProductsPage(LazyModel):
    products: list[ShopperProduct]
    next_cursor: str | None

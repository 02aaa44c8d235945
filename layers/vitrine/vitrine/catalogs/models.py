"""Domain models of the merchant's assortment: stores, products with a variants grid, price tables, catalogs."""

import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, ConfigDict, Field, model_validator

from vitrine.catalogs.stock_levels import StockLevel as StockLevel  # one of the assortment's models
from vitrine.ids import MerchantId, Sku, Slug, StoreCode
from vitrine.inputs import REFUSED, Count
from vitrine.lazy_models import LazyModel
from vitrine.money import Centavos
from vitrine.payments.methods import PaymentMethod

# The most units one order line can hold (``vitrine.orders.models.MAX_QUANTITY``, the same: a test keeps them
# equal; defined here too so that a catalog's counts can be capped at it without the catalogs importing orders).
MAX_QUANTITY = 999


class DomainModel(LazyModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FulfilmentKind(StrEnum):
    DELIVERY = "delivery"
    PICKUP = "pickup"


class Store(DomainModel):
    code: StoreCode
    name: str
    online: bool = False
    fulfilment: list[FulfilmentKind] = Field(default_factory=list)
    city: str | None = None
    # Where a shopper picks an order up, as the page and the "pronto para retirada" message say it
    # ("Rua Direita, 120 - Centro"); ``None`` for stores written before it was asked at onboarding.
    address: str | None = None

    @property
    def place(self) -> str:
        """The store as a shopper finds it: "Loja Centro, Rua Direita, 120 - Centro (São Paulo)"."""
        return ", ".join(filter(None, [self.name, self.address])) + (f" ({self.city})" if self.city else "")


class Variant(DomainModel):
    sku: Sku
    size: str | None = None
    colour: str | None = None


class Image(DomainModel):
    """An image with the size it is drawn at (pages set ``width``/``height`` so nothing jumps as it loads):
    an object in the private images bucket (``key``), or an https URL the merchant hosts (``url``)."""

    key: str | None = Field(default=None, description="Object key in the images bucket.")
    url: str | None = Field(default=None, description="The merchant's own https URL, rendered as is.")
    width: int = Field(gt=0)
    height: int = Field(gt=0)
    content_type: str = "image/jpeg"

    @model_validator(mode="after")
    def _one_source(self) -> "Image":
        if (self.key is None) == (self.url is None):
            raise ValueError("an image is either a key in the images bucket or a URL")
        return self


# Wider than any screen shows; bigger images only cost a cheap phone memory and decoding time.
MAX_SIDE_PX = 8000
# A product sheet's gallery: what an ERP sends (ErpProduct.images) and what the merchant may attach.
MAX_IMAGES_PER_PRODUCT = 10
MAX_DESCRIPTION_CHARS = 4000
ImageType = Literal["image/jpeg", "image/png", "image/webp"]
_URL = re.compile(rf"https://[^\s\"'<>\\/?#{REFUSED}]+(?:[/?#][^\s\"'<>\\{REFUSED}]*)?")


def _https_url(value: str) -> str:
    # https only: a shopper's page on https cannot show http images, and no other scheme is an image.
    if _URL.fullmatch(value) is None:
        raise ValueError("an image URL starts with https:// and a host, and holds no spaces, quotes or <>")
    return value


HttpsUrl = Annotated[
    str,
    Field(max_length=2000, description="An https URL the merchant hosts; shoppers' browsers load it directly."),
    AfterValidator(_https_url),
]
Side = Annotated[Count, Field(ge=1, le=MAX_SIDE_PX)]


class LinkedImageInput(LazyModel):
    """An image the merchant hosts. Vitrine never fetches it (no outbound requests from the API), so its width
    and height are given here, as the page will draw it."""

    model_config = ConfigDict(extra="forbid")

    url: HttpsUrl
    width: Side
    height: Side
    content_type: ImageType = "image/jpeg"


class Dimensions(DomainModel):
    """The packed product's measures, in millimetres (what a carrier's quote asks for)."""

    height_mm: Count = Field(ge=1, le=10_000)
    width_mm: Count = Field(ge=1, le=10_000)
    length_mm: Count = Field(ge=1, le=10_000)


class Product(DomainModel):
    sku: Sku
    name: str = Field(min_length=1, max_length=200)
    short_name: str | None = Field(
        default=None, max_length=60, description="Shown to shoppers instead of the name when set."
    )
    description: str = Field(default="", max_length=MAX_DESCRIPTION_CHARS, description="Plain text, line breaks kept.")
    brand: str | None = None
    classifiers: list[str] = Field(
        default_factory=list, max_length=5, description="Up to 5 classifier levels, broadest first."
    )
    variants: list[Variant] = Field(min_length=1)
    images: list[Image] = Field(
        default_factory=list,
        max_length=MAX_IMAGES_PER_PRODUCT,
        description="In display order; the first is the card's.",
    )
    active_online: bool = True
    dimensions: Dimensions | None = None
    weight_grams: int | None = Field(default=None, ge=1, le=1_000_000)
    delivery_days: int | None = Field(
        default=None, ge=0, le=365, description="Estimated days to deliver, on top of the carrier's."
    )
    payment_methods: list[PaymentMethod] | None = Field(
        default=None, description="The only payment methods this product may be paid with; none: any."
    )


class PriceTable(DomainModel):
    table_id: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")]
    name: str
    default: bool = False


class CatalogStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class CatalogSelection(DomainModel):
    """Which products a catalog offers: explicit SKUs, a classifier path (prefix), or every active product."""

    skus: list[Sku] | None = None
    classifier_path: list[str] | None = Field(default=None, max_length=5)
    all_active_online: bool = False


class Catalog(DomainModel):
    catalog_id: str
    merchant_id: MerchantId
    slug: Slug
    title: str = Field(min_length=1, max_length=120)
    description: str = Field(default="", max_length=500)
    status: CatalogStatus = CatalogStatus.DRAFT
    price_table_id: str
    store_codes: list[StoreCode] = Field(min_length=1)
    min_stock_to_show: int = Field(default=1, ge=0)
    selection: CatalogSelection
    display_order: list[Sku] = Field(default_factory=list, description="SKUs shown first, in this order.")
    cover_image: Image | None = None
    seller_id: str | None = Field(
        default=None, description="The seller who built it: every order through it is credited to them."
    )
    customer_id: str | None = Field(
        default=None, description="The B2B customer it was built for (priced at their table; its link unguessable)."
    )


class PricedVariant(DomainModel):
    """A variant and what one order can buy of it, per fulfilment (an order takes its units from one store:
    ``vitrine.catalogs.stores``). A page's availability may lag; the checkout reserves and is the authority."""

    sku: Sku
    size: str | None
    colour: str | None
    available: int = Field(
        description="The most one order can buy: the larger of `delivery` and every `pickup` count (0: sold out). "
        "Counts stop at 999, the most units an order line can hold."
    )
    delivery: int = Field(
        default=0,
        description="Units the catalog's shipping store has for delivery (0 when the catalog does not deliver).",
    )
    pickup: dict[StoreCode, int] = Field(
        default_factory=dict, description="Units each pickup store of the catalog has, by store code."
    )


class CatalogProduct(DomainModel):
    """A product as a shopper sees it in one catalog: its price from the catalog's table, what can be bought, its
    description and its gallery (``image`` is the first of ``images``, the grid card's)."""

    sku: Sku
    name: str
    brand: str | None
    classifiers: list[str]
    price: Centavos
    price_display: str
    image: Image | None
    variants: list[PricedVariant]
    available: int = Field(
        description="Units of all its variants one can buy, each variant by its best fulfilment (`available`): "
        "what the catalog's `min_stock_to_show` is held against; counted up to 999 or that threshold, the larger."
    )
    description: str = Field(default="", description="Plain text; line breaks are the merchant's.")
    images: list[Image] = Field(default_factory=list, description="The product's gallery, in display order.")

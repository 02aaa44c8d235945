"""A catalog's and the shop's events: published, unpublished, edited, the profile replaced, a store edited, a
product's images.

Their types are registered in ``vitrine.events.envelope.EVENT_TYPE_MODULES``, which imports this module for the
first envelope of one of them."""

from pydantic import Field

from vitrine.events.envelope import EventData
from vitrine.ids import Sku, StoreCode


class CatalogPublished(EventData):
    catalog_id: str
    slug: str
    title: str


class CatalogUnpublished(EventData):
    catalog_id: str
    slug: str


class CatalogChanged(EventData):
    """A catalog's fields or cover were edited (a published one's read model is rebuilt)."""

    catalog_id: str
    slug: str


class ShopProfileChanged(EventData):
    """The merchant replaced its shop profile (the pages' footer and "Falar com a loja")."""


class StoreChanged(EventData):
    """The merchant edited one of its stores (its name, city, street address or what it does for online orders)."""

    store_code: StoreCode


class ProductImagesChanged(EventData):
    """The merchant attached a product's images through its API (an ERP sync's are in ``ProductsChanged``)."""

    sku: Sku = Field(description="The product's SKU.")

"""The stores a catalog sells from, in the catalog's order, and how they hand an order over."""

from vitrine.catalogs.models import Catalog, FulfilmentKind, Store
from vitrine.repository import merchants


def catalog_stores(catalog: Catalog) -> list[Store]:
    """The catalog's stores, in the catalog's order."""
    stores = {store.code: store for store in merchants.list_stores(catalog.merchant_id)}
    return [stores[code] for code in catalog.store_codes if code in stores]


def pickup_stores(stores: list[Store]) -> list[Store]:
    """Those of ``stores`` where a shopper may pick the order up."""
    return [store for store in stores if FulfilmentKind.PICKUP in store.fulfilment]


def delivers(stores: list[Store]) -> bool:
    """Whether one of ``stores`` delivers."""
    return any(FulfilmentKind.DELIVERY in store.fulfilment for store in stores)

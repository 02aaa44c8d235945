"""The stores a catalog sells from, in the catalog's order, and how they hand an order over.

One order takes its units from one store: a delivery from the catalog's shipping store (``shipping_store``: the
online store when it delivers, else the first of the catalog's stores that does), a pickup from the store the
shopper picks it up at. What a page says can be bought, and what the checkout reserves, both follow this rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vitrine.repository import stores as store_records

if TYPE_CHECKING:
    from vitrine.catalogs.models import Catalog, Store

# ``FulfilmentKind``'s values (``catalogs.models``, which a view read from the read model does not import; a test
# keeps them equal).
DELIVERY = "delivery"
PICKUP = "pickup"


def catalog_stores(catalog: Catalog) -> list[Store]:
    """The catalog's stores, in the catalog's order."""
    stores = {store.code: store for store in store_records.list_stores(catalog.merchant_id)}
    return [stores[code] for code in catalog.store_codes if code in stores]


def pickup_stores(stores: list[Store]) -> list[Store]:
    """Those of ``stores`` where a shopper may pick the order up."""
    return [store for store in stores if PICKUP in store.fulfilment]


def delivers(stores: list[Store]) -> bool:
    """Whether one of ``stores`` delivers."""
    return any(DELIVERY in store.fulfilment for store in stores)


def shipping_store(catalog: Catalog, stores: Mapping[str, Store]) -> Store | None:
    """The catalog's store that ships deliveries: the online one if it delivers, else the first that does;
    ``None`` when none of the catalog's stores delivers."""
    candidates = [
        stores[code] for code in catalog.store_codes if code in stores and DELIVERY in stores[code].fulfilment
    ]
    return next((store for store in candidates if store.online), candidates[0] if candidates else None)


@dataclass(frozen=True)
class Fulfilments:
    """Where a catalog's units can be bought from: the store that ships deliveries (``None``: the catalog does not
    deliver) and the pickup stores, in the catalog's order."""

    delivery: str | None
    pickup: tuple[str, ...]

    @classmethod
    def of(cls, catalog: Catalog, stores: list[Store]) -> Fulfilments:
        """``stores``: the catalog's (``catalog_stores``)."""
        shipping = shipping_store(catalog, {store.code: store for store in stores})
        return cls(
            delivery=shipping.code if shipping else None,
            pickup=tuple(store.code for store in pickup_stores(stores)),
        )

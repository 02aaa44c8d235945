"""Which catalogs' read models a domain event changes, and how (the read-model consumer's one use case).

- ``CatalogPublished``, ``CatalogChanged``: the catalog's view is rebuilt whole (its selection, table or stores
  may differ); ``CatalogUnpublished``: its view is deleted (its views answer 404 already: the pointer says draft).
- ``ProductsChanged``, ``ProductImagesChanged``: those products, in every published catalog of the merchant.
- ``PricesChanged``: those products, in the published catalogs at that price table.
- ``StockLevelsChanged``, ``StockReserved``: the variants' products, in the published catalogs selling from that
  store; ``OrderCancelled``, ``OrderRefunded``: the order's products (its reservation went back on sale), likewise.
- ``ShopProfileChanged``: every published catalog's head (the footer, "Falar com a loja").
- ``StoreChanged``: the heads of the published catalogs selling from that store (its name and address; a change of
  what the catalog delivers or hands over rebuilds the view, ``refresh_head``).

A checkout's reservation is announced by ``StockReserved`` (``read_model_notices``: after the checkout commits,
best effort); its release needs no event of its own: the order's cancellation is one already, and the consumer
reads the order's lines.
"""

from collections import defaultdict

from aws_lambda_powertools import Logger

from vitrine.catalogs.models import Catalog, CatalogStatus
from vitrine.catalogs.read_model_updates import (
    drop_view,
    published_catalogs,
    rebuild_view,
    refresh_head,
    refresh_products,
)
from vitrine.catalogs.stores import Fulfilments, catalog_stores
from vitrine.events.envelope import EventEnvelope
from vitrine.repository import catalog_views, catalogs

logger = Logger(child=True)
CATALOG_EVENTS = ("CatalogPublished", "CatalogChanged", "CatalogUnpublished")
STOCK_EVENTS = ("StockLevelsChanged", "StockReserved")
RELEASE_EVENTS = ("OrderCancelled", "OrderRefunded")
# The detail-types the consumer's bus rule sends it (a test keeps the template's rule equal to this).
HANDLED_EVENTS = (
    *CATALOG_EVENTS,
    "ProductsChanged",
    "ProductImagesChanged",
    "PricesChanged",
    *STOCK_EVENTS,
    *RELEASE_EVENTS,
    "ShopProfileChanged",
    "StoreChanged",
)


def apply_event(envelope: EventEnvelope) -> int:
    """Bring the read models ``envelope`` touches up to date; how many products' entries (or views) changed."""
    mid, data = envelope.merchant_id, envelope.data
    if envelope.type in CATALOG_EVENTS:
        return _catalog_changed(mid, data["catalog_id"])
    if envelope.type in ("ProductsChanged",):
        return _refresh(published_catalogs(mid), set(data["skus"]))
    if envelope.type == "ProductImagesChanged":
        return _refresh(published_catalogs(mid), {data["sku"]})
    if envelope.type == "PricesChanged":
        by_table: dict[str, set[str]] = defaultdict(set)
        for price in data["prices"]:
            by_table[price["table_id"]].add(price["sku"])
        shown = published_catalogs(mid)
        return sum(_refresh([c for c in shown if c.price_table_id == t], skus) for t, skus in by_table.items())
    if envelope.type == "StockLevelsChanged":
        by_store: dict[str, set[str]] = defaultdict(set)
        for level in data["levels"]:
            by_store[level["store_code"]].add(level["sku"])
        return sum(_stock_changed(mid, store, variants) for store, variants in by_store.items())
    if envelope.type == "StockReserved":
        return _stock_changed(mid, data["store_code"], set(data["skus"]))
    if envelope.type in RELEASE_EVENTS:
        # Imported here: the orders' models and access patterns are for a released reservation's event only.
        from vitrine.repository import orders

        order = orders.get_order(mid, data["order_id"])
        if order is None:
            return 0
        return _stock_changed(mid, order.fulfilment.store_code, {line.sku for line in order.lines})
    if envelope.type == "ShopProfileChanged":
        return sum(refresh_head(catalog) for catalog in published_catalogs(mid))
    if envelope.type == "StoreChanged":
        return sum(refresh_head(c) for c in published_catalogs(mid) if data["store_code"] in c.store_codes)
    logger.info("event changes no read model", extra={"event_type": envelope.type})
    return 0


def _catalog_changed(merchant_id: str, catalog_id: str) -> int:
    # The catalog as it is now, whatever the event said: a publish and an unpublish delivered out of order end
    # with the view the catalog's status calls for.
    catalog = catalogs.get_catalog(merchant_id, catalog_id)
    if catalog is None or catalog.status is not CatalogStatus.PUBLISHED:
        if catalog is not None:
            drop_view(catalog)
        return 1
    rebuild_view(catalog)
    return 1


def _refresh(shown: list[Catalog], skus: set[str]) -> int:
    return sum(refresh_products(catalog, skus) for catalog in shown) if skus else 0


def _stock_changed(merchant_id: str, store_code: str, variant_skus: set[str]) -> int:
    products = catalog_views.products_of_variants(merchant_id, sorted(variant_skus))
    selling = []
    for catalog in published_catalogs(merchant_id):
        where = Fulfilments.of(catalog, catalog_stores(catalog))
        if store_code == where.delivery or store_code in where.pickup:
            selling.append(catalog)
    return _refresh(selling, products)

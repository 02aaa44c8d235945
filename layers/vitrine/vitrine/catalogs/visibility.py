"""Which products a catalog shows, in which order, at which price, and what of them can be bought. Pure functions:
no I/O here.

What can be bought is counted per fulfilment, as the checkout reserves: a delivery takes every unit from the
catalog's shipping store, a pickup from the store it is picked up at (``vitrine.catalogs.stores``). Summing the
stores would promise units no single order can get (3 at the counter and 0 online is not 3 for delivery).

Counts are shown up to what one order can buy (``MAX_QUANTITY`` units a line): past it, more units change nothing
a shopper can do (the page caps the quantity at the count, the checkout refuses a bigger line), and a catalog's
read model that held exact counts would be rewritten by every reservation and stock report of a well-stocked
variant (issue 15: the read model's consumer then writes nothing for them). A product's count is capped at
``MAX_QUANTITY`` or the catalog's ``min_stock_to_show``, the larger, so that holding it against that threshold
says what the exact count would.
"""

from collections.abc import Iterable, Mapping

from vitrine.catalogs.models import (
    MAX_QUANTITY,
    Catalog,
    CatalogProduct,
    PricedVariant,
    Product,
    StockLevel,
    Variant,
)
from vitrine.catalogs.stores import Fulfilments
from vitrine.money import format_brl


def is_selected(catalog: Catalog, product: Product) -> bool:
    selection = catalog.selection
    if selection.skus is not None:
        return product.sku in selection.skus
    if selection.classifier_path:
        depth = len(selection.classifier_path)
        return product.active_online and product.classifiers[:depth] == selection.classifier_path
    return selection.all_active_online and product.active_online


def available_by_store(stock: Iterable[StockLevel]) -> dict[tuple[str, str], int]:
    """What each ``(store_code, variant sku)`` level can still sell (on hand less reserved)."""
    return {(level.store_code, level.sku): level.available for level in stock}


def priced_variant(variant: Variant, available: Mapping[tuple[str, str], int], where: Fulfilments) -> PricedVariant:
    """The variant with what one order can buy of it, by delivery and at each pickup store (at most
    ``MAX_QUANTITY``)."""
    delivery = min(available.get((where.delivery, variant.sku), 0), MAX_QUANTITY) if where.delivery else 0
    pickup = {code: min(available.get((code, variant.sku), 0), MAX_QUANTITY) for code in where.pickup}
    return PricedVariant(
        sku=variant.sku,
        size=variant.size,
        colour=variant.colour,
        available=max([delivery, *pickup.values()]),
        delivery=delivery,
        pickup=pickup,
    )


def catalog_product(
    catalog: Catalog,
    product: Product,
    price: int,
    available: Mapping[tuple[str, str], int],
    where: Fulfilments,
) -> CatalogProduct | None:
    """``product`` as the catalog shows it at ``price`` (its table's), or ``None`` when the catalog does not select
    it; whether it has the units ``min_stock_to_show`` asks is the caller's to hold against ``available``."""
    if not is_selected(catalog, product):
        return None
    variants = [priced_variant(variant, available, where) for variant in product.variants]
    units = sum(_best(variant, available, where) for variant in product.variants)
    return CatalogProduct(
        sku=product.sku,
        name=product.short_name or product.name,
        brand=product.brand,
        classifiers=product.classifiers,
        price=price,
        price_display=format_brl(price),
        image=product.images[0] if product.images else None,
        variants=variants,
        available=min(units, max(MAX_QUANTITY, catalog.min_stock_to_show)),
        description=product.description,
        images=product.images,
    )


def _best(variant: Variant, available: Mapping[tuple[str, str], int], where: Fulfilments) -> int:
    """What one order can buy of ``variant`` by its best fulfilment, uncapped."""
    stores = [*([where.delivery] if where.delivery else []), *where.pickup]
    return max([0, *(available.get((store, variant.sku), 0) for store in stores)])


def visible_products(
    catalog: Catalog,
    products: Iterable[Product],
    prices: Mapping[str, int],
    available: Mapping[tuple[str, str], int],
    where: Fulfilments,
) -> list[CatalogProduct]:
    """Selected products that have a price in the catalog's table and at least ``min_stock_to_show`` units one
    can buy, each variant by its best fulfilment (0 shows sold-out products too).

    Ordered by the catalog's display order first, then by name.
    """
    shown: list[CatalogProduct] = []
    for product in products:
        if product.sku not in prices:
            continue
        offered = catalog_product(catalog, product, prices[product.sku], available, where)
        if offered is not None and offered.available >= catalog.min_stock_to_show:
            shown.append(offered)
    rank = {sku: i for i, sku in enumerate(catalog.display_order)}
    shown.sort(key=lambda p: (rank.get(p.sku, len(rank)), p.name.casefold()))
    return shown

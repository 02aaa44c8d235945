"""Which products a catalog shows, in which order, at which price. Pure functions: no I/O here."""

from collections.abc import Iterable, Mapping

from vitrine.catalogs.models import Catalog, CatalogProduct, PricedVariant, Product, StockLevel
from vitrine.money import format_brl


def is_selected(catalog: Catalog, product: Product) -> bool:
    selection = catalog.selection
    if selection.skus is not None:
        return product.sku in selection.skus
    if selection.classifier_path:
        depth = len(selection.classifier_path)
        return product.active_online and product.classifiers[:depth] == selection.classifier_path
    return selection.all_active_online and product.active_online


def available_by_variant(stock: Iterable[StockLevel], store_codes: list[str]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for level in stock:
        if level.store_code in store_codes:
            totals[level.sku] = totals.get(level.sku, 0) + level.available
    return totals


def visible_products(
    catalog: Catalog, products: Iterable[Product], prices: Mapping[str, int], available: Mapping[str, int]
) -> list[CatalogProduct]:
    """Selected products that have a price in the catalog's table and at least ``min_stock_to_show`` units
    available across the catalog's stores (0 shows sold-out products too).

    Ordered by the catalog's display order first, then by name.
    """
    shown: list[CatalogProduct] = []
    for product in products:
        if not is_selected(catalog, product) or product.sku not in prices:
            continue
        variants = [
            PricedVariant(sku=v.sku, size=v.size, colour=v.colour, available=available.get(v.sku, 0))
            for v in product.variants
        ]
        total = sum(v.available for v in variants)
        if total < catalog.min_stock_to_show:
            continue
        price = prices[product.sku]
        shown.append(
            CatalogProduct(
                sku=product.sku,
                name=product.short_name or product.name,
                brand=product.brand,
                classifiers=product.classifiers,
                price=price,
                price_display=format_brl(price),
                image=product.images[0] if product.images else None,
                variants=variants,
                available=total,
                description=product.description,
                images=product.images,
            )
        )
    rank = {sku: i for i, sku in enumerate(catalog.display_order)}
    shown.sort(key=lambda p: (rank.get(p.sku, len(rank)), p.name.casefold()))
    return shown

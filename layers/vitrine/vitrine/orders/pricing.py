"""Prices, delivery and instalments of a cart, computed from the server's data only. Pure functions."""

from collections.abc import Mapping

from vitrine.catalogs.models import Catalog, FulfilmentKind, Product, Store
from vitrine.catalogs.stores import shipping_store
from vitrine.catalogs.visibility import is_selected
from vitrine.errors import InvalidInput
from vitrine.merchants import StoreSettings
from vitrine.orders.models import Installment, LineInput, OrderLine, ShortLine


def merge_lines(lines: list[LineInput]) -> list[LineInput]:
    """One line per variant (a transaction may touch a stock item once), quantities added, first order kept."""
    merged: dict[str, LineInput] = {}
    for line in lines:
        if line.sku in merged:
            previous = merged[line.sku]
            merged[line.sku] = previous.model_copy(update={"quantity": previous.quantity + line.quantity})
        else:
            merged[line.sku] = line
    return list(merged.values())


def price_lines(
    catalog: Catalog, lines: list[LineInput], products: Mapping[str, Product], prices: Mapping[str, int]
) -> list[OrderLine]:
    """Each line at the catalog's price; a SKU the catalog does not sell is a 422 naming the line."""
    priced = []
    problems = []
    for index, line in enumerate(lines):
        product = products.get(line.product_sku)
        variant = next((v for v in product.variants if v.sku == line.sku), None) if product else None
        price = prices.get(line.product_sku)
        if product is None or variant is None or price is None or not is_selected(catalog, product):
            problems.append({"field": f"body.lines.{index}.sku", "reason": f"'{line.sku}' is not sold in this catalog"})
            continue
        priced.append(
            OrderLine(
                product_sku=product.sku,
                sku=variant.sku,
                name=product.name,
                size=variant.size,
                colour=variant.colour,
                quantity=line.quantity,
                unit_price=price,
                total=price * line.quantity,
            )
        )
    if problems:
        raise InvalidInput("some products are not sold in this catalog", details=problems)
    return priced


def short_lines(lines: list[OrderLine], available: Mapping[str, int]) -> list[ShortLine]:
    return [
        ShortLine(sku=line.sku, requested=line.quantity, available=max(available.get(line.sku, 0), 0))
        for line in lines
        if available.get(line.sku, 0) < line.quantity
    ]


def delivery_store(catalog: Catalog, stores: Mapping[str, Store]) -> Store:
    """The catalog's store that ships deliveries (``catalogs.stores.shipping_store``); a 422 when none does."""
    store = shipping_store(catalog, stores)
    if store is None:
        raise InvalidInput(
            "this catalog does not deliver; choose pickup in a store",
            details=[{"field": "body.fulfilment.kind", "reason": "no delivery"}],
        )
    return store


def pickup_store(catalog: Catalog, stores: Mapping[str, Store], store_code: str, field: str) -> Store:
    store = stores.get(store_code)
    if store is None or store_code not in catalog.store_codes or FulfilmentKind.PICKUP not in store.fulfilment:
        raise InvalidInput(
            "this store does not offer pickup for this catalog",
            details=[{"field": field, "reason": f"no pickup at store {store_code}"}],
        )
    return store


def delivery_price(settings: StoreSettings, cep: str, subtotal: int, field: str) -> tuple[int, int]:
    """``(price, days)`` for delivering ``subtotal`` to ``cep``; free above the merchant's threshold."""
    digits = cep.replace("-", "")
    for delivery_range in settings.delivery_ranges:
        if delivery_range.cep_from <= digits <= delivery_range.cep_to:
            free = settings.free_delivery_above is not None and subtotal >= settings.free_delivery_above
            return (0 if free else delivery_range.price), delivery_range.days
    raise InvalidInput("no delivery to this CEP", details=[{"field": field, "reason": "outside the delivery area"}])


def installment_options(settings: StoreSettings, total: int) -> list[Installment]:
    """1x always; up to the merchant's maximum while each instalment is at least its minimum."""
    options = [Installment(count=1, amount=total)]
    for count in range(2, settings.max_installments + 1):
        if total // count < settings.min_installment:
            break
        options.append(Installment(count=count, amount=total // count))
    return options

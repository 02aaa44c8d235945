"""Access patterns: products (with the variant index every product write keeps, see ``keys``), price tables and
prices."""

from collections.abc import Mapping

from vitrine.catalogs.models import Image, PriceTable, Product
from vitrine.repository import keys, table
from vitrine.repository.items import model_item, to_model
from vitrine.repository.table import ConditionFailed
from vitrine.repository.variant_index import known_variants

# The variant SKUs a stored product is indexed under (``VARIANT#<sku>`` items naming it).
INDEXED_VARIANTS = "indexed_variants"


def put_product(merchant_id: str, product: Product) -> None:
    """Write a whole product, and its variant index (one read of what it was indexed under)."""
    before = table.get(keys.merchant_pk(merchant_id), keys.product_sk(product.sku), attributes=[INDEXED_VARIANTS])
    _put_products(merchant_id, [(product, {})], {product.sku: (before or {}).get(INDEXED_VARIANTS)}, exclude_none=False)


def get_product(merchant_id: str, sku: str) -> Product | None:
    item = table.get(keys.merchant_pk(merchant_id), keys.product_sk(sku))
    return to_model(Product, item) if item else None


def set_product_images(merchant_id: str, sku: str, images: list[Image]) -> Product | None:
    """Replace only the product's images (an ERP sync writing its other fields meanwhile is not undone);
    ``None`` when the product does not exist. The ERP sync's hash goes: its next sync of the product writes it
    again (keeping these images unless the ERP sends its own)."""
    try:
        item = table.update(
            keys.merchant_pk(merchant_id),
            keys.product_sk(sku),
            expression="SET images = :images REMOVE content_hash",
            values={":images": [image.model_dump(mode="json", exclude_none=True) for image in images]},
            condition="attribute_exists(PK)",
        )
    except ConditionFailed:
        return None
    return to_model(Product, item)


def list_products(merchant_id: str, *, limit: int = 100, cursor: str | None = None) -> tuple[list[Product], str | None]:
    page = table.query(keys.merchant_pk(merchant_id), sk_prefix="PRODUCT#", limit=limit, cursor=cursor)
    return [to_model(Product, item) for item in page.items], page.cursor


def all_products(merchant_id: str) -> list[Product]:
    products: list[Product] = []
    cursor = None
    while True:
        page, cursor = list_products(merchant_id, limit=500, cursor=cursor)
        products.extend(page)
        if cursor is None:
            return products


def list_price_tables(merchant_id: str) -> list[PriceTable]:
    """The merchant's price tables (a handful: one query page)."""
    page = table.query(keys.merchant_pk(merchant_id), sk_prefix="PRICETABLE#", limit=100)
    return [to_model(PriceTable, item) for item in page.items]


def put_price_table(merchant_id: str, price_table: PriceTable) -> None:
    table.put(_price_table_item(merchant_id, price_table))


def put_prices(merchant_id: str, table_id: str, prices: dict[str, int]) -> None:
    for sku, price in prices.items():
        if isinstance(price, bool) or not isinstance(price, int) or price < 0:
            raise ValueError(f"price of {sku} must be non-negative integer centavos")
    table.batch_put(
        [
            {"PK": keys.prices_pk(merchant_id, table_id), "SK": sku, "type": "price", "price": price}
            for sku, price in prices.items()
        ]
    )


def all_prices(merchant_id: str, table_id: str) -> dict[str, int]:
    prices: dict[str, int] = {}
    cursor = None
    while True:
        page = table.query(keys.prices_pk(merchant_id, table_id), limit=1000, cursor=cursor)
        prices.update({item["SK"]: item["price"] for item in page.items})
        cursor = page.cursor
        if cursor is None:
            return prices


def prices_of(merchant_id: str, table_id: str, skus: list[str]) -> dict[str, int]:
    """The prices ``table_id`` has among ``skus`` (one ``BatchGetItem`` per 100 SKUs; a SKU without a price there
    is absent)."""
    found = table.batch_get([(keys.prices_pk(merchant_id, table_id), sku) for sku in skus], attributes=["price"])
    return {item["SK"]: item["price"] for item in found}


def price_table_exists(merchant_id: str, table_id: str) -> bool:
    """Whether the merchant has declared this price table (a catalog may only name one of its own)."""
    return table.get(keys.merchant_pk(merchant_id), keys.price_table_sk(table_id)) is not None


def existing_products(merchant_id: str, skus: list[str]) -> set[str]:
    """Which of ``skus`` are products of this merchant (batched reads of 100)."""
    found = table.batch_get([(keys.merchant_pk(merchant_id), keys.product_sk(sku)) for sku in skus])
    return {item["sku"] for item in found}


SYNC_MARKS = ["content_hash", "sync_job"]


def synced_products(merchant_id: str, skus: list[str]) -> dict[str, dict]:
    """The sync marks (``content_hash``, ``sync_job``) and ``indexed_variants`` of the stored products among
    ``skus``."""
    found = table.batch_get(
        [(keys.merchant_pk(merchant_id), keys.product_sk(sku)) for sku in skus],
        attributes=[*SYNC_MARKS, INDEXED_VARIANTS],
    )
    return {item["SK"].removeprefix(keys.product_sk("")): item for item in found}


def product_items(merchant_id: str, skus: list[str]) -> dict[str, dict]:
    """The stored products among ``skus``, whole."""
    found = table.batch_get([(keys.merchant_pk(merchant_id), keys.product_sk(sku)) for sku in skus])
    return {item["sku"]: item for item in found}


def put_synced_products(
    merchant_id: str, products: list[tuple[Product, dict[str, str]]], indexed: Mapping[str, list[str] | None]
) -> None:
    """Write products with the sync's marks (``vitrine.erp.delta.sync_marks``), 25 to a request, and their variant
    index. ``indexed``: what each was indexed under as stored (``synced_products``; missing: a new product)."""
    _put_products(merchant_id, products, indexed, exclude_none=True)


def _put_products(
    merchant_id: str,
    products: list[tuple[Product, dict[str, str]]],
    indexed: Mapping[str, list[str] | None],
    *,
    exclude_none: bool,
) -> None:
    """The index with the products (``keys``): only what changed costs a write. The items of variants new to
    their product go in the products' own ``BatchWriteItem`` requests, ahead of them (so they share the requests'
    rounding and are written first); each variant a product dropped is a conditional ``DeleteItem`` (rare), made
    before the product's write, which is what records its new ``indexed_variants``.
    """
    pk = keys.merchant_pk(merchant_id)
    added: dict[str, str] = {}  # variant -> product; a variant two products claim is the later one's, as its write
    dropped: list[tuple[str, str]] = []
    for product, _ in products:
        before = set(indexed.get(product.sku) or ())
        now = {variant.sku for variant in product.variants}
        added.update({variant.sku: product.sku for variant in product.variants if variant.sku not in before})
        dropped += [(sku, product.sku) for sku in sorted(before - now)]
    for sku, owner in dropped:
        # Only while it still names this product: a variant another product took keeps that product's item.
        table.delete_where(pk, keys.variant_sk(sku), condition="product_sku = :owner", values={":owner": owner})
    table.batch_put(
        _variant_items(merchant_id, added)
        + [
            model_item(product, pk=pk, sk=keys.product_sk(product.sku), item_type="product", exclude_none=exclude_none)
            | marks
            | {INDEXED_VARIANTS: [variant.sku for variant in product.variants]}
            for product, marks in products
        ]
    )


def repair_variant_index(merchant_id: str, variants: Mapping[str, str]) -> None:
    """Write the index items missing among ``variants`` (variant -> product), e.g. of products a sync wrote in a
    delivery that failed before all of its writes were done (the retry finds the products written)."""
    missing = set(variants) - known_variants(merchant_id, list(variants))
    table.batch_put(_variant_items(merchant_id, {sku: variants[sku] for sku in sorted(missing)}))


def _variant_items(merchant_id: str, variants: Mapping[str, str]) -> list[dict]:
    pk = keys.merchant_pk(merchant_id)
    return [
        {"PK": pk, "SK": keys.variant_sk(sku), "type": "variant", "product_sku": owner}
        for sku, owner in variants.items()
    ]


def synced_price_tables(merchant_id: str, table_ids: list[str]) -> dict[str, dict]:
    """The sync marks of the declared price tables among ``table_ids``."""
    found = table.batch_get(
        [(keys.merchant_pk(merchant_id), keys.price_table_sk(t)) for t in table_ids], attributes=SYNC_MARKS
    )
    return {item["SK"].removeprefix(keys.price_table_sk("")): item for item in found}


def put_synced_price_tables(merchant_id: str, price_tables: list[tuple[PriceTable, dict[str, str]]]) -> None:
    table.batch_put([_price_table_item(merchant_id, price_table) | marks for price_table, marks in price_tables])


def declare_price_table(merchant_id: str, table_id: str) -> None:
    """Declare a table named by its id, unless it exists (a concurrent sync may have named it meanwhile)."""
    table.put_new(_price_table_item(merchant_id, PriceTable(table_id=table_id, name=table_id)))


def synced_prices(merchant_id: str, prices: list[tuple[str, str]]) -> dict[tuple[str, str], dict]:
    """The sync marks, price and previous price of the stored prices among ``(table_id, sku)`` pairs."""
    found = table.batch_get(
        [(keys.prices_pk(merchant_id, table_id), sku) for table_id, sku in prices],
        attributes=[*SYNC_MARKS, "price", "previous_price"],
    )
    prefix = keys.prices_pk(merchant_id, "")
    return {(item["PK"].removeprefix(prefix), item["SK"]): item for item in found}


def put_synced_prices(merchant_id: str, prices: list[tuple[str, str, int, int | None, dict[str, str]]]) -> None:
    """Write ``(table_id, sku, price, previous_price, marks)`` prices, 25 to a request. The price replaced is
    kept beside it, so a redelivered chunk announces the same change as its first delivery did."""
    table.batch_put(
        [
            {"PK": keys.prices_pk(merchant_id, table_id), "SK": sku, "type": "price", "price": price, **marks}
            | ({"previous_price": previous} if previous is not None else {})
            for table_id, sku, price, previous, marks in prices
        ]
    )


def _price_table_item(merchant_id: str, price_table: PriceTable) -> dict:
    return model_item(
        price_table,
        pk=keys.merchant_pk(merchant_id),
        sk=keys.price_table_sk(price_table.table_id),
        item_type="price_table",
    )

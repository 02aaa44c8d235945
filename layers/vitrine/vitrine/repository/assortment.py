"""Access patterns: products, price tables and prices."""

from vitrine.catalogs.models import Image, PriceTable, Product
from vitrine.repository import keys, table
from vitrine.repository.items import to_model
from vitrine.repository.table import ConditionFailed


def put_product(merchant_id: str, product: Product) -> None:
    table.put(
        {
            "PK": keys.merchant_pk(merchant_id),
            "SK": keys.product_sk(product.sku),
            "type": "product",
            **product.model_dump(mode="json"),
        }
    )


def get_product(merchant_id: str, sku: str) -> Product | None:
    item = table.get(keys.merchant_pk(merchant_id), keys.product_sk(sku))
    return to_model(Product, item) if item else None


def set_product_images(merchant_id: str, sku: str, images: list[Image]) -> Product | None:
    """Replace only the product's images (an ERP sync writing its other fields meanwhile is not undone);
    ``None`` when the product does not exist."""
    try:
        item = table.update(
            keys.merchant_pk(merchant_id),
            keys.product_sk(sku),
            expression="SET images = :images",
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


def put_price_table(merchant_id: str, price_table: PriceTable) -> None:
    table.put(
        {
            "PK": keys.merchant_pk(merchant_id),
            "SK": keys.price_table_sk(price_table.table_id),
            "type": "price_table",
            **price_table.model_dump(mode="json"),
        }
    )


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


def price_table_exists(merchant_id: str, table_id: str) -> bool:
    """Whether the merchant has declared this price table (a catalog may only name one of its own)."""
    return table.get(keys.merchant_pk(merchant_id), keys.price_table_sk(table_id)) is not None


def existing_products(merchant_id: str, skus: list[str]) -> set[str]:
    """Which of ``skus`` are products of this merchant (batched reads of 100)."""
    found = table.batch_get([(keys.merchant_pk(merchant_id), keys.product_sk(sku)) for sku in skus])
    return {item["sku"] for item in found}

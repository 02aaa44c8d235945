"""Small, explicit merchant data for integration tests (the demo seed is for people)."""

from vitrine.catalogs.models import (
    Catalog,
    CatalogSelection,
    CatalogStatus,
    Image,
    Product,
    StockLevel,
    Variant,
)
from vitrine.repository import assortment, catalogs, stock


def publish_small_catalog(*, published: bool = True, merchant_id: str = "m1", slug: str = "loja") -> Catalog:
    products = [
        Product(
            sku="CAM",
            name="Camiseta",
            variants=[Variant(sku="CAM-P", size="P"), Variant(sku="CAM-M", size="M")],
            images=[Image(key="m1/CAM.jpg", width=600, height=600)],
        ),
        Product(sku="SOLD", name="Esgotado", variants=[Variant(sku="SOLD-U", size="U")]),
    ]
    for product in products:
        assortment.put_product(merchant_id, product)
    assortment.put_prices(merchant_id, "varejo", {"CAM": 4990, "SOLD": 1000})
    stock.set_stock(merchant_id, StockLevel(store_code="9900", sku="CAM-P", on_hand=3, sequence=1))
    stock.set_stock(merchant_id, StockLevel(store_code="9900", sku="SOLD-U", on_hand=0, sequence=1))
    catalog = Catalog(
        catalog_id="c-loja",
        merchant_id=merchant_id,
        slug=slug,
        title="Loja",
        description="Teste",
        status=CatalogStatus.PUBLISHED if published else CatalogStatus.DRAFT,
        price_table_id="varejo",
        store_codes=["9900"],
        selection=CatalogSelection(all_active_online=True),
    )
    catalogs.create_catalog(catalog)
    return catalog

"""Which products a shopper sees in a catalog: selection, price table, minimum stock, display order."""

from vitrine.catalogs.models import Catalog, CatalogSelection, CatalogStatus, Product, StockLevel, Variant
from vitrine.catalogs.visibility import available_by_variant, visible_products


def product(sku, name=None, classifiers=("Vestuário", "Camisetas"), active=True, variants=None):
    return Product(
        sku=sku,
        name=name or sku,
        classifiers=list(classifiers),
        active_online=active,
        variants=variants or [Variant(sku=f"{sku}-P", size="P"), Variant(sku=f"{sku}-M", size="M")],
    )


def catalog(**overrides):
    fields = dict(
        catalog_id="c1",
        merchant_id="m1",
        slug="demo",
        title="Demo",
        status=CatalogStatus.PUBLISHED,
        price_table_id="varejo",
        store_codes=["9900"],
        min_stock_to_show=1,
        selection=CatalogSelection(all_active_online=True),
    )
    fields.update(overrides)
    return Catalog(**fields)


def test_products_without_a_price_in_the_catalogs_table_are_hidden():
    shown = visible_products(catalog(), [product("A"), product("B")], {"A": 1000}, {"A-P": 1, "B-P": 1})
    assert [p.sku for p in shown] == ["A"]


def test_minimum_stock_to_show_counts_all_variants():
    c = catalog(min_stock_to_show=3)
    shown = visible_products(c, [product("A"), product("B")], {"A": 1, "B": 1}, {"A-P": 2, "A-M": 1, "B-P": 2})
    assert [p.sku for p in shown] == ["A"]
    assert shown[0].available == 3


def test_zero_minimum_shows_sold_out_products():
    shown = visible_products(catalog(min_stock_to_show=0), [product("A")], {"A": 1}, {})
    assert [(p.sku, p.available) for p in shown] == [("A", 0)]


def test_explicit_skus_select_even_products_not_active_online():
    c = catalog(selection=CatalogSelection(skus=["B"]))
    shown = visible_products(c, [product("A"), product("B", active=False)], {"A": 1, "B": 1}, {"A-P": 1, "B-P": 1})
    assert [p.sku for p in shown] == ["B"]


def test_classifier_path_selects_by_prefix():
    c = catalog(selection=CatalogSelection(classifier_path=["Calçados"]))
    products = [product("A"), product("T", classifiers=["Calçados", "Tênis"])]
    assert [p.sku for p in visible_products(c, products, {"A": 1, "T": 1}, {"A-P": 1, "T-P": 1})] == ["T"]


def test_display_order_first_then_by_name():
    c = catalog(display_order=["Z"])
    products = [product("B", name="banana"), product("Z", name="zebra"), product("A", name="Abacate")]
    stock = {f"{s}-P": 1 for s in "ABZ"}
    assert [p.sku for p in visible_products(c, products, {"A": 1, "B": 1, "Z": 1}, stock)] == ["Z", "A", "B"]


def test_price_is_shown_in_reais():
    (shown,) = visible_products(catalog(), [product("A")], {"A": 123456}, {"A-P": 1})
    assert (shown.price, shown.price_display) == (123456, "R$ 1.234,56")


def test_availability_sums_only_the_catalogs_stores_and_never_goes_negative():
    levels = [
        StockLevel(store_code="9900", sku="A-P", on_hand=5, reserved=2),
        StockLevel(store_code="0001", sku="A-P", on_hand=4),
        StockLevel(store_code="9900", sku="A-M", on_hand=1, reserved=3),
    ]
    assert available_by_variant(levels, ["9900"]) == {"A-P": 3, "A-M": 0}
    assert available_by_variant(levels, ["9900", "0001"]) == {"A-P": 7, "A-M": 0}

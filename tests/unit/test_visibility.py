"""Which products a shopper sees in a catalog: selection, price table, minimum stock, display order."""

from vitrine.catalogs.models import Catalog, CatalogSelection, CatalogStatus, Product, StockLevel, Variant
from vitrine.catalogs.stores import Fulfilments
from vitrine.catalogs.visibility import available_by_store
from vitrine.catalogs.visibility import visible_products as visible_at

ONLINE = Fulfilments(delivery="9900", pickup=())


def visible_products(catalog, products, prices, online_stock, where=ONLINE):
    """``online_stock``: units by variant at the online store, which ships (the catalog's only store)."""
    return visible_at(catalog, products, prices, {("9900", sku): n for sku, n in online_stock.items()}, where)


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


def test_availability_is_counted_per_fulfilment_never_summed_and_never_negative():
    levels = [
        StockLevel(store_code="9900", sku="A-P", on_hand=5, reserved=2),
        StockLevel(store_code="0001", sku="A-P", on_hand=4),
        StockLevel(store_code="9900", sku="A-M", on_hand=1, reserved=3),
    ]
    c = catalog(store_codes=["9900", "0001"])
    where = Fulfilments(delivery="9900", pickup=("0001",))
    (shown,) = visible_at(c, [product("A")], {"A": 1}, available_by_store(levels), where)
    p, m = shown.variants
    assert (p.delivery, p.pickup, p.available) == (3, {"0001": 4}, 4)  # one order gets 3 delivered or 4 picked up
    assert (m.delivery, m.pickup, m.available) == (0, {"0001": 0}, 0)
    assert shown.available == 4


def test_a_catalog_that_does_not_deliver_offers_only_its_pickup_stores():
    levels = [StockLevel(store_code="9900", sku="A-P", on_hand=5), StockLevel(store_code="0001", sku="A-P", on_hand=1)]
    where = Fulfilments(delivery=None, pickup=("0001",))
    (shown,) = visible_at(catalog(store_codes=["0001"]), [product("A")], {"A": 1}, available_by_store(levels), where)
    assert [(v.delivery, v.pickup, v.available) for v in shown.variants] == [(0, {"0001": 1}, 1), (0, {"0001": 0}, 0)]


def test_counts_stop_at_what_one_order_can_buy_and_the_minimum_to_show_still_holds():
    where = Fulfilments(delivery="9900", pickup=("0001",))
    stock = {("9900", "A-P"): 5000, ("0001", "A-P"): 1200, ("9900", "A-M"): 800, ("0001", "A-M"): 3}
    (shown,) = visible_at(catalog(store_codes=["9900", "0001"]), [product("A")], {"A": 1000}, stock, where)
    by_sku = {v.sku: v for v in shown.variants}
    assert (by_sku["A-P"].available, by_sku["A-P"].delivery, by_sku["A-P"].pickup) == (999, 999, {"0001": 999})
    assert (by_sku["A-M"].available, by_sku["A-M"].delivery, by_sku["A-M"].pickup) == (800, 800, {"0001": 3})
    assert shown.available == 999
    # A threshold past the cap is held against the exact count: 5,800 units by the best fulfilment of each variant.
    high = catalog(store_codes=["9900", "0001"], min_stock_to_show=5800)
    assert [p.available for p in visible_at(high, [product("A")], {"A": 1000}, stock, where)] == [5800]
    assert visible_at(catalog(min_stock_to_show=5801), [product("A")], {"A": 1000}, stock, where) == []


def test_the_catalogs_count_cap_is_the_most_units_an_order_line_holds():
    from vitrine.catalogs.models import MAX_QUANTITY
    from vitrine.orders import models as orders

    assert MAX_QUANTITY == orders.MAX_QUANTITY

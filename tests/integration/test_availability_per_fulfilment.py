"""What a catalog shows as available is what one order can buy (issue 14 item 4): a delivery ships every unit from
the catalog's shipping store, a pickup takes them from its store, so the page counts per fulfilment, as the quote
and the checkout do, and never the stores summed."""

import json

from infra_fixtures import publish_small_catalog
from lambda_harness import http, json_body
from test_storefront_page import get_page

from vitrine.catalogs.models import Catalog, CatalogSelection, CatalogStatus, Product, StockLevel, Variant
from vitrine.repository import assortment, catalogs, stock


def variants_shown(slug: str = "loja") -> dict[str, dict]:
    catalog = json_body(http("GET", f"/api/catalogs/{slug}"))
    return {v["sku"]: v for p in catalog["products"] for v in p["variants"]}


def quoted_short(sku: str, quantity: int, **where) -> list[dict]:
    body = {"catalog": "loja", "lines": [{"product_sku": "CAM", "sku": sku, "quantity": quantity}], **where}
    response = http("POST", "/api/carts/quote", body=json.dumps(body))
    assert response["statusCode"] == 200, response["body"]
    return json_body(response)["short_lines"]


def test_each_variant_shows_what_delivery_and_each_pickup_store_can_sell_and_the_quote_agrees(stack):
    # Given the online store (it ships) holds 3 of size P and none of M, and the Centro store (pickup) 5 of M
    publish_small_catalog()
    shown = variants_shown()
    # Then P is for delivery only and M for pickup only, never "8 available"
    assert {k: shown["CAM-P"][k] for k in ("delivery", "pickup", "available")} == {
        "delivery": 3,
        "pickup": {"0001": 0},
        "available": 3,
    }
    assert {k: shown["CAM-M"][k] for k in ("delivery", "pickup", "available")} == {
        "delivery": 0,
        "pickup": {"0001": 5},
        "available": 5,
    }
    # and the checkout's quote says the same for each fulfilment: all of it, and not one more
    for sku, variant in shown.items():
        if sku.startswith("CAM"):
            assert quoted_short(sku, max(variant["delivery"], 1), cep="01310-100") == (
                [] if variant["delivery"] else [{"sku": sku, "requested": 1, "available": 0}]
            )
            assert quoted_short(sku, variant["delivery"] + 1, cep="01310-100")[0]["available"] == variant["delivery"]
            at_centro = variant["pickup"]["0001"]
            assert quoted_short(sku, at_centro + 1, pickup_store="0001")[0]["available"] == at_centro


def test_min_stock_to_show_counts_what_one_order_can_buy_not_the_stores_summed(stack):
    # Given a catalog that shows products with at least 2 units, and a product with 1 unit online and 1 at Centro
    publish_small_catalog()
    catalogs.create_catalog(
        Catalog(
            catalog_id="c-min",
            merchant_id="m1",
            slug="minimo",
            title="Mínimo",
            status=CatalogStatus.PUBLISHED,
            price_table_id="varejo",
            store_codes=["9900", "0001"],
            min_stock_to_show=2,
            selection=CatalogSelection(all_active_online=True),
        )
    )
    assortment.put_product("m1", Product(sku="BON", name="Boné", variants=[Variant(sku="BON-U", size="U")]))
    assortment.put_prices("m1", "varejo", {"BON": 3990})
    stock.set_stock("m1", StockLevel(store_code="9900", sku="BON-U", on_hand=1, sequence=1))
    stock.set_stock("m1", StockLevel(store_code="0001", sku="BON-U", on_hand=1, sequence=1))
    # Then it is not shown: no single order can have 2 of it
    assert "BON-U" not in variants_shown("minimo")
    # When Centro counts a second unit, a pickup there can: it shows
    stock.set_stock("m1", StockLevel(store_code="0001", sku="BON-U", on_hand=2, sequence=2))
    assert variants_shown("minimo")["BON-U"]["pickup"] == {"0001": 2}


def test_a_product_only_pickup_can_sell_says_so_on_its_card(stack):
    # Given a product whose only units are at the Centro store, which does not ship
    publish_small_catalog()
    assortment.put_product("m1", Product(sku="BOL", name="Bolsa", variants=[Variant(sku="BOL-U", colour="Preto")]))
    assortment.put_prices("m1", "varejo", {"BOL": 9990})
    stock.set_stock("m1", StockLevel(store_code="0001", sku="BOL-U", on_hand=2, sequence=1))
    response, page = get_page("/c/loja")
    card = response["body"][response["body"].index('data-sku="BOL"') :]
    assert '<p class="variants">Preto · Só para retirada</p>' in card[: card.index("</article>")]
    # and its data gives the script the units per fulfilment: none to deliver, 2 at the page's first pickup store
    (bag,) = [p for p in page.data()["products"] if p[0] == "BOL"]
    assert page.data()["stores"][0][0] == "0001" and bag[5] == [[None], ["Preto"], [["~U", 0, 0, 0, 2]]]

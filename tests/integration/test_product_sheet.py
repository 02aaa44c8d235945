"""The product sheet's description and gallery (issue 14 item 8): from the ERP (API and CSV) to what a shopper's
page and the JSON API carry, at most 10 images everywhere, and a catalog page that stays light."""

import json

import pytest
from infra_fixtures import create_erp_ingest_queue, publish_small_catalog
from lambda_harness import http, json_body
from test_erp_ingest import Erp, product
from test_merchant_catalogs import merchant
from test_storefront_page import HOSTILE, get_page

from vitrine.auth.api_keys import issue_api_key
from vitrine.catalogs.models import Image, Product, StockLevel, Variant
from vitrine.repository import assortment, stock

DESCRIPTION = "Tecido leve, 100% linho.\n\nLavar à mão.\nNão usar secadora."
GALLERY = [
    {"url": f"https://cdn.loja.com.br/linho-{n}.jpg", "width": 800, "height": 600 + n, "content_type": "image/jpeg"}
    for n in range(3)
]


@pytest.fixture
def ingest(stack, monkeypatch) -> Erp:
    """The ERP ingest queue and an ``erp`` key of the small catalog's merchant (its stores come with the catalog)."""
    publish_small_catalog()
    return Erp(create_erp_ingest_queue(monkeypatch), {"m1": issue_api_key("m1", scopes=["erp"], name="erp")})


def on_sale(sku: str, price: int = 15990) -> None:
    """``sku`` priced at the small catalog's table, with a unit in its online store."""
    assortment.put_prices("m1", "varejo", {sku: price})
    stock.set_stock("m1", StockLevel(store_code="9900", sku=f"{sku}-P", on_hand=2, sequence=1))


def shown(sku: str) -> dict:
    (found,) = [p for p in json_body(http("GET", "/api/catalogs/loja"))["products"] if p["sku"] == sku]
    return found


def test_the_erps_description_and_gallery_reach_the_shoppers_json_as_sent(ingest):
    # Given a published catalog, and the ERP sends a product with a description over several lines and 3 images
    report = ingest.sync(
        "/erp/v1/products", [product("LIN", "Camisa de Linho", description=DESCRIPTION, images=GALLERY)]
    )
    assert report["counts"]["applied"] == 1, report
    on_sale("LIN")
    # When a shopper's page asks for the catalog
    linho = shown("LIN")
    # Then the description keeps its line breaks, and the gallery its order, sizes and the merchant's own URLs
    assert linho["description"] == DESCRIPTION
    assert [(i["src"], i["width"], i["height"]) for i in linho["images"]] == [
        (i["url"], i["width"], i["height"]) for i in GALLERY
    ]
    assert linho["image"]["url"] == GALLERY[0]["url"]  # the grid's card still shows the first


def test_a_csv_description_keeps_its_line_breaks_and_its_image_rows_make_the_gallery(ingest):
    rows = [f'LIN,Camisa de Linho,"{DESCRIPTION}",{i["url"]},{i["width"]},{i["height"]}' for i in GALLERY]
    text = "sku,name,description,image_url,image_width,image_height\n" + "\n".join(rows) + "\n"
    report = ingest.sync("/erp/v1/products/csv", None, body=text, content_type="text/csv")
    assert report["counts"]["rejected"] == 0, report
    stored = assortment.get_product("m1", "LIN")
    assert stored.description == DESCRIPTION
    assert [image.url for image in stored.images] == [image["url"] for image in GALLERY]


def test_a_product_has_at_most_10_images_whichever_way_they_come(ingest):
    eleven = [{"url": f"https://cdn.loja.com.br/{n}.jpg", "width": 10, "height": 10} for n in range(11)]
    # The ERP's API: that item is rejected, naming the field, and nothing is written
    report = ingest.sync("/erp/v1/products", [product("MUITAS", images=eleven), product("OK", images=eleven[:10])])
    (result,) = report["results"]
    assert (result["ref"], result["status"], result["errors"][0]["field"]) == ("MUITAS", "rejected", "images")
    assert "at most 10" in result["errors"][0]["reason"]
    assert assortment.get_product("m1", "MUITAS") is None and len(assortment.get_product("m1", "OK").images) == 10
    # A CSV: the row of the 11th image is the one named (the file has no other item: nothing is queued)
    text = "sku,name,image_url,image_width,image_height\n" + "".join(f"CSV,Muitas,{i['url']},10,10\n" for i in eleven)
    response = ingest.post("/erp/v1/products/csv", None, body=text, content_type="text/csv")
    assert response["statusCode"] == 422
    assert [d["field"] for d in json_body(response)["error"]["details"]] == ["line.12.image_url"]
    # The merchant's own route: a 422 naming the list, and the product keeps its images
    headers = merchant("m3")
    body = json.dumps({"images": [{k: v for k, v in i.items()} for i in eleven]})
    response = http("PUT", "/merchant/v1/products/CAM/images", headers=headers, body=body)
    assert response["statusCode"] == 422
    assert [d["field"] for d in json_body(response)["error"]["details"]] == ["body.images"]
    assert [i.key for i in assortment.get_product("m3", "CAM").images] == ["merchants/m3/products/CAM/1.jpg"]
    # and the domain model itself holds no more than 10
    with pytest.raises(ValueError, match="at most 10"):
        Product(sku="X", name="X", variants=[Variant(sku="X")], images=[Image(**i) for i in eleven])


def put_linen(description: str = DESCRIPTION) -> None:
    images = [Image(key=f"merchants/m1/products/LIN/{n}.jpg", width=600, height=600) for n in range(3)]
    variants = [Variant(sku="LIN-P", size="P")]
    assortment.put_product(
        "m1", Product(sku="LIN", name="Camisa de Linho", description=description, variants=variants, images=images)
    )
    on_sale("LIN")


def test_the_catalog_page_carries_no_descriptions_and_a_product_link_its_own_description_and_gallery(stack):
    # Given a catalog with a product that has a description and three photos in the bucket
    publish_small_catalog()
    put_linen()
    # When the catalog link opens: the grid's cards have their first photo, and no description weighs on the page
    response, page = get_page("/c/loja")
    assert "Tecido leve" not in response["body"]
    assert page.data()["details"] == [] and page.data()["preview"] is False
    card = next(p for p in page.data()["products"] if p[0] == "LIN")
    assert len(card) == 6  # sku, name, brand, classifiers, price, variants: the image is the card's <img>
    # When the product's own link opens: its description and whole gallery are in the page, in order and sized
    _, page = get_page("/c/loja/p/LIN")
    gallery = [[f"/img/merchants/m1/products/LIN/{n}.jpg", 600, 600] for n in range(3)]
    assert page.data()["details"] == [["LIN", DESCRIPTION, gallery]]
    # and its preview text starts with the price and the catalog, then the description on one line
    assert page.meta["og:description"] == "R$ 159,90 · Loja · Tecido leve, 100% linho. Lavar à mão. Não usar secadora."


def test_a_long_description_is_cut_at_a_word_in_the_preview_and_whole_in_the_sheet(stack):
    publish_small_catalog()
    long = "Camisa " + "muito confortável " * 20
    put_linen(long)
    _, page = get_page("/c/loja/p/LIN")
    preview = page.meta["og:description"].split(" · ", 2)[2]
    cut = preview.removesuffix("…")
    assert len(cut) <= 150 and long.startswith(cut) and long[len(cut)] == " "  # a whole word, then "…"
    assert page.data()["details"][0][1] == long


def test_a_hostile_description_is_text_in_the_pages_data_never_markup(stack):
    publish_small_catalog()
    put_linen(HOSTILE)
    response, page = get_page("/c/loja/p/LIN")
    assert "<script>alert" not in response["body"] and "<img src=x" not in response["body"]
    assert page.tags.count("script") == 2
    assert page.data()["details"][0][1] == HOSTILE
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in response["body"]  # the preview's excerpt, escaped


def test_the_json_gives_every_image_a_lasting_url_on_the_public_origin_that_the_image_route_serves(stack):
    publish_small_catalog()
    put_linen()
    srcs = [image["src"] for image in shown("LIN")["images"]]
    assert srcs == [f"https://vitrine.example.com/img/merchants/m1/products/LIN/{n}.jpg" for n in range(3)]
    assert all("X-Amz" not in src for src in srcs)
    served = http("GET", srcs[1].removeprefix("https://vitrine.example.com"))
    assert served["statusCode"] == 302 and "merchants/m1/products/LIN/1.jpg" in served["headers"]["Location"]

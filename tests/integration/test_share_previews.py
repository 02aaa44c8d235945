"""Share previews (issue 14 item 11): the link preview's lasting image, the shop's name and the product's price;
and a merchant's signed preview link of a catalog before it is published."""

import urllib.parse
from datetime import UTC, datetime, timedelta

import pytest
from infra_fixtures import publish_small_catalog
from lambda_harness import http, json_body
from test_checkout import CHECKOUT, checkout
from test_merchant_catalogs import create, merchant
from test_storefront_page import Page, get_page

from vitrine.merchants import Merchant
from vitrine.repository import merchants

STABLE_IMAGE = "https://vitrine.example.com/img/merchants/m1/products/CAM/1.jpg"


def trading_as(name: str, merchant_id: str = "m1") -> None:
    merchants.put_merchant(Merchant(merchant_id=merchant_id, name=name, cnpj="11222333000181"))


def test_a_product_links_preview_has_a_lasting_image_the_shops_name_and_the_price(stack):
    # Given a published catalog of a merchant trading as "Casa Exemplo"
    publish_small_catalog()
    trading_as("Casa Exemplo")
    # When WhatsApp reads a product's share link
    _, page = get_page("/c/loja/p/CAM")
    meta = page.meta
    # Then its picture is the image's lasting URL on the public origin, not a signed URL that expires in hours
    assert meta["og:image"] == STABLE_IMAGE
    assert (meta["og:image:type"], meta["og:image:width"], meta["og:image:height"]) == ("image/jpeg", "600", "600")
    assert meta["og:image:alt"] == "Camiseta"
    # and it says whose shop it is, that it is a product, and its price in decimal reais
    assert (meta["og:site_name"], meta["og:type"]) == ("Casa Exemplo", "product")
    assert (meta["product:price:amount"], meta["product:price:currency"]) == ("49.90", "BRL")
    # When the preview fetcher loads that picture, the image route sends it to a freshly signed bucket URL
    served = http("GET", urllib.parse.urlsplit(meta["og:image"]).path)
    assert served["statusCode"] == 302
    signed = urllib.parse.urlsplit(served["headers"]["Location"])
    assert signed.path.endswith("/merchants/m1/products/CAM/1.jpg") and "X-Amz-Signature" in signed.query


def test_the_catalog_links_preview_is_a_website_with_the_shops_name_and_no_price(stack):
    publish_small_catalog()
    trading_as("Casa Exemplo")
    _, page = get_page("/c/loja")
    assert page.meta["og:image"] == STABLE_IMAGE  # no cover: the first product's photo
    assert (page.meta["og:site_name"], page.meta["og:type"]) == ("Casa Exemplo", "website")
    assert "product:price:amount" not in page.meta and "robots" not in page.meta


def test_a_shop_without_a_merchant_record_has_no_site_name_rather_than_a_wrong_one(stack):
    publish_small_catalog()
    _, page = get_page("/c/loja/p/CAM")
    assert "og:site_name" not in page.meta and page.meta["og:title"] == "Camiseta"


# ---------------------------------------------------------------- preview links of a catalog not published yet


def preview(headers: dict[str, str], catalog_id: str) -> dict:
    response = http("POST", f"/merchant/v1/catalogs/{catalog_id}/preview", headers=headers)
    assert response["statusCode"] == 200, response["body"]
    return json_body(response)


def open_link(url: str) -> dict:
    return http("GET", urllib.parse.urlsplit(url).path)


def test_a_draft_opens_through_its_signed_preview_link_marked_as_such_and_unable_to_sell(stack):
    # Given a merchant's draft catalog
    headers = merchant("m1")
    draft = create(headers)
    assert draft["status"] == "draft" and http("GET", "/c/verao")["statusCode"] == 404
    # When the merchant asks for its preview link
    before = datetime.now(UTC)
    link = preview(headers, draft["catalog_id"])
    # Then it is a link on the public origin, under the catalog's slug, valid for a day
    assert link["preview_url"].startswith("https://vitrine.example.com/c/verao/previa/")
    expires_at = datetime.fromisoformat(link["expires_at"])
    assert before + timedelta(hours=23, minutes=59) < expires_at <= datetime.now(UTC) + timedelta(hours=24)
    # When it is opened, the draft's page shows its products under a banner saying it is a preview
    response = open_link(link["preview_url"])
    assert response["statusCode"] == 200
    page = Page(response["body"])
    assert "Prévia — catálogo não publicado" in response["body"]
    assert [p[0] for p in page.data()["products"]] == ["CAM"]
    # and no search engine indexes it, no cache keeps it
    assert page.meta["robots"] == "noindex"
    assert response["headers"]["Cache-Control"] == "private, no-store"
    assert response["headers"]["Referrer-Policy"] == "strict-origin-when-cross-origin"  # the token stays here
    assert "default-src 'none'" in response["headers"]["Content-Security-Policy"]
    # and it offers nothing to buy: no cart, no add button, no share link (the public link is still a 404)
    for element in ("cartbtn", "sh-add", "sh-share", "who"):
        assert "hidden" in page.ids[element], element
    assert "disabled" in page.ids["go"]
    assert page.data()["preview"] is True and page.data()["next"] is None
    assert page.data()["details"] == [["CAM", "", [["/img/merchants/m1/products/CAM/1.jpg", 600, 600]]]]
    # and checkout refuses the draft whatever a page sends
    refused = checkout({**CHECKOUT, "catalog": "verao"})
    assert refused["statusCode"] == 404 and json_body(refused)["error"]["code"] == "not_found"


def test_a_published_catalog_previews_too_and_its_banner_says_it_is_live(stack):
    headers = merchant("m1")
    link = preview(headers, "c-loja")  # publish_small_catalog's, published
    response = open_link(link["preview_url"])
    assert response["statusCode"] == 200 and "Prévia — catálogo já publicado" in response["body"]


def test_a_forged_expired_or_other_catalogs_token_is_the_same_404_as_a_catalog_that_does_not_exist(stack):
    from vitrine.auth.preview_tokens import preview_token

    # Given two catalogs of the merchant, one a draft, and the 404 page of a slug that does not exist
    headers = merchant("m1")
    draft = create(headers)
    path = urllib.parse.urlsplit(preview(headers, draft["catalog_id"])["preview_url"]).path
    token = path.rsplit("/", 1)[1]
    nowhere = http("GET", "/c/sumiu")
    assert nowhere["statusCode"] == 404
    expired, _ = preview_token("m1", draft["catalog_id"], now=datetime.now(UTC) - timedelta(hours=25))
    other, _ = preview_token("m1", "c-loja")
    stranger, _ = preview_token("m2", draft["catalog_id"])
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for bad in (
        f"/c/verao/previa/{expired}",  # expired a hour ago
        f"/c/verao/previa/{other}",  # made for the merchant's other catalog
        f"/c/verao/previa/{stranger}",  # made for this catalog id under another merchant
        f"/c/verao/previa/{forged}",  # its signature changed
        f"/c/loja-m1/previa/{token}",  # a good token on another catalog's slug
        f"/c/sumiu/previa/{token}",  # a slug that does not exist
        "/c/verao/previa/not-a-token",
        f"/c/Verao/previa/{token}",
    ):
        response = http("GET", bad)
        # Then each is answered exactly as a catalog that does not exist: nothing tells them apart
        assert (response["statusCode"], response["body"]) == (404, nowhere["body"]), bad
    assert http("GET", path)["statusCode"] == 200


def test_only_the_catalogs_merchant_gets_its_preview_link(stack):
    headers = merchant("m1")
    draft = create(headers)
    assert http("POST", f"/merchant/v1/catalogs/{draft['catalog_id']}/preview")["statusCode"] == 401
    someone_else = merchant("m2")
    response = http("POST", f"/merchant/v1/catalogs/{draft['catalog_id']}/preview", headers=someone_else)
    assert response["statusCode"] == 404 and json_body(response)["error"]["code"] == "not_found"


@pytest.mark.parametrize("catalog_id", ["nope", "a" * 65, "bad id"])
def test_a_preview_of_a_catalog_that_is_not_there_is_a_404(stack, catalog_id):
    headers = merchant("m1")
    response = http("POST", f"/merchant/v1/catalogs/{urllib.parse.quote(catalog_id)}/preview", headers=headers)
    assert response["statusCode"] == 404

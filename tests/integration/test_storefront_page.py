"""The catalog page and a product's share link, through the catalog_api handler: previews, markup, weight, safety."""

import base64
import hashlib
import json
import re
import urllib.parse
from html.parser import HTMLParser

import pytest
from demo_snapshot import seeded_demo
from infra_fixtures import publish_small_catalog
from lambda_harness import http, json_body

from vitrine.catalogs.models import FulfilmentKind, Image, Product, StockLevel, Store, Variant
from vitrine.payments.settings import reset_gateway_settings
from vitrine.repository import assortment, stock, stores

PAGE_BUDGET_BYTES = 50 * 1000
HOSTILE = "</script><script>alert(1)</script><img src=x onerror=alert(2)> \"'&"


class Page(HTMLParser):
    """What a link preview and a browser read from the page: meta tags, elements by id, inline scripts."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.ids: dict[str, dict[str, str | None]] = {}
        self.images: list[dict[str, str | None]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.styles: list[str] = []
        self.tags: list[str] = []
        self._open: tuple[str, dict[str, str | None]] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append(tag)
        if tag == "meta" and (attributes.get("property") or attributes.get("name")):
            self.meta[attributes.get("property") or attributes["name"]] = attributes.get("content") or ""
        if attributes.get("id"):
            self.ids[attributes["id"]] = attributes
        if tag == "img":
            self.images.append(attributes)
        if tag in ("script", "style"):
            self._open = (tag, attributes)

    def handle_data(self, data):
        if self._open is not None:
            tag, attributes = self._open
            (self.scripts.append((attributes, data)) if tag == "script" else self.styles.append(data))
            self._open = None

    def handle_endtag(self, tag):
        if self._open is not None and self._open[0] == tag == "script":  # an empty element: <script src=…>
            self.scripts.append((self._open[1], ""))
            self._open = None

    def data(self) -> dict:
        (payload,) = [text for attributes, text in self.scripts if attributes.get("type") == "application/json"]
        return json.loads(payload)

    def code(self) -> str:
        """The page's script, as the browser fetches it from the ``src`` the page names."""
        (src,) = [attributes["src"] for attributes, _ in self.scripts if "type" not in attributes]
        response = http("GET", src)
        assert response["statusCode"] == 200, src
        return response["body"]


def get_page(path: str) -> tuple[dict, Page]:
    response = http("GET", path)
    return response, Page(response["body"])


def test_the_catalog_page_has_a_whatsapp_preview_and_a_content_policy(stack):
    # Given a published catalog
    publish_small_catalog()
    # When its share link is opened
    response, page = get_page("/c/loja")
    # Then it is a pt-BR page whose Open Graph tags describe the catalog
    assert response["statusCode"] == 200
    assert response["body"].startswith('<!doctype html><html lang="pt-BR">')
    assert page.meta["og:title"] == "Loja"
    assert page.meta["og:description"] == "Teste"
    assert page.meta["og:url"] == "https://vitrine.example.com/c/loja"
    assert "merchants/m1/products/CAM/1.jpg" in page.meta["og:image"]
    assert (page.meta["og:image:width"], page.meta["og:image:height"]) == ("600", "600")
    # and only its own inline style (its hash) and scripts of its own origin may run: no inline script at all
    policy = response["headers"]["Content-Security-Policy"]
    digest = base64.b64encode(hashlib.sha256(page.styles[0].encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in policy and "script-src 'self';" in policy
    assert [text.strip() for attributes, text in page.scripts if "type" not in attributes] == [""]
    assert "default-src 'none'" in policy and "form-action 'none'" in policy


def test_the_pages_script_is_a_file_of_its_own_cached_for_good_under_its_digest(stack):
    publish_small_catalog()
    _, page = get_page("/c/loja")
    (src,) = [attributes["src"] for attributes, _ in page.scripts if "type" not in attributes]
    assert re.fullmatch(r"/s/catalog\.[0-9a-f]{12}\.js", src)
    script = http("GET", src)
    assert script["statusCode"] == 200 and "JSON.parse" in script["body"]
    assert script["headers"]["Cache-Control"] == "public, max-age=31536000, immutable"
    assert script["headers"]["Content-Type"].startswith("text/javascript")
    assert script["headers"]["X-Content-Type-Options"] == "nosniff"
    # a page a cache kept from before a release still gets a script (the current one), only briefly cacheable
    stale = http("GET", "/s/catalog.000000000000.js")
    assert stale["statusCode"] == 200 and stale["body"] == script["body"]
    assert stale["headers"]["Cache-Control"] == "public, max-age=300"
    # and a name that is no page's script is a 404 that serves no file
    for name in ("catalog.js", "..%2Fapp.py", "admin.0123456789ab.js", "catalog.0123456789AB.js"):
        assert http("GET", f"/s/{name}")["statusCode"] == 404, name


def test_the_grid_shows_sized_lazy_images_prices_in_reais_and_the_cart_button_first(stack):
    publish_small_catalog()
    response, page = get_page("/c/loja")
    body = response["body"]
    (image,) = page.images
    assert (image["width"], image["height"], image["loading"]) == ("600", "600", "lazy")
    assert image["alt"] == ""  # the name follows as the card's heading
    assert "R$ 49,90" in body
    # The cart button is the first control in the page, so it sits in the upper-left corner of the header.
    assert body.index('id="cartbtn"') < body.index("<h1>") < body.index('id="grid"')
    assert page.ids["count"] is not None


def test_the_variant_grid_carries_each_sizes_availability_in_grid_order(stack):
    # Given a product whose M is sold out
    publish_small_catalog()
    grid = [Variant(sku=f"TEE-{size}", size=size, colour="Preto") for size in ("P", "M", "G", "GG")]
    assortment.put_product("m1", Product(sku="TEE", name="Camiseta Grade", variants=grid))
    assortment.put_prices("m1", "varejo", {"TEE": 2990})
    for size, on_hand in (("P", 1), ("M", 0), ("G", 2), ("GG", 1)):
        stock.set_stock("m1", StockLevel(store_code="9900", sku=f"TEE-{size}", on_hand=on_hand, sequence=1))
    response, page = get_page("/c/loja")
    # Then the card lists what can be bought, and the page's data lets the picker disable the sold-out size
    card = response["body"][response["body"].index('data-sku="TEE"') :]
    assert '<p class="variants">P, G, GG · Preto</p>' in card[: card.index("</article>")]
    (tee,) = [p for p in page.data()["products"] if p[0] == "TEE"]
    # (the grid's sizes and colours once, then each variant: its SKU, which extends the product's, travels as
    # "~<rest>", then its size and colour by their place in those lists, the units for delivery, and the units at
    # each pickup store of the page's "stores": here the online store ships and the Centro store has none)
    assert page.data()["stores"] == [["0001", "Centro", None, None]]
    assert tee[5] == [
        ["P", "M", "G", "GG"],
        ["Preto"],
        [["~P", 0, 0, 1, 0], ["~M", 1, 0, 0, 0], ["~G", 2, 0, 2, 0], ["~GG", 3, 0, 1, 0]],
    ]


def test_a_product_link_has_its_own_preview_and_opens_the_page_on_that_product(stack):
    publish_small_catalog()
    response, page = get_page("/c/loja/p/CAM")
    assert response["statusCode"] == 200
    assert page.meta["og:title"] == "Camiseta"
    assert page.meta["og:description"] == "R$ 49,90 · Loja"
    assert page.meta["og:url"] == "https://vitrine.example.com/c/loja/p/CAM"
    assert page.meta["og:type"] == "product"
    assert "merchants/m1/products/CAM/1.jpg" in page.meta["og:image"]
    assert page.data()["open"] == "CAM"
    assert page.data()["url"] == "https://vitrine.example.com/c/loja"


def test_a_product_link_to_a_product_the_catalog_no_longer_shows_is_a_portuguese_404(stack):
    publish_small_catalog()
    for path, text in (("/c/loja/p/SOLD", "Produto indisponível"), ("/c/loja/p/NOPE", "Produto indisponível")):
        response = http("GET", path)
        assert response["statusCode"] == 404
        assert text in response["body"] and 'href="https://vitrine.example.com/c/loja"' in response["body"]
    response = http("GET", "/c/sumiu/p/CAM")
    assert response["statusCode"] == 404 and "Catálogo não encontrado" in response["body"]


def test_a_product_beyond_the_first_page_is_linked_with_its_data_and_the_rest_comes_by_cursor(stack):
    # Given a catalog of 30 products (the page renders the first 24)
    publish_small_catalog()
    for n in range(30):
        sku = f"P{n:02d}"
        assortment.put_product(
            "m1",
            Product(
                sku=sku,
                name=f"Produto {n:02d}",
                variants=[Variant(sku=f"{sku}-U", size="U")],
                images=[Image(key=f"m1/{sku}.jpg", width=400, height=500)],
            ),
        )
        assortment.put_prices("m1", "varejo", {sku: 1000 + n})
        stock.set_stock("m1", StockLevel(store_code="9900", sku=f"{sku}-U", on_hand=2, sequence=1))
    _, page = get_page("/c/loja")
    data = page.data()
    assert len(data["products"]) == len(page.images) == 24
    assert data["next"] is not None
    rest = json_body(http("GET", "/api/catalogs/loja/products", query={"cursor": data["next"], "limit": "48"}))
    assert len(rest["products"]) == 31 - 24
    assert all(p["image_url"] for p in rest["products"] if p["image"])
    # When the last product's own link is opened, its data (with its image) is in the page to open it
    last = rest["products"][-1]["sku"]
    _, page = get_page(f"/c/loja/p/{last}")
    (linked,) = [p for p in page.data()["products"] if p[0] == last]
    assert linked[6][1:] == [400, 500] and f"m1/{last}.jpg" in linked[6][0]


def test_hostile_product_and_catalog_text_is_escaped_everywhere(stack):
    # Given a merchant whose product names and catalog text carry markup
    publish_small_catalog()
    assortment.put_product(
        "m1",
        Product(
            sku="EVIL",
            name=HOSTILE,
            brand=HOSTILE,
            classifiers=[HOSTILE, HOSTILE],
            variants=[Variant(sku="EVIL-U", size=HOSTILE, colour=HOSTILE)],
            images=[Image(key="m1/EVIL.jpg", width=10, height=10)],
        ),
    )
    assortment.put_prices("m1", "varejo", {"EVIL": 100})
    stock.set_stock("m1", StockLevel(store_code="9900", sku="EVIL-U", on_hand=1, sequence=1))
    for path in ("/c/loja", "/c/loja/p/EVIL"):
        response, page = get_page(path)
        body = response["body"]
        # Then no markup of theirs becomes an element: two scripts (data and code), no injected image
        assert "<script>alert" not in body and "<img src=x" not in body
        assert page.tags.count("script") == 2
        assert all(image["src"] != "x" for image in page.images)
        assert "&lt;/script&gt;&lt;script&gt;alert(1)" in body
        # and the page's data gives the script the exact text, which it sets as text only
        (evil,) = [p for p in page.data()["products"] if p[0] == "EVIL"]
        assert evil[1] == evil[2] == HOSTILE and evil[3] == [HOSTILE, HOSTILE]
        assert ".innerHTML" not in page.code() and "insertAdjacentHTML" not in page.code()
    _, page = get_page("/c/loja/p/EVIL")
    assert page.meta["og:title"] == HOSTILE


def test_the_checkout_form_offers_the_catalogs_pickup_stores_and_its_json_says_the_same(stack):
    publish_small_catalog()
    response, page = get_page("/c/loja")
    assert page.data()["stores"] == [["0001", "Centro", None, None]]
    assert 'name="store" value="0001" checked><span>Centro</span><' in response["body"]
    assert 'name="ful" value="delivery" checked' in response["body"]
    catalog = json_body(http("GET", "/api/catalogs/loja"))
    assert catalog["pickup_stores"] == [{"code": "0001", "name": "Centro", "city": None, "address": None}]
    assert catalog["delivery_available"] is True
    assert catalog["products"][0]["image_url"].startswith("https://")


def test_a_pickup_store_shows_its_street_address_on_the_form_the_json_and_the_order_page(stack):
    # Given the pickup store has given its street address (a store written before it has none: the test above)
    publish_small_catalog()
    address = "Rua Barão de Jaguara, 1000 - Centro <b>"
    stores.put_store(
        "m1",
        Store(code="0001", name="Centro", city="Campinas", address=address, fulfilment=[FulfilmentKind.PICKUP]),
    )
    # When a shopper opens the catalog, Then the store's choice says where it is (escaped)
    response, page = get_page("/c/loja")
    assert (
        "<span>Centro (Campinas)<small>Rua Barão de Jaguara, 1000 - Centro &lt;b&gt;</small></span>" in response["body"]
    )
    assert page.data()["stores"] == [["0001", "Centro", "Campinas", address]]
    catalog = json_body(http("GET", "/api/catalogs/loja"))
    assert catalog["pickup_stores"] == [{"code": "0001", "name": "Centro", "city": "Campinas", "address": address}]
    # and the order page's script gets it to say where to pick the order up
    _, order_page = get_page(f"/c/loja/pedido/{'a' * 32}")
    assert order_page.data()["stores"] == [["0001", "Centro", "Campinas", address]]


def test_card_payment_is_unavailable_without_the_gateways_public_key(stack, monkeypatch):
    publish_small_catalog()
    monkeypatch.delenv("PAGARME_PUBLIC_KEY", raising=False)
    reset_gateway_settings()
    response, page = get_page("/c/loja")
    assert page.data()["card"] is None
    assert 'value="card" disabled>Cartão (indisponível)' in response["body"]
    assert "connect-src 'self';" in response["headers"]["Content-Security-Policy"]


def test_card_data_goes_to_the_gateways_tokenization_with_the_public_key(stack, monkeypatch):
    publish_small_catalog()
    monkeypatch.setenv("PAGARME_PUBLIC_KEY", "pk_test_abc")
    monkeypatch.setenv("PAGARME_BASE_URL", "https://gateway.example.com/core/v5")
    reset_gateway_settings()
    try:
        response, page = get_page("/c/loja")
    finally:
        monkeypatch.undo()
        reset_gateway_settings()
    assert page.data()["card"] == {"url": "https://gateway.example.com/core/v5/tokens?appId=pk_test_abc"}
    assert "connect-src 'self' https://gateway.example.com;" in response["headers"]["Content-Security-Policy"]
    assert 'value="card">Cartão<' in response["body"]
    # Card inputs have no name: even a page without its script could not submit them anywhere.
    assert not re.search(r'<input id="f-card\w+"[^>]* name=', response["body"])


@pytest.mark.parametrize("path", ["/c/demo", "/c/demo/p/TEN-COR"])
def test_the_demo_catalog_page_weighs_under_50_kb_before_images(stack, path):
    seeded_demo()
    response = http("GET", path)
    assert response["statusCode"] == 200
    size = len(response["body"].encode())
    assert size < PAGE_BUDGET_BYTES, f"{path} is {size} bytes"


def test_images_are_served_through_a_short_route_that_redirects_to_a_signed_url(stack):
    publish_small_catalog()
    _, page = get_page("/c/loja")
    (image,) = page.images
    assert image["src"] == "/img/merchants/m1/products/CAM/1.jpg"
    response = http("GET", image["src"])
    assert response["statusCode"] == 302 and response["headers"]["Cache-Control"] == "public, max-age=3600"
    signed = urllib.parse.urlsplit(response["headers"]["Location"])
    assert signed.path.endswith("/merchants/m1/products/CAM/1.jpg") and "X-Amz-Signature" in signed.query
    # An upload not yet checked and attached, or a path climbing out of the images, is not served.
    for key in ("uploads/m1/abc", "merchants/m1/products/../../uploads/m1/abc", "merchants/m1/secret.txt"):
        assert http("GET", f"/img/{key}")["statusCode"] == 404

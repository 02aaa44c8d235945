"""Who the shop is on its pages: the merchant writes its profile through its API (``/merchant/v1/profile``), and
the catalog, product and order pages show the legal identification in a footer and a "Falar com a loja" button."""

import json
import re
import urllib.parse

import pytest
from infra_fixtures import publish_small_catalog
from lambda_harness import http, json_body
from test_storefront_page import HOSTILE, get_page

from vitrine.auth.api_keys import issue_api_key
from vitrine.merchants import Merchant
from vitrine.repository import merchants

PROFILE = {
    "corporate_name": "Loja Um Comércio de Roupas Ltda",
    "trade_name": "Loja Um",
    "address": {
        "cep": "01304-001",
        "street": "Rua Augusta",
        "number": "1500",
        "complement": "Loja 2",
        "district": "Consolação",
        "city": "São Paulo",
        "state": "SP",
    },
    "email": "atendimento@lojaum.com.br",
    "phone": "(11) 3333-4444",
    "whatsapp": "5511999990000",
    "return_policy_url": "https://www.lojaum.com.br/trocas-e-devolucoes",
    "return_policy_text": "Devolução em até 7 dias do recebimento.\nTrocas em até 30 dias.",
}
ORDER_ID = "0123456789abcdef0123456789abcdef"


def key_of(merchant_id: str) -> dict[str, str]:
    return {"authorization": f"Bearer {issue_api_key(merchant_id, scopes=['merchant'], name='staff')}"}


def put_profile(headers: dict[str, str], body: object) -> dict:
    return http("PUT", "/merchant/v1/profile", headers=headers, body=json.dumps(body))


@pytest.fixture
def shop(stack):
    """Merchant m1 as onboarded (name and CNPJ), with a published catalog and a key."""
    publish_small_catalog()
    merchants.put_merchant(Merchant(merchant_id="m1", name="Loja Um Registrada", cnpj="11222333000181"))
    return key_of("m1")


def whatsapp_text(page) -> str:
    href = page.ids["wa"]["href"]
    assert href.startswith("https://wa.me/5511999990000?text="), href
    return urllib.parse.unquote(href.split("?text=", 1)[1])


def test_a_merchant_writes_its_profile_and_reads_it_back_with_the_cnpj_onboarding_set(shop):
    # Given a merchant that never wrote a profile, it reads an empty one with its registration
    empty = json_body(http("GET", "/merchant/v1/profile", headers=shop))
    assert empty["registered_name"] == "Loja Um Registrada" and empty["cnpj"] == "11222333000181"
    assert empty["corporate_name"] is None and empty["whatsapp"] is None
    # When it writes its profile
    written = put_profile(shop, PROFILE)
    assert written["statusCode"] == 200, written["body"]
    # Then it reads it back as written, the number as wa.me takes it
    read = json_body(http("GET", "/merchant/v1/profile", headers=shop))
    assert read == json_body(written) == {**PROFILE, "registered_name": "Loja Um Registrada", "cnpj": "11222333000181"}
    # and another merchant's key reads only its own
    assert json_body(http("GET", "/merchant/v1/profile", headers=key_of("m2")))["corporate_name"] is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"return_policy_url": "http://www.lojaum.com.br/trocas"}, "body.return_policy_url"),
        ({"return_policy_url": "https://10.0.0.8/trocas"}, "body.return_policy_url"),
        ({"whatsapp": "(11) 99999-0000"}, "body.whatsapp"),
        ({"cnpj": "99888777000161"}, "body.cnpj"),  # the CNPJ is onboarding's, not the profile's
        ({"corporate_name": "Loja\nUm"}, "body.corporate_name"),
        ({"email": "atendimento@"}, "body.email"),
        ({"address": {**PROFILE["address"], "state": "São Paulo"}}, "body.address.state"),
        ({"return_policy_text": ""}, "body.return_policy_text"),
    ],
)
def test_a_profile_with_a_bad_field_is_a_422_naming_it_and_changes_nothing(shop, change, field):
    assert put_profile(shop, PROFILE)["statusCode"] == 200
    response = put_profile(shop, {**PROFILE, **change})
    assert response["statusCode"] == 422
    assert [d["field"] for d in json_body(response)["error"]["details"]] == [field]
    assert json_body(http("GET", "/merchant/v1/profile", headers=shop))["whatsapp"] == "5511999990000"


def test_the_profile_needs_the_merchants_key(shop):
    assert http("GET", "/merchant/v1/profile")["statusCode"] == 401
    assert put_profile({}, PROFILE)["statusCode"] == 401
    erp_only = {"authorization": f"Bearer {issue_api_key('m1', scopes=['erp'], name='erp')}"}
    assert put_profile(erp_only, PROFILE)["statusCode"] == 403


def test_the_catalog_page_shows_the_shops_legal_identification_and_a_whatsapp_button(shop):
    put_profile(shop, PROFILE)
    response, page = get_page("/c/loja")
    footer = re.search(r"<footer[^>]*>(.*?)</footer>", response["body"], re.S).group(1)
    # The legal identification (Decreto 7.962/2013, art. 2): corporate name, CNPJ, address, contact
    assert "<h2>Loja Um</h2>" in footer
    assert "Loja Um Comércio de Roupas Ltda<br>CNPJ 11.222.333/0001-81" in footer
    assert "Rua Augusta, 1500, Loja 2 · Consolação" in footer and "São Paulo/SP · CEP 01304-001" in footer
    assert '<a href="mailto:atendimento@lojaum.com.br">atendimento@lojaum.com.br</a>' in footer
    assert '<a href="tel:+551133334444">(11) 3333-4444</a>' in footer
    # and the exchange and return policy, as a link and as text that keeps its lines
    assert (
        '<a href="https://www.lojaum.com.br/trocas-e-devolucoes" target="_blank" rel="noopener">'
        "Política de trocas e devoluções</a>"
    ) in footer
    assert '<p class="pol">Devolução em até 7 dias do recebimento.\nTrocas em até 30 dias.</p>' in footer
    # The button opens WhatsApp with a message naming the catalog the shopper is on
    assert page.ids["wa"]["target"] == "_blank"
    assert whatsapp_text(page) == (
        "Olá! Estou vendo o catálogo “Loja” (https://vitrine.example.com/c/loja) e gostaria de falar com a loja."
    )
    assert ">Falar com a loja</span></a>" in response["body"]
    # and the page stays the merchant's public data, cacheable as before
    assert response["headers"]["Cache-Control"] == "public, max-age=0, s-maxage=30, stale-while-revalidate=300"


def test_a_product_page_and_the_order_page_name_what_the_message_is_about(shop):
    put_profile(shop, PROFILE)
    response, page = get_page("/c/loja/p/CAM")
    assert "CNPJ 11.222.333/0001-81" in response["body"]
    assert whatsapp_text(page) == (
        "Olá! Tenho uma dúvida sobre Camiseta, do catálogo “Loja”: https://vitrine.example.com/c/loja/p/CAM"
    )
    response, page = get_page(f"/c/loja/pedido/{ORDER_ID}")
    assert response["statusCode"] == 200
    assert "CNPJ 11.222.333/0001-81" in response["body"]
    # the order page's script appends the order's code once it has read the order
    assert whatsapp_text(page) == "Olá! Tenho uma dúvida sobre o meu pedido no catálogo “Loja”."
    assert "mentionOrder(o.order_code)" in page.code()


def test_without_a_profile_the_footer_shows_the_registration_and_there_is_no_button(shop):
    response, page = get_page("/c/loja")
    footer = re.search(r"<footer[^>]*>(.*?)</footer>", response["body"], re.S).group(1)
    assert footer == "<h2>Loja Um Registrada</h2><p>CNPJ 11.222.333/0001-81</p>"
    assert "wa" not in page.ids and "Falar com a loja" not in response["body"]


def test_a_merchant_without_any_record_gets_no_footer_and_the_page_still_works(stack):
    publish_small_catalog()
    response, page = get_page("/c/loja")
    assert response["statusCode"] == 200
    assert "<footer" not in response["body"] and "wa" not in page.ids


def test_a_whatsapp_number_alone_is_the_button_without_an_empty_footer(stack):
    publish_small_catalog()
    put_profile(key_of("m1"), {"whatsapp": "5511999990000"})
    response, page = get_page("/c/loja")
    assert "wa" in page.ids and "<footer" not in response["body"]
    # the page still leaves room under its last line for the floating button
    assert '<div class="wa-room"></div><a class="wa" id="wa"' in response["body"]


def test_hostile_profile_text_is_escaped_in_the_footer_and_the_link(shop):
    hostile = HOSTILE.replace("\n", " ")
    body = {
        **PROFILE,
        "corporate_name": hostile[:120],
        "trade_name": hostile[:120],
        "address": {**PROFILE["address"], "street": hostile, "district": hostile[:60]},
        "return_policy_text": hostile,
    }
    assert put_profile(shop, body)["statusCode"] == 200
    response, page = get_page("/c/loja")
    assert "<script>alert" not in response["body"] and "<img src=x" not in response["body"]
    assert page.tags.count("script") == 2 and all(image.get("src") != "x" for image in page.images)
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in response["body"]

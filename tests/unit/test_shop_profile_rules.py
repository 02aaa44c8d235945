"""The shop's profile as a merchant writes it: strict fields, a WhatsApp number wa.me can call, a return policy
link a shopper may safely open; and what the pages derive from it (the CNPJ as people write it, the links)."""

import urllib.parse

import pytest
from pydantic import ValidationError

from vitrine.catalogs.shop_identity import ShopIdentity, phone_link
from vitrine.documents import format_cnpj
from vitrine.merchants import ShopProfile


def refused(**fields) -> list[str]:
    with pytest.raises(ValidationError) as raised:
        ShopProfile.model_validate(fields)
    return [".".join(str(part) for part in error["loc"]) for error in raised.value.errors()]


def test_every_field_is_optional_and_a_whatsapp_number_keeps_its_digits_only():
    assert ShopProfile() == ShopProfile.model_validate({})
    assert ShopProfile(whatsapp="+5511999990000").whatsapp == "5511999990000"


@pytest.mark.parametrize(
    "number",
    ["11999990000", "(11) 99999-0000", "+55 11 99999-0000", "05511999990000", "5511999990000000", 5511999990000],
)
def test_a_whatsapp_number_is_the_full_international_number_in_digits(number):
    assert refused(whatsapp=number) == ["whatsapp"]


@pytest.mark.parametrize(
    "url",
    [
        "http://loja.example.com.br/trocas",  # a shopper's browser would send it in the clear
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "https://localhost/trocas",
        "https://127.0.0.1/trocas",
        "https://2130706433/trocas",
        "https://192.168.0.10/trocas",
        "https://intranet.local/trocas",
        "https://user:senha@loja.example.com.br/trocas",
        "https://loja.example.com.br/tro cas",
        "https://" + "a" * 500 + ".com.br/",
    ],
)
def test_the_return_policy_link_is_https_to_a_public_host(url):
    assert refused(return_policy_url=url) == ["return_policy_url"]


def test_the_return_policy_link_never_points_at_loopback_even_on_the_local_stack(outbound_local_stack):
    assert refused(return_policy_url="https://127.0.0.1:3000/trocas") == ["return_policy_url"]
    assert refused(return_policy_url="http://localhost/trocas") == ["return_policy_url"]
    link = "https://loja.example.com.br/politica-de-trocas?v=2#prazo"
    assert ShopProfile(return_policy_url=link).return_policy_url == link


def test_text_fields_refuse_control_characters_and_unknown_fields_such_as_the_cnpj():
    assert refused(corporate_name="Loja\u202e Ltda", trade_name="") == ["corporate_name", "trade_name"]
    assert refused(cnpj="11222333000181") == ["cnpj"]
    assert refused(email="atendimento", phone="1234") == ["email", "phone"]
    assert refused(address={"cep": "01310-100", "street": "Av. Paulista"}) == [
        "address.number",
        "address.district",
        "address.city",
        "address.state",
    ]
    # a policy as text keeps its lines
    text = "Trocas em até 30 dias.\nDevoluções em até 7 dias."
    assert ShopProfile(return_policy_text=text).return_policy_text == text


def test_the_pages_write_the_cnpj_the_phone_and_the_whatsapp_link_as_people_and_apps_read_them():
    assert format_cnpj("11222333000181") == "11.222.333/0001-81"
    assert phone_link("(11) 3333-4444") == "tel:+551133334444"
    assert phone_link("+55 11 98888-7777") == "tel:+5511988887777"
    shop = ShopIdentity(None, None, None, None, None, None, "5511999990000", None, None)
    url = shop.whatsapp_url("Olá! Vi o catálogo “Verão & Praia” e tenho uma dúvida?")
    prefix = "https://wa.me/5511999990000?text="
    assert url.startswith(prefix) and " " not in url and "&" not in url.removeprefix(prefix)
    assert urllib.parse.unquote(url.removeprefix(prefix)) == "Olá! Vi o catálogo “Verão & Praia” e tenho uma dúvida?"
    assert ShopIdentity(None, None, None, None, None, None, None, None, None).whatsapp_url("Olá") is None


def test_a_page_reads_the_shop_from_its_stored_records():
    # Given the two records as the repository stores them (keys, type and the models' dumps, None left out)
    from vitrine.catalogs.shop_identity import ShopAddress, identity_from_records
    from vitrine.merchants import Merchant
    from vitrine.repository.items import from_item, model_item, to_item

    merchant = Merchant.model_validate({"merchant_id": "m1", "name": "Casa Lima Ltda", "cnpj": "11.222.333/0001-81"})
    profile = ShopProfile.model_validate(
        {
            "trade_name": "Casa Lima",
            "address": {
                "cep": "01001-000",
                "street": "Praça da Sé",
                "number": "1",
                "district": "Sé",
                "city": "São Paulo",
                "state": "SP",
            },
            "whatsapp": "+5511999990000",
            "return_policy_text": "Trocas em 7 dias.",
        }
    )

    def stored(model, sk):
        return from_item(to_item(model_item(model, pk="M#m1", sk=sk, item_type=sk.lower())))

    records = stored(merchant, "MERCHANT"), stored(profile, "PROFILE")
    # Then the identity is the profile's, field for field, with the registration's CNPJ; and without either record
    assert identity_from_records(*records) == ShopIdentity(
        name="Casa Lima",
        corporate_name=None,
        cnpj="11.222.333/0001-81",
        address=ShopAddress("01001-000", "Praça da Sé", "1", "", "Sé", "São Paulo", "SP"),
        email=None,
        phone=None,
        whatsapp="5511999990000",
        return_policy_url=None,
        return_policy_text="Trocas em 7 dias.",
    )
    assert identity_from_records(None, None) == ShopIdentity(*[None] * 9)
    assert identity_from_records(records[0], None).name == "Casa Lima Ltda"

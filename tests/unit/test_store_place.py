"""How a pickup store is named where a shopper must find it (the "pronto para retirada" message)."""

import pytest

from vitrine.catalogs.models import Store


@pytest.mark.parametrize(
    ("city", "address", "place"),
    [
        (
            "Campinas",
            "Rua Barão de Jaguara, 1000 - Centro",
            "Loja Centro, Rua Barão de Jaguara, 1000 - Centro (Campinas)",
        ),
        (None, "Rua Direita, 120", "Loja Centro, Rua Direita, 120"),
        ("Campinas", None, "Loja Centro (Campinas)"),  # a store onboarded before its address was asked
        (None, None, "Loja Centro"),
    ],
)
def test_a_store_is_named_with_what_it_has_given_of_its_address(city, address, place):
    assert Store(code="0001", name="Loja Centro", city=city, address=address).place == place

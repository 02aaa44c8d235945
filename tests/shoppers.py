"""The shopper the checkout tests buy as, the delivery address they give, and the body of such a checkout.

A valid CPF, a mobile phone and an e-mail; an address on Av. Paulista (CEP 01310-100), inside the delivery area
of the test and demo stores. Importable by name from tests/integration and tests/e2e alike: pytest puts tests/
(the folder of the root conftest.py) on ``sys.path``.
"""

from typing import Any

SHOPPER = {"name": "Maria Silva", "cpf": "529.982.247-25", "phone": "(11) 98888-7777", "email": "maria@example.com"}
ADDRESS = {
    "cep": "01310-100",
    "street": "Av. Paulista",
    "number": "1000",
    "district": "Bela Vista",
    "city": "São Paulo",
    "state": "SP",
}


def delivery_checkout(catalog: str, lines: list[dict[str, Any]], customer: dict[str, str] = SHOPPER) -> dict[str, Any]:
    """A checkout of ``lines`` from ``catalog``, delivered to ``ADDRESS``, paid by Pix; fresh dicts a test may edit."""
    return {
        "catalog": catalog,
        "lines": lines,
        "customer": dict(customer),
        "fulfilment": {"kind": "delivery", "address": dict(ADDRESS)},
        "payment": {"method": "pix"},
    }

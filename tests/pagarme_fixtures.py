"""pagar.me v5 as the adapter tests meet it: the payloads recorded from its API (tests/fixtures/pagarme), the API
root and test secret they were recorded against, and a ``PagarmeGateway`` built over a fresh HTTP session.

Importable by name from tests/integration and tests/e2e alike: pytest puts tests/ (the folder of the root
conftest.py) on ``sys.path``, as it puts each test folder there for its harness modules.
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from vitrine.payments.pagarme import PagarmeGateway, http_session
from vitrine.payments.recipients import RecipientRequest
from vitrine.payments.settings import GatewaySettings

RECORDINGS = Path(__file__).resolve().parent / "fixtures" / "pagarme"
API = "https://api.pagar.me/core/v5"
SECRET = "sk_test_0123456789abcdef"


def fixture(name: str) -> dict[str, Any]:
    """One recorded payload, by its file name in tests/fixtures/pagarme."""
    return json.loads((RECORDINGS / name).read_text())


@contextmanager
def pagarme_gateway(settings: GatewaySettings) -> Iterator[PagarmeGateway]:
    """The adapter with ``settings``; its HTTP session is cached per process, so it is built for this gateway
    (with its retries and timeouts) and dropped afterwards."""
    http_session.cache_clear()
    try:
        yield PagarmeGateway(settings)
    finally:
        http_session.cache_clear()


# A merchant registering as a recipient: the demo's company, its managing partner and its account.
CNPJ = "11222333000181"
OWNER_CPF = "52998224725"
ADDRESS = {
    "cep": "01310-100",
    "street": "Avenida Paulista",
    "number": "1000",
    "complement": "Loja 2",
    "district": "Bela Vista",
    "city": "São Paulo",
    "state": "SP",
}
BANK = {
    "holder_name": "Casa Demo Materiais",
    "holder_document": "11.222.333/0001-81",
    "bank": "341",
    "branch_number": "0932",
    "branch_check_digit": "5",
    "account_number": "58054",
    "account_check_digit": "1",
    "type": "checking",
}


def company_request(**bank_overrides) -> RecipientRequest:
    return RecipientRequest.model_validate(
        {
            "code": "demo",
            "document": CNPJ,
            "registration": {
                "type": "corporation",
                "corporate_name": "Casa Demo Materiais de Construção Ltda",
                "trade_name": "Casa Demo",
                "email": "financeiro@casademo.com.br",
                "phone": "11987654321",
                "annual_revenue": 120_000_000,
                "cnae": "4744005",
                "founding_date": "2015-03-02",
                "main_address": ADDRESS,
                "managing_partners": [
                    {
                        "name": "Maria Demo",
                        "email": "maria@casademo.com.br",
                        "document": "529.982.247-25",
                        "birthdate": "1980-05-17",
                        "monthly_income": 1_500_000,
                        "professional_occupation": "Empresária",
                        "phone": "11987654321",
                        "address": ADDRESS,
                    }
                ],
            },
            "bank_account": {**BANK, **bank_overrides},
        }
    )

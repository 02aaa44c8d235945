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

from collections.abc import Iterator

import pytest
from browser_harness import browser, phone  # noqa: F401 (the browser tests' fixtures, for every module)
from pagarme_fixtures import pagarme_gateway
from stack_harness import start_stack

from vitrine.payments.pagarme import PagarmeGateway
from vitrine.payments.settings import GatewaySettings


@pytest.fixture(scope="module")
def running_stack(tmp_path_factory):
    """The whole local stack, once per test module (modules in the "local_stack" xdist group share a worker)."""
    yield from start_stack(tmp_path_factory.mktemp("local_stack"))


@pytest.fixture
def gateway(sandbox) -> Iterator[PagarmeGateway]:
    """The pagar.me adapter pointed at the module's own ``sandbox`` gateway."""
    with pagarme_gateway(GatewaySettings.model_validate(sandbox.environment())) as adapter:
        yield adapter

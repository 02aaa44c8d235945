from collections.abc import Iterator

import pytest
from browser_harness import browser, phone  # noqa: F401 (the browser tests' fixtures, for every module)
from pagarme_fixtures import pagarme_gateway
from stack_harness import start_stack

from vitrine.payments.pagarme import PagarmeGateway
from vitrine.payments.settings import GatewaySettings


@pytest.fixture(scope="session")
def shared_stack(tmp_path_factory):
    """One local stack per test worker, for every module that can share it (the "local_stack" xdist group puts
    them on one worker): ~15 s of start and stop once rather than once per module."""
    yield from start_stack(tmp_path_factory.mktemp("shared_stack"))


@pytest.fixture(scope="module")
def running_stack(request, tmp_path_factory):
    """The whole local stack: the worker's shared one, or, for a module that sets ``OWN_STACK = True`` (it stops the
    stack or moves its money clock, which others must not see), one of its own for the module. A module on the
    shared stack leaves data behind for the next: its tests use their own ids, variants and stock levels (as the
    helpers do), never "everything the merchant has"."""
    if getattr(request.module, "OWN_STACK", False):
        yield from start_stack(tmp_path_factory.mktemp("local_stack"))
    else:
        yield request.getfixturevalue("shared_stack")


@pytest.fixture
def gateway(sandbox) -> Iterator[PagarmeGateway]:
    """The pagar.me adapter pointed at the module's own ``sandbox`` gateway."""
    with pagarme_gateway(GatewaySettings.model_validate(sandbox.environment())) as adapter:
        yield adapter

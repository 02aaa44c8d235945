import pytest
from stack_harness import start_stack


@pytest.fixture(scope="module")
def running_stack(tmp_path_factory):
    """The whole local stack, once per test module (modules in the "local_stack" xdist group share a worker)."""
    yield from start_stack(tmp_path_factory.mktemp("local_stack"))

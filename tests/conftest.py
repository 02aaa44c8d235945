import os
import sys
from pathlib import Path

import pytest
from botocore_models import shared_loader

# build_openapi.py is a build script in infra/, not a package module.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "infra"))

# As in Lambda, the environment exists before any handler module is imported (Powertools reads it then).
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "VitrineTest")
os.environ.setdefault("AWS_REGION", "us-east-1")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")


@pytest.fixture(scope="session", autouse=True)
def _shared_botocore_loader():
    """botocore's JSON models read once per process, not once per botocore session (``tests/botocore_models.py``)."""
    with shared_loader():
        yield


@pytest.fixture
def outbound_deployed(monkeypatch):
    """Outbound calls as deployed: only public addresses (``OUTBOUND_ALLOW_LOOPBACK`` unset)."""
    from vitrine.settings import get_settings

    monkeypatch.delenv("OUTBOUND_ALLOW_LOOPBACK", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def outbound_local_stack(monkeypatch):
    """The local stack's setting: loopback is a target there only."""
    from vitrine.settings import get_settings

    monkeypatch.setenv("OUTBOUND_ALLOW_LOOPBACK", "true")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()

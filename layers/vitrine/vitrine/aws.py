"""AWS clients, created at first use and cached for the life of the container.

botocore is used directly rather than boto3: boto3's import (session, resources, s3transfer) adds
~0.1 s to every cold start and the core needs none of it. ``AWS_ENDPOINT_URL`` (read by botocore)
points every client at the local emulator in ``make dev`` and the tests.
"""

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from vitrine.errors import DependencyUnavailable
from vitrine.settings import get_settings

# botocore's session is not safe to create clients from in several threads at once (the ERP connector polls
# side by side, and each poll's first SQS send would create the client): creation is serialised; use is not.
_creating = threading.Lock()


@functools.cache
def _session() -> Any:
    import botocore.session

    return botocore.session.get_session()


def client(service: str) -> Any:
    cached = _clients.get(service)
    if cached is None:
        with _creating:
            cached = _clients.get(service)
            if cached is None:
                cached = _clients[service] = _create_client(service)
    return cached


_clients: dict[str, Any] = {}


def _create_client(service: str) -> Any:
    from botocore.config import Config

    config = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=2, read_timeout=10)
    if service == "s3":
        # Presigned image links and upload forms must be SigV4: buckets created since 2020 refuse SigV2.
        config = config.merge(Config(signature_version="s3v4"))
    return _session().create_client(service, region_name=get_settings().aws_region, config=config)


@contextmanager
def dependency_errors(service: str) -> Iterator[None]:
    """Re-raise an SDK failure the caller cannot fix as ``DependencyUnavailable``."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except (BotoCoreError, ClientError) as exc:
        raise DependencyUnavailable(f"{service} failed: {exc}") from exc


def reset_clients() -> None:
    """Forget cached clients and settings (tests that change the environment call this)."""
    _clients.clear()
    _session.cache_clear()
    get_settings.cache_clear()

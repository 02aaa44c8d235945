"""Secrets kept in SSM SecureStrings (webhook credentials, the session signing keys), read at first use.

Each value is cached per container for a few minutes: one ``GetParameter`` per cold start and per
rotation window, and a rotated secret reaches every warm container within that window.
"""

import time

from vitrine import aws

TTL_SECONDS = 300
_cache: dict[str, tuple[float, str]] = {}


def secure_parameter(name: str) -> str:
    cached = _cache.get(name)
    if cached is None or cached[0] < time.monotonic():
        with aws.dependency_errors("SSM"):
            response = aws.client("ssm").get_parameter(Name=name, WithDecryption=True)
        cached = (time.monotonic() + TTL_SECONDS, response["Parameter"]["Value"])
        _cache[name] = cached
    return cached[1]


def forget_parameters() -> None:
    """Drop every cached value (tests that rotate a secret call this)."""
    _cache.clear()

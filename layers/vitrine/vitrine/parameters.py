"""The one reader of SSM SecureStrings (the gateway webhook credentials, the session signing keys, the pagar.me
secret key), read at first use.

One cache policy for all of them: each value is kept per container for ``TTL_SECONDS`` (five minutes), not for the
container's life, so a rotated secret reaches every warm container within that window without a redeploy, at the
cost of one ``GetParameter`` per cold start and per window (well under SSM's standard throughput).
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

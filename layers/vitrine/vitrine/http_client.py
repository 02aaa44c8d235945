"""Outbound HTTP: the one factory of ``requests`` sessions for every call Vitrine makes to another service (the
payment gateway, an ERP's connector API, a merchant's webhook endpoint), and the retry policy they share.

Each caller keeps the session ``pooled_session`` builds for the container's life, so consecutive calls reuse a
TLS connection, and says in a ``RetryPolicy`` what differs: how many retries, of which methods and statuses. What
they share: only connection failures (refused, or dropped before an answer, e.g. a pooled keep-alive the server
closed while the container was frozen) and the listed statuses are retried, with a short backoff; never a 4xx;
and a read timeout is final (the server is slow, not gone, and a second wait would outlast the calling function;
the caller asks again later). The answer's status comes back to the caller (``raise_on_status=False``), which maps
it and the ``requests`` errors to its own. Without a policy the session has requests' own adapter, which retries
nothing (outbound webhooks: their retry is SQS's).

Addresses: a session connects only to public addresses (``public_only``, the default): each connection resolves
the host once, refuses it (``vitrine.public_connections.AddressRefused``, nothing sent) unless every address is
public, and connects to one of the addresses it checked (``vitrine.outbound_targets`` says what is public, and the
local stack's loopback allowance). Only a session for the deployment's own configured service (the payment
gateway, whose URL is the operator's, not a merchant's) says ``public_only=False``.

Timeouts and redirects are per call in ``requests`` (``timeout=(connect, read)``, ``allow_redirects=``): each
caller passes its own, named beside its policy.

``requests`` is heavy: it is imported when the first session is built, never when this module is.
"""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RetryPolicy:
    retries: int
    methods: frozenset[str]
    statuses: frozenset[int]
    respect_retry_after: bool = False
    # A caller that passes ``allow_redirects=False`` says so here too, so urllib3 never counts one as a retry.
    follow_redirects: bool = True


def pooled_session(
    retry: RetryPolicy | None = None,
    *,
    user_agent: str | None = None,
    pool_connections: int = 10,
    pool_maxsize: int = 10,
    public_only: bool = True,
) -> Any:
    """A new ``requests.Session`` retrying as ``retry`` says (nothing without it) and connecting only to public
    addresses unless ``public_only=False``; the caller caches it."""
    import requests
    from requests.adapters import HTTPAdapter

    session = requests.Session()
    if user_agent is not None:
        session.headers["User-Agent"] = user_agent
    adapter_class = HTTPAdapter
    if public_only:
        from vitrine.public_connections import PublicOnlyAdapter

        adapter_class = PublicOnlyAdapter
        # A proxy from the environment would make the connection to the target itself, unchecked.
        session.trust_env = False
    pool: dict[str, Any] = {"pool_connections": pool_connections, "pool_maxsize": pool_maxsize}
    if retry is not None:
        pool["max_retries"] = _urllib3_retry(retry)
    adapter = adapter_class(**pool)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


def _urllib3_retry(policy: RetryPolicy) -> Any:
    from urllib3.exceptions import ReadTimeoutError
    from urllib3.util.retry import Retry

    class ReadTimeoutIsFinal(Retry):
        """urllib3's retry, except that a read timeout is final (see the module docstring). A dropped connection
        is still retried."""

        def increment(self, *args: Any, **kwargs: Any) -> Any:
            error = kwargs.get("error")
            if isinstance(error, ReadTimeoutError):
                raise error
            return super().increment(*args, **kwargs)

    redirects: dict[str, Any] = {} if policy.follow_redirects else {"redirect": 0, "raise_on_redirect": False}
    return ReadTimeoutIsFinal(
        total=policy.retries,
        connect=policy.retries,
        read=policy.retries,
        status=policy.retries,
        other=0,
        status_forcelist=policy.statuses,
        allowed_methods=policy.methods,
        backoff_factor=0.25,
        backoff_max=2.0,
        respect_retry_after_header=policy.respect_retry_after,
        raise_on_status=False,
        **redirects,
    )

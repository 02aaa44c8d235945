"""The HTTP side of an outbound webhook: one POST, short timeouts, no redirects, the answer's status only.

``requests`` is imported at the first delivery, not at cold start, and one pooled ``Session`` (from
``vitrine.http_client``) is kept for the container's life: consecutive deliveries to an ERP reuse its TLS
connection. The session connects only to public addresses: a host that resolves inside is a failed attempt with
nothing sent (``AddressRefused`` in the error), retried later like any other failure. Nothing is retried here (the
session has no retry policy): a retry is SQS's, after a backoff, so that a slow receiver holds no Lambda waiting.
"""

import functools
from dataclasses import dataclass
from typing import Any

from vitrine.http_client import pooled_session

CONNECT_TIMEOUT_SECONDS = 3.05
READ_TIMEOUT_SECONDS = 7.0
USER_AGENT = "Vitrine-Webhooks/1.0"


@dataclass(frozen=True)
class PostOutcome:
    status_code: int | None
    error: str | None

    @property
    def succeeded(self) -> bool:
        # Standard Webhooks: only a 2xx acknowledges; a redirect is a failure (it is never followed).
        return self.status_code is not None and 200 <= self.status_code < 300


@functools.cache
def _session() -> Any:
    return pooled_session(user_agent=USER_AGENT)


def post_webhook(url: str, body: str, headers: dict[str, str]) -> PostOutcome:
    import requests

    try:
        response = _session().post(
            url,
            data=body.encode(),
            headers={**headers, "Content-Type": "application/json"},
            timeout=(CONNECT_TIMEOUT_SECONDS, READ_TIMEOUT_SECONDS),
            allow_redirects=False,
            # The receiver's answer is not read: its status is the whole acknowledgement.
            stream=True,
        )
    except requests.RequestException as exc:
        return PostOutcome(status_code=None, error=f"{type(exc).__name__}: {str(exc)[:300]}")
    response.close()
    return PostOutcome(status_code=response.status_code, error=None if response.ok else f"HTTP {response.status_code}")

"""The HTTP adapter of ``LoyaltyPartner``: ``POST {base_url}/accruals`` and ``POST {base_url}/reversals`` with the
merchant's API key as a bearer token and the idempotency key as a header and in the body
(``docs/loyalty-partner.md``).

One pooled ``requests`` session per container (``vitrine.http_client``), connecting only to public addresses (the
base URL is the merchant's; loopback only on the local stack). Retries within a call: connection failures and
502/503/504, twice, with a short backoff; a POST is safe to repeat because the partner deduplicates by the key. A
read timeout is final for this call (SQS retries the message later). Redirects are not followed. 2xx: done; any
other 4xx: ``PartnerRefused`` (not retried); 5xx, timeouts and refused connections: ``PartnerUnavailable``.
"""

import functools
from typing import Any

from pydantic import ValidationError

from vitrine.http_client import RetryPolicy, pooled_session
from vitrine.loyalty.partner import (
    AccrualRequest,
    PartnerReceipt,
    PartnerRefused,
    PartnerRequest,
    PartnerUnavailable,
    ReversalRequest,
)

CONNECT_TIMEOUT_SECONDS = 3.05
READ_TIMEOUT_SECONDS = 8.0
USER_AGENT = "Vitrine-Loyalty/1.0"
MAX_ERROR_CHARS = 300


@functools.cache
def http_session() -> Any:
    retry = RetryPolicy(
        retries=2, methods=frozenset({"POST"}), statuses=frozenset({502, 503, 504}), follow_redirects=False
    )
    return pooled_session(retry, user_agent=USER_AGENT, pool_connections=4, pool_maxsize=4)


class HttpLoyaltyPartner:
    def __init__(self, base_url: str, api_key: str) -> None:
        self.base_url = base_url.rstrip("/")
        self._api_key = api_key

    def accrue(self, request: AccrualRequest) -> PartnerReceipt:
        return self._post("/accruals", request)

    def reverse(self, request: ReversalRequest) -> PartnerReceipt:
        return self._post("/reversals", request)

    def _post(self, path: str, request: PartnerRequest) -> PartnerReceipt:
        import requests

        from vitrine.public_connections import AddressRefused

        try:
            response = http_session().post(
                f"{self.base_url}{path}",
                data=request.model_dump_json(),
                headers={
                    "Authorization": f"Bearer {self._api_key}",
                    "Idempotency-Key": request.idempotency_key,
                    "Content-Type": "application/json",
                    "Accept": "application/json",
                },
                timeout=(CONNECT_TIMEOUT_SECONDS, READ_TIMEOUT_SECONDS),
                allow_redirects=False,
            )
        except AddressRefused as exc:
            raise PartnerRefused(f"POST {path}: not called, {exc}; Vitrine calls only public addresses") from exc
        except requests.RequestException as exc:
            raise PartnerUnavailable(f"POST {path}: could not reach the partner ({type(exc).__name__})") from exc
        if response.status_code >= 500 or response.status_code == 429:
            raise PartnerUnavailable(f"POST {path}: the partner answered {response.status_code}")
        if not 200 <= response.status_code < 300:
            raise PartnerRefused(f"POST {path}: {response.status_code} {response.text[:MAX_ERROR_CHARS]}")
        try:
            return PartnerReceipt.model_validate_json(response.content)
        except ValidationError as exc:
            raise PartnerUnavailable(f"POST {path}: the answer is not the contract's receipt") from exc


def partner_for(base_url: str, api_key: str) -> HttpLoyaltyPartner:
    return HttpLoyaltyPartner(base_url, api_key)

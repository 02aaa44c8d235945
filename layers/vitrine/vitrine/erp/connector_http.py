"""The HTTP side of an ERP connector: one ``GET {base_url}/{resource}?limit=&cursor=``, checked against the
contract (``docs/erp-connector.md``) before any item is looked at.

``requests`` is imported at the first poll, not at cold start, and one pooled ``Session`` (from
``vitrine.http_client``) is kept for the container's life. Retries: only connection failures (refused, or dropped
before an answer) and 5xx answers, twice, with a short backoff; a GET is safe to repeat. A read timeout is final
(the ERP is slow, not gone, and a second wait would eat the run's budget; the next poll asks again) and 4xx are
never retried: a 401 means the token is wrong.
The session connects only to public addresses (``vitrine.http_client``): a base URL whose host resolves inside
fails before the request, and so before the token, leaves. Redirects are not followed, for the reason outbound
webhooks do not follow them. The answer is read up to ``MAX_PAGE_BYTES``: a page past it is refused whole (lower
the page size).

Every failure is a ``ConnectorFailure`` whose message is what the merchant sees as ``last_error``: it names the
request and the reason, never the token.
"""

import functools
import json
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError

from vitrine.http_client import RetryPolicy, pooled_session

CONNECT_TIMEOUT_SECONDS = 3.05
READ_TIMEOUT_SECONDS = 10.0
MAX_RETRIES = 2
RETRIED_STATUSES = frozenset(range(500, 600))
MAX_PAGE_BYTES = 8 * 1024 * 1024
MAX_CURSOR_LENGTH = 1000
USER_AGENT = "Vitrine-ErpConnector/1.0"


class ConnectorFailure(Exception):
    """The ERP did not answer a page as the contract says; nothing of the page is used."""


@dataclass(frozen=True)
class ConnectorPage:
    items: list[Any]
    next_cursor: str
    has_more: bool


class _PageEnvelope(BaseModel):
    # Fields beyond the contract are ignored, so an ERP may add its own without breaking the connector.
    model_config = ConfigDict(extra="ignore")

    items: list[Any]
    next_cursor: str = Field(min_length=1, max_length=MAX_CURSOR_LENGTH)
    has_more: StrictBool


@functools.cache
def http_session() -> Any:
    """One ``requests.Session`` per container: pooled connections, connection/5xx retries, never 4xx."""
    retry = RetryPolicy(
        retries=MAX_RETRIES, methods=frozenset({"GET"}), statuses=RETRIED_STATUSES, follow_redirects=False
    )
    return pooled_session(retry, user_agent=USER_AGENT, pool_connections=8, pool_maxsize=8)


def fetch_page(base_url: str, resource: str, token: str, *, limit: int, cursor: str | None) -> ConnectorPage:
    """One page of ``resource`` after ``cursor`` (from the start without one), or ``ConnectorFailure``."""
    import requests

    from vitrine.public_connections import AddressRefused

    request = f"GET /{resource}"
    params: dict[str, Any] = {"limit": limit}
    if cursor is not None:
        params["cursor"] = cursor
    try:
        response = http_session().get(
            f"{base_url}/{resource}",
            params=params,
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            timeout=(CONNECT_TIMEOUT_SECONDS, READ_TIMEOUT_SECONDS),
            allow_redirects=False,
            stream=True,
        )
    except AddressRefused as exc:
        raise ConnectorFailure(f"{request}: not called, {exc}; Vitrine calls only public addresses") from exc
    except requests.Timeout as exc:
        raise ConnectorFailure(f"{request}: no answer in time ({type(exc).__name__})") from exc
    except requests.RequestException as exc:
        raise ConnectorFailure(f"{request}: could not reach the ERP ({type(exc).__name__})") from exc
    try:
        body = _read_body(response, request)
    finally:
        response.close()
    return _page(body, request, limit)


def _read_body(response: Any, request: str) -> bytes:
    import requests

    status = response.status_code
    if status in (401, 403):
        raise ConnectorFailure(f"{request}: the ERP refused the token (HTTP {status})")
    if status >= 500:
        raise ConnectorFailure(f"{request}: HTTP {status} from the ERP after {MAX_RETRIES + 1} attempts")
    if 300 <= status < 400:
        raise ConnectorFailure(f"{request}: HTTP {status} redirect, not followed: configure the final URL")
    if status != 200:
        raise ConnectorFailure(f"{request}: HTTP {status} from the ERP")
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.iter_content(chunk_size=64 * 1024):
            size += len(chunk)
            if size > MAX_PAGE_BYTES:
                raise ConnectorFailure(f"{request}: the page is over {MAX_PAGE_BYTES} bytes; lower page_size")
            chunks.append(chunk)
    except requests.RequestException as exc:
        raise ConnectorFailure(f"{request}: the answer was cut short ({type(exc).__name__})") from exc
    return b"".join(chunks)


def _page(body: bytes, request: str, limit: int) -> ConnectorPage:
    try:
        raw = json.loads(body)
    except ValueError as exc:
        raise ConnectorFailure(f"{request}: the answer is not JSON") from exc
    try:
        envelope = _PageEnvelope.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors(include_url=False, include_input=False)[0]
        where = ".".join(str(part) for part in first["loc"]) or "body"
        raise ConnectorFailure(f"{request}: not a page ({where}: {first['msg']})") from exc
    if len(envelope.items) > limit:
        raise ConnectorFailure(f"{request}: {len(envelope.items)} items for limit={limit}")
    return ConnectorPage(items=envelope.items, next_cursor=envelope.next_cursor, has_more=envelope.has_more)

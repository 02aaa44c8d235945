"""Preview tokens: the signed part of a link that shows one catalog before it is published, for a limited time.

A token is ``<expiry>.<mac>``: the expiry in epoch seconds and an HMAC-SHA256 (base64url, 43 characters) of
``catalog-preview:<merchant id>:<catalog id>:<expiry>`` under the deployment's session signing keys
(``SESSION_SIGNING_KEY_PARAMETER``, read by ``vitrine.auth.sessions``): one secret and one rotation for every
signature Vitrine hands out. The first key signs and every key verifies, so rotating the keys keeps links made in
the last minutes working until the old key is dropped; dropping it ends them all. The purpose prefix keeps a
preview MAC from ever being taken for a session's JWT signature or a CSRF token, which sign other strings.

The token names no catalog: the link's slug does, and the MAC binds the catalog behind that slug, so a token
made for another catalog (or another merchant's) simply does not verify. There is nothing stored, so a link cannot
be revoked on its own; it lasts ``PREVIEW_HOURS`` (long enough to send a draft round the team and get answers back,
short enough that a link forwarded by mistake stops showing unpublished prices by the next day).
"""

import base64
import hashlib
import hmac
import re
from datetime import UTC, datetime, timedelta

from vitrine.auth.sessions import _signing_keys  # the same package's keys: one secret, one rotation

PREVIEW_HOURS = 24
_TOKEN = re.compile(r"(\d{10})\.([A-Za-z0-9_-]{43})")


def _mac(key: bytes, merchant_id: str, catalog_id: str, expires: int) -> str:
    message = f"catalog-preview:{merchant_id}:{catalog_id}:{expires}".encode()
    return base64.urlsafe_b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode().rstrip("=")


def preview_token(merchant_id: str, catalog_id: str, *, now: datetime | None = None) -> tuple[str, datetime]:
    """A token that shows this catalog until the returned instant (``PREVIEW_HOURS`` from ``now``)."""
    expires_at = ((now or datetime.now(UTC)) + timedelta(hours=PREVIEW_HOURS)).replace(microsecond=0)
    expires = int(expires_at.timestamp())
    _kid, key = _signing_keys()[0]
    return f"{expires}.{_mac(key, merchant_id, catalog_id, expires)}", expires_at


def is_preview_token(value: str) -> bool:
    """Whether ``value`` has a token's shape (a path that has not is answered without a read)."""
    return _TOKEN.fullmatch(value) is not None


def preview_allowed(token: str, merchant_id: str, catalog_id: str, *, now: datetime | None = None) -> bool:
    """Whether ``token`` was signed for this catalog and has not expired (a malformed token is simply no)."""
    match = _TOKEN.fullmatch(token)
    if match is None:
        return False
    expires = int(match[1])
    if expires <= (now or datetime.now(UTC)).timestamp():
        return False
    # Every key is tried (no early exit on the first that fails), each compared in constant time.
    results = [hmac.compare_digest(_mac(key, merchant_id, catalog_id, expires), match[2]) for _, key in _signing_keys()]
    return any(results)

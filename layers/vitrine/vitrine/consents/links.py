"""The revocation link: a public page per order where its shopper sees their consents and revokes marketing.

The token is ``<order id>.<mac>``: the order's id (32 hex digits) and an HMAC-SHA256 (base64url, 43 characters) of
``consent-revocation:<merchant id>:<order id>`` under the deployment's session signing keys (the same secret and
rotation as sessions and preview links; the purpose prefix keeps it from ever verifying as either). Nothing is
stored; it does not expire, since the law lets a person revoke at any time (dropping a signing key ends the links
it signed: rotate with that in mind). A forged or altered token, or an order that does not exist, is a 404.
"""

import base64
import hashlib
import hmac
import os
import re

from vitrine.auth.sessions import _signing_keys
from vitrine.settings import get_settings

_TOKEN = re.compile(r"([0-9a-f]{32})\.([A-Za-z0-9_-]{43})")


def _mac(key: bytes, merchant_id: str, order_id: str) -> str:
    message = f"consent-revocation:{merchant_id}:{order_id}".encode()
    return base64.urlsafe_b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode().rstrip("=")


def revocation_token(merchant_id: str, order_id: str) -> str:
    _kid, key = _signing_keys()[0]
    return f"{order_id}.{_mac(key, merchant_id, order_id)}"


def revocation_url(merchant_id: str, order_id: str) -> str:
    """``PUBLIC_BASE_URL``, or the HTTP API's own URL (``API_BASE_URL``, as the notifier's links fall back to) when
    the deployment has none; the path alone when neither is set."""
    origin = (get_settings().public_base_url or os.environ.get("API_BASE_URL", "")).rstrip("/")
    return f"{origin}/privacidade/{revocation_token(merchant_id, order_id)}"


def order_of_token(token: str) -> str | None:
    """The order id the token names, if it has a token's shape (its MAC is checked by ``verified``)."""
    match = _TOKEN.fullmatch(token)
    return match[1] if match else None


def verified(token: str, merchant_id: str) -> bool:
    match = _TOKEN.fullmatch(token)
    if match is None:
        return False
    results = [hmac.compare_digest(_mac(key, merchant_id, match[1]), match[2]) for _, key in _signing_keys()]
    return any(results)

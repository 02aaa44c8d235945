"""Merchant API keys: ``vtr_<key_id>_<secret>``, stored only as SHA-256 and looked up by that hash.

A SHA-256 (not scrypt) is right for keys: they carry 256 bits of randomness, so there is nothing to
brute-force, and auth stays one hash and one read per request.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from vitrine.errors import Forbidden, Unauthorized
from vitrine.repository import api_keys as stored_keys

KEY_PREFIX = "vtr_"


@dataclass(frozen=True)
class Principal:
    merchant_id: str
    key_id: str
    scopes: frozenset[str]


def generate_api_key() -> tuple[str, str]:
    """A new ``(key_id, key)``; the key is shown once and never stored."""
    key_id = secrets.token_hex(6)
    return key_id, f"{KEY_PREFIX}{key_id}_{secrets.token_urlsafe(32)}"


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_api_key(merchant_id: str, *, scopes: list[str], name: str) -> str:
    key_id, key = generate_api_key()
    stored_keys.put_api_key(merchant_id, key_id, hash_api_key(key), scopes, name)
    return key


def key_from_headers(headers: dict[str, str]) -> str | None:
    authorization = headers.get("authorization") or ""
    scheme, _, credentials = authorization.partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return headers.get("x-api-key") or None


def authenticate(headers: dict[str, str], *, scope: str) -> Principal:
    key = key_from_headers(headers)
    if not key or not key.startswith(KEY_PREFIX) or len(key) > 200:
        raise Unauthorized("send the merchant API key as 'Authorization: Bearer <key>'")
    key_hash = hash_api_key(key)
    record = stored_keys.find_api_key(key_hash)
    if record is None or not hmac.compare_digest(record["key_hash"], key_hash):
        raise Unauthorized("API key not recognised")
    scopes = frozenset(record.get("scopes", []))
    if scope not in scopes:
        raise Forbidden(f"this API key lacks the '{scope}' scope")
    return Principal(merchant_id=record["merchant_id"], key_id=record["key_id"], scopes=scopes)

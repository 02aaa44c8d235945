"""Merchant API keys: ``vtr_<key_id>_<secret>``, stored only as SHA-256 and looked up by that hash.

A SHA-256 (not scrypt) is right for keys: they carry 256 bits of randomness, so there is nothing to
brute-force, and auth stays one hash and one read per request. A key holds permissions
(``vitrine.auth.permissions``); the route it calls checks its own (``vitrine.http.routing``). Revoking a key
deletes its hash lookup, so the next request with it is a 401.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from vitrine.auth.permissions import Permission, expand
from vitrine.errors import Unauthorized
from vitrine.repository import api_keys as stored_keys

KEY_PREFIX = "vtr_"


@dataclass(frozen=True)
class Principal:
    merchant_id: str
    key_id: str
    permissions: frozenset[Permission]


def generate_api_key() -> tuple[str, str]:
    """A new ``(key_id, key)``; the key is shown once and never stored."""
    key_id = secrets.token_hex(6)
    return key_id, f"{KEY_PREFIX}{key_id}_{secrets.token_urlsafe(32)}"


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_api_key(merchant_id: str, *, scopes: list[str], name: str) -> str:
    """A new key holding ``scopes``: permission names, or the bundles ``merchant`` and ``erp``."""
    key, _ = issue_api_key_record(merchant_id, permissions=expand(scopes), name=name)
    return key


def issue_api_key_record(merchant_id: str, *, permissions: frozenset[Permission], name: str) -> tuple[str, dict]:
    """A new key and its stored record (what the merchant's list of keys shows of it)."""
    key_id, key = generate_api_key()
    record = stored_keys.put_api_key(merchant_id, key_id, hash_api_key(key), sorted(permissions), name)
    return key, record


def key_from_headers(headers: dict[str, str]) -> str | None:
    authorization = headers.get("authorization") or ""
    scheme, _, credentials = authorization.partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return headers.get("x-api-key") or None


def permissions_of(record: dict) -> frozenset[Permission]:
    """What a stored key holds; a key from before permissions holds what its scopes stood for."""
    if "permissions" in record:
        return frozenset(Permission(name) for name in record["permissions"])
    return expand(record.get("scopes", []))


def authenticate(headers: dict[str, str]) -> Principal:
    """The key's principal; a missing, malformed, unknown or revoked key is a 401."""
    key = key_from_headers(headers)
    if not key or not key.startswith(KEY_PREFIX) or len(key) > 200:
        raise Unauthorized("send the merchant API key as 'Authorization: Bearer <key>'")
    key_hash = hash_api_key(key)
    record = stored_keys.find_api_key(key_hash)
    if record is None or not hmac.compare_digest(record["key_hash"], key_hash):
        raise Unauthorized("API key not recognised")
    return Principal(merchant_id=record["merchant_id"], key_id=record["key_id"], permissions=permissions_of(record))


def merchant_keys(merchant_id: str) -> list[dict]:
    """The merchant's keys as it may see them (never a hash), revoked ones included."""
    return stored_keys.list_api_keys(merchant_id)


def revoke(merchant_id: str, key_id: str) -> dict | None:
    """Revoke one of the merchant's keys; ``None`` when it has none of that id."""
    if len(key_id) > 40:
        return None
    return stored_keys.revoke_api_key(merchant_id, key_id)

"""Passwords of sellers and B2B customers: scrypt (stdlib), parameters and salt stored with the hash.

Cost: N=2**16, r=8, p=2 — one of OWASP's equivalent scrypt settings (64 MiB, two passes; ~0.4 s on a
512 MB Lambda), so an offline guess costs as much as ~2**17 with p=1 while the function's memory stays
well under its limit. The stored form ``scrypt$<N>$<r>$<p>$<salt>$<hash>`` lets the cost rise later
without invalidating the hashes already stored.
"""

import base64
import hashlib
import hmac
import os

from vitrine.errors import InvalidInput

SCHEME = "scrypt"
COST, BLOCK_SIZE, PARALLELISM = 2**16, 8, 2
SALT_BYTES, KEY_BYTES = 16, 32
MIN_LENGTH, MAX_LENGTH = 8, 128
_MAX_MEMORY = 256 * 1024 * 1024


def _derive(password: str, salt: bytes, cost: int, block_size: int, parallelism: int) -> bytes:
    return hashlib.scrypt(
        password.encode(), salt=salt, n=cost, r=block_size, p=parallelism, maxmem=_MAX_MEMORY, dklen=KEY_BYTES
    )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def check_password_policy(password: str, field: str = "body.password") -> None:
    """Long enough to resist guessing, short enough that hashing it cannot be used to burn CPU."""
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise InvalidInput(
            f"a password has {MIN_LENGTH} to {MAX_LENGTH} characters",
            details=[{"field": field, "reason": f"length {MIN_LENGTH}-{MAX_LENGTH}"}],
        )


def hash_password(password: str) -> str:
    check_password_policy(password)
    salt = os.urandom(SALT_BYTES)
    key = _derive(password, salt, COST, BLOCK_SIZE, PARALLELISM)
    return f"{SCHEME}${COST}${BLOCK_SIZE}${PARALLELISM}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, stored: str | None) -> bool:
    """Whether ``password`` matches; with no stored hash, burns the same time so timing reveals no login."""
    if stored is None or len(password) > MAX_LENGTH:
        _derive(password[:MAX_LENGTH], b"\0" * SALT_BYTES, COST, BLOCK_SIZE, PARALLELISM)
        return False
    scheme, cost, block_size, parallelism, salt, key = stored.split("$")
    if scheme != SCHEME:
        raise ValueError(f"unknown password scheme {scheme!r}")
    derived = _derive(password, _unb64(salt), int(cost), int(block_size), int(parallelism))
    return hmac.compare_digest(derived, _unb64(key))

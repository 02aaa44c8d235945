"""Preview tokens: signed for one catalog of one merchant, for 24 hours, under the session signing keys."""

from datetime import UTC, datetime, timedelta

import pytest

from vitrine.auth import preview_tokens
from vitrine.auth.preview_tokens import PREVIEW_HOURS, is_preview_token, preview_allowed, preview_token

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
OLD_KEY, NEW_KEY = b"old-key-0123456789abcdef0123456789", b"new-key-0123456789abcdef0123456789"


@pytest.fixture
def keys(monkeypatch):
    """The deployment's signing keys, first signs: the test changes the list as a rotation would."""
    current = [("old", OLD_KEY)]
    monkeypatch.setattr(preview_tokens, "_signing_keys", lambda: list(current))
    return current


def test_a_token_opens_its_catalog_until_it_expires(keys):
    token, expires_at = preview_token("m1", "cat-1", now=NOW)
    assert expires_at == NOW + timedelta(hours=PREVIEW_HOURS)
    assert is_preview_token(token) and len(token) == 54
    assert preview_allowed(token, "m1", "cat-1", now=NOW + timedelta(hours=23, minutes=59))
    assert not preview_allowed(token, "m1", "cat-1", now=expires_at)
    assert not preview_allowed(token, "m1", "cat-1", now=NOW + timedelta(days=2))


def test_a_token_opens_no_other_catalog_and_no_other_merchants(keys):
    token, _ = preview_token("m1", "cat-1", now=NOW)
    assert not preview_allowed(token, "m1", "cat-2", now=NOW)
    assert not preview_allowed(token, "m2", "cat-1", now=NOW)


def test_a_tampered_or_malformed_token_is_refused(keys):
    token, _ = preview_token("m1", "cat-1", now=NOW)
    expires, mac = token.split(".")
    later = str(int(expires) + 86400)
    flipped = mac[:-1] + ("A" if mac[-1] != "A" else "B")
    for forged in (f"{later}.{mac}", f"{expires}.{flipped}", token + "x", token[:-1], "", "1.2", mac, f"{expires}."):
        assert not preview_allowed(forged, "m1", "cat-1", now=NOW), forged


def test_a_token_survives_a_key_rotation_until_its_key_is_dropped(keys):
    token, _ = preview_token("m1", "cat-1", now=NOW)
    keys.insert(0, ("new", NEW_KEY))  # a new key signs; the old one still verifies
    assert preview_allowed(token, "m1", "cat-1", now=NOW)
    fresh, _ = preview_token("m1", "cat-1", now=NOW)
    assert fresh != token and preview_allowed(fresh, "m1", "cat-1", now=NOW)
    keys.pop()  # the old key is dropped: what it signed stops working
    assert not preview_allowed(token, "m1", "cat-1", now=NOW)
    assert preview_allowed(fresh, "m1", "cat-1", now=NOW)

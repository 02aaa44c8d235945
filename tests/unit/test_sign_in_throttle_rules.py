"""The sign-in throttle's schedule of locks and the client address it counts by."""

import hashlib

import pytest

from vitrine.auth.sign_in_throttle import BY_ADDRESS, BY_LOGIN, client_address
from vitrine.repository import sign_in_throttle as counters


def test_an_address_is_locked_at_its_5th_failure_for_30_s_doubling_to_15_minutes():
    assert [BY_ADDRESS.lock_seconds(n) for n in range(1, 12)] == [0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900]
    assert BY_ADDRESS.lock_seconds(10**6) == 900


def test_a_login_is_delayed_only_from_its_20th_failure_and_never_past_5_minutes():
    assert [BY_LOGIN.lock_seconds(n) for n in (19, 20, 21, 22, 23, 24, 500)] == [0, 30, 60, 120, 240, 300, 300]


@pytest.mark.parametrize(
    ("source_ip", "counted_as"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("2001:db8:0:1::7", "2001:db8:0:1::/64"),
        ("2001:db8:0:1:ffff:ffff:ffff:ffff", "2001:db8:0:1::/64"),
        ("not an address", "unknown"),
    ],
)
def test_a_client_is_counted_by_its_ipv4_address_or_its_ipv6_64(source_ip, counted_as):
    assert client_address(source_ip) == counted_as


def test_a_login_is_kept_in_the_key_only_as_a_hash():
    digest = hashlib.sha256(b"ana@loja.com.br").hexdigest()[:32]
    assert counters.login_pk("m1", "seller", "ana@loja.com.br") == f"M#m1#SIGNIN#LOGIN#seller#{digest}"

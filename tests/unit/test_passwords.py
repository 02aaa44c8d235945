"""Passwords are stored as salted scrypt and checked in constant time."""

import pytest

from vitrine.auth.passwords import hash_password, verify_password
from vitrine.errors import InvalidInput


def test_a_password_verifies_only_against_its_own_hash():
    stored = hash_password("correct horse battery")
    assert stored.startswith("scrypt$65536$8$2$") and "correct" not in stored
    assert verify_password("correct horse battery", stored)
    assert not verify_password("correct horse batterY", stored)
    assert not verify_password("", stored)


def test_the_same_password_hashes_differently_each_time():
    assert hash_password("mesma-senha-1") != hash_password("mesma-senha-1")


def test_no_stored_hash_never_verifies():
    assert not verify_password("qualquer-coisa", None)


@pytest.mark.parametrize("password", ["curta", "x" * 129])
def test_too_short_or_too_long_passwords_are_refused(password):
    with pytest.raises(InvalidInput):
        hash_password(password)

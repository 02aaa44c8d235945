"""The consent texts a record cites never change once released: each record holds its text's SHA-256, so an edited
text would make every earlier record claim a wording nobody read. A new wording is a new version."""

from vitrine.consents.models import Purpose
from vitrine.consents.subjects import normalise_email, normalise_phone, subject_hashes
from vitrine.consents.texts import CURRENT_VERSION, TEXTS, text_sha256

RELEASED = {
    ("2026-12-01", "order_updates"): "e0d08e725ca4c32c74c3e9c24c3ae905af0550809af656c43dfa7dbdb3e6b0c3",
    ("2026-12-01", "marketing"): "4bc56616995305977e0fc1e5fffb3221ad9fa6f8fa836242d73bb69a6f1d8321",
    ("2026-12-01", "loyalty_sharing"): "a12cb1d23964c1ee4e2f194e66459c80fc0218e20b5c196989d7557ab7ce5163",
}


def test_released_texts_keep_their_hashes_and_every_version_has_every_purpose():
    for (version, purpose), digest in RELEASED.items():
        assert text_sha256(version, Purpose(purpose)) == digest, f"{version} {purpose} changed: add a new version"
    assert CURRENT_VERSION in TEXTS
    assert all(set(texts) == set(Purpose) for texts in TEXTS.values())


def test_identifiers_are_normalised_before_hashing():
    assert normalise_email("  Maria@Example.COM ") == "maria@example.com"
    assert normalise_phone("(11) 98888-7777") == normalise_phone("+55 11 98888-7777") == "5511988887777"
    assert subject_hashes("m1") == [] and subject_hashes("m1", email="  ") == []

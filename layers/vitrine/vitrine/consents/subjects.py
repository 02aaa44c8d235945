"""Who a consent record is about, without keeping who they are: keyed hashes of the person's identifiers.

Normalisation (so the same person typed two ways hashes the same):

- **document** (CPF or CNPJ): its digits only (``529.982.247-25`` -> ``52998224725``);
- **e-mail**: trimmed, lower-cased as a whole (``Maria@Example.com `` -> ``maria@example.com``);
- **phone**: its digits only, with Brazil's country code ``55`` put in front of a 10- or 11-digit national number
  (``(11) 98888-7777`` -> ``5511988887777``; ``+55 11 98888-7777`` -> the same).

Each identifier is hashed as ``HMAC-SHA256(key = merchant id, message = "<kind>:<normalised>")``, hex: the merchant
id as the key makes the same person hash differently for each controller (one merchant's records say nothing about
another's customers), and the kind keeps a phone from meeting a CPF of the same digits. An empty identifier gives
no hash.
"""

import hashlib
import hmac

from vitrine.documents import only_digits


def normalise_document(value: str) -> str:
    return only_digits(value)


def normalise_email(value: str) -> str:
    return value.strip().lower()


def normalise_phone(value: str) -> str:
    digits = only_digits(value)
    return "55" + digits if len(digits) in (10, 11) else digits


def _hash(merchant_id: str, kind: str, normalised: str) -> str:
    return hmac.new(merchant_id.encode(), f"{kind}:{normalised}".encode(), hashlib.sha256).hexdigest()


def subject_hashes(
    merchant_id: str, *, document: str | None = None, email: str | None = None, phone: str | None = None
) -> list[str]:
    """The person's hashes for this merchant: document, e-mail, phone (those given), in that order."""
    found = []
    for kind, value, normalise in (
        ("document", document, normalise_document),
        ("email", email, normalise_email),
        ("phone", phone, normalise_phone),
    ):
        normalised = normalise(value) if value else ""
        if normalised:
            found.append(_hash(merchant_id, kind, normalised))
    return found

"""Consent (LGPD art. 8) and data-subject requests (art. 18): who agreed to what, revocation, export and erase.

What the notifier calls (the three functions below): ``subject_hashes`` names a person by keyed hashes,
``marketing_allowed`` says whether a marketing message may go to them on a channel now (a revocation counts at
once), and ``revocation_link`` is the public page, for the foot of every marketing message, where they see their
consents and revoke marketing with one button.

Modules: ``texts`` (the versioned pt-BR texts), ``subjects`` (normalisation and hashing), ``records`` (writing and
reading the append-only records), ``links`` (the signed revocation link), ``subject_requests`` (export and erase,
through a registry of holders), ``models``.
"""

from vitrine.consents.subjects import subject_hashes


def marketing_allowed(merchant_id: str, hashes: list[str], channel: str) -> bool:
    """Whether the person (any of ``hashes``) has a marketing grant in force on ``channel`` now (read
    consistently: a revocation a moment ago is a no)."""
    from vitrine.consents.models import Purpose
    from vitrine.consents.records import allowed

    return allowed(merchant_id, hashes, Purpose.MARKETING, channel)


def revocation_link(merchant_id: str, order_id: str) -> str:
    """The order's shopper's privacy page: ``<PUBLIC_BASE_URL>/privacidade/<token>`` (``API_BASE_URL`` when there is
    no public base URL, as the notifier's other links; the path alone when neither is set)."""
    from vitrine.consents.links import revocation_url

    return revocation_url(merchant_id, order_id)


__all__ = ["marketing_allowed", "revocation_link", "subject_hashes"]

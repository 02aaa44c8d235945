"""What a person sees of their consents and how they revoke them: the revocation link's page (no sign-in), the
customer portal (a signed-in B2B customer), and the merchant's view of a person's records.

Each view names the person by hashes computed from what Vitrine holds: the order's buyer (the link) or the
customer's record (the portal). Revoking records a revocation for each grant of the purposes asked that is in
force (marketing for the link's one button), collected at ``link`` or ``customer_portal``.
"""

from dataclasses import dataclass

from vitrine.consents import links, records
from vitrine.consents.models import ConsentRecord, Evidence, Purpose
from vitrine.consents.subjects import subject_hashes
from vitrine.errors import NotFound
from vitrine.repository import orders, people


@dataclass(frozen=True)
class PrivacyView:
    merchant_id: str
    hashes: list[str]
    customer_id: str | None
    order_id: str | None
    order_code: str | None
    granted: list[ConsentRecord]


def _order_subject(token: str) -> tuple[str, str, str | None, list[str], str | None]:
    order_id = links.order_of_token(token)
    pointer = orders.find_order_pointer(order_id) if order_id else None
    if order_id is None or pointer is None or not links.verified(token, pointer["merchant_id"]):
        raise NotFound("no such page")
    order = orders.get_order(pointer["merchant_id"], order_id)
    if order is None:
        raise NotFound("no such page")
    buyer = order.customer
    hashes = subject_hashes(order.merchant_id, document=buyer.document, email=buyer.email, phone=buyer.phone)
    return order.merchant_id, order_id, order.order_code, hashes, order.customer_id


def link_view(token: str) -> PrivacyView:
    """The consents in force for the shopper of the link's order (404 for a forged or unknown token)."""
    merchant_id, order_id, code, hashes, customer_id = _order_subject(token)
    return PrivacyView(merchant_id, hashes, customer_id, order_id, code, records.granted_now(merchant_id, hashes))


def revoke_by_link(token: str, evidence: Evidence) -> list[ConsentRecord]:
    """Revoke every marketing grant in force (each channel) of the link's shopper: the one button."""
    merchant_id, order_id, _, hashes, customer_id = _order_subject(token)
    return records.revoke(
        merchant_id,
        hashes,
        [Purpose.MARKETING],
        collection_point="link",
        evidence=evidence,
        customer_id=customer_id,
        order_id=order_id,
    )


def _customer_hashes(merchant_id: str, customer_id: str) -> list[str]:
    item = people.get_customer_item(merchant_id, customer_id)
    if item is None:
        raise NotFound("no such customer")
    return subject_hashes(merchant_id, document=item.get("document"), email=item.get("email"), phone=item.get("phone"))


def customer_view(merchant_id: str, customer_id: str) -> PrivacyView:
    hashes = _customer_hashes(merchant_id, customer_id)
    return PrivacyView(merchant_id, hashes, customer_id, None, None, records.granted_now(merchant_id, hashes))


def revoke_for_customer(
    merchant_id: str, customer_id: str, purposes: list[Purpose], evidence: Evidence
) -> list[ConsentRecord]:
    return records.revoke(
        merchant_id,
        _customer_hashes(merchant_id, customer_id),
        purposes,
        collection_point="customer_portal",
        evidence=evidence,
        customer_id=customer_id,
    )


def records_for(
    merchant_id: str, *, document: str | None = None, email: str | None = None, phone: str | None = None
) -> list[ConsentRecord]:
    """Every record about the person named by any of these, newest first (the merchant API)."""
    return records.history(merchant_id, subject_hashes(merchant_id, document=document, email=email, phone=phone))

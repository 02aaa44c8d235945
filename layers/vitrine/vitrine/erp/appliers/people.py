"""Applying ERP customers and sellers through the people rules (login pointers, password hashes, assignments).

The people rules (passwords, sessions, storefront) load only for people: stock chunks are the usual ones.
"""

from collections.abc import Sequence

from vitrine.erp import delta
from vitrine.erp.appliers.outcome import Outcome, compare_to_stored, rejected, rejected_by
from vitrine.erp.models import ItemError, ItemStatus
from vitrine.erp.people_models import ErpCustomer, ErpSeller
from vitrine.errors import VitrineError
from vitrine.repository import people


def apply_customers(merchant_id: str, job_ids: Sequence[str], items: list[ErpCustomer]) -> list[Outcome]:
    from vitrine.people import accounts
    from vitrine.people.models import CustomerInput

    stored = people.customers_by_id(merchant_id, [item.customer_id for item in items])
    outcomes: list[Outcome] = []
    for item, job_id in zip(items, job_ids, strict=True):
        current = stored.get(item.customer_id)
        # The password is left out of the hash: a fast hash of it must never be stored. Sent, it is a change.
        content = item.model_dump(mode="json", exclude={"password"})
        compared = compare_to_stored(current, content, job_id, "customer_id")
        if compared.stale:
            outcomes.append(compared.stale)
            continue
        if item.consents:
            refused = _record_consents(merchant_id, item)
            if refused is not None:
                outcomes.append(refused)
                continue
        known = compared.known if item.password is None else None
        if known is not None:
            outcomes.append(Outcome(known))
            continue
        if item.web_access and item.password is None and not (current or {}).get("password_hash"):
            outcomes.append(rejected("password", "web access needs a password the first time", "password_required"))
            continue
        body = CustomerInput.model_validate(item.model_dump(include=set(CustomerInput.model_fields)))
        try:
            accounts.save_customer(
                merchant_id,
                item.customer_id,
                body,
                sync=delta.sync_marks(compared.digest, job_id),
                password=item.password,
                revoke_access=item.web_access is False,
            )
        except VitrineError as exc:
            outcomes.append(rejected_by(exc, "customer_id"))
            continue
        outcomes.append(Outcome(ItemStatus.APPLIED))
    return outcomes


def _record_consents(merchant_id: str, item: ErpCustomer) -> Outcome | None:
    """Append the customer's consents as records (collection point ``erp``), each once however often the batch is
    sent (its id derives from what it says); a rejection when one names a text version Vitrine never had. Before
    the customer is written, so a customer stored as unchanged always has its consents recorded."""
    from vitrine.consents import records, subjects, texts
    from vitrine.consents.models import Evidence, Purpose

    for index, consent in enumerate(item.consents):
        if not texts.is_known_version(consent.text_version):
            return rejected(f"consents.{index}.text_version", "unknown consent text version", "unknown_text_version")
    hashes = subjects.subject_hashes(merchant_id, document=item.document, email=item.email, phone=item.phone)
    made = [
        records.new_record(
            merchant_id,
            hashes,
            purpose=Purpose(consent.purpose),
            channel=consent.channel,
            granted=consent.granted,
            text_version=consent.text_version,
            collection_point="erp",
            evidence=Evidence(at=consent.collected_at),
            customer_id=item.customer_id,
            record_id=records.stable_record_id(
                merchant_id,
                item.customer_id,
                consent.purpose,
                consent.channel,
                consent.granted,
                consent.text_version,
                consent.collected_at.isoformat(),
            ),
        )
        for consent in item.consents
    ]
    records.record(made)
    return None


def apply_sellers(merchant_id: str, job_ids: Sequence[str], items: list[ErpSeller]) -> list[Outcome]:
    from vitrine.people import accounts
    from vitrine.people.models import SellerInput

    stored = people.sellers_by_id(merchant_id, [item.seller_id for item in items])
    named = list(dict.fromkeys(cid for item in items for cid in item.customer_ids or []))
    existing_customers = people.customers_by_id(merchant_id, named)
    outcomes: list[Outcome] = []
    for item, job_id in zip(items, job_ids, strict=True):
        content = item.model_dump(mode="json", exclude={"password"})
        compared = compare_to_stored(stored.get(item.seller_id), content, job_id, "seller_id")
        if compared.stale:
            outcomes.append(compared.stale)
            continue
        known = compared.known if item.password is None else None
        if known is ItemStatus.UNCHANGED:
            outcomes.append(Outcome(known))
            continue
        unknown = [(i, cid) for i, cid in enumerate(item.customer_ids or []) if cid not in existing_customers]
        if unknown:
            errors = [
                ItemError(field=f"customer_ids.{i}", reason=f"no customer '{cid}'", code="unknown_customer")
                for i, cid in unknown
            ]
            outcomes.append(Outcome(ItemStatus.REJECTED, errors))
            continue
        try:
            if known is None:
                body = SellerInput(name=item.name, email=item.email, password=item.password, active=item.active)
                accounts.save_seller(merchant_id, item.seller_id, body, sync=delta.sync_marks(compared.digest, job_id))
            # Also when this job wrote the seller already: a delivery that failed after the seller was written
            # finishes the assignments (replacing the list writes only what differs).
            if item.customer_ids is not None:
                people.replace_assignments(merchant_id, item.seller_id, list(dict.fromkeys(item.customer_ids)))
        except VitrineError as exc:
            outcomes.append(rejected_by(exc, "seller_id"))
            continue
        outcomes.append(Outcome(ItemStatus.APPLIED))
    return outcomes

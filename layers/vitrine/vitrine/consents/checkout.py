"""The consent records a checkout writes, in the order's own transaction (an order and its consents, or neither).

Every order records its updates on the channel the shopper chose (purpose ``order_updates``, legal basis the
contract, art. 7 V: the notice is shown, nothing to tick); a ticked marketing box records a marketing grant on the
same channel (consent, art. 7 I), citing the version of the texts the page showed; a professional's CPF given for
the loyalty points records that professional's ``loyalty_sharing`` grant (the field shows its text). An unticked
box records nothing: it is not a revocation of an earlier grant.
"""

from collections.abc import Sequence

from vitrine.consents import records, texts
from vitrine.consents.models import CollectionPoint, ConsentRecord, Evidence, Purpose
from vitrine.consents.subjects import subject_hashes


def checkout_records(
    *,
    merchant_id: str,
    order_id: str,
    customer_id: str | None,
    document: str,
    email: str,
    phone: str,
    channel: str,
    marketing: bool,
    text_version: str | None,
    professional_cpf: str | None = None,
    collection_point: CollectionPoint,
    evidence: Evidence,
) -> list[ConsentRecord]:
    hashes = subject_hashes(merchant_id, document=document, email=email, phone=phone)
    version = text_version or texts.CURRENT_VERSION
    common = {
        "channel": channel,
        "granted": True,
        "text_version": version,
        "collection_point": collection_point,
        "evidence": evidence,
        "customer_id": customer_id,
        "order_id": order_id,
        "now": evidence.at,
    }
    made = [records.new_record(merchant_id, hashes, purpose=Purpose.ORDER_UPDATES, **common)]
    if marketing:
        made.append(records.new_record(merchant_id, hashes, purpose=Purpose.MARKETING, **common))
    if professional_cpf:
        made.append(loyalty_sharing_grant(merchant_id, professional_cpf, version, collection_point, evidence, order_id))
    return made


def loyalty_sharing_grant(
    merchant_id: str,
    cpf: str,
    text_version: str,
    collection_point: CollectionPoint,
    evidence: Evidence,
    order_id: str | None,
) -> ConsentRecord:
    """The professional's consent to share their CPF and purchases with the loyalty partner: giving the CPF in the
    field whose text says so (the checkout's, a seller's, or a member of staff's who asked at the counter) is the
    affirmative act, citing that text's version. Its subject is the professional's CPF, not the buyer."""
    return records.new_record(
        merchant_id,
        subject_hashes(merchant_id, document=cpf),
        purpose=Purpose.LOYALTY_SHARING,
        channel="any",
        granted=True,
        text_version=text_version,
        collection_point=collection_point,
        evidence=evidence,
        order_id=order_id,
        now=evidence.at,
    )


def operations_of(made: Sequence[ConsentRecord]) -> tuple[list[dict], list]:
    operations, events = [], []
    for record in made:
        ops, event = records.append_operations(record)
        operations += ops
        events.append(event)
    return operations, events

"""Consent records: building them, writing them (with their ``ConsentRecorded`` event), and what is in force.

"In force" for a (person, purpose, channel) is the newest record naming any of the person's hashes: a grant
means yes, a revocation or no record means no. It is read consistently, so a revocation written a moment ago
stops marketing at once.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from vitrine.consents import texts
from vitrine.consents.models import (
    LEGAL_BASIS,
    CollectionPoint,
    ConsentChannel,
    ConsentRecord,
    Evidence,
    Purpose,
)
from vitrine.errors import DependencyUnavailable
from vitrine.repository import consents as repository

if TYPE_CHECKING:  # the writes' events: what only asks whether a consent is in force (``allowed``) skips them
    from vitrine.events.envelope import EventEnvelope

logger = logging.getLogger(__name__)
EVENT_SOURCE = "vitrine.consents"
MARKETING_CHANNELS: tuple[ConsentChannel, ...] = ("whatsapp", "sms", "email")


def new_record(
    merchant_id: str,
    subject_hashes: Sequence[str],
    *,
    purpose: Purpose,
    channel: ConsentChannel,
    granted: bool,
    text_version: str,
    collection_point: CollectionPoint,
    evidence: Evidence,
    customer_id: str | None = None,
    order_id: str | None = None,
    record_id: str | None = None,
    now: datetime | None = None,
) -> ConsentRecord:
    return ConsentRecord(
        record_id=record_id or uuid.uuid4().hex,
        merchant_id=merchant_id,
        subject_hashes=list(dict.fromkeys(subject_hashes)),
        customer_id=customer_id,
        order_id=order_id,
        purpose=purpose,
        channel=channel,
        granted=granted,
        legal_basis=LEGAL_BASIS[purpose],
        text_version=text_version,
        text_sha256=texts.text_sha256(text_version, purpose),
        collection_point=collection_point,
        evidence=evidence,
        recorded_at=now or datetime.now(UTC),
    )


def stable_record_id(*parts: object) -> str:
    """A record id derived from what the record says (an ERP's consent sent again gets the same id)."""
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:32]


def record_event(record: ConsentRecord) -> EventEnvelope:
    from vitrine.events.envelope import ConsentRecorded, new_event

    data = ConsentRecorded(
        record_id=record.record_id,
        subject_hashes=record.subject_hashes,
        customer_id=record.customer_id,
        order_id=record.order_id,
        purpose=record.purpose.value,
        channel=record.channel,
        granted=record.granted,
        legal_basis=record.legal_basis.value,
        text_version=record.text_version,
        text_sha256=record.text_sha256,
        collection_point=record.collection_point,
        collected_at=record.evidence.at,
    )
    return new_event(record.merchant_id, data, occurred_at=record.recorded_at, event_id=f"consent-{record.record_id}")


def append_operations(record: ConsentRecord) -> tuple[list[dict], EventEnvelope]:
    """What a transaction that also writes something else (an order) writes for this record, and its event."""
    event = record_event(record)
    return repository.append_operations(record, event), event


def publish_recorded(events: Sequence[EventEnvelope]) -> None:
    """Publish committed records' events and clear their outbox items; on failure they stay in the outbox and the
    outbox sweep sends them."""
    if not events:
        return
    from vitrine.events.publisher import PublishFailed, publish
    from vitrine.repository.order_state import delete_outbox_events, outbox_event

    try:
        publish(events, source=EVENT_SOURCE)
        delete_outbox_events([outbox_event(event) for event in events])
    except (PublishFailed, DependencyUnavailable) as exc:
        logger.warning(
            "consent events left in the outbox", extra={"event_ids": [e.id for e in events], "error": str(exc)}
        )


def record(records: Sequence[ConsentRecord]) -> list[ConsentRecord]:
    """Write each record (and its event); returns those written (a record whose id was taken is skipped: one
    batched read finds those first, the conditional write catches a race)."""
    if not records:
        return []
    taken = repository.existing_ids(records[0].merchant_id, [r.record_id for r in records])
    written, events = [], []
    for item in records:
        if item.record_id in taken:
            continue
        event = record_event(item)
        try:
            repository.append(item, event)
        except repository.RecordExists:
            continue
        written.append(item)
        events.append(event)
    publish_recorded(events)
    return written


def history(merchant_id: str, subject_hashes: Sequence[str]) -> list[ConsentRecord]:
    """Every record about the person, newest first (grants and revocations)."""
    if not subject_hashes:
        return []
    return repository.records_of(merchant_id, list(subject_hashes))


def in_force(merchant_id: str, subject_hashes: Sequence[str]) -> dict[tuple[Purpose, str], ConsentRecord]:
    """The newest record per (purpose, channel) about the person: what they last said."""
    newest: dict[tuple[Purpose, str], ConsentRecord] = {}
    for item in history(merchant_id, subject_hashes):  # newest first
        newest.setdefault((item.purpose, item.channel), item)
    return newest


def granted_now(merchant_id: str, subject_hashes: Sequence[str]) -> list[ConsentRecord]:
    """The grants in force (what the privacy pages show)."""
    return [r for r in in_force(merchant_id, subject_hashes).values() if r.granted]


def allowed(merchant_id: str, subject_hashes: Sequence[str], purpose: Purpose, channel: str) -> bool:
    if not subject_hashes:
        return False
    prefix = repository.purpose_prefix(purpose, channel)
    found = repository.records_of(merchant_id, list(subject_hashes), sk_prefix=prefix)
    return bool(found) and found[0].granted


def revoke(
    merchant_id: str,
    subject_hashes: Sequence[str],
    purposes: Sequence[Purpose],
    *,
    collection_point: CollectionPoint,
    evidence: Evidence,
    customer_id: str | None = None,
    order_id: str | None = None,
) -> list[ConsentRecord]:
    """A revocation record for each of ``purposes``' grants in force (none for what is not granted)."""
    revocations = [
        new_record(
            merchant_id,
            subject_hashes,
            purpose=grant.purpose,
            channel=grant.channel,
            granted=False,
            text_version=grant.text_version,
            collection_point=collection_point,
            evidence=evidence,
            customer_id=customer_id or grant.customer_id,
            order_id=order_id,
        )
        for grant in granted_now(merchant_id, subject_hashes)
        if grant.purpose in purposes
    ]
    return record(revocations)

"""Access patterns: consent records (append-only) and data-subject requests.

A consent record is written once per subject hash it names (the person's document, e-mail and phone hashes: see
``vitrine.consents.subjects``), all copies in one transaction with its ``ConsentRecorded`` outbox item, each put
only if its key is free: a record is never updated, a revocation is a new record. Its copy under each hash makes
"what is in force for this person" one strongly consistent query per hash they are known by, and the same
person found by any one of their identifiers sees every record. Copies of one record share its ``record_id``
(readers keep one).

Data-subject requests are a partition of their own per merchant, a handful of items (kept for proof); an
export's JSON is an item apart (zlib-compressed), kept ``EXPORT_TTL_SECONDS`` and deleted by a later erase of the
same person.
"""

from __future__ import annotations

import time
import zlib
from datetime import UTC
from typing import TYPE_CHECKING, Any

from vitrine.consents.models import ConsentRecord, DataSubjectRequest, Purpose
from vitrine.repository import keys, table
from vitrine.repository.items import to_model
from vitrine.repository.table import TransactionCancelled

if TYPE_CHECKING:  # the writes' events; whatever only reads consents (the notifier, loyalty) skips the outbox's
    from vitrine.events.envelope import EventEnvelope

EXPORT_TTL_SECONDS = 7 * 24 * 3600
_CONDITION_FAILED = "ConditionalCheckFailed"


class RecordExists(Exception):
    """A record with this id is already written (an ERP batch sent again): nothing was written."""


def record_sk(record: ConsentRecord) -> str:
    return keys.consent_record_sk(
        purpose=record.purpose,
        channel=record.channel,
        recorded_at=record.recorded_at.astimezone(UTC).isoformat(timespec="microseconds"),
        record_id=record.record_id,
    )


def append_operations(record: ConsentRecord, event: EventEnvelope | None = None) -> list[dict[str, Any]]:
    """The puts of one record (one per subject hash, each on a fresh key) and of its event's outbox item."""
    values = {"type": "consent_record", **record.model_dump(mode="json")}
    operations = [
        table.put_operation(
            {"PK": keys.consent_subject_pk(record.merchant_id, subject), "SK": record_sk(record), **values},
            condition="attribute_not_exists(PK)",
        )
        for subject in record.subject_hashes
    ]
    if record.subject_hashes:
        # The record's id alone (whatever its time) is taken once: a re-sent ERP record has the same id.
        operations.append(
            table.put_operation(
                {
                    "PK": keys.consent_ids_pk(record.merchant_id),
                    "SK": record.record_id,
                    "type": "consent_record_id",
                },
                condition="attribute_not_exists(PK)",
            )
        )
    if event is not None:
        from vitrine.repository.order_state import outbox_put

        operations.append(outbox_put(event))
    return operations


def append(record: ConsentRecord, event: EventEnvelope | None = None) -> None:
    """Write ``record`` and its event, all or nothing; ``RecordExists`` when its id was written before."""
    try:
        table.transact_write(append_operations(record, event))
    except TransactionCancelled as exc:
        if _CONDITION_FAILED in exc.reasons:
            raise RecordExists(record.record_id) from exc
        raise


def existing_ids(merchant_id: str, record_ids: list[str]) -> set[str]:
    """Which of these record ids are written already (one batched read)."""
    pk = keys.consent_ids_pk(merchant_id)
    return {item["SK"] for item in table.batch_get([(pk, rid) for rid in record_ids], attributes=["type"])}


def records_of(merchant_id: str, subject_hashes: list[str], *, sk_prefix: str | None = None) -> list[ConsentRecord]:
    """Every record naming any of the hashes (one copy each), newest first; read consistently (a revocation a
    moment ago counts)."""
    found: dict[str, ConsentRecord] = {}
    for subject in dict.fromkeys(subject_hashes):
        cursor = None
        while True:
            page = table.query(
                keys.consent_subject_pk(merchant_id, subject),
                sk_prefix=sk_prefix,
                cursor=cursor,
                limit=200,
                consistent=True,
            )
            for item in page.items:
                found.setdefault(item["record_id"], to_model(ConsentRecord, item))
            cursor = page.cursor
            if cursor is None:
                break
    return sorted(found.values(), key=lambda r: (r.recorded_at, r.record_id), reverse=True)


def purpose_prefix(purpose: Purpose, channel: str) -> str:
    return f"{purpose}#{channel}#"


def save_subject_request(
    merchant_id: str, request: DataSubjectRequest, export: bytes | None, event: EventEnvelope
) -> None:
    """The request, its export (zlib-compressed JSON) and its event's outbox item, all or nothing."""
    from vitrine.repository.order_state import outbox_put

    pk = keys.subject_requests_pk(merchant_id)
    operations = [
        table.put_operation(
            {
                "PK": pk,
                "SK": keys.subject_request_sk(request.request_id),
                "type": "data_subject_request",
                **request.model_dump(mode="json"),
            },
            condition="attribute_not_exists(PK)",
        ),
        outbox_put(event),
    ]
    if export is not None:
        operations.append(
            table.put_operation(
                {
                    "PK": pk,
                    "SK": keys.subject_export_sk(request.request_id),
                    "type": "data_subject_export",
                    "subject_hashes": request.subject_hashes,
                    "body": export,
                    "expires_at": int(time.time()) + EXPORT_TTL_SECONDS,
                }
            )
        )
    table.transact_write(operations)


def subject_requests(merchant_id: str) -> list[DataSubjectRequest]:
    """The merchant's requests, newest first."""
    pk = keys.subject_requests_pk(merchant_id)
    found: list[DataSubjectRequest] = []
    cursor = None
    while True:
        page = table.query(pk, sk_prefix=keys.subject_request_sk(""), cursor=cursor, limit=200)
        found += [to_model(DataSubjectRequest, item) for item in page.items]
        cursor = page.cursor
        if cursor is None:
            break
    return sorted(found, key=lambda r: r.created_at, reverse=True)


def get_subject_request(merchant_id: str, request_id: str) -> DataSubjectRequest | None:
    item = table.get(keys.subject_requests_pk(merchant_id), keys.subject_request_sk(request_id), consistent=True)
    return to_model(DataSubjectRequest, item) if item else None


def get_export(merchant_id: str, request_id: str) -> str | None:
    item = table.get(keys.subject_requests_pk(merchant_id), keys.subject_export_sk(request_id), consistent=True)
    return zlib.decompress(item["body"]).decode() if item else None


def delete_exports_of(merchant_id: str, subject_hashes: list[str]) -> int:
    """Delete the exports made for any of these hashes (an erase leaves no copy behind); how many."""
    pk = keys.subject_requests_pk(merchant_id)
    wanted = set(subject_hashes)
    doomed: list[tuple[str, str]] = []
    cursor = None
    while True:
        page = table.query(pk, sk_prefix=keys.subject_export_sk(""), cursor=cursor, limit=100)
        doomed += [(i["PK"], i["SK"]) for i in page.items if wanted & set(i.get("subject_hashes") or [])]
        cursor = page.cursor
        if cursor is None:
            break
    table.batch_delete(doomed)
    return len(doomed)

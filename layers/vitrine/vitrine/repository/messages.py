"""Access patterns: the messages the notifier sends, their providers' ids, suppressed addresses, merchants' texts.

A message record is claimed before its send (a put on a fresh key: ``<event_id>#<audience>#<channel>`` in the
order's own partition), so however often an event is delivered, one record decides: a record already ``sent`` (or
``delivered``, ``read``, ``failed``, ``suppressed``) is the end of it; a ``pending`` one (a send that failed or was
throttled) is tried again by whoever takes its lease. The lease (``lease_until``, a minute) keeps two deliveries of
one event at the same moment (SQS and EventBridge deliver at least once) from both sending: the one that does not
hold it comes back later and finds the message ended. The window that remains: a send the provider accepted and
whose ``sent`` was not written (the function died in between) is sent again once its lease is over; the record is
written right after the answer to keep it to that.

A provider's message id points back to its record (``MSGID#<provider>#<id>``), so a status webhook, which names
only that id, finds the merchant and the record. Suppressed addresses are kept as hashes per merchant and channel.
"""

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from vitrine.repository import keys, table

RECORD_DAYS = 400
# Longer than a send can take (3 s to connect, 8 s to answer, one retry of a dropped connection).
LEASE_SECONDS = 60
POINTER_DAYS = 30
FINAL = {"sent", "delivered", "read", "failed", "suppressed", "skipped"}
# A status only moves forward: a late "sent" after "delivered" changes nothing.
_RANK = {"pending": 0, "sent": 1, "not_delivered": 2, "delivered": 3, "read": 4, "failed": 5, "suppressed": 5}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def claim(record: dict[str, Any], *, lease_seconds: int = LEASE_SECONDS) -> tuple[dict[str, Any], bool]:
    """The message's record, and whether this delivery holds it now: a new record is held by whoever wrote it; a
    ``pending`` one (a send that failed, or one whose sender died) by whoever takes its expired lease. A record held
    by another delivery right now, or ended, is not this delivery's to send."""
    now = datetime.now(UTC)
    item = {
        "PK": keys.messages_pk(record["merchant_id"], record.get("order_id")),
        "SK": keys.message_sk(record["event_id"], record["audience"], record["channel"]),
        "type": "message",
        "status": "pending",
        "attempts": 0,
        "created_at": _now(),
        "lease_until": (now + timedelta(seconds=lease_seconds)).isoformat(),
        "expires_at": int((now + timedelta(days=RECORD_DAYS)).timestamp()),
        **record,
    }
    if table.put_new(item):
        return item, True
    existing = table.get(item["PK"], item["SK"], consistent=True) or item
    if existing["status"] != "pending" or existing.get("lease_until", "") > now.isoformat():
        return existing, False
    try:
        taken = table.update(
            item["PK"],
            item["SK"],
            expression="SET lease_until = :until",
            names={"#status": "status"},
            values={":until": item["lease_until"], ":now": now.isoformat(), ":pending": "pending"},
            condition="#status = :pending AND (attribute_not_exists(lease_until) OR lease_until < :now)",
        )
    except table.ConditionFailed:
        return table.get(item["PK"], item["SK"], consistent=True) or existing, False
    return taken, True


def mark_sent(record: dict[str, Any], provider: str, provider_message_id: str, *, body: str, subject: str) -> None:
    """Sent: the provider's id (and its pointer back here), and what the message said (the export shows it; an
    erase blanks it), in one transaction."""
    pointer_pk, pointer_sk = keys.provider_message_pointer(provider, provider_message_id)
    update = table.update_operation(
        record["PK"],
        record["SK"],
        expression="SET #status = :sent, provider = :provider, provider_message_id = :pid, sent_at = :at, "
        "attempts = if_not_exists(attempts, :zero) + :one, body = :body, subject = :subject REMOVE lease_until",
        condition="attribute_exists(PK)",
        values={
            ":sent": "sent",
            ":provider": provider,
            ":pid": provider_message_id,
            ":at": _now(),
            ":zero": 0,
            ":one": 1,
            ":body": body,
            ":subject": subject,
        },
    )
    update["Update"]["ExpressionAttributeNames"] = {"#status": "status"}
    pointer = table.put_operation(
        {
            "PK": pointer_pk,
            "SK": pointer_sk,
            "type": "message_pointer",
            "record_pk": record["PK"],
            "record_sk": record["SK"],
            "expires_at": int((datetime.now(UTC) + timedelta(days=POINTER_DAYS)).timestamp()),
        }
    )
    table.transact_write([update, pointer])


def mark_ended(record: dict[str, Any], status: str, error_code: str = "") -> None:
    """A record that will not be sent (``suppressed``, ``skipped``) or failed for good (``failed``)."""
    table.update(
        record["PK"],
        record["SK"],
        expression="SET #status = :status, error_code = :code, ended_at = :at",
        names={"#status": "status"},
        values={":status": status, ":code": error_code, ":at": _now()},
    )


def mark_attempt_failed(record: dict[str, Any], error_code: str) -> int:
    """One more failed attempt, its lease given up (the next delivery may try at once); answers how many."""
    item = table.update(
        record["PK"],
        record["SK"],
        expression="SET attempts = if_not_exists(attempts, :zero) + :one, error_code = :code, failed_at = :at "
        "REMOVE lease_until",
        values={":zero": 0, ":one": 1, ":code": error_code, ":at": _now()},
    )
    return int(item.get("attempts", 0))


def record_status(provider: str, provider_message_id: str, status: str, error_code: str) -> dict[str, Any] | None:
    """Apply a provider's status to its message; answers the record as it is now, or ``None`` when the id is not
    one of ours (or its pointer expired). A status never moves a record back."""
    pointer_pk, pointer_sk = keys.provider_message_pointer(provider, provider_message_id)
    pointer = table.get(pointer_pk, pointer_sk)
    if pointer is None:
        return None
    rank = _RANK.get(status, 0)
    lower = [name for name, value in _RANK.items() if value < rank]
    try:
        return table.update(
            pointer["record_pk"],
            pointer["record_sk"],
            expression="SET #status = :status, error_code = :code, status_at = :at",
            names={"#status": "status"},
            values={":status": status, ":code": error_code, ":at": _now(), **_lower_values(lower)},
            condition=f"attribute_exists(PK) AND #status IN ({', '.join(_lower_values(lower))})" if lower else None,
        )
    except table.ConditionFailed:
        return table.get(pointer["record_pk"], pointer["record_sk"], consistent=True)


def _lower_values(names: list[str]) -> dict[str, str]:
    return {f":s{i}": name for i, name in enumerate(names)}


def order_messages(merchant_id: str, order_id: str | None) -> list[dict[str, Any]]:
    """Every message of an order (or the merchant's own), oldest first."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = table.query(keys.messages_pk(merchant_id, order_id), cursor=cursor)
        items += page.items
        cursor = page.cursor
        if cursor is None:
            return sorted(items, key=lambda i: i.get("created_at", ""))


def address_hash(address: str) -> str:
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()[:32]


def suppress(merchant_id: str, channel: str, address: str, reason: str) -> None:
    table.put(
        {
            "PK": keys.suppressed_pk(merchant_id),
            "SK": keys.suppressed_sk(channel, address_hash(address)),
            "type": "suppressed_address",
            "channel": channel,
            "reason": reason,
            "at": _now(),
        }
    )


def is_suppressed(merchant_id: str, channel: str, address: str) -> bool:
    return table.get(keys.suppressed_pk(merchant_id), keys.suppressed_sk(channel, address_hash(address))) is not None


def notice_context(
    merchant_id: str, catalog_id: str, channel: str, address: str
) -> tuple[dict[str, Any] | None, dict[str, Any] | None, dict[str, Any] | None, dict[str, dict[str, str]], bool]:
    """What an order's message reads besides the order, in one ``BatchGetItem``: the catalog, the operator's record
    of the merchant and its profile (the shop's name), the merchant's texts, and whether the shopper's address is
    suppressed on the channel."""
    pk = keys.merchant_pk(merchant_id)
    suppressed = (keys.suppressed_pk(merchant_id), keys.suppressed_sk(channel, address_hash(address)))
    wanted = [(pk, keys.catalog_sk(catalog_id)), (pk, keys.merchant_sk()), (pk, keys.profile_sk())]
    found = {(i["PK"], i["SK"]): i for i in table.batch_get([*wanted, (pk, keys.MESSAGE_TEMPLATES_SK), suppressed])}
    texts = dict((found.get((pk, keys.MESSAGE_TEMPLATES_SK)) or {}).get("texts") or {})
    return found.get(wanted[0]), found.get(wanted[1]), found.get(wanted[2]), texts, suppressed in found


def message_templates(merchant_id: str) -> dict[str, dict[str, str]]:
    """The merchant's own texts by kind: ``{"paid": {"subject", "text"}}`` (kinds not there use the defaults)."""
    item = table.get(keys.merchant_pk(merchant_id), keys.MESSAGE_TEMPLATES_SK)
    return dict((item or {}).get("texts") or {})


def put_message_templates(merchant_id: str, texts: dict[str, dict[str, str]]) -> None:
    table.put(
        {
            "PK": keys.merchant_pk(merchant_id),
            "SK": keys.MESSAGE_TEMPLATES_SK,
            "type": "message_templates",
            "texts": texts,
            "updated_at": _now(),
        }
    )


def message_reference(record: Mapping[str, Any]) -> str:
    """Our id for a message, as providers carry it back (Zenvia's ``externalId``, SES's tag): from its key."""
    return "msg_" + hashlib.sha256(f"{record['PK']}|{record['SK']}".encode()).hexdigest()[:24]

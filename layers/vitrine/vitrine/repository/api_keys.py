"""Access patterns: merchant API keys. Each key is two items written together: the merchant's record of it and the
global lookup by the key's hash, which every request with a key reads (one ``GetItem``). Apart from
``merchants``, whose models (stores, settings, the shop's profile) an API-key request does not need at cold start.

Revoking a key deletes its lookup and marks the merchant's record ``revoked_at`` in one transaction: the key stops
working at once, and the merchant's list still shows that it existed and when it ended.
"""

import contextlib
from datetime import UTC, datetime
from typing import Any

from vitrine.repository import keys, table

_RECORD = ("merchant_id", "key_id", "name", "permissions", "scopes", "created_at", "revoked_at")


def put_api_key(merchant_id: str, key_id: str, key_hash: str, permissions: list[str], name: str) -> dict[str, Any]:
    """The merchant-side record and the global hash lookup, written together or not at all; returns the record."""
    record = {
        "merchant_id": merchant_id,
        "key_id": key_id,
        "key_hash": key_hash,
        "permissions": permissions,
        "name": name,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    table.transact_write(
        [
            table.put_operation(
                {
                    "PK": keys.merchant_pk(merchant_id),
                    "SK": keys.merchant_api_key_sk(key_id),
                    "type": "api_key",
                    **record,
                },
                condition="attribute_not_exists(PK)",
            ),
            table.put_operation(
                {"PK": keys.api_key_lookup_pk(key_hash), "SK": "APIKEY", "type": "api_key_lookup", **record},
                condition="attribute_not_exists(PK)",
            ),
        ]
    )
    return _shown(record)


def find_api_key(key_hash: str) -> dict | None:
    return table.get(keys.api_key_lookup_pk(key_hash), "APIKEY")


def _shown(item: dict[str, Any]) -> dict[str, Any]:
    """What the merchant sees of a key: never its hash (``scopes`` only on a key from before permissions)."""
    return {name: item[name] for name in _RECORD if name in item}


def list_api_keys(merchant_id: str) -> list[dict[str, Any]]:
    """The merchant's keys, revoked ones included, oldest first (a merchant holds a few dozen at most)."""
    found: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = table.query(keys.merchant_pk(merchant_id), sk_prefix="APIKEY#", limit=100, cursor=cursor)
        found.extend(_shown(item) for item in page.items)
        cursor = page.cursor
        if cursor is None:
            return sorted(found, key=lambda item: (item.get("created_at") or "", item["key_id"]))


def revoke_api_key(merchant_id: str, key_id: str) -> dict[str, Any] | None:
    """Revoke the key (its lookup deleted, its record marked); ``None`` when the merchant has no such key. Revoking
    a revoked key changes nothing and answers its record."""
    item = table.get(keys.merchant_pk(merchant_id), keys.merchant_api_key_sk(key_id), consistent=True)
    if item is None:
        return None
    if item.get("revoked_at"):
        return _shown(item)
    revoked_at = datetime.now(UTC).isoformat(timespec="seconds")
    # Revoked concurrently (the condition fails): the other request did the same.
    with contextlib.suppress(table.TransactionCancelled):
        table.transact_write(
            [
                table.update_operation(
                    keys.merchant_pk(merchant_id),
                    keys.merchant_api_key_sk(key_id),
                    expression="SET revoked_at = :at",
                    condition="attribute_not_exists(revoked_at)",
                    values={":at": revoked_at},
                ),
                table.delete_operation(keys.api_key_lookup_pk(item["key_hash"]), "APIKEY"),
            ]
        )
    return _shown({**item, "revoked_at": item.get("revoked_at") or revoked_at})

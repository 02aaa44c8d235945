"""Access patterns: the counters of failed sign-ins, one item per client address and one per login (the key
design is in ``vitrine.repository.keys``; the policy that reads them is ``vitrine.auth.sign_in_throttle``).

A counter item holds ``failures``, ``locked_until`` (epoch seconds, when the counter has reached its lock) and
``expires_at`` (the table's TTL attribute). DynamoDB deletes an expired item up to two days late, so the reader
treats an item past its ``expires_at`` as no failures at all. Counters are written together in one transaction,
each on the condition that it still holds what was read, so concurrent attempts cannot both pass for the same
count.
"""

import hashlib
from typing import Any

from vitrine.repository import keys, table
from vitrine.repository.table import TransactionCancelled


def address_pk(merchant_id: str, address: str) -> str:
    return keys.sign_in_address_pk(merchant_id, address)


def login_pk(merchant_id: str, kind: str, login: str) -> str:
    return keys.sign_in_login_pk(merchant_id, kind, hashlib.sha256(login.encode()).hexdigest()[:32])


def read_counters(pks: list[str]) -> dict[str, dict[str, Any]]:
    """The stored counter items by partition key, in one strongly consistent ``BatchGetItem`` (absent: none)."""
    sk = keys.sign_in_throttle_sk()
    found = table.batch_get([(pk, sk) for pk in pks], consistent=True)
    return {item["PK"]: item for item in found}


def write_counters(counters: list[tuple[str, int | None, dict[str, Any]]]) -> bool:
    """Replace each ``(pk, failures read, new attributes)`` counter if it still holds the failures read (``None``:
    there was no item); ``False`` when another attempt wrote one of them first (nothing is written then)."""
    operations = []
    for pk, failures_read, values in counters:
        item = {"PK": pk, "SK": keys.sign_in_throttle_sk(), "type": "sign_in_throttle", **values}
        if failures_read is None:
            operations.append(table.put_operation(item, condition="attribute_not_exists(PK)"))
        else:
            operations.append(
                table.put_operation(item, condition="failures = :read", condition_values={":read": failures_read})
            )
    try:
        table.transact_write(operations)
    except TransactionCancelled as exc:
        if "ConditionalCheckFailed" in exc.reasons:
            return False
        raise
    return True


def clear_counters(pks: list[str]) -> None:
    table.batch_delete([(pk, keys.sign_in_throttle_sk()) for pk in pks])

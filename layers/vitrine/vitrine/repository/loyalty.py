"""Access patterns: a merchant's loyalty settings, each order's loyalty ledger, and the order's professional CPF
(``keys`` has the design).

The ledger is written only on the version it was read at (``attribute_not_exists`` for the first write), so two
deliveries of an order's events never both record an accrual. The write that records the accrual also checks that
the order still names the CPF it scored for, and a change of the CPF checks that the ledger has no accrual
(``cpf_locked``): whichever lands first wins, and the other is told (``CpfLocked`` / ``LedgerConflict``).
"""

from dataclasses import dataclass
from typing import Any

from vitrine.loyalty.models import LoyaltyLedger, LoyaltySettings
from vitrine.repository import keys, table
from vitrine.repository.items import model_item, to_attribute, to_item, to_model
from vitrine.repository.table import ConditionFailed, TransactionCancelled

CONDITION_FAILED = "ConditionalCheckFailed"
# Set on the ledger item once an accrual is recorded: the CPF of the order can no longer change.
CPF_LOCKED = "cpf_locked"


class LedgerConflict(Exception):
    """The ledger (or the order's CPF) changed since it was read: read again and retry."""


class CpfLocked(Exception):
    """The order's points were recorded for the partner: its CPF stays."""


class OrderMissing(Exception):
    pass


def get_settings(merchant_id: str) -> LoyaltySettings | None:
    item = table.get(keys.merchant_pk(merchant_id), keys.loyalty_settings_sk())
    return to_model(LoyaltySettings, item) if item else None


def put_settings(merchant_id: str, settings: LoyaltySettings) -> None:
    pk, sk = keys.merchant_pk(merchant_id), keys.loyalty_settings_sk()
    table.put(model_item(settings, pk=pk, sk=sk, item_type="loyalty_settings"))


def get_ledger(merchant_id: str, order_id: str) -> LoyaltyLedger | None:
    item = table.get(keys.loyalty_ledger_pk(merchant_id), keys.loyalty_ledger_sk(order_id), consistent=True)
    return to_model(LoyaltyLedger, item) if item else None


def save_ledger(
    merchant_id: str, ledger: LoyaltyLedger, *, read_version: int, order_cpf: str | None = None
) -> LoyaltyLedger:
    """Write ``ledger`` at ``read_version + 1`` if it is still at ``read_version``; with ``order_cpf`` (the write
    that records the accrual) also only if the order still names that CPF. ``LedgerConflict`` otherwise."""
    saved = ledger.model_copy(update={"version": read_version + 1})
    item = model_item(
        saved, pk=keys.loyalty_ledger_pk(merchant_id), sk=keys.loyalty_ledger_sk(ledger.order_id), item_type="loyalty"
    )
    if saved.points_sent:
        item[CPF_LOCKED] = True
    condition = "attribute_not_exists(PK)" if read_version == 0 else "version = :read"
    values = {} if read_version == 0 else {":read": read_version}
    if order_cpf is None:
        try:
            table.put(item, condition=condition, condition_values=values or None)
        except ConditionFailed as exc:
            raise LedgerConflict(ledger.order_id) from exc
        return saved
    cpf_check = {
        "ConditionCheck": {
            "TableName": table.table_name(),
            "Key": to_item({"PK": keys.merchant_pk(merchant_id), "SK": keys.order_sk(ledger.order_id)}),
            "ConditionExpression": "professional_cpf = :cpf",
            "ExpressionAttributeValues": {":cpf": to_attribute(order_cpf)},
        }
    }
    try:
        table.transact_write([table.put_operation(item, condition, values or None), cpf_check])
    except TransactionCancelled as exc:
        raise LedgerConflict(ledger.order_id) from exc
    return saved


def set_order_cpf(merchant_id: str, order_id: str, cpf: str | None, change: dict[str, Any]) -> None:
    """Set (or with ``None`` remove) the order's professional CPF and append ``change`` to its loyalty history,
    unless the ledger says the points were recorded (``CpfLocked``) or the order does not exist (``OrderMissing``).
    The order's version stays: no status moved, and the state machine's writes never touch these attributes."""
    values: dict[str, Any] = {":change": [change], ":empty": []}
    if cpf is None:
        expression = "REMOVE professional_cpf SET #history = list_append(if_not_exists(#history, :empty), :change)"
    else:
        expression = "SET professional_cpf = :cpf, #history = list_append(if_not_exists(#history, :empty), :change)"
        values[":cpf"] = cpf
    update = {
        "Update": {
            "TableName": table.table_name(),
            "Key": to_item({"PK": keys.merchant_pk(merchant_id), "SK": keys.order_sk(order_id)}),
            "UpdateExpression": expression,
            "ConditionExpression": "attribute_exists(PK)",
            "ExpressionAttributeNames": {"#history": "loyalty_cpf_history"},
            "ExpressionAttributeValues": {name: to_attribute(value) for name, value in values.items()},
        }
    }
    unlocked = {
        "ConditionCheck": {
            "TableName": table.table_name(),
            "Key": to_item({"PK": keys.loyalty_ledger_pk(merchant_id), "SK": keys.loyalty_ledger_sk(order_id)}),
            "ConditionExpression": f"attribute_not_exists({CPF_LOCKED})",
        }
    }
    try:
        table.transact_write([update, unlocked])
    except TransactionCancelled as exc:
        if exc.reasons and exc.reasons[0] == CONDITION_FAILED:
            raise OrderMissing(order_id) from exc
        if len(exc.reasons) > 1 and exc.reasons[1] == CONDITION_FAILED:
            raise CpfLocked(order_id) from exc
        raise


def product_brands(merchant_id: str, skus: list[str]) -> dict[str, tuple[str | None, tuple[str, ...]]]:
    """Each product's brand and classifiers by SKU (one ``BatchGetItem``); a missing product is absent."""
    wanted = [(keys.merchant_pk(merchant_id), keys.product_sk(sku)) for sku in dict.fromkeys(skus)]
    items = table.batch_get(wanted, attributes=["sku", "brand", "classifiers"]) if wanted else []
    return {item["sku"]: (item.get("brand"), tuple(item.get("classifiers") or ())) for item in items}


@dataclass(frozen=True)
class ScoredLine:
    product_sku: str
    sku: str
    quantity: int
    total: int  # centavos


@dataclass(frozen=True)
class OrderToScore:
    """What scoring an order reads of it: the professional's CPF, the store that fulfils it, its lines and total."""

    cpf: str | None
    store_code: str
    total: int  # centavos
    lines: tuple[ScoredLine, ...]


def order_to_score(merchant_id: str, order_id: str) -> OrderToScore | None:
    """The order's facts scoring needs, read consistently from its item (only those attributes come back). Not the
    ``Order`` model: the loyalty consumer's cold start would build it (~45 ms of CPU with its module) for four of
    its fields, all written by checkout as the order's own JSON (``repository.orders``)."""
    item = table.get(
        keys.merchant_pk(merchant_id),
        keys.order_sk(order_id),
        consistent=True,
        attributes=["professional_cpf", "fulfilment", "lines", "total"],
    )
    if item is None:
        return None
    lines = tuple(
        ScoredLine(product_sku=line["product_sku"], sku=line["sku"], quantity=line["quantity"], total=line["total"])
        for line in item["lines"]
    )
    return OrderToScore(item.get("professional_cpf"), item["fulfilment"]["store_code"], item["total"], lines)

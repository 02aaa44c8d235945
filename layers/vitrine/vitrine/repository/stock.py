"""Access patterns: stock per store, and the conditional writes that make it impossible to oversell.

A stock item keeps ``on_hand`` (the ERP's count), ``reserved`` (promised to unpaid or unshipped orders) and
``available`` = on_hand - reserved, maintained by every write: DynamoDB conditions cannot do arithmetic, so a
reservation is conditioned on ``available >= quantity`` and moves both counters in the same write.
"""

from collections.abc import Iterable
from typing import Any

from vitrine.catalogs.stock_levels import StockLevel
from vitrine.repository import keys, table
from vitrine.repository.table import ConditionFailed


def set_stock(merchant_id: str, level: StockLevel, *, job_id: str | None = None) -> StockLevel | None:
    """Absolute on-hand from the ERP: the level as written, or ``None`` (nothing written) when ``sequence`` is
    not newer than the stored one.

    One ``UpdateItem``, so the count, its sequence check and ``available`` = on_hand - reserved move together:
    a checkout's reservation (conditioned on ``available``) lands wholly before or wholly after it, and the
    two cannot both take the last unit unseen. Reservations are left as they are: the ERP's count says what
    is on the shelf, not what is promised; when it falls below what is reserved, ``available`` goes negative
    and the level reads as oversold (``StockLevel.oversold``). ``job_id`` marks the ERP job that wrote it.
    """
    expression = (
        "SET on_hand = :on_hand, #seq = :seq, #type = :type, store_code = :store, "
        "reserved = if_not_exists(reserved, :zero), "
        "available = :on_hand - if_not_exists(reserved, :zero)"
    )
    values = {
        ":on_hand": level.on_hand,
        ":seq": level.sequence,
        ":type": "stock",
        ":zero": 0,
        ":store": level.store_code,
    }
    if job_id is not None:
        expression += ", sync_job = :job"
        values[":job"] = job_id
    try:
        item = table.update(
            keys.stock_pk(merchant_id, level.store_code),
            level.sku,
            expression=expression,
            names={"#seq": "sequence", "#type": "type"},
            values=values,
            condition="attribute_not_exists(PK) OR #seq < :seq",
        )
    except ConditionFailed:
        return None
    return level_from_item(item)


def stored_levels(merchant_id: str, levels: list[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
    """The stored stock items among ``(store_code, sku)`` pairs, in ``BatchGetItem`` requests of 100."""
    found = table.batch_get(
        [(keys.stock_pk(merchant_id, store_code), sku) for store_code, sku in levels],
        attributes=["store_code", "on_hand", "reserved", "sequence", "sync_job"],
    )
    return {(item["store_code"], item["SK"]): item for item in found}


def stock_for_stores(merchant_id: str, store_codes: Iterable[str]) -> list[StockLevel]:
    levels: list[StockLevel] = []
    for store_code in store_codes:
        cursor = None
        while True:
            page = table.query(keys.stock_pk(merchant_id, store_code), limit=1000, cursor=cursor)
            levels.extend(level_from_item(item, store_code) for item in page.items)
            cursor = page.cursor
            if cursor is None:
                break
    return levels


def reserve_operation(merchant_id: str, store_code: str, sku: str, quantity: int) -> dict[str, Any]:
    """A ``TransactItems`` entry that reserves ``quantity`` units, or cancels the transaction if fewer are free."""
    return _move(merchant_id, store_code, sku, quantity, condition="available >= :q")


def release_operation(merchant_id: str, store_code: str, sku: str, quantity: int) -> dict[str, Any]:
    """A ``TransactItems`` entry that gives ``quantity`` reserved units back (never below zero reserved)."""
    return _move(merchant_id, store_code, sku, -quantity, condition="reserved >= :q")


def consume_operation(merchant_id: str, store_code: str, sku: str, quantity: int) -> dict[str, Any]:
    """A ``TransactItems`` entry for reserved units that were sold: they leave on hand with their reservation.

    Availability does not move: the units were already unavailable, and the ERP's next count no longer has them.
    It cancels the transaction when fewer units are on hand than sold, which means the ERP's count already left
    them out: the caller then releases the reservation instead (``release_operation``).
    """
    if quantity <= 0:
        raise ValueError("a stock movement moves at least one unit")
    return table.update_operation(
        keys.stock_pk(merchant_id, store_code),
        sku,
        expression="SET reserved = reserved - :q, on_hand = on_hand - :q",
        condition="attribute_exists(PK) AND reserved >= :q AND on_hand >= :q",
        values={":q": quantity},
    )


def _move(merchant_id: str, store_code: str, sku: str, delta: int, *, condition: str) -> dict[str, Any]:
    if delta == 0:
        raise ValueError("a stock movement moves at least one unit")
    return table.update_operation(
        keys.stock_pk(merchant_id, store_code),
        sku,
        expression="SET reserved = reserved + :delta, available = available - :delta",
        condition=f"attribute_exists(PK) AND {condition}",
        values={":delta": delta, ":q": abs(delta)},
    )


def level_from_item(item: dict[str, Any], store_code: str | None = None) -> StockLevel:
    return StockLevel(
        store_code=store_code or item["store_code"],
        sku=item["SK"],
        on_hand=item["on_hand"],
        reserved=item.get("reserved", 0),
        sequence=item.get("sequence", 0),
    )

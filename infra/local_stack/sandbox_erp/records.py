"""The sandbox ERP's master data as its connector serves it: products, prices and stock, each record stamped with
the change number it was last changed at, served in pages by a cursor that is that number.

The cursor names the run (``epoch``): one of an earlier run of the sandbox means nothing now and is read as no
cursor, so everything is served again, which costs Vitrine nothing (it writes only what differs).
"""

import re
import secrets
import threading
from dataclasses import dataclass
from typing import Any

from local_stack.demo_data import MasterData
from local_stack.sandbox_erp.refusal import Refused

MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
# How each kind's records are keyed.
_KEYS = {"products": ("sku",), "prices": ("table_id", "sku"), "stock": ("store_code", "sku")}


@dataclass
class Record:
    """One item as the connector serves it, and the change number it was last changed at."""

    item: dict[str, Any]
    change: int


class MasterRecords:
    """The records of every kind and the change counter, guarded by ``lock`` (the sandbox's one data lock)."""

    def __init__(self, data: MasterData, lock: threading.Lock) -> None:
        self.lock = lock
        # Cursors name this run: one of an earlier run is read as no cursor (see the module's docstring).
        self.epoch = secrets.token_hex(4)
        self.change = 0
        self.tables: dict[str, dict[tuple[str, ...], Record]] = {kind: {} for kind in _KEYS}
        for kind, items in (("products", data.products), ("prices", data.prices), ("stock", data.stock)):
            for item in items:
                self.change += 1
                self.tables[kind][tuple(item[k] for k in _KEYS[kind])] = Record(dict(item), self.change)

    def page(self, kind: str, *, limit: int, cursor: str | None) -> dict[str, Any]:
        """The items of ``kind`` changed after ``cursor``, oldest change first, and where the next page starts."""
        after = self._position(cursor)
        with self.lock:
            changed = sorted(
                (record for record in self.tables[kind].values() if record.change > after), key=lambda r: r.change
            )
            served = changed[:limit]
            last = served[-1].change if served else after
            return {
                "items": [dict(record.item) for record in served],
                "next_cursor": f"{self.epoch}.{last}",
                "has_more": len(changed) > limit,
            }

    def _position(self, cursor: str | None) -> int:
        if cursor is None:
            return 0
        match = re.fullmatch(r"([0-9a-f]{8})\.(\d{1,18})", cursor)
        if match is None:
            raise Refused(400, "cursor is not one this ERP gave: send the last next_cursor as it came")
        return int(match.group(2)) if match.group(1) == self.epoch else 0

    def stock_record(self, store_code: str, sku: str) -> Record | None:
        """The count of ``sku`` at ``store_code`` (under ``lock``)."""
        return self.tables["stock"].get((store_code, sku))

    def skus_in_stock(self, store_code: str) -> list[str]:
        """The SKUs with units on hand at ``store_code``, sorted (under ``lock``)."""
        return sorted(
            sku
            for (store, sku), record in self.tables["stock"].items()
            if store == store_code and record.item["on_hand"] > 0
        )

    def move_stock(self, record: Record, delta: int) -> dict[str, Any]:
        """A movement of a count (under ``lock``): never below zero, a newer sequence, the next change number."""
        self.change += 1
        record.item = {
            **record.item,
            "on_hand": max(0, record.item["on_hand"] + delta),
            "sequence": record.item["sequence"] + 1,
        }
        record.change = self.change
        return record.item

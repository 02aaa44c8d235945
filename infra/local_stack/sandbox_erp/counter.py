"""The sandbox ERP's counter: units sold in a store, by a person, a test or the timer, so Vitrine's next poll of
the stock finds a newer count (the count drops, its sequence grows)."""

import logging
import random
from typing import Any

from local_stack.sandbox_erp.records import MasterRecords
from local_stack.sandbox_erp.refusal import Refused, now_text

log = logging.getLogger("local_stack.sandbox_erp")

MAX_SALE_QUANTITY = 1000


class CounterSeller:
    """Sells at the counter; the random sale draws with the sandbox's seeded generator ``rng``."""

    def __init__(self, records: MasterRecords, counter_store: str, rng: random.Random) -> None:
        self.records = records
        self.counter_store = counter_store
        self.sales: list[dict[str, Any]] = []  # under records.lock
        self._rng = rng

    def counter_sale(self, store_code: str, sku: str, quantity: int = 1) -> dict[str, Any]:
        """Sell ``quantity`` units at the counter of ``store_code``: the count drops, its sequence grows."""
        with self.records.lock:
            record = self.records.stock_record(store_code, sku)
            if record is None:
                raise Refused(404, f"no stock of '{sku}' at store '{store_code}'")
            on_hand = record.item["on_hand"]
            if on_hand < quantity:
                raise Refused(409, f"only {on_hand} of '{sku}' on hand at store '{store_code}'")
            level = self.records.move_stock(record, -quantity)
            sale = {"store_code": store_code, "sku": sku, "quantity": quantity, "at": now_text()}
            self.sales.append(sale)
        log.info("counter sale at %s: %d x %s (%d left)", store_code, quantity, sku, level["on_hand"])
        return {**sale, "on_hand": level["on_hand"], "sequence": level["sequence"]}

    def random_counter_sale(self) -> dict[str, Any] | None:
        """One unit of a variant in stock at the counter store, drawn by the sandbox's seeded generator."""
        with self.records.lock:
            in_stock = self.records.skus_in_stock(self.counter_store)
            sku = self._rng.choice(in_stock) if in_stock else None
        if sku is None:
            return None
        try:
            return self.counter_sale(self.counter_store, sku)
        except Refused:  # sold meanwhile by a person or the feed: the next tick draws again
            return None


def sale_fields(body: Any) -> tuple[str, str, int]:
    """A counter sale's store, SKU and quantity, or a 422 naming what is wrong."""
    if not isinstance(body, dict):
        raise Refused(422, 'send {"store_code", "sku", "quantity"}')
    unknown = set(body) - {"store_code", "sku", "quantity"}
    if unknown:
        raise Refused(422, f"unknown fields: {', '.join(sorted(unknown))}")
    store_code, sku, quantity = body.get("store_code"), body.get("sku"), body.get("quantity", 1)
    if not isinstance(store_code, str) or not store_code or not isinstance(sku, str) or not sku:
        raise Refused(422, "store_code and sku are required strings")
    if not isinstance(quantity, int) or isinstance(quantity, bool) or not 1 <= quantity <= MAX_SALE_QUANTITY:
        raise Refused(422, f"quantity is a whole number from 1 to {MAX_SALE_QUANTITY}")
    return store_code, sku, quantity

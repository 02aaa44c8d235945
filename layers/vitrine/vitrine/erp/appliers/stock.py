"""Applying ERP stock counts: one conditional ``UpdateItem`` each (a condition per item cannot be batched).

A count is applied only over an older one (``sequence``), and a count whose sequence is newer is
written even when ``on_hand`` did not move. Skipping it would leave the older sequence stored, and an older
count still in flight (a chunk retried after a failure) would then be applied over the newer one. Levels
whose sequence did not move are neither written nor sent to DynamoDB.

A count is for a variant the merchant has: a SKU that is no variant of a stored product (never sent, or dropped
from its product's grid since) is rejected ``unknown_sku`` and no stock item is written for it, so a typo or a
count that ran ahead of its product never turns into a level nothing sells. Knowing costs one ``BatchGetItem`` of
the variant index per 100 distinct SKUs of the chunk (``repository.keys``), read with the stored levels. The
check runs here, where items are applied (a batch's stock after its products, ``apply._streams``), and not when a
batch is accepted: a count sent right after its new product would be refused there while the product is still
queued. A count refused for a product not applied yet is accepted when sent again (nothing was stored for it).
"""

from collections.abc import Sequence
from typing import Any

from vitrine.catalogs.stock_levels import StockLevel
from vitrine.erp.appliers.outcome import Outcome, rejected
from vitrine.erp.models import ErpStockLevel, ItemError, ItemStatus
from vitrine.events.envelope import StockDelta
from vitrine.repository import stock
from vitrine.repository import stores as store_records
from vitrine.repository.variant_index import known_variants

UNKNOWN_SKU = "unknown_sku"
UNKNOWN_STORE = "unknown_store"


def apply_stock(merchant_id: str, job_ids: Sequence[str], items: list[ErpStockLevel]) -> list[Outcome]:
    stores = store_records.store_codes(merchant_id)
    variants = known_variants(merchant_id, list(dict.fromkeys(item.sku for item in items)))
    stored = stock.stored_levels(merchant_id, [(item.store_code, item.sku) for item in items])
    outcomes: list[Outcome] = []
    for item, job_id in zip(items, job_ids, strict=True):
        if item.store_code not in stores:
            outcomes.append(rejected("store_code", f"no store '{item.store_code}' at this merchant", UNKNOWN_STORE))
            continue
        if item.sku not in variants:
            reason = f"no variant '{item.sku}' at this merchant: send its product first (POST /erp/v1/products)"
            outcomes.append(rejected("sku", reason, UNKNOWN_SKU))
            continue
        current = stored.get((item.store_code, item.sku))
        if current is not None and current.get("sequence", 0) >= item.order:
            outcomes.append(_not_newer(current, item, job_id))
            continue
        level = StockLevel(store_code=item.store_code, sku=item.sku, on_hand=item.on_hand, sequence=item.order)
        written = stock.set_stock(merchant_id, level, job_id=job_id)
        if written is None:
            outcomes.append(Outcome(ItemStatus.STALE, [_stale_error(item, "a newer count arrived meanwhile")]))
        else:
            outcomes.append(_applied(written))
    return outcomes


def _not_newer(current: dict[str, Any], item: ErpStockLevel, job_id: str) -> Outcome:
    sequence = current.get("sequence", 0)
    if sequence == item.order and current["on_hand"] == item.on_hand:
        if current.get("sync_job") == job_id:
            # This job's own write, delivered again: announced as the level stands now.
            return _applied(stock.level_from_item(current))
        return Outcome(ItemStatus.UNCHANGED)
    if sequence == item.order:
        return Outcome(ItemStatus.STALE, [_stale_error(item, "this sequence was applied with another count")])
    return Outcome(ItemStatus.STALE, [_stale_error(item, f"the stored count is newer ({sequence})")])


def _applied(written: StockLevel) -> Outcome:
    return Outcome(ItemStatus.APPLIED, oversold=written.oversold or None, change=_change(written))


def _change(level: StockLevel) -> StockDelta:
    return StockDelta(
        store_code=level.store_code,
        sku=level.sku,
        on_hand=level.on_hand,
        reserved=level.reserved,
        available=level.available,
        sequence=level.sequence,
    )


def _stale_error(item: ErpStockLevel, why: str) -> ItemError:
    field_name = "sequence" if item.sequence is not None else "counted_at"
    return ItemError(field=field_name, reason=f"ignored: {why}", code="stale")

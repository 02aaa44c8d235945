"""Applying ERP price tables and prices (written in ``BatchWriteItem``, only the changed ones)."""

from collections.abc import Sequence

from vitrine.catalogs.models import PriceTable
from vitrine.erp import delta
from vitrine.erp.appliers.outcome import Outcome, compare_to_stored
from vitrine.erp.models import ItemStatus
from vitrine.erp.product_models import ErpPrice, ErpPriceTable
from vitrine.events.envelope import PriceDelta
from vitrine.repository import assortment


def apply_price_tables(merchant_id: str, job_ids: Sequence[str], items: list[ErpPriceTable]) -> list[Outcome]:
    stored = assortment.synced_price_tables(merchant_id, [item.table_id for item in items])
    outcomes: list[Outcome] = []
    writes: list[tuple[PriceTable, dict[str, str]]] = []
    for item, job_id in zip(items, job_ids, strict=True):
        compared = compare_to_stored(stored.get(item.table_id), item.model_dump(mode="json"), job_id, "table_id")
        if compared.stale:
            outcomes.append(compared.stale)
            continue
        if compared.known is None:
            writes.append((PriceTable(**item.model_dump()), delta.sync_marks(compared.digest, job_id)))
        outcomes.append(Outcome(compared.known or ItemStatus.APPLIED))
    assortment.put_synced_price_tables(merchant_id, writes)
    return outcomes


def apply_prices(merchant_id: str, job_ids: Sequence[str], items: list[ErpPrice]) -> list[Outcome]:
    """Prices are ``PUT`` per (table, sku). A table met for the first time is declared under its id, so prices
    never wait for a price-table job that SQS may deliver after them; a price-table item names it. A price is
    stored with the one it replaced, for the change event (also when a redelivered chunk announces it again)."""
    table_ids = list(dict.fromkeys(item.table_id for item in items))
    declared = assortment.synced_price_tables(merchant_id, table_ids)
    for table_id in table_ids:
        if table_id not in declared:
            assortment.declare_price_table(merchant_id, table_id)
    stored = assortment.synced_prices(merchant_id, [(item.table_id, item.sku) for item in items])
    outcomes: list[Outcome] = []
    writes: list[tuple[str, str, int, int | None, dict[str, str]]] = []
    for item, job_id in zip(items, job_ids, strict=True):
        current = stored.get((item.table_id, item.sku))
        compared = compare_to_stored(current, {"price": item.price}, job_id, "sku")
        if compared.stale:
            outcomes.append(compared.stale)
            continue
        if compared.known is ItemStatus.UNCHANGED:
            outcomes.append(Outcome(compared.known))
            continue
        if compared.known is None:
            previous = current.get("price") if current else None
            writes.append((item.table_id, item.sku, item.price, previous, delta.sync_marks(compared.digest, job_id)))
        else:
            previous = (current or {}).get("previous_price")
        # A price the merchant had set to the same value by hand is written (the sync's marks) but not a change.
        change = None if previous == item.price else PriceDelta(**item.model_dump(), previous_price=previous)
        outcomes.append(Outcome(ItemStatus.APPLIED, change=change))
    assortment.put_synced_prices(merchant_id, writes)
    return outcomes

"""Access patterns: the variant index (``VARIANT#<variant_sku>`` -> its product, ``repository.keys``), which the
assortment writes with its products and a stock count reads to know its SKU.

Apart from ``repository.assortment``: checking a count's SKUs (the ingest's usual chunk) needs neither the products
nor their models."""

from collections.abc import Sequence

from vitrine.repository import keys, table


def known_variants(merchant_id: str, skus: Sequence[str]) -> set[str]:
    """Which of ``skus`` are variants of a product of this merchant (the variant index, 100 keys a request)."""
    found = table.batch_get([(keys.merchant_pk(merchant_id), keys.variant_sk(sku)) for sku in skus], attributes=["SK"])
    return {item["SK"].removeprefix(keys.variant_sk("")) for item in found}

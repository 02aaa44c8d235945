"""Applying ERP products (written in ``BatchWriteItem``, only the changed ones) and a CSV's image links."""

from collections.abc import Sequence
from typing import Any

from vitrine.catalogs.models import Image, Product, Variant
from vitrine.erp import delta
from vitrine.erp.appliers.outcome import Outcome, compare_to_stored, rejected
from vitrine.erp.models import ItemStatus
from vitrine.erp.product_models import ErpProduct, ErpProductImages
from vitrine.repository import assortment

UNKNOWN_PRODUCT = "unknown_product"


def _images(erp_images: list[Any]) -> list[Image]:
    return [Image(url=i.url, width=i.width, height=i.height, content_type=i.content_type) for i in erp_images]


def apply_products(merchant_id: str, job_ids: Sequence[str], items: list[ErpProduct]) -> list[Outcome]:
    """Products and their variant index (``repository.keys``): a product stored before the index existed is
    written again, unchanged or not, so the next sync that sends it indexes its variants; a redelivered chunk
    checks the index of the products it wrote (one failed write request may have held some of their items)."""
    stored = assortment.synced_products(merchant_id, [item.sku for item in items])
    outcomes: list[Outcome] = []
    changed: list[tuple[ErpProduct, str, str]] = []
    rewritten: dict[str, str] = {}  # variants of products this job wrote already: a redelivery, rare
    for item, job_id in zip(items, job_ids, strict=True):
        current = stored.get(item.sku)
        compared = compare_to_stored(current, item.model_dump(mode="json"), job_id, "sku")
        if compared.stale:
            outcomes.append(compared.stale)
            continue
        unindexed = current is not None and assortment.INDEXED_VARIANTS not in current
        known = None if unindexed else compared.known
        outcomes.append(Outcome(known or ItemStatus.APPLIED))
        if known is None:
            changed.append((item, compared.digest, job_id))
        elif known is ItemStatus.APPLIED:
            rewritten.update({variant.sku: item.sku for variant in item.variants})
    # Images the ERP leaves out are kept (e.g. uploaded by the merchant): only those products are read whole.
    keeping_images = [item.sku for item, _, _ in changed if item.images is None and item.sku in stored]
    current = assortment.product_items(merchant_id, keeping_images) if keeping_images else {}
    writes: list[tuple[Product, dict[str, str]]] = []
    for item, digest, job_id in changed:
        images = _images(item.images) if item.images is not None else current.get(item.sku, {}).get("images", [])
        product = Product(
            **item.model_dump(exclude={"variants", "images"}),
            variants=[Variant(sku=v.sku, size=v.size, colour=v.colour) for v in item.variants],
            images=images,
        )
        writes.append((product, delta.sync_marks(digest, job_id)))
    indexed = {sku: current.get(assortment.INDEXED_VARIANTS) for sku, current in stored.items()}
    assortment.put_synced_products(merchant_id, writes, indexed)
    if rewritten:
        # The delivery that wrote them may have failed before all its index items were (reads, no write if so).
        assortment.repair_variant_index(merchant_id, rewritten)
    return outcomes


def apply_product_images(merchant_id: str, job_ids: Sequence[str], items: list[ErpProductImages]) -> list[Outcome]:
    stored = assortment.product_items(merchant_id, [item.sku for item in items])
    outcomes: list[Outcome] = []
    for item in items:
        current = stored.get(item.sku)
        if current is None:
            reason = f"no product '{item.sku}': send it with its name and variants first"
            outcomes.append(rejected("sku", reason, UNKNOWN_PRODUCT))
            continue
        images = _images(item.images)
        if [Image.model_validate(image) for image in current.get("images", [])] == images:
            outcomes.append(Outcome(ItemStatus.UNCHANGED))
            continue
        # Conditioned on the product existing: one deleted meanwhile is refused, not recreated half-empty.
        written = assortment.set_product_images(merchant_id, item.sku, images)
        missing = rejected("sku", f"no product '{item.sku}'", UNKNOWN_PRODUCT)
        outcomes.append(Outcome(ItemStatus.APPLIED) if written else missing)
    return outcomes

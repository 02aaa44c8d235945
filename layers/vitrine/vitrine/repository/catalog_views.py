"""Access patterns: a published catalog's read model (``vitrine.catalogs.read_model`` has its design), and the
reads its consumer recomputes products from.

Bodies are stored zlib-compressed (a binary attribute): the pages' JSON repeats its field names product after
product and compresses ~6x, and DynamoDB bills reads and writes by the bytes stored, so a view reads and a change
writes a sixth of the units; inflating 25 KB takes well under a millisecond.

Views read eventually consistent (half the read units; a view may lag by a second anyway); the consumer reads
consistently, after the head, so what it writes is never older than the head it conditions its write on.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from vitrine.repository import keys, table
from vitrine.repository.items import to_item, to_model
from vitrine.repository.table import ConditionFailed, TransactionCancelled

if TYPE_CHECKING:  # the consumer's reads build them; a view's never does
    from vitrine.catalogs.models import Product

HEAD = "HEAD"
BOUNDS = "BOUNDS"
# TransactWriteItems takes at most 100 items; a change writes its head, bounds, pages and items.
MAX_OPERATIONS = 100


class ViewChanged(Exception):
    """The view's head is no longer at the version a change was computed from: read again and recompute."""


@dataclass(frozen=True)
class ViewItems:
    """What one view read found: the head (``None``: no read model yet) and the page or product asked for."""

    head: str | None
    page: str | None = None
    item: str | None = None


def slug_pointer(slug: str) -> dict[str, Any] | None:
    """The catalog behind a share link as its slug's pointer stores it (a ``Catalog``'s fields, written by
    ``repository.catalogs`` with every change of the catalog): a view reads it first, whatever it shows."""
    return table.get(keys.slug_pk(slug), "SLUG")


def read_view(merchant_id: str, catalog_id: str, *, page_id: int | None = None, sku: str | None = None) -> ViewItems:
    """The head, and with it a page or a product's item, in one request (a ``GetItem``, or one ``BatchGetItem``)."""
    pk = keys.catalog_view_pk(merchant_id, catalog_id)
    if page_id is None and sku is None:
        head = table.get(pk, HEAD)
        return ViewItems(head=_text(head) if head else None)
    other = keys.catalog_view_page_sk(page_id) if page_id is not None else keys.catalog_view_item_sk(sku)
    found = {item["SK"]: _text(item) for item in table.batch_get([(pk, HEAD), (pk, other)])}
    return ViewItems(
        head=found.get(HEAD),
        page=found.get(other) if page_id is not None else None,
        item=found.get(other) if sku is not None else None,
    )


@dataclass(frozen=True)
class ViewState:
    """What the consumer reads before a change: the head and its version, the bounds, and the products' items."""

    version: int | None  # None: no view yet
    head: str | None
    bounds: str | None
    items: dict[str, str]
    shards: dict[int, str]


def read_for_change(merchant_id: str, catalog_id: str, skus: list[str], shards: list[int] | None = None) -> ViewState:
    """The head, the bounds, the products' items and (``shards``) search shards, in one consistent read."""
    pk = keys.catalog_view_pk(merchant_id, catalog_id)
    wanted = [
        (pk, HEAD),
        (pk, BOUNDS),
        *((pk, keys.catalog_view_item_sk(sku)) for sku in skus),
        *((pk, keys.catalog_view_find_sk(shard)) for shard in shards or []),
    ]
    found = {item["SK"]: item for item in table.batch_get(wanted, consistent=True)}
    head = found.pop(HEAD, None)
    bounds = found.pop(BOUNDS, None)
    item_prefix, find_prefix = keys.catalog_view_item_sk(""), keys.catalog_view_find_sk("")
    return ViewState(
        version=head["version"] if head else None,
        head=_text(head) if head else None,
        bounds=_text(bounds) if bounds else None,
        items={sk.removeprefix(item_prefix): _text(i) for sk, i in found.items() if sk.startswith(item_prefix)},
        shards={int(sk.removeprefix(find_prefix)): _text(i) for sk, i in found.items() if sk.startswith(find_prefix)},
    )


def read_search(merchant_id: str, catalog_id: str, shards: list[int]) -> tuple[str | None, dict[int, str]]:
    """The head and search shards (a view's search step: one ``BatchGetItem``)."""
    pk = keys.catalog_view_pk(merchant_id, catalog_id)
    wanted = [(pk, HEAD), *((pk, keys.catalog_view_find_sk(shard)) for shard in shards)]
    found = {item["SK"]: _text(item) for item in table.batch_get(wanted)}
    prefix = keys.catalog_view_find_sk("")
    return found.get(HEAD), {int(sk.removeprefix(prefix)): body for sk, body in found.items() if sk != HEAD}


def read_items(merchant_id: str, catalog_id: str, skus: list[str]) -> dict[str, str]:
    pk = keys.catalog_view_pk(merchant_id, catalog_id)
    found = table.batch_get([(pk, keys.catalog_view_item_sk(sku)) for sku in skus])
    return {item["SK"].removeprefix(keys.catalog_view_item_sk("")): _text(item) for item in found}


def read_pages(merchant_id: str, catalog_id: str, page_ids: list[int]) -> dict[int, str]:
    pk = keys.catalog_view_pk(merchant_id, catalog_id)
    found = table.batch_get([(pk, keys.catalog_view_page_sk(page_id)) for page_id in page_ids], consistent=True)
    return {int(item["SK"].removeprefix(keys.catalog_view_page_sk(""))): _text(item) for item in found}


def write_change(
    merchant_id: str,
    catalog_id: str,
    *,
    expected_version: int | None,
    version: int,
    head: str,
    bounds: str | None,
    pages: dict[int, str],
    items: dict[str, str],
    removed_items: list[str],
    shards: dict[int, str] | None = None,
) -> None:
    """Write a change in one transaction, conditioned on the head still being at ``expected_version`` (``None``:
    no head yet); ``ViewChanged`` when another change got there first."""
    pk = keys.catalog_view_pk(merchant_id, catalog_id)
    if expected_version is None:
        head_op = table.put_operation(_head_item(pk, head, version), condition="attribute_not_exists(PK)")
    else:
        head_op = table.put_operation(
            _head_item(pk, head, version),
            condition="version = :expected",
            condition_values={":expected": expected_version},
        )
    operations = [
        head_op,
        *([table.put_operation(_body_item(pk, BOUNDS, bounds, "catalog_view_bounds"))] if bounds is not None else []),
        *(
            table.put_operation(_body_item(pk, keys.catalog_view_page_sk(page_id), body, "catalog_view_page"))
            for page_id, body in pages.items()
        ),
        *(
            table.put_operation(_body_item(pk, keys.catalog_view_item_sk(sku), body, "catalog_view_item"))
            for sku, body in items.items()
        ),
        *(
            table.put_operation(_body_item(pk, keys.catalog_view_find_sk(shard), body, "catalog_view_search"))
            for shard, body in (shards or {}).items()
        ),
        *(
            {"Delete": {"TableName": table.table_name(), "Key": _key(pk, keys.catalog_view_item_sk(sku))}}
            for sku in removed_items
        ),
    ]
    if len(operations) > MAX_OPERATIONS:
        raise ValueError(f"a view change of {len(operations)} writes does not fit one transaction")
    try:
        table.transact_write(operations)
    except TransactionCancelled as exc:
        # The head's condition failed, or another change's transaction held one of these items: read again.
        if exc.reasons[:1] == ["ConditionalCheckFailed"] or "TransactionConflict" in exc.reasons:
            raise ViewChanged(f"view of {catalog_id} moved past version {expected_version}") from exc
        raise


def put_pages_and_items(
    merchant_id: str,
    catalog_id: str,
    pages: dict[int, str],
    items: dict[str, str],
    shards: dict[int, str] | None = None,
) -> None:
    """A rebuild's pages and items, unconditioned (``BatchWriteItem``): nothing reads them before the head names
    them (new page ids), and an item is a product's entry as of now, whoever writes it last."""
    pk = keys.catalog_view_pk(merchant_id, catalog_id)
    table.batch_put(
        [
            _body_item(pk, keys.catalog_view_page_sk(page_id), body, "catalog_view_page")
            for page_id, body in pages.items()
        ]
        + [_body_item(pk, keys.catalog_view_item_sk(sku), body, "catalog_view_item") for sku, body in items.items()]
        + [
            _body_item(pk, keys.catalog_view_find_sk(shard), body, "catalog_view_search")
            for shard, body in (shards or {}).items()
        ]
    )


def replace_head(
    merchant_id: str, catalog_id: str, *, expected_version: int | None, version: int, head: str, bounds: str
) -> None:
    """Point the view at a rebuild's pages: bounds first, then the head on the condition that no change landed
    since the rebuild began (``ViewChanged``: rebuild again)."""
    pk = keys.catalog_view_pk(merchant_id, catalog_id)
    condition, values = (
        ("attribute_not_exists(PK)", None)
        if expected_version is None
        else ("version = :expected", {":expected": expected_version})
    )
    try:
        table.put(_body_item(pk, BOUNDS, bounds, "catalog_view_bounds"))
        table.put(_head_item(pk, head, version), condition=condition, condition_values=values)
    except ConditionFailed as exc:
        raise ViewChanged(f"view of {catalog_id} moved past version {expected_version} during a rebuild") from exc


def view_keys(merchant_id: str, catalog_id: str, prefix: str) -> Iterator[str]:
    """The sort keys under ``prefix`` of a view (``PAGE#``, ``ITEM#``), page by page."""
    pk = keys.catalog_view_pk(merchant_id, catalog_id)
    cursor = None
    while True:
        page = table.query(pk, sk_prefix=prefix, limit=1000, cursor=cursor)
        yield from (item["SK"] for item in page.items)
        cursor = page.cursor
        if cursor is None:
            return


def delete_view_items(merchant_id: str, catalog_id: str, sort_keys: list[str]) -> None:
    pk = keys.catalog_view_pk(merchant_id, catalog_id)
    table.batch_delete([(pk, sk) for sk in sort_keys])


def delete_view(merchant_id: str, catalog_id: str) -> int:
    """Every item of the view (an unpublished catalog's); how many."""
    sort_keys = list(view_keys(merchant_id, catalog_id, ""))
    delete_view_items(merchant_id, catalog_id, sort_keys)
    return len(sort_keys)


# ---- the sources a product's entry is computed from (consistent: the consumer acts on what it reads)


def products_page(merchant_id: str, cursor: str | None) -> tuple[list[Product], str | None]:
    from vitrine.catalogs.models import Product

    page = table.query(keys.merchant_pk(merchant_id), sk_prefix="PRODUCT#", limit=500, cursor=cursor)
    return [to_model(Product, item) for item in page.items], page.cursor


def products_by_sku(merchant_id: str, skus: list[str]) -> dict[str, Product]:
    from vitrine.catalogs.models import Product

    found = table.batch_get([(keys.merchant_pk(merchant_id), keys.product_sk(sku)) for sku in skus], consistent=True)
    return {item["sku"]: to_model(Product, item) for item in found}


def prices_by_sku(merchant_id: str, table_id: str, skus: list[str]) -> dict[str, int]:
    found = table.batch_get(
        [(keys.prices_pk(merchant_id, table_id), sku) for sku in skus], attributes=["price"], consistent=True
    )
    return {item["SK"]: item["price"] for item in found}


def available_units(merchant_id: str, levels: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """What each ``(store_code, variant sku)`` can still sell (on hand less reserved, never below 0)."""
    found = table.batch_get(
        [(keys.stock_pk(merchant_id, store_code), sku) for store_code, sku in levels],
        attributes=["store_code", "on_hand", "reserved"],
        consistent=True,
    )
    return {
        (item["store_code"], item["SK"]): max(item.get("on_hand", 0) - item.get("reserved", 0), 0) for item in found
    }


def products_of_variants(merchant_id: str, variant_skus: list[str]) -> set[str]:
    """The products the variants belong to (the variant index); a variant not indexed is left out."""
    found = table.batch_get(
        [(keys.merchant_pk(merchant_id), keys.variant_sk(sku)) for sku in variant_skus], attributes=["product_sku"]
    )
    return {item["product_sku"] for item in found if "product_sku" in item}


def _head_item(pk: str, body: str, version: int) -> dict[str, Any]:
    return {"PK": pk, "SK": HEAD, "type": "catalog_view_head", "version": version, "body": _packed(body)}


def _body_item(pk: str, sk: str, body: str, item_type: str) -> dict[str, Any]:
    return {"PK": pk, "SK": sk, "type": item_type, "body": _packed(body)}


def _packed(body: str) -> bytes:
    return zlib.compress(body.encode(), 6)


def _text(item: dict[str, Any]) -> str:
    return zlib.decompress(item["body"]).decode()


def _key(pk: str, sk: str) -> dict[str, Any]:
    return to_item({"PK": pk, "SK": sk})

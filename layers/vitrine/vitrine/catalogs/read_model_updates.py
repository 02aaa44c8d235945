"""Keeping catalogs' read models up to date: a full rebuild (first publish, an edit, repair) and the incremental
change the consumer makes for each event (``functions/catalog_views``).

Events are notifications, not values: for each product an event names, the consumer reads the product, its price
and its variants' stock as they are now (consistent reads, after reading the view's head) and writes the entry
that follows, in one transaction conditioned on the head's version. So two changes delivered out of order
converge on what the table holds (the newest wins, whatever order they came in), a duplicate rewrites nothing,
and two consumers racing on one catalog serialise: the loser reads again and recomputes (``ViewChanged``).

A change to one product rewrites its ``ITEM#``, the page that holds it (the head, for the first page) and the
head (its version, count and facets): 2-3 items, however big the catalog. A rebuild streams the merchant's
products a page of 500 at a time, keeps only each offered product's position key (a few dozen bytes), sorts them
and computes the pages a page at a time (one ``BatchGetItem`` of 24 products and of their stock), so its memory
grows with the keys, not the products; it writes new page ids and switches the head to them last, so a view never
sees half a rebuild, and it is idempotent (the same table gives the same pages; stale pages and items go).
"""

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from aws_lambda_powertools import Logger

from vitrine.catalogs.models import Catalog, CatalogStatus, Product
from vitrine.catalogs.read_model import (
    FIRST_PAGE,
    PAGE_TARGET,
    Entry,
    PageSet,
    ProductChange,
    ViewHead,
    apply_changes,
    count_facets,
    definition_of,
    entries_from_json,
    entries_json,
    entry_for,
    new_head,
    position_key,
    replace_record,
    search_record,
    shard_count,
    shard_of,
)
from vitrine.catalogs.stores import Fulfilments, catalog_stores
from vitrine.catalogs.visibility import is_selected
from vitrine.repository import assortment, catalog_views, catalogs
from vitrine.repository.catalog_views import ViewChanged

logger = Logger(child=True)
# Products per transaction of an incremental change: each writes its item and maybe a page and a search shard, with
# the head and the bounds: at most ~2.8 MB even of the largest pages, inside TransactWriteItems' 100 items and 4 MB.
CHANGE_GROUP = 6
ATTEMPTS = 5


@dataclass(frozen=True)
class RebuildOutcome:
    version: int
    products: int  # entries (shown or not)
    shown: int
    pages: int


def _shop(merchant_id: str) -> dict:
    """The shop's identity as a head keeps it (the footer's data)."""
    # Imported here: a change to some products (the consumer's usual event) never reads the merchant's records.
    from vitrine.catalogs.shop_identity import shop_identity

    return shop_identity(merchant_id).to_json()


def _selling_stores(where: Fulfilments) -> list[str]:
    return list(dict.fromkeys([*([where.delivery] if where.delivery else []), *where.pickup]))


def compute_entries(catalog: Catalog, where: Fulfilments, skus: list[str]) -> dict[str, Entry]:
    """The entries of ``skus`` in the catalog's view as the table holds them now; a product the catalog does not
    offer (unknown, not selected, no price) is absent."""
    products = catalog_views.products_by_sku(catalog.merchant_id, skus)
    return _entries(catalog, where, products)


def _entries(catalog: Catalog, where: Fulfilments, products: dict[str, Product]) -> dict[str, Entry]:
    if not products:
        return {}
    prices = catalog_views.prices_by_sku(catalog.merchant_id, catalog.price_table_id, list(products))
    selling = _selling_stores(where)
    levels = [(store, variant.sku) for p in products.values() for variant in p.variants for store in selling]
    available = catalog_views.available_units(catalog.merchant_id, levels) if levels else {}
    entries = {sku: entry_for(catalog, product, prices.get(sku), available, where) for sku, product in products.items()}
    return {sku: entry for sku, entry in entries.items() if entry is not None}


def _chunks(values: list, size: int) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def rebuild_view(catalog: Catalog) -> RebuildOutcome:
    """Build the catalog's view whole from the table; again if a change landed meanwhile (it is idempotent)."""
    for _ in range(ATTEMPTS):
        try:
            return _rebuild_once(catalog)
        except ViewChanged:
            logger.info("a change landed during the rebuild: again", extra={"catalog_id": catalog.catalog_id})
    raise ViewChanged(f"the view of {catalog.catalog_id} kept changing during {ATTEMPTS} rebuilds")


def _offered_keys(catalog: Catalog) -> list[tuple[str, str]]:
    """(position key, sku) of every product the catalog offers, in order: the rebuild's one pass over products."""
    prices = assortment.all_prices(catalog.merchant_id, catalog.price_table_id)
    offered: list[tuple[str, str]] = []
    cursor = None
    while True:
        products, cursor = catalog_views.products_page(catalog.merchant_id, cursor)
        offered.extend(
            (position_key(catalog, p), p.sku) for p in products if p.sku in prices and is_selected(catalog, p)
        )
        if cursor is None:
            break
    offered.sort()
    return offered


def _rebuild_once(catalog: Catalog) -> RebuildOutcome:
    mid, cid = catalog.merchant_id, catalog.catalog_id
    state = catalog_views.read_for_change(mid, cid, [])
    old = ViewHead.from_json(state.head) if state.head else None
    stores = catalog_stores(catalog)
    where = Fulfilments.of(catalog, stores)
    head = new_head((state.version or 0) + 1, stores, where, _shop(mid), definition_of(catalog))
    head.next_page_id = old.next_page_id if old else FIRST_PAGE + 1
    bounds: dict[int, str] = {FIRST_PAGE: ""}
    offered = _offered_keys(catalog)
    head.shards = shard_count(len(offered))
    shards: list[list[list]] = [[] for _ in range(head.shards)]
    kept: set[str] = set()
    entries_count = 0
    for index, chunk in enumerate(_chunks(offered, PAGE_TARGET)):
        computed = compute_entries(catalog, where, [sku for _, sku in chunk])
        entries = sorted(computed.values(), key=lambda e: e[0])
        kept.update(computed)
        entries_count += len(entries)
        for entry in entries:
            head.count += 1 if entry[1] else 0
            count_facets(head.cats, entry, +1)
            record = search_record(entry)
            if record is not None:
                shards[shard_of(record[0], head.shards)].append(record)
        items = {sku: json.dumps(entry, separators=(",", ":"), ensure_ascii=False) for sku, entry in computed.items()}
        if index == 0:
            head.first = entries
            catalog_views.put_pages_and_items(mid, cid, {}, items)
            continue
        page_id = head.next_page_id
        head.next_page_id += 1
        head.order.append(page_id)
        bounds[page_id] = chunk[0][0]
        catalog_views.put_pages_and_items(mid, cid, {page_id: entries_json(entries)}, items)
    shards_json = {n: _compact(sorted(records, key=lambda r: r[0])) for n, records in enumerate(shards)}
    catalog_views.put_pages_and_items(mid, cid, {}, {}, shards_json)
    catalog_views.replace_head(
        mid, cid, expected_version=state.version, version=head.version, head=head.to_json(), bounds=json.dumps(bounds)
    )
    _drop_stale(catalog, old, kept, head.shards)
    logger.info(
        "catalog view rebuilt",
        extra={"catalog_id": cid, "version": head.version, "products": entries_count, "pages": len(head.order)},
    )
    return RebuildOutcome(version=head.version, products=entries_count, shown=head.count, pages=len(head.order))


def _compact(values: object) -> str:
    return json.dumps(values, separators=(",", ":"), ensure_ascii=False)


def _drop_stale(catalog: Catalog, old: ViewHead | None, kept: set[str], shards: int) -> None:
    """Delete the pages the previous head named, its search shards past the new count, and the items of products
    the catalog no longer offers."""
    stale = [f"PAGE#{page_id}" for page_id in (old.order if old else []) if page_id != FIRST_PAGE]
    stale += [f"FIND#{n}" for n in range(shards, old.shards if old else 0)]
    stale += [
        sk
        for sk in catalog_views.view_keys(catalog.merchant_id, catalog.catalog_id, "ITEM#")
        if sk.removeprefix("ITEM#") not in kept
    ]
    catalog_views.delete_view_items(catalog.merchant_id, catalog.catalog_id, stale)


def refresh_products(catalog: Catalog, skus: Iterable[str]) -> int:
    """Recompute these products' entries in the catalog's view; how many entries changed. Without a view yet, or
    one built for another definition of the catalog (an edit not applied yet), the view is rebuilt whole."""
    changed = 0
    for group in _chunks(sorted(set(skus)), CHANGE_GROUP):
        for _ in range(ATTEMPTS):
            try:
                outcome = _refresh_group(catalog, group)
            except ViewChanged:
                continue
            if outcome is None:
                rebuild_view(catalog)
                return len(group)
            changed += outcome
            break
        else:
            raise ViewChanged(f"the view of {catalog.catalog_id} kept changing under {ATTEMPTS} attempts")
    return changed


def _refresh_group(catalog: Catalog, skus: list[str]) -> int | None:
    mid, cid = catalog.merchant_id, catalog.catalog_id
    state = catalog_views.read_for_change(mid, cid, skus)
    if state.head is None or state.bounds is None:
        return None
    head = ViewHead.from_json(state.head)
    if head.definition != definition_of(catalog):
        return None
    wanted_shards = sorted({shard_of(sku, head.shards) for sku in skus})
    before = {sku: json.loads(body) for sku, body in state.items.items()}
    after = compute_entries(catalog, head.fulfilments(), skus)
    changes = [ProductChange(s, before.get(s), after.get(s)) for s in skus if before.get(s) != after.get(s)]
    if not changes:
        return 0
    view = PageSet(head, {int(k): v for k, v in json.loads(state.bounds).items()}, {FIRST_PAGE: head.first})
    shards = _updated_shards(catalog, head, changes, wanted_shards)
    needed = {view.page_of(entry[0]) for c in changes for entry in (c.before, c.after) if entry is not None}
    loaded = catalog_views.read_pages(mid, cid, sorted(needed - {FIRST_PAGE}))
    view.pages.update({page_id: entries_from_json(loaded.get(page_id, "[]")) for page_id in needed - {FIRST_PAGE}})
    apply_changes(view, changes)
    catalog_views.write_change(
        mid,
        cid,
        expected_version=state.version,
        version=head.version,
        head=head.to_json(),
        bounds=json.dumps(view.bounds) if view.bounds_changed else None,
        pages={page_id: entries_json(view.pages[page_id]) for page_id in view.dirty if page_id != FIRST_PAGE},
        items={c.sku: json.dumps(c.after, separators=(",", ":"), ensure_ascii=False) for c in changes if c.after},
        removed_items=[c.sku for c in changes if c.after is None],
        shards=shards,
    )
    return len(changes)


def _updated_shards(
    catalog: Catalog, head: ViewHead, changes: list[ProductChange], wanted: list[int]
) -> dict[int, str]:
    """The search shards the changes touch, rewritten; only those whose records changed.

    Read after the head (a second consistent read): the head's version, checked by the write, covers them too,
    since every change to a shard comes with a change to the head."""
    changed = [c for c in changes if search_record(c.before) != search_record(c.after)]
    if not changed:
        return {}
    found = catalog_views.read_for_change(catalog.merchant_id, catalog.catalog_id, [], wanted).shards
    shards = {n: json.loads(found.get(n, "[]")) for n in wanted}
    for change in changed:
        n = shard_of(change.sku, head.shards)
        shards[n] = replace_record(shards[n], change.sku, search_record(change.after))
    return {n: _compact(records) for n, records in shards.items()}


def refresh_head(catalog: Catalog) -> bool:
    """Rewrite the head's shop identity and stores (the footer's data); ``False`` without a view."""
    for _ in range(ATTEMPTS):
        state = catalog_views.read_for_change(catalog.merchant_id, catalog.catalog_id, [])
        if state.head is None:
            return False
        head = ViewHead.from_json(state.head)
        stores = catalog_stores(catalog)
        where = Fulfilments.of(catalog, stores)
        if (where.delivery, tuple(where.pickup)) != (head.delivery, tuple(head.pickup)):
            rebuild_view(catalog)  # another fulfilment changes every product's availability
            return True
        head.stores = [store.model_dump(mode="json") for store in stores]
        head.shop = _shop(catalog.merchant_id)
        head.version += 1
        try:
            catalog_views.write_change(
                catalog.merchant_id,
                catalog.catalog_id,
                expected_version=state.version,
                version=head.version,
                head=head.to_json(),
                bounds=None,
                pages={},
                items={},
                removed_items=[],
            )
            return True
        except ViewChanged:
            continue
    raise ViewChanged(f"the view of {catalog.catalog_id} kept changing under {ATTEMPTS} attempts")


def drop_view(catalog: Catalog) -> int:
    """Delete an unpublished catalog's view (its views answer 404 from the slug pointer already)."""
    return catalog_views.delete_view(catalog.merchant_id, catalog.catalog_id)


def published_catalogs(merchant_id: str) -> list[Catalog]:
    found: list[Catalog] = []
    cursor = None
    while True:
        page, cursor = catalogs.list_catalogs(merchant_id, limit=100, cursor=cursor)
        found.extend(catalog for catalog in page if catalog.status is CatalogStatus.PUBLISHED)
        if cursor is None:
            return found

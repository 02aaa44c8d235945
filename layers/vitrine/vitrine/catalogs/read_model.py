"""The catalog read model: what a shopper sees of a published catalog, precomputed in pages (issue 15). Pure: the
shapes, the order, how a change to some products moves through the pages; no I/O here (``read_model_updates``
writes it, ``repository.catalog_views`` stores it, ``storefront`` reads it).

Where it lives, and why: DynamoDB partitions of its own, ``M#<mid>#VIEW#<catalog_id>`` (``repository/keys.py``),
not the merchant's partition the views used to query whole. A viral link then reads one partition per catalog
that nothing else writes to, so 3,000 read units a second of views (a partition's ceiling) can never throttle the
merchant's checkout or ERP sync, and a view costs the same at 50 or 50,000 products. DynamoDB rather than S3:
a view reads two items (the slug pointer and one item of the view) in single-digit milliseconds, S3's GET is
~20-50 ms to first byte and a request costs more than a read unit of a small item; conditional writes on a
version (below) are what makes two consumers converge, which S3 gives only with its newer conditional puts.

Items of a view (bodies are compact JSON in one string attribute: decoding one string is much cheaper than
DynamoDB's typed maps, and the bytes read are what is billed):

- ``HEAD``: ``version`` (every change adds 1: the views' ETag), the catalog's stores, fulfilment and the shop's
  identity (the footer) as of the last change, the order of the pages (ids), the count of products shown, the
  classifier facets with counts, and the **first page's entries**: ``/c/{slug}`` reads the pointer and the head,
  nothing else; a 304 is answered from the head's version alone.
- ``PAGE#<id>``: the next pages' entries. ``/api/catalogs/{slug}/products?cursor=<id>`` reads the head and the
  page in one ``BatchGetItem``.
- ``ITEM#<sku>``: one product's entry (its position key, shown or not, the product as shoppers see it, with its
  description): the product link ``/c/{slug}/p/{sku}`` reads the head and it in one ``BatchGetItem``, and a
  consumer learns where a changed product was without reading any page.
- ``BOUNDS``: each page's first position key, read only by the consumer to place a product (a binary search):
  kept off the head so that a view does not read 50,000 products' worth of boundaries.
- ``FIND#<n>``: the search index, in ``shards`` items (one per ``SEARCH_SHARD_PRODUCTS`` products, a product in
  the shard its sku hashes to): for each product shown, ``[sku, folded text, classifier, subclassifier]``
  (~70 bytes, a fifteenth of its entry), sorted by sku. A search (``?q=``) or a classifier filter reads the head
  and two shards in one ``BatchGetItem`` and the matches' ``ITEM#``s in another, whatever the catalog's size, and
  answers with a cursor to the next shards: the whole catalog is searched a bounded step per request, in display
  order within each step. The text is folded as the page's script folds it (accents dropped, case folded).

An entry is ``[key, shown, product]``: ``key`` is the product's position (display order rank, name folded, sku:
the order ``visibility.visible_products`` sorts by) and a page holds the entries whose keys fall in its range
(from its bound up to the next page's). ``shown`` is whether the product has ``min_stock_to_show`` units: a
product that sells out below it stays in its page, hidden, so its neighbours never move (a view shows only shown
entries; a page may show fewer than it holds). Every selected product with a price at the catalog's table has an
entry; one that leaves the selection or loses its price leaves the pages.

Size bounds: a rebuild fills pages with ``PAGE_TARGET`` entries; inserts grow a page until ``PAGE_MAX`` entries or
``PAGE_MAX_BYTES`` (the head's first page ``HEAD_PAGE_MAX_BYTES``), when it splits in two: a DynamoDB item holds at
most 400 KB, and a product with a 4,000-character description and 10 images is ~6 KB of JSON.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from vitrine.catalogs.stores import Fulfilments

if TYPE_CHECKING:  # a view read from the read model (the catalog's JSON) builds none of them
    from vitrine.catalogs.models import Catalog, CatalogProduct, Product, Store

PAGE_TARGET = 24
PAGE_MAX = 48
PAGE_MAX_BYTES = 300_000
HEAD_PAGE_MAX_BYTES = 150_000
FIRST_PAGE = 0  # the page the head holds
# ~70 KB of search records an item at a rebuild (~15 KB stored, compressed): a change that enters or leaves the
# results rewrites one, and a search step reads two (2,000 products).
SEARCH_SHARD_PRODUCTS = 1000
# Display order ranks are zero-padded so that keys sort as strings; a catalog lists at most 1,000 SKUs first.
_RANK_DIGITS = 5
_SEPARATOR = "\x00"  # below every character a name can hold (names refuse control characters)

Entry = list  # [key: str, shown: bool, product: dict (CatalogProduct as JSON)]
# The shape of an entry's product: the digest of ``CatalogProduct``'s JSON schema, which
# ``tests/unit/test_read_model.py`` recomputes. A head records the format its entries were written in; the JSON
# views serve the entries as they are only when it is this one (else through the models, until a rebuild).
ENTRY_FORMAT = "cbb067fcb23b"


def position_key(catalog: Catalog, product: Product) -> str:
    """Where ``product`` sorts in ``catalog``: its display-order rank, then its shown name folded, then its sku."""
    rank = {sku: i for i, sku in enumerate(catalog.display_order)}.get(product.sku, len(catalog.display_order))
    name = (product.short_name or product.name).casefold()
    return f"{rank:0{_RANK_DIGITS}d}{_SEPARATOR}{name}{_SEPARATOR}{product.sku}"


def entry_for(
    catalog: Catalog,
    product: Product,
    price: int | None,
    available: Mapping[tuple[str, str], int],
    where: Fulfilments,
) -> Entry | None:
    """The product's entry in the catalog's view, or ``None`` when the catalog does not offer it (not selected, or
    no price at its table)."""
    from vitrine.catalogs.visibility import catalog_product

    if price is None:
        return None
    shown = catalog_product(catalog, product, price, available, where)
    if shown is None:
        return None
    return [position_key(catalog, product), shown.available >= catalog.min_stock_to_show, shown.model_dump(mode="json")]


def entry_product(entry: Entry) -> CatalogProduct:
    from vitrine.catalogs.models import CatalogProduct

    return CatalogProduct.model_validate(entry[2])


def shown_products(entries: Iterable[Entry]) -> list[CatalogProduct]:
    return [entry_product(entry) for entry in entries if entry[1]]


@dataclass
class ViewHead:
    """The head item's body (see the module docstring)."""

    version: int
    stores: list[dict[str, Any]]
    delivery: str | None
    pickup: list[str]
    shop: dict[str, Any] | None
    order: list[int]  # page ids, in display order; the first is FIRST_PAGE
    next_page_id: int
    count: int  # shown products
    cats: dict[str, dict[str, int]]  # top classifier -> second level ("" for none) -> shown products
    first: list[Entry] = field(default_factory=list)
    definition: str = ""  # the catalog definition the view was built for (``definition_of``)
    shards: int = 1  # search index items (``FIND#0`` ...)
    format: str = ""  # ``ENTRY_FORMAT`` of the entries ("": written before formats were recorded)

    def to_json(self) -> str:
        return json.dumps(self.__dict__, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_json(cls, body: str) -> ViewHead:
        return cls(**json.loads(body))

    def store_models(self) -> list[Store]:
        from vitrine.catalogs.models import Store

        return [Store.model_validate(store) for store in self.stores]

    def fulfilments(self) -> Fulfilments:
        return Fulfilments(delivery=self.delivery, pickup=tuple(self.pickup))

    def next_page(self, page_id: int) -> int | None:
        """The page after ``page_id`` in display order; ``None`` after the last (or for a page no longer here)."""
        try:
            position = self.order.index(page_id)
        except ValueError:
            return None
        return self.order[position + 1] if position + 1 < len(self.order) else None

    def classifier_tree(self) -> dict[str, list[str]]:
        """The first two classifier levels of the products shown: the page's filter chips."""
        return {
            top: [sub for sub, n in subs.items() if sub and n > 0]
            for top, subs in self.cats.items()
            if sum(subs.values()) > 0
        }


def definition_of(catalog: Catalog) -> str:
    """What a catalog's view is built from, beyond its products: a change to any of it needs a rebuild."""
    fields = ("selection", "price_table_id", "store_codes", "min_stock_to_show", "display_order")
    return json.dumps(catalog.model_dump(mode="json", include=set(fields)), sort_keys=True, separators=(",", ":"))


def count_facets(cats: dict[str, dict[str, int]], entry: Entry | None, delta: int) -> None:
    if entry is None or not entry[1]:
        return
    classifiers = entry[2].get("classifiers") or []
    if not classifiers:
        return
    subs = cats.setdefault(classifiers[0], {})
    sub = classifiers[1] if len(classifiers) > 1 else ""
    subs[sub] = subs.get(sub, 0) + delta


@dataclass
class PageSet:
    """The pages a change touches, loaded, and what it leaves to write: the consumer's working copy of a view."""

    head: ViewHead
    bounds: dict[int, str]  # page id -> first key ("" for the first page)
    pages: dict[int, list[Entry]]  # loaded pages (FIRST_PAGE is the head's ``first``)
    dirty: set[int] = field(default_factory=set)
    bounds_changed: bool = False

    def page_of(self, key: str) -> int:
        """The page whose range holds ``key``."""
        ordered = [(self.bounds[page_id], page_id) for page_id in self.head.order]
        firsts = [first for first, _ in ordered]
        return ordered[max(bisect.bisect_right(firsts, key) - 1, 0)][1]

    def remove(self, page_id: int, key: str) -> Entry | None:
        entries = self.pages[page_id]
        for i, entry in enumerate(entries):
            if entry[0] == key:
                self.dirty.add(page_id)
                return entries.pop(i)
        return None

    def insert(self, page_id: int, entry: Entry) -> None:
        entries = self.pages[page_id]
        bisect.insort(entries, entry, key=lambda e: e[0])
        self.dirty.add(page_id)

    def split_full_pages(self) -> None:
        """Split every dirty page past its bounds in two, the second half a new page right after it."""
        work = sorted(self.dirty)
        while work:
            page_id = work.pop()
            entries = self.pages[page_id]
            limit = HEAD_PAGE_MAX_BYTES if page_id == FIRST_PAGE else PAGE_MAX_BYTES
            if len(entries) <= PAGE_MAX and (len(entries) <= 1 or _size(entries) <= limit):
                continue
            half = len(entries) // 2
            new_id = self.head.next_page_id
            self.head.next_page_id += 1
            self.pages[new_id] = entries[half:]
            del entries[half:]
            self.bounds[new_id] = self.pages[new_id][0][0]
            self.head.order.insert(self.head.order.index(page_id) + 1, new_id)
            self.dirty.add(new_id)
            self.bounds_changed = True
            work += [page_id, new_id]


def _size(entries: list[Entry]) -> int:
    return len(json.dumps(entries, separators=(",", ":"), ensure_ascii=False).encode())


def entries_json(entries: list[Entry]) -> str:
    return json.dumps(entries, separators=(",", ":"), ensure_ascii=False)


def entries_from_json(body: str) -> list[Entry]:
    return json.loads(body)


@dataclass(frozen=True)
class ProductChange:
    """One product's entry before (as its ``ITEM#`` holds it) and after a change; ``None``: not in the view."""

    sku: str
    before: Entry | None
    after: Entry | None


def apply_changes(view: PageSet, changes: list[ProductChange]) -> None:
    """Move each product out of the page that held it and into the page its new key falls in, keeping the count
    of products shown and the facets; then split what grew too big. The pages both keys fall in must be loaded."""
    head = view.head
    for change in changes:
        if change.before is not None:
            removed = view.remove(view.page_of(change.before[0]), change.before[0])
            if removed is not None:
                head.count -= 1 if removed[1] else 0
                count_facets(head.cats, removed, -1)
        if change.after is not None:
            view.insert(view.page_of(change.after[0]), change.after)
            head.count += 1 if change.after[1] else 0
            count_facets(head.cats, change.after, +1)
    view.split_full_pages()
    head.first = view.pages[FIRST_PAGE]
    head.version += 1


def new_head(
    version: int, stores: list[Store], where: Fulfilments, shop: dict[str, Any] | None, definition: str
) -> ViewHead:
    return ViewHead(
        version=version,
        stores=[store.model_dump(mode="json") for store in stores],
        delivery=where.delivery,
        pickup=list(where.pickup),
        shop=shop,
        order=[FIRST_PAGE],
        next_page_id=FIRST_PAGE + 1,
        count=0,
        cats={},
        definition=definition,
        format=ENTRY_FORMAT,
    )


# ---- search: records, shards and matching


def fold(text: str) -> str:
    """Accents dropped and case folded, as the page's script ``norm``s what the shopper types."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def search_record(entry: Entry | None) -> list | None:
    """What the search index keeps of a shown product; ``None`` for one not shown."""
    if entry is None or not entry[1]:
        return None
    product = entry[2]
    classifiers = product.get("classifiers") or []
    text = fold(" ".join([product["name"], product.get("brand") or "", *classifiers, product["sku"]]))
    top = classifiers[0] if classifiers else ""
    sub = classifiers[1] if len(classifiers) > 1 else ""
    return [product["sku"], text, top, sub]


def shard_count(products: int) -> int:
    return max(1, -(-products // SEARCH_SHARD_PRODUCTS))


def shard_of(sku: str, shards: int) -> int:
    return int(hashlib.sha256(sku.encode()).hexdigest()[:8], 16) % shards


def search_words(query: str) -> list[str]:
    return fold(query).split()


def matches(record: list, words: list[str], classifier: str | None, subclassifier: str | None) -> bool:
    _, text, top, sub = record
    if classifier and top != classifier:
        return False
    if subclassifier and sub != subclassifier:
        return False
    return all(word in text for word in words)


def replace_record(records: list[list], sku: str, record: list | None) -> list[list]:
    """The shard's records with ``sku``'s replaced by ``record`` (or dropped), in sku order (a search's cursor
    counts matches in that order)."""
    kept = [r for r in records if r[0] != sku]
    if record is not None:
        bisect.insort(kept, record, key=lambda r: r[0])
    return kept

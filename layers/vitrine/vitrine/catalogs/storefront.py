"""What a shopper sees behind a share link: the published catalog and its visible products.

A view reads the slug pointer (the catalog as it is now: published or not, its title, description and cover) and
one item or ``BatchGetItem`` of the catalog's read model (``vitrine.catalogs.read_model``): two DynamoDB requests,
whatever the size of the catalog. Until a published catalog's read model is first built (the seconds after its
first publish, before the consumer's rebuild lands) a view computes it from the merchant's assortment as it always
did (``catalog_contents``), and says so in its version (empty: the ETag is then the body's digest).
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from vitrine.catalogs.read_model import (
    ENTRY_FORMAT,
    FIRST_PAGE,
    Entry,
    ViewHead,
    entries_from_json,
    entry_product,
    matches,
    search_record,
    search_words,
    shown_products,
)
from vitrine.catalogs.stores import Fulfilments, catalog_stores
from vitrine.errors import InvalidInput, NotFound
from vitrine.repository import catalog_views

if TYPE_CHECKING:  # a catalog's JSON read from the read model builds no model (``catalog_json_view``)
    from vitrine.catalogs.models import Catalog, CatalogProduct, Store
    from vitrine.catalogs.shop_identity import ShopIdentity

# ``CatalogStatus.PUBLISHED`` (a test keeps them equal).
PUBLISHED = "published"


@dataclass(frozen=True)
class CatalogContents:
    catalog: Catalog
    products: list[CatalogProduct]
    stores: list[Store]  # the catalog's, in its order
    fulfilments: Fulfilments


_HINT_LIMIT = 256
_hints: dict[str, Catalog] = {}


def published_pointer(slug: str, *, field: str | None = None) -> dict[str, Any]:
    """The slug pointer of the catalog behind a share link, as stored; an unknown or unpublished slug is
    ``NotFound`` (naming ``field``)."""
    pointer = catalog_views.slug_pointer(slug)
    if pointer is None or pointer.get("status") != PUBLISHED:
        _hints.pop(slug, None)
        details = [{"field": field, "reason": "not found"}] if field else None
        raise NotFound(f"no published catalog at '{slug}'", details=details)
    return pointer


def published_catalog(slug: str, *, field: str | None = None) -> Catalog:
    """The catalog behind a share link; an unknown or unpublished slug is ``NotFound`` (naming ``field``)."""
    return _catalog(published_pointer(slug, field=field))


def _catalog(pointer: dict[str, Any]) -> Catalog:
    from vitrine.catalogs.models import Catalog
    from vitrine.repository.items import to_model

    catalog = to_model(Catalog, pointer)
    remember_catalog(catalog)
    return catalog


def catalog_by_slug(slug: str) -> Catalog | None:
    """The catalog at ``slug``, published or not: a shopper keeps following an order after it is taken down."""
    from vitrine.repository import catalogs

    return catalogs.get_catalog_by_slug(slug)


def hinted_catalog(slug: str, *, field: str | None = None) -> Catalog:
    """The catalog last seen behind ``slug`` in this container, else read now.

    Only a hint: a caller that acts on it (a checkout) reads the slug's pointer again in its own batched read
    and starts over when it changed (``remember_catalog``/``forget_catalog``), so the hint saves a round trip
    and can never make a checkout use an unpublished catalog or stale prices.
    """
    return _hints.get(slug) or published_catalog(slug, field=field)


def remember_catalog(catalog: Catalog) -> None:
    if len(_hints) >= _HINT_LIMIT:
        _hints.pop(next(iter(_hints)))
    _hints[catalog.slug] = catalog


def forget_catalog(slug: str) -> None:
    _hints.pop(slug, None)


def catalog_contents(catalog: Catalog) -> CatalogContents:
    """Every product ``catalog`` shows now, whether it is published or not (a merchant's preview of a draft), with
    what each variant can sell per fulfilment."""
    from vitrine.catalogs.visibility import available_by_store, visible_products
    from vitrine.repository import assortment, stock

    products = assortment.all_products(catalog.merchant_id)
    prices = assortment.all_prices(catalog.merchant_id, catalog.price_table_id)
    stores = catalog_stores(catalog)
    where = Fulfilments.of(catalog, stores)
    # Only the stores an order can take units from: one that neither ships nor hands over sells nothing here.
    selling = [code for code in catalog.store_codes if code == where.delivery or code in where.pickup]
    available = available_by_store(stock.stock_for_stores(catalog.merchant_id, selling))
    return CatalogContents(catalog, visible_products(catalog, products, prices, available, where), stores, where)


def page_of(
    products: list[CatalogProduct], *, limit: int, cursor: str | None
) -> tuple[list[CatalogProduct], str | None]:
    """A page of the computed product list; the cursor is the position after the last product served."""
    start = decode_position(cursor) if cursor else 0
    end = start + limit
    return products[start:end], encode_position(end) if end < len(products) else None


@dataclass(frozen=True)
class StorefrontView:
    """One view of a published catalog: a page of the products shown (the first, or the cursor's), the product a
    product link names, and what every view shows (stores, fulfilment, the shop's identity, the facets)."""

    catalog: Catalog
    products: list[CatalogProduct]
    next_cursor: str | None
    product_count: int
    stores: list[Store]
    fulfilments: Fulfilments
    shop: ShopIdentity | None
    classifiers: dict[str, list[str]]
    version: str  # what the ETag derives from; "" when computed live (no read model yet)
    product: CatalogProduct | None = None


@dataclass(frozen=True)
class ViewRead:
    """What a view read, as stored: the slug's pointer and, when the catalog's read model is built, its head, the
    entries of the page asked for (shown ones, cut to the limit) and the product link's entry. ``head`` is
    ``None`` when the view must be computed live: before the read model's first build, or for a cursor into a
    view computed live (``live_cursor``); ``empty``: a read model's page was asked for and the read model is gone."""

    pointer: dict[str, Any]
    head: ViewHead | None
    entries: list[Entry]
    next_cursor: str | None
    item: Entry | None = None
    live_cursor: str | None = None
    empty: bool = False

    @property
    def version(self) -> str:
        """The read model's version and the pointer's digest: what the views' ETags derive from."""
        return _view_version(self.head, self.pointer) if self.head else ""


def read_published_view(
    slug: str, *, cursor: str | None = None, sku: str | None = None, limit: int | None = None
) -> ViewRead:
    """The stored parts of a view of the published catalog at ``slug`` (``catalog_view`` says which), in two
    requests: the slug's pointer, and the head with the page or the product's item."""
    pointer = published_pointer(slug)
    position = decode_page(cursor) if cursor else None
    if cursor and position is None:  # a position in a view computed live, before the read model was built
        return ViewRead(pointer, None, [], None, live_cursor=cursor)
    page_id, offset = position if position else (None, 0)
    found = catalog_views.read_view(pointer["merchant_id"], pointer["catalog_id"], page_id=page_id, sku=sku)
    if found.head is None:
        return ViewRead(pointer, None, [], None, empty=page_id is not None)
    head = ViewHead.from_json(found.head)
    if page_id is None:
        entries = head.first
        following = head.order[1] if len(head.order) > 1 else None
    else:
        entries = entries_from_json(found.page) if found.page else []
        following = head.next_page(page_id)
    shown = [entry for entry in entries if entry[1]][offset:]
    next_cursor = encode_page(following) if following is not None else None
    if limit is not None and len(shown) > limit:
        shown = shown[:limit]
        next_cursor = encode_page(page_id if page_id is not None else FIRST_PAGE, offset + limit)
    return ViewRead(pointer, head, shown, next_cursor, item=json.loads(found.item) if found.item else None)


def catalog_view(
    slug: str, *, cursor: str | None = None, sku: str | None = None, limit: int | None = None
) -> StorefrontView:
    """The view of a published catalog at ``slug``: its first page, the page ``cursor`` names, or (``sku``) its
    first page and that product (``product`` is ``None`` when the catalog does not show it). ``limit``: at most
    that many products (a page of the read model is cut, and the cursor goes on within it)."""
    return view_of_read(read_published_view(slug, cursor=cursor, sku=sku, limit=limit), sku=sku, limit=limit)


def view_of_read(read: ViewRead, *, sku: str | None = None, limit: int | None = None) -> StorefrontView:
    """``read`` as the page's models (computed live when the read model cannot answer)."""
    catalog = _catalog(read.pointer)
    if read.head is None:
        return _live_view(catalog, cursor=read.live_cursor, sku=sku, empty=read.empty, limit=limit or LIVE_PAGE)
    product = entry_product(read.item) if read.item and read.item[1] else None
    view = _view_of(catalog, read.head, shown_products(read.entries), read.next_cursor, read.pointer)
    return dataclasses.replace(view, product=product)


@dataclass(frozen=True)
class JsonView:
    """A view as the JSON API answers it: the catalog's fields, the products shown (each a ``CatalogProduct``'s
    JSON) and the catalog's stores (each a ``Store``'s JSON), with how it hands orders over."""

    catalog: dict[str, Any]
    products: list[dict[str, Any]]
    next_cursor: str | None
    product_count: int
    stores: list[dict[str, Any]]
    fulfilments: Fulfilments
    version: str


def catalog_json_view(slug: str, *, cursor: str | None = None, limit: int | None = None) -> JsonView:
    """The view ``catalog_view`` reads, as JSON, without building a model: the entries are the products' JSON as
    the read model's consumer validated and wrote them. Entries written in another ``ENTRY_FORMAT`` than this
    code's (a deploy that changed the product's shape, before the rebuild) and views computed live go through the
    models."""
    read = read_published_view(slug, cursor=cursor, limit=limit)
    head = read.head
    if head is None or head.format != ENTRY_FORMAT:
        return json_of(view_of_read(read, limit=limit))
    return JsonView(
        catalog=read.pointer,
        products=[entry[2] for entry in read.entries],
        next_cursor=read.next_cursor,
        product_count=head.count,
        stores=head.stores,
        fulfilments=head.fulfilments(),
        version=read.version,
    )


def json_of(view: StorefrontView) -> JsonView:
    """A view's models as JSON (their dumps)."""
    return JsonView(
        catalog=view.catalog.model_dump(mode="json"),
        products=[product.model_dump(mode="json") for product in view.products],
        next_cursor=view.next_cursor,
        product_count=view.product_count,
        stores=[store.model_dump(mode="json") for store in view.stores],
        fulfilments=view.fulfilments,
        version=view.version,
    )


# A search step reads this many shards of the index (with the head, in one request): a bounded cost per request.
SHARDS_PER_STEP = 2


@dataclass(frozen=True)
class SearchFilter:
    """A search over the whole catalog: words (all of them, in the name, brand, classifiers or sku; accents and
    case do not matter) and/or the first two classifier levels."""

    q: str = ""
    classifier: str | None = None
    subclassifier: str | None = None

    def __bool__(self) -> bool:
        return bool(search_words(self.q) or self.classifier or self.subclassifier)

    def admits(self, product: CatalogProduct) -> bool:
        record = search_record(["", True, product.model_dump(mode="json")])
        return record is not None and matches(record, search_words(self.q), self.classifier, self.subclassifier)


def search_view(slug: str, search: SearchFilter, *, cursor: str | None = None, limit: int = 24) -> StorefrontView:
    """The products of the catalog at ``slug`` that match ``search``: one step of the search over the whole
    catalog (the head and ``SHARDS_PER_STEP`` shards of its index, then the matches' items: two requests beside
    the pointer). The cursor goes on in the same shard (more matches than ``limit``) or in the next ones; a step
    may find nothing and still name a cursor: ask again until it is null."""
    pointer = published_pointer(slug)
    catalog = _catalog(pointer)
    shard, offset = decode_search(cursor) if cursor else (0, 0)
    head_body, found = catalog_views.read_search(
        catalog.merchant_id, catalog.catalog_id, list(range(shard, shard + SHARDS_PER_STEP))
    )
    if head_body is None:
        return _live_search(catalog, search, cursor=cursor, limit=limit)
    head = ViewHead.from_json(head_body)
    words = search_words(search.q)
    chosen: list[str] = []
    next_cursor = None
    for n in range(shard, min(shard + SHARDS_PER_STEP, head.shards)):
        hits = [
            r[0] for r in json.loads(found.get(n, "[]")) if matches(r, words, search.classifier, search.subclassifier)
        ]
        start = offset if n == shard else 0
        room = limit - len(chosen)
        chosen += hits[start : start + room]
        if len(hits) - start > room:
            next_cursor = encode_search(n, start + room)
            break
    else:
        following = shard + SHARDS_PER_STEP
        next_cursor = encode_search(following, 0) if following < head.shards else None
    items = catalog_views.read_items(catalog.merchant_id, catalog.catalog_id, chosen) if chosen else {}
    entries = sorted((json.loads(body) for body in items.values()), key=lambda e: e[0])
    return _view_of(catalog, head, shown_products(entries), next_cursor, pointer)


def _view_of(
    catalog: Catalog,
    head: ViewHead,
    products: list[CatalogProduct],
    next_cursor: str | None,
    pointer: dict[str, Any],
) -> StorefrontView:
    from vitrine.catalogs.shop_identity import ShopIdentity

    return StorefrontView(
        catalog=catalog,
        products=products,
        next_cursor=next_cursor,
        product_count=head.count,
        stores=head.store_models(),
        fulfilments=head.fulfilments(),
        shop=ShopIdentity.from_json(head.shop),
        classifiers=head.classifier_tree(),
        version=_view_version(head, pointer),
    )


def _live_search(catalog: Catalog, search: SearchFilter, *, cursor: str | None, limit: int) -> StorefrontView:
    view = _live_view(catalog, cursor=None, sku=None, limit=100_000)
    found = [p for p in view.products if search.admits(p)]
    start = decode_search(cursor)[1] if cursor else 0
    end = start + limit
    more = encode_search(0, end) if end < len(found) else None
    return StorefrontView(**{**view.__dict__, "products": found[start:end], "next_cursor": more})


def _view_version(head: ViewHead, pointer: dict[str, Any]) -> str:
    return f"{head.version}.{_catalog_digest(pointer)}"


def _catalog_digest(pointer: dict[str, Any]) -> str:
    # The pointer's copy of the catalog (title, description, cover) is part of every view, beside the read model.
    fields = {name: value for name, value in pointer.items() if name not in ("PK", "SK")}
    return hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode()).hexdigest()[:12]


LIVE_PAGE = 24


def live_view(catalog: Catalog, *, limit: int = LIVE_PAGE) -> StorefrontView:
    """The catalog's first ``limit`` products computed now from the assortment (a merchant's preview of a draft)."""
    return _live_view(catalog, cursor=None, sku=None, limit=limit)


def _live_view(
    catalog: Catalog, *, cursor: str | None, sku: str | None, empty: bool = False, limit: int = 24
) -> StorefrontView:
    # Imported here: a view read from the read model never loads the merchants' records and models.
    from vitrine.catalogs.shop_identity import shop_identity

    contents = catalog_contents(catalog)
    products, next_cursor = page_of(contents.products, limit=limit, cursor=_live_cursor(cursor))
    if empty:  # a read model's page, and the read model is gone (dropped, being rebuilt): nothing more to show
        products, next_cursor = [], None
    return StorefrontView(
        catalog=catalog,
        products=products,
        next_cursor=encode_page_position(next_cursor) if next_cursor else None,
        product_count=len(contents.products),
        stores=contents.stores,
        fulfilments=contents.fulfilments,
        shop=shop_identity(catalog.merchant_id),
        classifiers=_classifier_tree(contents.products),
        version="",
        product=next((p for p in contents.products if p.sku == sku), None) if sku else None,
    )


def _classifier_tree(products: list[CatalogProduct]) -> dict[str, list[str]]:
    tree: dict[str, dict[str, None]] = {}
    for product in products:
        if product.classifiers:
            children = tree.setdefault(product.classifiers[0], {})
            if len(product.classifiers) > 1:
                children[product.classifiers[1]] = None
    return {top: list(children) for top, children in tree.items()}


# Cursors are opaque to clients: base64 of a kind and its numbers. ``g<page id>_<offset>``: a page of the read model
# and a position in it; ``l<n>`` (``p<n>`` before issue 15): a position in a view computed live; ``s<shard>_<offset>``:
# a search's next step.
_CURSOR_NUMBERS = {"g": 2, "l": 1, "p": 1, "s": 2}


def _cursor(kind: str, *numbers: int) -> str:
    return base64.urlsafe_b64encode(f"{kind}{'_'.join(map(str, numbers))}".encode()).decode().rstrip("=")


def _uncursor(cursor: str, kinds: str) -> tuple[str, list[int]]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raw = ""
    kind, parts = raw[:1], raw[1:].split("_")
    known = len(kind) == 1 and kind in kinds  # ("" is in every string)
    if not known or len(parts) != _CURSOR_NUMBERS[kind] or not all(p.isdigit() for p in parts) or len(raw) > 16:
        raise InvalidInput("cursor is not valid", details=[{"field": "query.cursor", "reason": "malformed"}])
    return kind, [int(p) for p in parts]


def encode_position(position: int) -> str:
    return _cursor("p", position)


def decode_position(cursor: str) -> int:
    return _uncursor(cursor, "p")[1][0]


def encode_page(page_id: int, offset: int = 0) -> str:
    return _cursor("g", page_id, offset)


def encode_page_position(live_cursor: str) -> str:
    return _cursor("l", decode_position(live_cursor))


def decode_page(cursor: str) -> tuple[int, int] | None:
    """The read model's page a cursor names and the position in it; ``None`` for a live view's position."""
    kind, numbers = _uncursor(cursor, "glp")
    return (numbers[0], numbers[1]) if kind == "g" else None


def _live_cursor(cursor: str | None) -> str | None:
    if cursor is None:
        return None
    kind, numbers = _uncursor(cursor, "glp")
    return encode_position(numbers[0]) if kind != "g" else None


def encode_search(shard: int, offset: int) -> str:
    return _cursor("s", shard, offset)


def decode_search(cursor: str) -> tuple[int, int]:
    _, (shard, offset) = _uncursor(cursor, "s")
    return shard, offset

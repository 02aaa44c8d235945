"""What a shopper sees behind a share link: the published catalog and its visible products."""

import base64
import binascii
from dataclasses import dataclass

from vitrine.catalogs.models import Catalog, CatalogProduct, Store
from vitrine.catalogs.stores import Fulfilments, catalog_stores
from vitrine.catalogs.visibility import available_by_store, visible_products
from vitrine.errors import InvalidInput, NotFound
from vitrine.repository import assortment, catalogs, stock


@dataclass(frozen=True)
class CatalogContents:
    catalog: Catalog
    products: list[CatalogProduct]
    stores: list[Store]  # the catalog's, in its order
    fulfilments: Fulfilments


_HINT_LIMIT = 256
_hints: dict[str, Catalog] = {}


def published_catalog(slug: str, *, field: str | None = None) -> Catalog:
    """The catalog behind a share link; an unknown or unpublished slug is ``NotFound`` (naming ``field``)."""
    catalog = catalogs.get_published_catalog_by_slug(slug)
    if catalog is None:
        _hints.pop(slug, None)
        details = [{"field": field, "reason": "not found"}] if field else None
        raise NotFound(f"no published catalog at '{slug}'", details=details)
    remember_catalog(catalog)
    return catalog


def catalog_by_slug(slug: str) -> Catalog | None:
    """The catalog at ``slug``, published or not: a shopper keeps following an order after it is taken down."""
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


def load_published_catalog(slug: str) -> CatalogContents:
    """The catalog and every product it shows now; an unknown or unpublished slug is ``NotFound``."""
    return catalog_contents(published_catalog(slug))


def catalog_contents(catalog: Catalog) -> CatalogContents:
    """Every product ``catalog`` shows now, whether it is published or not (a merchant's preview of a draft), with
    what each variant can sell per fulfilment."""
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


def encode_position(position: int) -> str:
    return base64.urlsafe_b64encode(f"p{position}".encode()).decode().rstrip("=")


def decode_position(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raw = ""
    if not raw.startswith("p") or not raw[1:].isdigit() or len(raw) > 12:
        raise InvalidInput("cursor is not valid", details=[{"field": "query.cursor", "reason": "malformed"}])
    return int(raw[1:])

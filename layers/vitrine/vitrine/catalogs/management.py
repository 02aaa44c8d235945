"""The merchant's side of catalogs: create, update, publish and unpublish, and the store settings they sell with.

Every function takes the ``merchant_id`` of the authenticated principal and reads only that merchant's
partition, so another merchant's catalog id is simply not found. The slug is fixed at creation: it is the
share link already sent over WhatsApp, and the slug pointer is claimed once (``repository.catalogs``).
"""

import urllib.parse
import uuid
from typing import Annotated

from pydantic import ConfigDict, Field, model_validator

from vitrine.catalogs.models import Catalog, CatalogSelection, CatalogStatus, PriceTable, Product
from vitrine.catalogs.read_model_notices import announce
from vitrine.cdn import invalidate_catalog
from vitrine.errors import InvalidInput, NotFound
from vitrine.events.envelope import CatalogChanged, CatalogPublished, CatalogUnpublished, new_event
from vitrine.events.publisher import publish
from vitrine.ids import PersonId, Sku, Slug, StoreCode
from vitrine.inputs import Count, Flag, MultilineText, Text
from vitrine.lazy_models import LazyModel
from vitrine.merchants import StoreSettings
from vitrine.repository import assortment, catalogs, merchants

EVENT_SOURCE = "vitrine.catalog_api"
WHATSAPP_SHARE = "https://wa.me/?text="

ClassifierLevel = Annotated[Text, Field(min_length=1, max_length=60)]
PriceTableId = Annotated[
    str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$", description="One of the merchant's tables.")
]


class SelectionInput(LazyModel):
    """Exactly one way of choosing products: explicit SKUs, a classifier path (broadest first), or all active."""

    # The rule of ``_exactly_one_mode`` as the OpenAPI document says it: one branch, and only one, holds.
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "oneOf": [
                {"required": ["skus"], "properties": {"skus": {"type": "array"}}},
                {"required": ["classifier_path"], "properties": {"classifier_path": {"type": "array"}}},
                {"required": ["all_active_online"], "properties": {"all_active_online": {"const": True}}},
            ]
        },
    )

    skus: list[Sku] | None = Field(default=None, min_length=1, max_length=1000)
    classifier_path: list[ClassifierLevel] | None = Field(default=None, min_length=1, max_length=5)
    all_active_online: Flag = False

    @model_validator(mode="after")
    def _exactly_one_mode(self) -> "SelectionInput":
        chosen = [self.skus is not None, self.classifier_path is not None, self.all_active_online]
        if sum(chosen) != 1:
            raise ValueError("choose exactly one of skus, classifier_path or all_active_online")
        return self

    def to_domain(self) -> CatalogSelection:
        return CatalogSelection(
            skus=self.skus, classifier_path=self.classifier_path, all_active_online=self.all_active_online
        )


class CatalogChanges(LazyModel):
    """A catalog's editable fields (a ``PUT`` replaces them all; the slug cannot change)."""

    model_config = ConfigDict(extra="forbid")

    title: Text = Field(min_length=1, max_length=120)
    description: MultilineText = Field(default="", max_length=500)
    selection: SelectionInput
    price_table_id: PriceTableId
    store_codes: list[StoreCode] = Field(min_length=1, max_length=50, description="Stores that serve the catalog.")
    min_stock_to_show: Count = Field(default=1, ge=0, le=100_000)
    display_order: list[Sku] = Field(default_factory=list, max_length=1000, description="SKUs shown first.")


class NewCatalog(CatalogChanges):
    slug: Slug
    customer_id: PersonId | None = Field(
        default=None,
        description="Build it for one B2B customer: priced at their table (when they have one), its slug given an "
        "unguessable tail. A seller may name only their own customers.",
    )


# The tail a vitrine built for one customer gets: 10 characters of 32 (50 bits), so its link cannot be guessed.
_UNGUESSABLE = 10


def create_catalog(merchant_id: str, new: NewCatalog, *, seller_id: str | None = None) -> Catalog:
    """A draft catalog; an unknown price table or store is a 422, a taken slug a ``Conflict``.

    ``seller_id``: a seller builds it (the console's seller, ``StaffPrincipal.seller_id``): it is theirs, every order
    through it is credited to them (``orders.buyers``), and the customer it is for must be one of theirs."""
    fields = _fields(new)
    slug = new.slug
    if new.customer_id is not None:
        customer = _customer_for(merchant_id, new.customer_id, seller_id)
        fields["price_table_id"] = customer.get("price_table_id") or new.price_table_id
        slug = f"{slug[: 60 - _UNGUESSABLE - 1]}-{_tail()}"
    _check_references(merchant_id, new.model_copy(update={"price_table_id": fields["price_table_id"]}))
    catalog = Catalog(
        catalog_id=uuid.uuid4().hex,
        merchant_id=merchant_id,
        slug=slug,
        status=CatalogStatus.DRAFT,
        seller_id=seller_id,
        customer_id=new.customer_id,
        **fields,
    )
    catalogs.create_catalog(catalog)
    return catalog


def _tail() -> str:
    import secrets

    alphabet = "abcdefghijkmnpqrstuvwxyz23456789"  # 32 letters and digits, none mistaken for another
    return "".join(secrets.choice(alphabet) for _ in range(_UNGUESSABLE))


def _customer_for(merchant_id: str, customer_id: str, seller_id: str | None) -> dict:
    """The customer a vitrine is built for: the merchant's, and the seller's own when a seller builds it (else a
    422 that does not say whether the customer exists)."""
    from vitrine.repository import people

    item = people.get_customer_item(merchant_id, customer_id)
    if (
        item is not None
        and seller_id is not None
        and customer_id not in people.customers_of_seller(merchant_id, seller_id)
    ):
        item = None
    if item is None:
        raise InvalidInput(
            "no such customer of yours", details=[{"field": "body.customer_id", "reason": "not one of your customers"}]
        )
    return item


def get_catalog(merchant_id: str, catalog_id: str, *, seller_id: str | None = None) -> Catalog:
    """One of the merchant's catalogs; with ``seller_id``, one of that seller's only (another's is not found)."""
    catalog = catalogs.get_catalog(merchant_id, catalog_id) if _plausible_id(catalog_id) else None
    if catalog is None or (seller_id is not None and catalog.seller_id != seller_id):
        raise NotFound("no such catalog")
    return catalog


def list_catalogs(
    merchant_id: str, *, limit: int, cursor: str | None, seller_id: str | None = None
) -> tuple[list[Catalog], str | None]:
    """A page of the merchant's catalogs; with ``seller_id``, only that seller's of the page (a page may be short)."""
    found, next_cursor = catalogs.list_catalogs(merchant_id, limit=limit, cursor=cursor)
    if seller_id is not None:
        found = [catalog for catalog in found if catalog.seller_id == seller_id]
    return found, next_cursor


def update_catalog(
    merchant_id: str, catalog_id: str, changes: CatalogChanges, *, seller_id: str | None = None
) -> Catalog:
    """Replace the editable fields; the status, slug and cover image stay as they are. A published catalog's copies
    on the CDN are invalidated: its views change now, not when they expire."""
    current = get_catalog(merchant_id, catalog_id, seller_id=seller_id)
    _check_references(merchant_id, changes)
    updated = Catalog.model_validate({**current.model_dump(), **_fields(changes)})
    catalogs.put_catalog(updated)
    if updated.status == CatalogStatus.PUBLISHED:
        invalidate_catalog(updated.slug)
        announce(merchant_id, CatalogChanged(catalog_id=updated.catalog_id, slug=updated.slug))
    return updated


def publish_catalog(merchant_id: str, catalog_id: str, *, seller_id: str | None = None) -> Catalog:
    """Publish and announce it. Publishing again re-announces, so a retry after a failed publish loses nothing."""
    catalog = _with_status(get_catalog(merchant_id, catalog_id, seller_id=seller_id), CatalogStatus.PUBLISHED)
    event = CatalogPublished(catalog_id=catalog.catalog_id, slug=catalog.slug, title=catalog.title)
    publish([new_event(merchant_id, event)], source=EVENT_SOURCE)
    return catalog


def unpublish_catalog(merchant_id: str, catalog_id: str, *, seller_id: str | None = None) -> Catalog:
    """Back to draft: the share link answers 404 (at the origin at once, on the CDN once its copies are
    invalidated) and checkout refuses the catalog."""
    catalog = _with_status(get_catalog(merchant_id, catalog_id, seller_id=seller_id), CatalogStatus.DRAFT)
    invalidate_catalog(catalog.slug)
    publish(
        [new_event(merchant_id, CatalogUnpublished(catalog_id=catalog.catalog_id, slug=catalog.slug))],
        source=EVENT_SOURCE,
    )
    return catalog


def whatsapp_share_url(title: str, share_url: str) -> str:
    """WhatsApp's "click to chat" link with the catalog's title and share link as the message."""
    return WHATSAPP_SHARE + urllib.parse.quote(f"{title} {share_url}", safe="")


def update_store_settings(merchant_id: str, settings: StoreSettings) -> StoreSettings:
    """Store the merchant's settings (the model already refused ranges that run backwards)."""
    merchants.put_store_settings(merchant_id, settings)
    return settings


def get_store_settings(merchant_id: str) -> StoreSettings:
    return merchants.get_store_settings(merchant_id)


def _fields(changes: CatalogChanges) -> dict:
    return {
        "title": changes.title,
        "description": changes.description,
        "selection": changes.selection.to_domain(),
        "price_table_id": changes.price_table_id,
        "store_codes": list(dict.fromkeys(changes.store_codes)),
        "min_stock_to_show": changes.min_stock_to_show,
        "display_order": list(dict.fromkeys(changes.display_order)),
    }


def _check_references(merchant_id: str, changes: CatalogChanges) -> None:
    details = []
    if not assortment.price_table_exists(merchant_id, changes.price_table_id):
        details.append({"field": "body.price_table_id", "reason": "no such price table for this merchant"})
    own_stores = {store.code for store in merchants.list_stores(merchant_id)}
    unknown = [code for code in changes.store_codes if code not in own_stores]
    if unknown:
        details.append({"field": "body.store_codes", "reason": f"not this merchant's stores: {', '.join(unknown)}"})
    skus = list(dict.fromkeys(changes.selection.skus or []))
    # One batched read for the whole list (1,000 SKUs are 10 requests), not one per SKU.
    known = assortment.existing_products(merchant_id, skus) if skus else set()
    missing = [sku for sku in skus if sku not in known]
    if missing:
        shown = ", ".join(missing[:20]) + (f" and {len(missing) - 20} more" if len(missing) > 20 else "")
        details.append({"field": "body.selection.skus", "reason": f"not this merchant's products: {shown}"})
    if details:
        raise InvalidInput("the catalog refers to something this merchant does not have", details=details)


def _with_status(catalog: Catalog, status: CatalogStatus) -> Catalog:
    changed = catalog.model_copy(update={"status": status})
    catalogs.put_catalog(changed)
    return changed


def _plausible_id(catalog_id: str) -> bool:
    return 0 < len(catalog_id) <= 64 and catalog_id.replace("-", "").replace("_", "").isalnum()


# --- what the console's vitrine builder offers ------------------------------------------------------------------

PICKER_LIMIT = 60


def _folded(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(c))


def pick_products(merchant_id: str, *, search: str = "", classifier: str = "") -> tuple[list[Product], list[str], int]:
    """The merchant's active products matching ``search`` (name, SKU or brand, accents and case aside) and
    ``classifier`` (a first-level classifier), at most ``PICKER_LIMIT`` of them; with every first-level classifier
    (for the filter) and how many matched in all.

    It reads the merchant's whole assortment (one query page per ~500 products): the console's builder is used by
    staff, not shoppers, and a shop's ERP catalogue is a few thousand products. A merchant with tens of thousands
    would want a search index of the assortment; the shoppers' one is per published catalog (the read model).
    """
    wanted = _folded(search.strip())
    products = [p for p in assortment.all_products(merchant_id) if p.active_online]
    classifiers = sorted({p.classifiers[0] for p in products if p.classifiers}, key=_folded)
    matched = [
        p
        for p in products
        if (not classifier or (p.classifiers and p.classifiers[0] == classifier))
        and (not wanted or wanted in _folded(f"{p.name} {p.sku} {p.brand or ''}"))
    ]
    matched.sort(key=lambda p: _folded(p.name))
    return matched[:PICKER_LIMIT], classifiers, len(matched)


def catalog_choices(merchant_id: str) -> tuple[list, list[PriceTable]]:
    """The stores and price tables a new vitrine may sell from and at."""
    return merchants.list_stores(merchant_id), assortment.list_price_tables(merchant_id)

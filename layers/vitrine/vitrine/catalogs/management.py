"""The merchant's side of catalogs: create, update, publish and unpublish, and the store settings they sell with.

Every function takes the ``merchant_id`` of the authenticated principal and reads only that merchant's
partition, so another merchant's catalog id is simply not found. The slug is fixed at creation: it is the
share link already sent over WhatsApp, and the slug pointer is claimed once (``repository.catalogs``).
"""

import urllib.parse
import uuid
from typing import Annotated

from pydantic import ConfigDict, Field, model_validator

from vitrine.catalogs.models import Catalog, CatalogSelection, CatalogStatus
from vitrine.catalogs.read_model_notices import announce
from vitrine.cdn import invalidate_catalog
from vitrine.errors import InvalidInput, NotFound
from vitrine.events.envelope import CatalogChanged, CatalogPublished, CatalogUnpublished, new_event
from vitrine.events.publisher import publish
from vitrine.ids import Sku, Slug, StoreCode
from vitrine.inputs import Count, Flag, MultilineText, Text
from vitrine.lazy_models import LazyModel
from vitrine.merchants import StoreSettings
from vitrine.repository import assortment, catalogs, merchants
from vitrine.repository import stores as store_records

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


def create_catalog(merchant_id: str, new: NewCatalog) -> Catalog:
    """A draft catalog; an unknown price table or store is a 422, a taken slug a ``Conflict``."""
    _check_references(merchant_id, new)
    catalog = Catalog(
        catalog_id=uuid.uuid4().hex,
        merchant_id=merchant_id,
        slug=new.slug,
        status=CatalogStatus.DRAFT,
        **_fields(new),
    )
    catalogs.create_catalog(catalog)
    return catalog


def get_catalog(merchant_id: str, catalog_id: str) -> Catalog:
    catalog = catalogs.get_catalog(merchant_id, catalog_id) if _plausible_id(catalog_id) else None
    if catalog is None:
        raise NotFound("no such catalog")
    return catalog


def list_catalogs(merchant_id: str, *, limit: int, cursor: str | None) -> tuple[list[Catalog], str | None]:
    return catalogs.list_catalogs(merchant_id, limit=limit, cursor=cursor)


def update_catalog(merchant_id: str, catalog_id: str, changes: CatalogChanges) -> Catalog:
    """Replace the editable fields; the status, slug and cover image stay as they are. A published catalog's copies
    on the CDN are invalidated: its views change now, not when they expire."""
    current = get_catalog(merchant_id, catalog_id)
    _check_references(merchant_id, changes)
    updated = Catalog.model_validate({**current.model_dump(), **_fields(changes)})
    catalogs.put_catalog(updated)
    if updated.status == CatalogStatus.PUBLISHED:
        invalidate_catalog(updated.slug)
        announce(merchant_id, CatalogChanged(catalog_id=updated.catalog_id, slug=updated.slug))
    return updated


def publish_catalog(merchant_id: str, catalog_id: str) -> Catalog:
    """Publish and announce it. Publishing again re-announces, so a retry after a failed publish loses nothing."""
    catalog = _with_status(get_catalog(merchant_id, catalog_id), CatalogStatus.PUBLISHED)
    event = CatalogPublished(catalog_id=catalog.catalog_id, slug=catalog.slug, title=catalog.title)
    publish([new_event(merchant_id, event)], source=EVENT_SOURCE)
    return catalog


def unpublish_catalog(merchant_id: str, catalog_id: str) -> Catalog:
    """Back to draft: the share link answers 404 (at the origin at once, on the CDN once its copies are
    invalidated) and checkout refuses the catalog."""
    catalog = _with_status(get_catalog(merchant_id, catalog_id), CatalogStatus.DRAFT)
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
    own_stores = {store.code for store in store_records.list_stores(merchant_id)}
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

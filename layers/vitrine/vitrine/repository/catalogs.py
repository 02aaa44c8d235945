"""Access patterns: catalogs, and the global slug -> catalog pointer behind share links."""

from vitrine.catalogs.models import Catalog, CatalogStatus
from vitrine.errors import Conflict
from vitrine.repository import keys, table
from vitrine.repository.items import to_model
from vitrine.repository.table import TransactionCancelled


def create_catalog(catalog: Catalog) -> None:
    """Claim the slug and write the catalog in one transaction; a taken slug is a ``Conflict``."""
    try:
        table.transact_write(
            [
                table.put_operation(
                    {
                        "PK": keys.slug_pk(catalog.slug),
                        "SK": "SLUG",
                        "type": "slug",
                        "merchant_id": catalog.merchant_id,
                        "catalog_id": catalog.catalog_id,
                    },
                    condition="attribute_not_exists(PK)",
                ),
                table.put_operation(_item(catalog), condition="attribute_not_exists(PK)"),
            ]
        )
    except TransactionCancelled as exc:
        raise Conflict(f"the slug '{catalog.slug}' is taken", details=[{"field": "slug", "reason": "taken"}]) from exc


def put_catalog(catalog: Catalog) -> None:
    """Rewrite an existing catalog (its slug pointer is unchanged)."""
    table.put(_item(catalog), condition="attribute_exists(PK)")


def get_catalog(merchant_id: str, catalog_id: str) -> Catalog | None:
    item = table.get(keys.merchant_pk(merchant_id), keys.catalog_sk(catalog_id))
    return to_model(Catalog, item) if item else None


def get_catalog_by_slug(slug: str) -> Catalog | None:
    pointer = table.get(keys.slug_pk(slug), "SLUG")
    if pointer is None:
        return None
    return get_catalog(pointer["merchant_id"], pointer["catalog_id"])


def get_published_catalog_by_slug(slug: str) -> Catalog | None:
    catalog = get_catalog_by_slug(slug)
    return catalog if catalog and catalog.status is CatalogStatus.PUBLISHED else None


def _item(catalog: Catalog) -> dict:
    return {
        "PK": keys.merchant_pk(catalog.merchant_id),
        "SK": keys.catalog_sk(catalog.catalog_id),
        "type": "catalog",
        **catalog.model_dump(mode="json"),
    }

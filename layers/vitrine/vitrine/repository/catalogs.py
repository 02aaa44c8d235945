"""Access patterns: catalogs, and the global slug -> catalog pointer behind share links.

The pointer carries a copy of the catalog, written in the same transaction as the catalog itself, so a
share link (and a checkout) resolves its catalog with one ``GetItem``.
"""

from typing import Any

from vitrine.catalogs.models import Catalog, Image
from vitrine.errors import Conflict
from vitrine.repository import keys, table
from vitrine.repository.items import model_item, to_model
from vitrine.repository.table import TransactionCancelled


def create_catalog(catalog: Catalog) -> None:
    """Claim the slug and write the catalog in one transaction; a taken slug is a ``Conflict``."""
    try:
        table.transact_write(
            [
                table.put_operation(_pointer(catalog), condition="attribute_not_exists(PK)"),
                table.put_operation(_item(catalog), condition="attribute_not_exists(PK)"),
            ]
        )
    except TransactionCancelled as exc:
        raise Conflict(f"the slug '{catalog.slug}' is taken", details=[{"field": "slug", "reason": "taken"}]) from exc


def put_catalog(catalog: Catalog) -> None:
    """Rewrite an existing catalog and its pointer's copy (the slug stays with its catalog)."""
    table.transact_write(
        [
            table.put_operation(
                _pointer(catalog),
                condition="catalog_id = :catalog_id",
                condition_values={":catalog_id": catalog.catalog_id},
            ),
            table.put_operation(_item(catalog), condition="attribute_exists(PK)"),
        ]
    )


def set_catalog_cover(catalog: Catalog, cover: Image) -> Catalog | None:
    """Set only the cover, on the catalog and its pointer's copy in one transaction (a concurrent edit of the
    catalog's other fields is not undone); ``None`` when the catalog is gone."""
    value = cover.model_dump(mode="json", exclude_none=True)
    try:
        table.transact_write(
            [
                _set_cover_operation(
                    keys.slug_pk(catalog.slug),
                    "SLUG",
                    value,
                    condition="catalog_id = :catalog_id",
                    condition_values={":catalog_id": catalog.catalog_id},
                ),
                _set_cover_operation(
                    keys.merchant_pk(catalog.merchant_id),
                    keys.catalog_sk(catalog.catalog_id),
                    value,
                    condition="attribute_exists(PK)",
                ),
            ]
        )
    except TransactionCancelled:
        return None
    return catalog.model_copy(update={"cover_image": cover})


def get_catalog(merchant_id: str, catalog_id: str) -> Catalog | None:
    item = table.get(keys.merchant_pk(merchant_id), keys.catalog_sk(catalog_id))
    return to_model(Catalog, item) if item else None


def list_catalogs(merchant_id: str, *, limit: int = 50, cursor: str | None = None) -> tuple[list[Catalog], str | None]:
    """One page of the merchant's catalogs, in catalog id order."""
    page = table.query(keys.merchant_pk(merchant_id), sk_prefix="CATALOG#", limit=limit, cursor=cursor)
    return [to_model(Catalog, item) for item in page.items], page.cursor


def get_catalog_by_slug(slug: str) -> Catalog | None:
    pointer = table.get(keys.slug_pk(slug), "SLUG")
    return to_model(Catalog, pointer) if pointer else None


def _pointer(catalog: Catalog) -> dict:
    return model_item(catalog, pk=keys.slug_pk(catalog.slug), sk="SLUG", item_type="slug")


def _item(catalog: Catalog) -> dict:
    pk, sk = keys.merchant_pk(catalog.merchant_id), keys.catalog_sk(catalog.catalog_id)
    return model_item(catalog, pk=pk, sk=sk, item_type="catalog")


def _set_cover_operation(
    pk: str, sk: str, cover: dict[str, Any], *, condition: str, condition_values: dict[str, Any] | None = None
) -> dict[str, Any]:
    values = {":cover": cover, **(condition_values or {})}
    return table.update_operation(pk, sk, expression="SET cover_image = :cover", condition=condition, values=values)

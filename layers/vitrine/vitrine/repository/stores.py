"""Access patterns: a merchant's stores (``STORE#<code>`` in the merchant's partition).

Apart from ``repository.merchants``: what a catalog's view, its consumer and the ERP's stock counts read of a
merchant is its stores, and the merchants' own models (registration, settings, shop profile) are not theirs to
import at a cold start."""

from typing import TYPE_CHECKING

from vitrine.repository import keys, table
from vitrine.repository.items import model_item, to_model

if TYPE_CHECKING:
    from vitrine.catalogs.models import Store


def put_store(merchant_id: str, store: "Store") -> None:
    table.put(model_item(store, pk=keys.merchant_pk(merchant_id), sk=keys.store_sk(store.code), item_type="store"))


def _store_items(merchant_id: str) -> list[dict]:
    return table.query(keys.merchant_pk(merchant_id), sk_prefix="STORE#", limit=200).items


def list_stores(merchant_id: str) -> list["Store"]:
    # Imported here: checking a stock count's store (``store_codes``) needs no assortment model.
    from vitrine.catalogs.models import Store

    return [to_model(Store, item) for item in _store_items(merchant_id)]


def store_codes(merchant_id: str) -> set[str]:
    """The codes of the merchant's stores (what a stock count's ``store_code`` must be one of)."""
    return {item["code"] for item in _store_items(merchant_id)}

"""Access patterns: a merchant's stores (``STORE#<code>`` in the merchant's partition).

Apart from ``repository.merchants``: what a catalog's view, its consumer and the ERP's stock counts read of a
merchant is its stores, and the merchants' own models (registration, settings, shop profile) are not theirs to
import at a cold start."""

from vitrine.catalogs.models import Store
from vitrine.repository import keys, table
from vitrine.repository.items import model_item, to_model


def put_store(merchant_id: str, store: Store) -> None:
    table.put(model_item(store, pk=keys.merchant_pk(merchant_id), sk=keys.store_sk(store.code), item_type="store"))


def list_stores(merchant_id: str) -> list[Store]:
    page = table.query(keys.merchant_pk(merchant_id), sk_prefix="STORE#", limit=200)
    return [to_model(Store, item) for item in page.items]

"""A store's details as its owner changes them after onboarding (``PUT /merchant/v1/stores/{store_code}``, the
console's Configurações): its name, city and street address, and what it does for online orders.

The code and whether it is an online site stay as onboarded: stock, prices, orders and the ERP's records are keyed
by the code, and an online site's orders ship from it. A change reaches the catalogs' pages through
``StoreChanged`` (the read model's consumer rewrites the heads of the published catalogs that sell from the store;
a change of what the catalog delivers or hands over rebuilds the view, as each product's availability per
fulfilment follows the stores'). The checkout reads the stores as they are, so it never waits for the pages.
"""

from pydantic import ConfigDict, Field

from vitrine.catalogs.models import FulfilmentKind, Store
from vitrine.errors import NotFound
from vitrine.inputs import Text
from vitrine.lazy_models import LazyModel
from vitrine.repository import stores as store_records


class StoreDetails(LazyModel):
    """What a store says of itself: the same fields at onboarding (``NewStore``) and when its owner edits it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Text = Field(min_length=2, max_length=80)
    fulfilment: list[FulfilmentKind] = Field(
        default_factory=list, max_length=2, description="What it does for online orders."
    )
    city: Text | None = Field(default=None, max_length=80)
    address: Text | None = Field(
        default=None,
        min_length=5,
        max_length=160,
        description="Street, number and district, for shoppers picking orders up, e.g. Rua Direita, 120 - Centro.",
    )

    def to_store(self, code: str, *, online: bool) -> Store:
        """The store with these details (each fulfilment once)."""
        return Store(
            code=code,
            online=online,
            name=self.name,
            fulfilment=list(dict.fromkeys(self.fulfilment)),
            city=self.city,
            address=self.address,
        )


def merchant_stores(merchant_id: str) -> list[Store]:
    return store_records.list_stores(merchant_id)


def update_store(merchant_id: str, store_code: str, details: StoreDetails) -> Store:
    """Replace the store's details (``NotFound`` for a code the merchant was not onboarded with); an edit that
    changes nothing writes and announces nothing."""
    current = next((store for store in store_records.list_stores(merchant_id) if store.code == store_code), None)
    if current is None:
        raise NotFound(f"no store '{store_code}'")
    updated = details.to_store(current.code, online=current.online)
    if updated == current:
        return current
    store_records.put_store(merchant_id, updated)
    # Imported here: the pages that read stores (the cold starts that matter) never publish.
    from vitrine.catalogs.read_model_notices import announce
    from vitrine.events.envelope import StoreChanged

    announce(merchant_id, StoreChanged(store_code=store_code))
    return updated

"""A store's count of one variant (``StockLevel``): what the ERP's counts write and the catalogs sell from.

A module of its own, re-exported by ``vitrine.catalogs.models``: applying an ERP stock count (the ingest's usual
chunk) needs this model, not the assortment's other fifteen."""

from pydantic import ConfigDict, Field

from vitrine.ids import Sku, StoreCode
from vitrine.lazy_models import LazyModel


class StockLevel(LazyModel):
    model_config = ConfigDict(extra="forbid", frozen=True)  # as every domain model (``catalogs.models``)

    store_code: StoreCode
    sku: Sku
    on_hand: int = Field(ge=0)
    reserved: int = Field(default=0, ge=0)
    sequence: int = Field(default=0, ge=0, description="ERP's sequence number; a lower one is stale.")

    @property
    def available(self) -> int:
        return max(self.on_hand - self.reserved, 0)

    @property
    def oversold(self) -> int:
        """Units promised online beyond the count on hand (the counter sold what a checkout had reserved)."""
        return max(self.reserved - self.on_hand, 0)

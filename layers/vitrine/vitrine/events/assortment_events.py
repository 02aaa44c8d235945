"""What changes the assortment a catalog shows: a checkout's reservation, and an ERP sync's products, prices and
stock counts (with their values, one event per queued chunk).

Their types are registered in ``vitrine.events.envelope.EVENT_TYPE_MODULES``, which imports this module for the
first envelope of one of them."""

from pydantic import ConfigDict, Field

from vitrine.events.envelope import EventData
from vitrine.ids import Sku, StoreCode
from vitrine.lazy_models import LazyModel
from vitrine.money import Centavos


class StockReserved(EventData):
    """A checkout reserved units of these variants at one store, for an order awaiting payment (published after
    the checkout's transaction; its release is the order's ``OrderCancelled``)."""

    order_id: str
    store_code: StoreCode
    skus: list[Sku] = Field(min_length=1, max_length=100, description="The variants' SKUs.")


class ProductsChanged(EventData):
    """Products an ERP sync wrote (only those whose content changed)."""

    job_id: str
    skus: list[str]


class StockDelta(LazyModel):
    """A variant's stock at one store as an ERP count left it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    store_code: StoreCode
    sku: Sku = Field(description="The variant's SKU.")
    on_hand: int = Field(ge=0, description="Units on the shelf, as the ERP counts them.")
    reserved: int = Field(ge=0, description="Units promised to open orders.")
    available: int = Field(ge=0, description="on_hand - reserved (never below 0): what a channel may sell.")
    sequence: int = Field(
        ge=0, description="The ERP's sequence of this count (or its time in µs): drop a delta older than one applied."
    )


class PriceDelta(LazyModel):
    """A product's price in one price table as an ERP sync left it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    table_id: str = Field(min_length=1, max_length=40)
    sku: Sku = Field(description="The product's SKU.")
    price: Centavos
    previous_price: Centavos | None = Field(description="The price it replaced; null for a new price.")


# A chunk's deltas go out in events of at most this many: 500 of the largest possible delta (~190 bytes of JSON)
# is ~95 KB, well under EventBridge's 256 KB per entry.
DELTAS_PER_EVENT = 500


class PricesChanged(EventData):
    """Prices an ERP sync wrote, with their values (only those that changed; one event per queued chunk)."""

    job_id: str
    prices: list[PriceDelta] = Field(min_length=1, max_length=DELTAS_PER_EVENT)


class StockLevelsChanged(EventData):
    """Stock counts an ERP sync wrote, with their values (only newer counts; one event per queued chunk)."""

    job_id: str
    levels: list[StockDelta] = Field(min_length=1, max_length=DELTAS_PER_EVENT)

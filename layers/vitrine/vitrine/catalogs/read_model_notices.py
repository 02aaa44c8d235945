"""Notices to the catalogs' read models of changes made outside an ERP sync (a checkout's reservation, a
merchant's edit of a catalog, its shop profile or a product's images): an event on the bus for the read-model
consumer (``vitrine.catalogs.read_model_events``).

Published after the change is written, best effort: a failure is logged and the request answers as it would.
A lost notice leaves a page's availability or footer one change behind until the next change or a rebuild; the
checkout stays the authority on stock and price, and the catalog's own fields are read from the slug pointer.
"""

from aws_lambda_powertools import Logger

from vitrine.errors import DependencyUnavailable
from vitrine.events.envelope import EventData, StockReserved, new_event
from vitrine.events.publisher import PublishFailed, publish

logger = Logger(child=True)


def announce(merchant_id: str, data: EventData, *, source: str = "vitrine.catalog_api") -> None:
    try:
        publish([new_event(merchant_id, data)], source=source)
    except (PublishFailed, DependencyUnavailable) as exc:
        logger.warning("read-model notice not published", extra={"event_type": type(data).__name__, "error": str(exc)})


def announce_stock_reserved(merchant_id: str, order_id: str, store_code: str, skus: list[str]) -> None:
    """A checkout reserved units (after its transaction committed)."""
    announce(merchant_id, StockReserved(order_id=order_id, store_code=store_code, skus=sorted(set(skus))))

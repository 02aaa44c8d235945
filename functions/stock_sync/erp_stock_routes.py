"""ERP API: stock counts (``POST /erp/v1/stock``), a route module of its own so that the counts an ERP posts every
few minutes do not import the product, price and people models and the CSV import (cold start)."""

from erp_batches import batch_route, erp_routes

from vitrine.erp.models import StockBatch
from vitrine.http.resolver import Router

router = Router()
routes = erp_routes(router)

batch_route(
    routes,
    __name__,
    "/erp/v1/stock",
    StockBatch,
    "Absolute stock counts per store with the ERP's sequence; older counts are ignored (a job)",
)

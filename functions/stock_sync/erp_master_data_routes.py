"""ERP API: batch upserts of products, price tables, prices, customers and sellers, and the products CSV, each
answered 202 with a job (``erp_batches``). Stock counts and the jobs' reports are modules of their own."""

from erp_batches import accepted, batch_route, erp_routes

from vitrine.erp import csv_products
from vitrine.erp.models import JobAccepted
from vitrine.erp.people_models import CustomerBatch, SellerBatch
from vitrine.erp.product_models import PriceBatch, PriceTableBatch, ProductBatch
from vitrine.http.resolver import Response, Router

router = Router()
routes = erp_routes(router)

batch_route(
    routes,
    __name__,
    "/erp/v1/products",
    ProductBatch,
    "Upsert products (variants grid, images by URL, measures, classifiers, payment methods) as a job",
)
batch_route(routes, __name__, "/erp/v1/price-tables", PriceTableBatch, "Upsert price tables as a job")
batch_route(routes, __name__, "/erp/v1/prices", PriceBatch, "Put prices per (table, sku) in centavos as a job")
batch_route(
    routes,
    __name__,
    "/erp/v1/customers",
    CustomerBatch,
    "Upsert B2B customers (CPF/CNPJ, contacts, addresses, price table, web access) as a job",
)
batch_route(
    routes, __name__, "/erp/v1/sellers", SellerBatch, "Upsert sellers and their whole lists of customers as a job"
)


@routes.post(
    "/erp/v1/products/csv",
    summary="Import products, prices and image links from a CSV (columns in the README) as a job",
    raw_body="text/csv",
    response=JobAccepted,
    status=202,
    errors=(413, 415, 422),
    max_body_bytes=csv_products.MAX_BYTES,
)
def import_products_csv(body: str) -> Response:
    return accepted(csv_products.submit_products_csv(routes.merchant_id(), body))

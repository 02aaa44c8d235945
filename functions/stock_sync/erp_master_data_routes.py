"""ERP API: batch upserts of products, price tables, prices, customers and sellers, and the products CSV, each
answered 202 with a job (``erp_batches``). Stock counts and the jobs' reports are modules of their own.

The products CSV is also a merchant route (``POST /merchant/v1/products/csv``, permission ``integrations``): the same
body and the same job, for the console's import (its cookie and CSRF token) and for a merchant key without ``erp``;
its job is read at ``GET /merchant/v1/jobs/{job_id}`` (``erp_job_routes``)."""

from erp_batches import accepted, batch_route, erp_routes, merchant_routes

from vitrine.erp import csv_products
from vitrine.erp.models import JobAccepted
from vitrine.erp.people_models import CustomerBatch, SellerBatch
from vitrine.erp.product_models import PriceBatch, PriceTableBatch, ProductBatch
from vitrine.http.resolver import Response, Router

router = Router()
routes = erp_routes(router)
merchant = merchant_routes(router)

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


@merchant.post(
    "/merchant/v1/products/csv",
    summary="Import products, prices and image links from a CSV as a job (the console's import; as the ERP's CSV)",
    raw_body="text/csv",
    response=JobAccepted,
    status=202,
    errors=(413, 415, 422),
    max_body_bytes=csv_products.MAX_BYTES,
)
def import_products_csv_as_merchant(body: str) -> Response:
    job = csv_products.submit_products_csv(merchant.merchant_id(), body)
    return accepted(job.model_copy(update={"location": f"/merchant/v1/jobs/{job.job_id}"}))

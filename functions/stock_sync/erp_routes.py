"""ERP API (``/erp/v1``, the merchant's API key with the ``erp`` scope): batch upserts and the products CSV,
each answered 202 with a job, and the job's report. The rules live in ``vitrine.erp``.

An integration posts a batch (up to 1,000 items), keeps the ``job_id`` and reads ``GET /erp/v1/jobs/{job_id}``
until its status is ``done``; the report lists every item that was not applied as sent, with the reason.
"""

import re

from pydantic import BaseModel

from vitrine.erp import csv_products, jobs
from vitrine.erp.models import (
    BatchKind,
    CustomerBatch,
    JobAccepted,
    JobQuery,
    JobReport,
    PriceBatch,
    PriceTableBatch,
    ProductBatch,
    SellerBatch,
    StockBatch,
)
from vitrine.errors import NotFound
from vitrine.http.resolver import Response, Router
from vitrine.http.routing import Auth, Routes, json_response
from vitrine.ids import JobId

router = Router()
routes = Routes(router, function="StockSyncApiFunction", auth=Auth.ERP_API_KEY, tags=("erp",))
# 1,000 products with long descriptions run to megabytes; Lambda takes 6 MB a request, base64 included.
MAX_BATCH_BYTES = 4 * 1024 * 1024
_JOB_ID = re.compile(r"^[0-9a-f]{32}$")


def _accepted(job: JobAccepted) -> Response:
    return json_response(202, job, headers={"Location": job.location})


def _batch_route(path: str, batch: type[BaseModel], kind: BatchKind, summary: str) -> None:
    @routes.post(
        path,
        summary=summary,
        body=batch,
        response=JobAccepted,
        status=202,
        max_body_bytes=MAX_BATCH_BYTES,
    )
    def submit(body: BaseModel) -> Response:
        return _accepted(jobs.submit_batch(routes.merchant_id(), kind, body.items))


_batch_route(
    "/erp/v1/products",
    ProductBatch,
    BatchKind.PRODUCTS,
    "Upsert products (variants grid, images by URL, measures, classifiers, payment methods) as a job",
)
_batch_route("/erp/v1/price-tables", PriceTableBatch, BatchKind.PRICE_TABLES, "Upsert price tables as a job")
_batch_route("/erp/v1/prices", PriceBatch, BatchKind.PRICES, "Put prices per (table, sku) in centavos as a job")
_batch_route(
    "/erp/v1/stock",
    StockBatch,
    BatchKind.STOCK,
    "Absolute stock counts per store with the ERP's sequence; older counts are ignored (a job)",
)
_batch_route(
    "/erp/v1/customers",
    CustomerBatch,
    BatchKind.CUSTOMERS,
    "Upsert B2B customers (CPF/CNPJ, contacts, addresses, price table, web access) as a job",
)
_batch_route(
    "/erp/v1/sellers", SellerBatch, BatchKind.SELLERS, "Upsert sellers and their whole lists of customers as a job"
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
    return _accepted(csv_products.submit_products_csv(routes.merchant_id(), body))


@routes.get(
    "/erp/v1/jobs/{job_id}",
    summary="A job's status, counts and the items not applied as sent (paged by cursor)",
    query=JobQuery,
    response=JobReport,
    errors=(404,),
)
def get_job(job_id: JobId, query: JobQuery) -> Response:
    if not _JOB_ID.match(job_id):
        raise NotFound(f"no job '{job_id[:40]}'")
    report = jobs.job_report(routes.merchant_id(), job_id, limit=query.limit, cursor=query.cursor)
    return json_response(200, report.as_json())

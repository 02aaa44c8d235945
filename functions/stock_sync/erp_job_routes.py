"""ERP API: a job's report (``GET /erp/v1/jobs/{job_id}``), what an integration polls after each batch; the same
report as a merchant route (``GET /merchant/v1/jobs/{job_id}``, ``integrations``), which the console's CSV import
polls with its cookie."""

import re

from erp_batches import erp_routes, merchant_routes

from vitrine.erp import jobs
from vitrine.erp.models import JobQuery, JobReport
from vitrine.errors import NotFound
from vitrine.http.resolver import Response, Router
from vitrine.http.routing import json_response
from vitrine.ids import JobId

router = Router()
routes = erp_routes(router)
merchant = merchant_routes(router)
_JOB_ID = re.compile(r"^[0-9a-f]{32}$")


@routes.get(
    "/erp/v1/jobs/{job_id}",
    summary="A job's status, counts and the items not applied as sent (paged by cursor)",
    query=JobQuery,
    response=JobReport,
    errors=(404,),
)
def get_job(job_id: JobId, query: JobQuery) -> Response:
    return _report(routes.merchant_id(), job_id, query)


@merchant.get(
    "/merchant/v1/jobs/{job_id}",
    summary="A job's status, counts and the items not applied as sent (as the ERP's report; the console polls it)",
    query=JobQuery,
    response=JobReport,
    errors=(404,),
)
def get_job_as_merchant(job_id: JobId, query: JobQuery) -> Response:
    return _report(merchant.merchant_id(), job_id, query)


def _report(merchant_id: str, job_id: str, query: JobQuery) -> Response:
    if not _JOB_ID.match(job_id):
        raise NotFound(f"no job '{job_id[:40]}'")
    report = jobs.job_report(merchant_id, job_id, limit=query.limit, cursor=query.cursor)
    return json_response(200, report.as_json())

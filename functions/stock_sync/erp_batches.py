"""What the ERP API's batch routes share: a batch route answers 202 with its job (``Location``: its report).

An integration posts a batch (up to 1,000 items), keeps the ``job_id`` and reads ``GET /erp/v1/jobs/{job_id}``
(``erp_job_routes``) until its status is ``done``; the report lists every item that was not applied as sent, with
the reason. The rules live in ``vitrine.erp``.
"""

from pydantic import BaseModel

from vitrine.auth.permissions import Permission
from vitrine.erp import jobs
from vitrine.erp.models import JobAccepted
from vitrine.http.resolver import Response
from vitrine.http.routing import Auth, Routes, json_response

FUNCTION = "StockSyncApiFunction"
# 1,000 products with long descriptions run to megabytes; Lambda takes 6 MB a request, base64 included.
MAX_BATCH_BYTES = 4 * 1024 * 1024


def erp_routes(router: object) -> Routes:
    """A route module's routes, behind the merchant's API key with the ``erp`` scope."""
    return Routes(router, function=FUNCTION, auth=Auth.ERP_API_KEY, tags=("erp",))


def merchant_routes(router: object) -> Routes:
    """A route module's merchant routes beside its ERP ones (an API key or the console's session, ``integrations``)."""
    return Routes(
        router,
        function=FUNCTION,
        auth=Auth.MERCHANT_API_KEY,
        tags=("merchant", "integrations"),
        permission=Permission.INTEGRATIONS,
    )


def accepted(job: JobAccepted) -> Response:
    return json_response(202, job, headers={"Location": job.location})


def batch_route(routes: Routes, module: str, path: str, batch: type[BaseModel], summary: str) -> None:
    """``POST path``: a batch of ``batch``'s kind, checked item by item and queued as a job; declared by the route
    module ``module``, the one the function's route table names for it."""

    def submit(body: BaseModel) -> Response:
        return accepted(jobs.submit_batch(routes.merchant_id(), batch.item_kind, body.items))

    submit.__module__ = module
    routes.post(path, summary=summary, body=batch, response=JobAccepted, status=202, max_body_bytes=MAX_BATCH_BYTES)(
        submit
    )

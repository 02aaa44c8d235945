"""The console's Integração: the ERP connector and its last polls, the latest ERP jobs with their per-item errors,
the webhook endpoints with their failed deliveries, the API keys, and the products CSV import.

The page reads through the core as the member (``integrations``); the writes are the merchant API's, from the page's
script (``assets/integration.js``): replaying a delivery, issuing (shown once) and revoking a key, and the CSV import
(``POST /merchant/v1/products/csv``), whose job the script follows at ``GET /merchant/v1/jobs/{job_id}`` to its end,
with a progress bar, then lists the bad lines.
"""

from datetime import datetime
from typing import Any

from console_kit import page, render

from vitrine.auth.permissions import Permission
from vitrine.errors import NotFound
from vitrine.http.resolver import Response, Router
from vitrine.http.routing import Routes
from vitrine.people.staff_access import StaffPrincipal

router = Router()
routes = Routes(router, function="ConsoleFunction", tags=("console",))

RECENT_JOBS = 10
RESULTS_EACH = 20
FAILED_EACH = 10
JOB_STATUS = {"queued": "Na fila", "running": "Em andamento", "done": "Concluído"}
JOB_SOURCE = {"api": "API do ERP", "csv": "Importação CSV", "connector": "Conector"}
JOB_KINDS = {
    "products": "Produtos",
    "products_csv": "Produtos (CSV)",
    "price_tables": "Tabelas de preço",
    "prices": "Preços",
    "stock": "Estoque",
    "customers": "Clientes",
    "sellers": "Vendedores",
}
RESOURCES = {"products": "produtos", "prices": "preços", "stock": "estoque"}
PERMISSION_LABELS = {
    "catalogs": "Vitrines",
    "orders.view": "Ver pedidos",
    "orders.manage": "Gerir pedidos",
    "customers": "Clientes e vendedores",
    "receivables": "Ver recebíveis",
    "payouts.manage": "Gerir repasses",
    "settings": "Configurações",
    "integrations": "Integrações",
    "staff": "Equipe",
    "erp": "ERP (/erp/v1)",
}


@routes.get(
    "/painel/integracao",
    summary="Console: Integração, the ERP connector, jobs, webhooks, API keys and the products CSV import",
    content_type="text/html",
)
@page(Permission.INTEGRATIONS)
def integration_page(me: StaffPrincipal, base: dict[str, Any]) -> Response:
    from vitrine.auth.api_keys import merchant_keys
    from vitrine.erp.jobs import recent_jobs
    from vitrine.webhooks.deliveries import DeliveryStatus, list_deliveries
    from vitrine.webhooks.endpoints import list_endpoints

    endpoints = []
    for endpoint in list_endpoints(me.merchant_id):
        failed, _ = list_deliveries(
            me.merchant_id, endpoint.endpoint_id, status=DeliveryStatus.FAILED, limit=FAILED_EACH
        )
        endpoints.append((endpoint, failed))
    keys = [
        {
            "key_id": record["key_id"],
            "name": record.get("name") or record["key_id"],
            "permissions": [p for p in PERMISSION_LABELS if p in (record.get("permissions") or [])],
            "created_at": _moment(record.get("created_at")),
            "revoked_at": _moment(record.get("revoked_at")),
        }
        for record in merchant_keys(me.merchant_id)
    ]
    # What a member may give a key: what they hold, and ``erp`` (managing integrations is what issuing it takes).
    grantable = [p for p in PERMISSION_LABELS if p in base["can"] or p == Permission.ERP]
    return render(
        "integracao.html",
        base=base,
        connector=_connector(me.merchant_id),
        jobs=[
            (job, _moment(job.created_at))
            for job in recent_jobs(me.merchant_id, limit=RECENT_JOBS, results_each=RESULTS_EACH)
        ],
        endpoints=endpoints,
        keys=keys,
        grantable=grantable,
        permission_labels=PERMISSION_LABELS,
        resources=RESOURCES,
        job_status=JOB_STATUS,
        job_source=JOB_SOURCE,
        job_kinds=JOB_KINDS,
    )


def _moment(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def _connector(merchant_id: str) -> Any:
    from vitrine.erp.connector import get_connector

    try:
        return get_connector(merchant_id)
    except NotFound:
        return None

"""The console's Privacidade (LGPD): file a data-subject request (export or erase a person's data), see past
requests and their outcomes, download an export. Read through the core; the page's script writes through the
merchant API (``POST /merchant/v1/data-subject-requests``), as every console page does."""

from typing import Any

from console_kit import page, render

from vitrine.auth.permissions import Permission
from vitrine.http.resolver import Response, Router
from vitrine.http.routing import Routes
from vitrine.people.staff_access import StaffPrincipal

router = Router()
routes = Routes(router, function="ConsoleFunction", tags=("console",))
HOLDER_LABELS = {
    "orders": "pedidos",
    "messages": "mensagens enviadas",
    "customers": "cadastros de cliente",
    "customer_orders": "resumos de pedidos do cliente",
    "consents": "registros de consentimento",
    "subject_request_exports": "exportações anteriores",
}


@routes.get(
    "/painel/privacidade",
    summary="Console: Privacidade, data-subject requests (export, erase) and their outcomes",
    content_type="text/html",
)
@page(Permission.CUSTOMERS)
def privacy_page(me: StaffPrincipal, base: dict[str, Any]) -> Response:
    from vitrine.consents.subject_requests import requests_of

    requests = [] if me.seller_id is not None else requests_of(me.merchant_id)
    return render(
        "privacidade.html", base=base, requests=requests, holder_labels=HOLDER_LABELS, seller=me.seller_id is not None
    )

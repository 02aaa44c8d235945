"""The merchant console's pages (``/painel``), in Brazilian Portuguese, server-rendered for a cheap phone.

How a page reads and writes:

- **Reads** are rendered here, through the core, as the signed-in member: the console's cookie (``vitrine_console``,
  ``vitrine.people.staff_access``) is checked on every page, and a page needs a permission as the merchant routes
  do (Pedidos ``orders.view``, Vitrines ``catalogs``); without it the page says so (403), without a session it sends
  the browser to ``/painel/entrar`` (303), and an ended session also clears the cookie.
- **Writes** go through the merchant API (``/merchant/v1/...``) from the page's one script (``console.js``), with the
  cookie and the session's CSRF token (in the page's ``<meta name="csrf-token">``): one set of rules and one
  permission check for the console, the integrators and the tests. A page works without its script for reading.
- Templates are Jinja2 with autoescape on (``templates/``); the policy allows the console's own script and style
  only (no inline script or style), images from anywhere (products' and covers'), fetches to the API itself.
- Each page is small (a shared stylesheet of a few KB, no web fonts, no framework); the share QR is an SVG drawn on
  the server (segno).
"""

from datetime import UTC, datetime, timedelta
from typing import Any

from console_kit import ASSETS, BRASILIA, HERE, mine, page, render

from vitrine.auth.permissions import Permission
from vitrine.errors import NotFound
from vitrine.http.resolver import Response, Router
from vitrine.http.routing import Routes
from vitrine.people.staff_access import StaffPrincipal

router = Router()
routes = Routes(router, function="ConsoleFunction", tags=("console",))

# --- signing in -------------------------------------------------------------------------------------------------


@routes.get("/painel/entrar", summary="Console: sign-in page (HTML, pt-BR)", content_type="text/html")
def sign_in_page() -> Response:
    back = router.current_event.query_string_parameters.get("volta", "")
    # Only a console path may be where the page goes back to: never another site.
    if not back.startswith("/painel") or back.startswith("//") or "\\" in back:
        back = "/painel"
    return render("entrar.html", back=back)


@routes.get(
    "/painel/convite",
    summary="Console: the invitation page, where a new member chooses a password (token in the fragment)",
    content_type="text/html",
)
def invitation_page() -> Response:
    return render("convite.html")


# Out of the OpenAPI document, as the storefront's scripts are: files of the pages, not part of the API.
@routes.get("/painel/s/{name}", summary="Console: its stylesheet and script", content_type="text/css", documented=False)
def asset(name: str) -> Response:
    media_type = ASSETS.get(name)
    if media_type is None:
        return Response(status_code=404, content_type="text/plain", body="not found")
    body = (HERE / "assets" / name).read_text()
    headers = {"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"}
    return Response(status_code=200, content_type=media_type, body=body, headers=headers)


# --- Início ------------------------------------------------------------------------------------------------------


@routes.get("/painel", summary="Console: Início, today's sales and what waits for someone", content_type="text/html")
@page()
def home(me: StaffPrincipal, base: dict[str, Any]) -> Response:
    from vitrine.orders.models import OrderStatus
    from vitrine.orders.queries import SOLD, orders_since, waiting_for_erp

    now = datetime.now(UTC)
    midnight = (now + BRASILIA).replace(hour=0, minute=0, second=0, microsecond=0) - BRASILIA
    context: dict[str, Any] = {"base": base, "sold": None, "held": [], "erp_late": [], "payout": None}
    if Permission.ORDERS_VIEW in me.permissions:
        sold = mine(me, orders_since(me.merchant_id, SOLD, midnight))
        context["sold"] = {"count": len(sold), "total": sum(order.total for order in sold)}
        context["held"] = mine(me, orders_since(me.merchant_id, (OrderStatus.ON_HOLD,), now - timedelta(days=4)))
        context["erp_late"] = mine(me, waiting_for_erp(me.merchant_id, paid_before=now - timedelta(minutes=15)))
    if Permission.INTEGRATIONS in me.permissions:
        context["erp"] = _connector(me.merchant_id)
    if Permission.RECEIVABLES in me.permissions:
        from vitrine.payouts.statements import receivables

        context["payout"] = receivables(me.merchant_id)
    return render("inicio.html", **context)


def _connector(merchant_id: str) -> Any:
    from vitrine.erp.connector import get_connector

    try:
        return get_connector(merchant_id)
    except NotFound:
        return None

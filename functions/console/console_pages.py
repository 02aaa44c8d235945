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

import functools
import urllib.parse
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from vitrine.auth.permissions import Permission
from vitrine.auth.sessions import csrf_token, session_cookie
from vitrine.errors import InvalidInput, NotFound, SessionEnded, Unauthorized
from vitrine.http.origins import public_origin
from vitrine.http.pages import content_security_policy, html_response
from vitrine.http.resolver import Response, Router
from vitrine.http.routing import Routes
from vitrine.people.staff_access import StaffPrincipal, staff_from_request

router = Router()
routes = Routes(router, function="ConsoleFunction", tags=("console",))

HERE = Path(__file__).resolve().parent
ASSETS = {"console.css": "text/css; charset=utf-8", "console.js": "text/javascript; charset=utf-8"}
POLICY = content_security_policy(scripts=["'self'"], styles=["'self'"])
BRASILIA = timedelta(hours=-3)  # Brasília has kept UTC-3 all year since 2019
STATUS_LABELS = {
    "pending_payment": "Aguardando pagamento",
    "paid": "Pago",
    "on_hold": "Em análise (antifraude)",
    "in_preparation": "Em preparação",
    "ready_for_pickup": "Pronto para retirada",
    "dispatched": "Enviado",
    "invoiced": "Faturado",
    "delivered": "Entregue",
    "cancelled": "Cancelado",
    "refunded": "Reembolsado",
}
METHOD_LABELS = {"pix": "Pix", "card": "Cartão", "boleto": "Boleto"}


@functools.cache
def _environment() -> Any:
    # Imported at the first page: Jinja2 is the console's alone.
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    environment = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    from vitrine.image_store import image_src

    environment.filters["img"] = image_src
    environment.filters["brl"] = _brl
    environment.filters["when"] = _when
    environment.filters["status"] = lambda status: STATUS_LABELS.get(str(status), str(status))
    environment.filters["method"] = lambda method: METHOD_LABELS.get(str(method), str(method))
    return environment


def _brl(centavos: int) -> str:
    sign = "-" if centavos < 0 else ""
    reais, cents = divmod(abs(int(centavos)), 100)
    return f"{sign}R$ {reais:,}".replace(",", ".") + f",{cents:02d}"


def _when(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return (moment + BRASILIA).strftime("%d/%m/%Y %H:%M")


def render(template: str, http_status: int = 200, **context: Any) -> Response:
    html = _environment().get_template(template).render(**context)
    return html_response(http_status, html, policy=POLICY)


def _redirect(location: str, *, clear_cookie: bool = False) -> Response:
    response = Response(status_code=303, body="", headers={"Location": location, "Cache-Control": "no-store"})
    if clear_cookie:
        response.cookies.append(session_cookie(None, name="vitrine_console"))
    return response


def _sign_in_first() -> str:
    path = router.current_event.path
    return "/painel/entrar" + ("?" + urllib.parse.urlencode({"volta": path}) if path != "/painel" else "")


def page(permission: Permission | None = None) -> Callable[[Callable[..., Response]], Callable[..., Response]]:
    """A console page for a signed-in member holding ``permission`` (any member when ``None``): the page function
    gets the member first (``me``) and the page's common context (``base``)."""

    def decorator(fn: Callable[..., Response]) -> Callable[..., Response]:
        @functools.wraps(fn)
        def wrapped(**kwargs: Any) -> Response:
            try:
                me = staff_from_request(router.current_event)
            except SessionEnded:
                return _redirect(_sign_in_first(), clear_cookie=True)
            except Unauthorized:
                return _redirect(_sign_in_first())
            if me is None:
                return _redirect(_sign_in_first())
            base = _base(me)
            if permission is not None and permission not in me.permissions:
                return render("sem_permissao.html", 403, base=base, permission=str(permission))
            try:
                return fn(me=me, base=base, **kwargs)
            except NotFound:
                return render("nao_encontrado.html", 404, base=base)

        return wrapped

    return decorator


def _base(me: StaffPrincipal) -> dict[str, Any]:
    from vitrine.catalogs.shop import shop_identity

    session = me.session
    return {
        "me": me,
        "shop": shop_identity(me.merchant_id),
        "csrf": csrf_token(session) if session is not None else "",
        "can": {str(p) for p in me.permissions},
        "path": router.current_event.path,
    }


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


@routes.get("/painel/s/{name}", summary="Console: its stylesheet and script", content_type="text/css")
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
        sold = _mine(me, orders_since(me.merchant_id, SOLD, midnight))
        context["sold"] = {"count": len(sold), "total": sum(order.total for order in sold)}
        context["held"] = _mine(me, orders_since(me.merchant_id, (OrderStatus.ON_HOLD,), now - timedelta(days=4)))
        context["erp_late"] = _mine(me, waiting_for_erp(me.merchant_id, paid_before=now - timedelta(minutes=15)))
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


def _mine(me: StaffPrincipal, orders: list) -> list:
    """What a member who is one of the shop's sellers sees: the orders that came through them."""
    if me.seller_id is None:
        return orders
    return [order for order in orders if order.seller_id == me.seller_id]


# --- Pedidos -----------------------------------------------------------------------------------------------------


@routes.get("/painel/pedidos", summary="Console: Pedidos, the orders newest first", content_type="text/html")
@page(Permission.ORDERS_VIEW)
def orders_page(me: StaffPrincipal, base: dict[str, Any]) -> Response:
    from vitrine.orders.models import OrderStatus
    from vitrine.orders.queries import merchant_orders

    query = router.current_event.query_string_parameters
    status = query.get("status") if query.get("status") in STATUS_LABELS else None
    cursor = query.get("cursor") or None
    wanted = OrderStatus(status) if status else None
    try:
        found, next_cursor = merchant_orders(me.merchant_id, wanted, limit=30, cursor=cursor)
    except InvalidInput:  # a cursor from another filter, or mistyped: the first page
        found, next_cursor = merchant_orders(me.merchant_id, wanted, limit=30, cursor=None)
    orders = sorted(_mine(me, found), key=lambda order: order.created_at, reverse=True)
    return render(
        "pedidos.html", base=base, orders=orders, status=status, statuses=STATUS_LABELS, next_cursor=next_cursor
    )


@routes.get(
    "/painel/pedidos/{order_id}", summary="Console: one order, its timeline and actions", content_type="text/html"
)
@page(Permission.ORDERS_VIEW)
def order_page(me: StaffPrincipal, base: dict[str, Any], order_id: str) -> Response:
    from vitrine.orders.queries import merchant_order

    order, books = merchant_order(me.merchant_id, order_id)
    if me.seller_id is not None and order.seller_id != me.seller_id:
        raise NotFound("no such order")
    return render("pedido.html", base=base, order=order, books=books)


# --- Vitrines ----------------------------------------------------------------------------------------------------


def _share(slug: str) -> str:
    return f"{public_origin(router.current_event)}/c/{slug}"


@routes.get("/painel/vitrines", summary="Console: Vitrines, the merchant's catalogs", content_type="text/html")
@page(Permission.CATALOGS)
def catalogs_page(me: StaffPrincipal, base: dict[str, Any]) -> Response:
    from vitrine.catalogs.management import list_catalogs

    found, _ = list_catalogs(me.merchant_id, limit=100, cursor=None)
    found.sort(key=lambda catalog: catalog.title.casefold())
    return render("vitrines.html", base=base, catalogs=found, share=_share)


@routes.get("/painel/vitrines/nova", summary="Console: build a vitrine from a product picker", content_type="text/html")
@page(Permission.CATALOGS)
def new_catalog_page(me: StaffPrincipal, base: dict[str, Any]) -> Response:
    from vitrine.catalogs.management import catalog_choices, pick_products

    query = router.current_event.query_string_parameters
    search, classifier = (query.get("q") or "")[:60], (query.get("classificador") or "")[:60]
    products, classifiers, matched = pick_products(me.merchant_id, search=search, classifier=classifier)
    stores, tables = catalog_choices(me.merchant_id)
    return render(
        "vitrine_nova.html",
        base=base,
        products=products,
        classifiers=classifiers,
        matched=matched,
        search=search,
        classifier=classifier,
        stores=stores,
        tables=tables,
    )


@routes.get(
    "/painel/vitrines/{catalog_id}",
    summary="Console: one vitrine, its link, WhatsApp and QR code",
    content_type="text/html",
)
@page(Permission.CATALOGS)
def catalog_page(me: StaffPrincipal, base: dict[str, Any], catalog_id: str) -> Response:
    from vitrine.catalogs.management import get_catalog, whatsapp_share_url

    catalog = get_catalog(me.merchant_id, catalog_id)
    link = _share(catalog.slug)
    return render(
        "vitrine.html",
        base=base,
        catalog=catalog,
        link=link,
        whatsapp=whatsapp_share_url(catalog.title, link),
        qr=_qr_svg(link),
    )


def _qr_svg(text: str) -> str:
    import segno
    from markupsafe import Markup

    # Drawn here, inline: segno's SVG is its own markup, made of the link's modules only (no text of ours in it).
    svg = segno.make(text, error="m").svg_inline(scale=4, border=2, dark="#111", light="#fff", omitsize=False)
    return Markup(svg)  # noqa: S704 (segno's own SVG of the link's modules: nothing of a caller's is in it unescaped)

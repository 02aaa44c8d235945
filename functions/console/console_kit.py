"""What every console page shares: the templates (Jinja2, autoescape on), the page's guard (``page``: the member's
session and the page's permission), the policy and the Portuguese labels. The pages are the ``console_*`` modules
(``app.ROUTE_MODULES``); how they read and write is said in ``console_pages``.

The templates ship compiled (``compiled/``, written by ``make console-templates``; a unit test checks they are
current): Jinja2's parse and code generation of a page and its base cost ~35 ms of a cold start, loading the
compiled modules ~5. ``compiled/manifest.json`` holds each source's SHA-256 and the Jinja2 version; when a source
or the version differs (a template edited under ``make dev``), the pages are compiled from ``templates/`` as before.
"""

import functools
import hashlib
import json
import logging
import urllib.parse
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from vitrine.auth.permissions import Permission
from vitrine.auth.sessions import csrf_token, session_cookie
from vitrine.errors import NotFound, SessionEnded, Unauthorized
from vitrine.http.pages import content_security_policy, html_response
from vitrine.http.resolver import Response, Router
from vitrine.people.staff_access import StaffPrincipal, staff_from_request

HERE = Path(__file__).resolve().parent
TEMPLATES, COMPILED = HERE / "templates", HERE / "compiled"
logger = logging.getLogger(__name__)
ASSETS = {
    "console.css": "text/css; charset=utf-8",
    "console.js": "text/javascript; charset=utf-8",
    "money.js": "text/javascript; charset=utf-8",
    "integration.js": "text/javascript; charset=utf-8",
    "loyalty.js": "text/javascript; charset=utf-8",
    "messages.js": "text/javascript; charset=utf-8",
    "privacy.js": "text/javascript; charset=utf-8",
}
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
    current = template_manifest(TEMPLATES) == compiled_manifest(COMPILED)
    if not current:
        logger.warning("console templates differ from compiled/ (make console-templates): compiling them")
    return environment(compiled=current)


def environment(*, compiled: bool) -> Any:
    """The pages' Jinja2 environment, loading ``compiled/`` or compiling ``templates/``."""
    # Imported at the first page: Jinja2 is the console's alone.
    from jinja2 import Environment, FileSystemLoader, ModuleLoader, select_autoescape

    environment = Environment(
        loader=ModuleLoader(COMPILED) if compiled else FileSystemLoader(TEMPLATES),
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


def template_manifest(templates: Path) -> dict[str, Any]:
    """What the compiled templates must have been compiled from: each source's SHA-256 and Jinja2's version."""
    import jinja2

    sources = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(templates.glob("*.html"))}
    return {"jinja2": jinja2.__version__, "sources": sources}


def compiled_manifest(compiled: Path) -> dict[str, Any] | None:
    try:
        return json.loads((compiled / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _brl(centavos: int) -> str:
    sign = "-" if centavos < 0 else ""
    reais, cents = divmod(abs(int(centavos)), 100)
    return f"{sign}R$ {reais:,}".replace(",", ".") + f",{cents:02d}"


def _when(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return (moment + BRASILIA).strftime("%d/%m/%Y %H:%M")


def render(template: str, http_status: int = 200, *, connect: tuple[str, ...] = (), **context: Any) -> Response:
    """The page; ``connect``: origins its script also sends to (the images bucket's upload form)."""
    html = _environment().get_template(template).render(**context)
    policy = (
        POLICY
        if not connect
        else content_security_policy(scripts=["'self'"], styles=["'self'"], connect=connect, images=["blob:"])
    )
    return html_response(http_status, html, policy=policy)


def _redirect(location: str, *, clear_cookie: bool = False) -> Response:
    response = Response(status_code=303, body="", headers={"Location": location, "Cache-Control": "no-store"})
    if clear_cookie:
        response.cookies.append(session_cookie(None, name="vitrine_console"))
    return response


def _sign_in_first() -> str:
    path = Router.current_event.path
    return "/painel/entrar" + ("?" + urllib.parse.urlencode({"volta": path}) if path != "/painel" else "")


def page(permission: Permission | None = None) -> Callable[[Callable[..., Response]], Callable[..., Response]]:
    """A console page for a signed-in member holding ``permission`` (any member when ``None``): the page function
    gets the member first (``me``) and the page's common context (``base``)."""

    def decorator(fn: Callable[..., Response]) -> Callable[..., Response]:
        @functools.wraps(fn)
        def wrapped(**kwargs: Any) -> Response:
            try:
                me = staff_from_request(Router.current_event)
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
    from vitrine.catalogs.shop_identity import shop_identity

    session = me.session
    return {
        "me": me,
        "shop": shop_identity(me.merchant_id),
        "csrf": csrf_token(session) if session is not None else "",
        "can": {str(p) for p in me.permissions},
        "path": Router.current_event.path,
    }


def mine(me: StaffPrincipal, orders: list) -> list:
    """The orders the member sees: a seller's, those that came through them; a member whose groups reach some stores,
    those stores'."""
    stores = me.stores_for(Permission.ORDERS_VIEW)
    return [
        order
        for order in orders
        if (me.seller_id is None or order.seller_id == me.seller_id) and (stores is None or order.store_code in stores)
    ]

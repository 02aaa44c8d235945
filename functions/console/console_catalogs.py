"""The console's Vitrines: the list, the builder (a product picker), and a published one's link, WhatsApp and QR."""

from typing import Any

from console_kit import page, render

from vitrine.auth.permissions import Permission
from vitrine.errors import NotFound
from vitrine.http.origins import public_origin
from vitrine.http.resolver import Response, Router
from vitrine.http.routing import Routes
from vitrine.people.staff_access import StaffPrincipal

router = Router()
routes = Routes(router, function="ConsoleFunction", tags=("console",))

# --- Vitrines ----------------------------------------------------------------------------------------------------


def _share(slug: str) -> str:
    return f"{public_origin(router.current_event)}/c/{slug}"


@routes.get("/painel/vitrines", summary="Console: Vitrines, the merchant's catalogs", content_type="text/html")
@page(Permission.CATALOGS)
def catalogs_page(me: StaffPrincipal, base: dict[str, Any]) -> Response:
    from vitrine.catalogs.management import list_catalogs

    found, _ = list_catalogs(me.merchant_id, limit=100, cursor=None, seller_id=me.seller_id)
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
    customers = _customers(me)
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
        customers=customers,
        chosen_customer=(query.get("cliente") or "")[:40],
    )


def _customers(me: StaffPrincipal) -> list:
    """Whom a vitrine can be built for: a seller's own customers (the owner builds for anyone from the API)."""
    if me.seller_id is None:
        return []
    from vitrine.people.accounts import sellers_customers

    return sorted(sellers_customers(me.merchant_id, me.seller_id), key=lambda customer: customer.name.casefold())


@routes.get(
    "/painel/vitrines/{catalog_id}",
    summary="Console: one vitrine, its link, WhatsApp and QR code",
    content_type="text/html",
)
@page(Permission.CATALOGS)
def catalog_page(me: StaffPrincipal, base: dict[str, Any], catalog_id: str) -> Response:
    from vitrine.catalogs.management import get_catalog, whatsapp_share_url

    catalog = get_catalog(me.merchant_id, catalog_id, seller_id=me.seller_id)
    link = _share(catalog.slug)
    return render(
        "vitrine.html",
        base=base,
        catalog=catalog,
        link=link,
        whatsapp=_whatsapp(me, catalog, link, whatsapp_share_url(catalog.title, link)),
        qr=_qr_svg(link),
    )


def _qr_svg(text: str) -> str:
    import segno
    from markupsafe import Markup

    # Drawn here, inline: segno's SVG is its own markup, made of the link's modules only (no text of ours in it).
    svg = segno.make(text, error="m").svg_inline(scale=4, border=2, dark="#111", light="#fff", omitsize=False)
    return Markup(svg)  # noqa: S704 (segno's own SVG of the link's modules: nothing of a caller's is in it unescaped)


def _whatsapp(me: StaffPrincipal, catalog: Any, link: str, anyone: str) -> str:
    """WhatsApp's link: to the customer's own number when the vitrine was built for one who has a phone, else the
    share sheet (anyone)."""
    if catalog.customer_id is None:
        return anyone
    from vitrine.people.accounts import customer

    try:
        phone = customer(me.merchant_id, catalog.customer_id).phone
    except NotFound:
        return anyone
    digits = "".join(c for c in phone or "" if c.isdigit())
    if len(digits) in (10, 11):  # a Brazilian number without the country code
        digits = "55" + digits
    if len(digits) < 12:
        return anyone
    return anyone.replace("https://wa.me/?", f"https://wa.me/{digits}?", 1)

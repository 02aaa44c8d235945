"""The console's Clientes: a seller's own customers (whom their vitrines are built for), with their prices' table and
how to reach them; for the shop's managers (``customers``), the sellers and whom each serves."""

from typing import Any

from console_kit import page, render

from vitrine.auth.permissions import Permission
from vitrine.http.resolver import Response, Router
from vitrine.http.routing import Routes
from vitrine.people.staff_access import StaffPrincipal

router = Router()
routes = Routes(router, function="ConsoleFunction", tags=("console",))


@routes.get(
    "/painel/clientes", summary="Console: Clientes, a seller's customers or the sellers'", content_type="text/html"
)
@page(Permission.CUSTOMERS)
def customers_page(me: StaffPrincipal, base: dict[str, Any]) -> Response:
    from vitrine.people import accounts, directory

    if me.seller_id is not None:
        mine = sorted(accounts.sellers_customers(me.merchant_id, me.seller_id), key=lambda c: c.name.casefold())
        return render("clientes.html", base=base, customers=mine, sellers=None)
    sellers, _ = directory.list_sellers(me.merchant_id, limit=100, cursor=None)
    served = {
        seller.seller_id: sorted(accounts.sellers_customers(me.merchant_id, seller.seller_id), key=lambda c: c.name)
        for seller in sellers
    }
    return render("clientes.html", base=base, customers=None, sellers=sellers, served=served)

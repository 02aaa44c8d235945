"""The console's Pedidos: the orders a search finds (``vitrine.orders.search``), newest first, with their CSV; an order
with its timeline and actions."""

from datetime import datetime
from typing import Any

from console_kit import STATUS_LABELS, mine, page, render

from vitrine.auth.permissions import Permission
from vitrine.errors import InvalidInput, NotFound
from vitrine.http.resolver import Response, Router
from vitrine.http.routing import Routes
from vitrine.people.staff_access import StaffPrincipal

router = Router()
routes = Routes(router, function="ConsoleFunction", tags=("console",))

# --- Pedidos -----------------------------------------------------------------------------------------------------


@routes.get("/painel/pedidos", summary="Console: Pedidos, the orders found, newest first", content_type="text/html")
@page(Permission.ORDERS_VIEW)
def orders_page(me: StaffPrincipal, base: dict[str, Any]) -> Response:
    import urllib.parse

    from pydantic import ValidationError

    from vitrine.catalogs.management import catalog_choices, list_catalogs
    from vitrine.orders.search import OrderSearch, find

    query = {k: v for k, v in router.current_event.query_string_parameters.items() if v}
    problem = None
    try:
        search = OrderSearch.model_validate(query)
        found = find(me.merchant_id, search, seller_scope=me.seller_id, stores=me.stores_for(Permission.ORDERS_VIEW))
    except (ValidationError, InvalidInput):
        problem = "Confira os filtros (datas em até 93 dias, a data inicial antes da final)."
        search = OrderSearch()
        found = find(me.merchant_id, search, seller_scope=me.seller_id, stores=me.stores_for(Permission.ORDERS_VIEW))
    stores, _ = catalog_choices(me.merchant_id)
    catalogs, _ = list_catalogs(me.merchant_id, limit=100, cursor=None, seller_id=me.seller_id)
    filters = {k: v for k, v in query.items() if k != "page"}
    pages = -(-found.total // 30)
    return render(
        "pedidos.html",
        base=base,
        orders=found.orders,
        found=found,
        search=search,
        problem=problem,
        statuses=STATUS_LABELS,
        stores=stores,
        catalogs=sorted(catalogs, key=lambda catalog: catalog.title.casefold()),
        page_link=lambda number: "/painel/pedidos?" + urllib.parse.urlencode({**filters, "page": number}),
        pages=pages,
        csv_link="/merchant/v1/orders.csv?" + urllib.parse.urlencode(filters),
    )


@routes.get(
    "/painel/pedidos/{order_id}", summary="Console: one order, its timeline and actions", content_type="text/html"
)
@page(Permission.ORDERS_VIEW)
def order_page(me: StaffPrincipal, base: dict[str, Any], order_id: str) -> Response:
    from vitrine.loyalty.status import order_loyalty
    from vitrine.orders.queries import erp_took, merchant_order

    order, books = merchant_order(me.merchant_id, order_id)
    if not mine(me, [order]):
        raise NotFound("no such order")
    loyalty = order_loyalty(order)
    # The timeline: status changes and changes of the professional's CPF, by time.
    timeline = sorted(
        [("status", change.at, change) for change in order.status_history]
        + [("cpf", change.at, change) for change in order.loyalty_cpf_history],
        key=lambda entry: entry[1],
    )
    from vitrine.messaging.history import order_history
    from vitrine.messaging.templates import SPECS

    return render(
        "pedido.html",
        base=base,
        order=order,
        books=books,
        erp_took=erp_took(order),
        loyalty=loyalty,
        timeline=timeline,
        messages=[(datetime.fromisoformat(m.created_at), m) for m in order_history(me.merchant_id, order_id).messages],
        message_labels={**MESSAGE_LABELS, "kind": {kind.value: spec.label for kind, spec in SPECS.items()}},
    )


# The order's messages as the page names them (``vitrine.messaging``: kinds, channels and statuses).
MESSAGE_LABELS = {
    "channel": {"whatsapp": "WhatsApp", "sms": "SMS", "email": "E-mail"},
    "status": {
        "pending": "tentando enviar",
        "sent": "enviada",
        "delivered": "entregue",
        "read": "lida",
        "failed": "não entregue",
        "not_delivered": "não entregue",
        "suppressed": "não enviada (contato bloqueado)",
        "skipped": "não enviada",
    },
}

"""The console's Pedidos: the orders, newest first, filtered by status; an order with its timeline and actions."""

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
    orders = sorted(mine(me, found), key=lambda order: order.created_at, reverse=True)
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

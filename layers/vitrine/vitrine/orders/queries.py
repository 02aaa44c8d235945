"""Named reads of orders for whoever may see them: a merchant's, by status or one with its books, and a B2B
customer's own. Answers in orders, or ``NotFound``; the keys and indexes stay in the repository."""

from typing import TYPE_CHECKING

from vitrine.errors import NotFound
from vitrine.ids import is_order_id
from vitrine.orders.models import Order, OrderStatus
from vitrine.repository import orders

if TYPE_CHECKING:
    from vitrine.orders.models import OrderBooks


def merchant_order(merchant_id: str, order_id: str) -> "tuple[Order, OrderBooks]":
    """One of the merchant's orders with what it has booked; ``NotFound`` for an id that is not theirs."""
    # Imported here: the books' state machine is no part of a customer's order list (session routes' cold start).
    from vitrine.repository import order_state

    found = order_state.read_order(merchant_id, order_id) if is_order_id(order_id) else None
    if found is None:
        raise NotFound("no such order")
    return found


def merchant_orders(
    merchant_id: str, status: OrderStatus | None, *, limit: int, cursor: str | None
) -> tuple[list[Order], str | None]:
    """A page of the merchant's orders, newest first within a status (every status when ``None``)."""
    return orders.orders_by_status(merchant_id, status, limit=limit, cursor=cursor)


def customer_orders(
    merchant_id: str, customer_id: str, *, limit: int, cursor: str | None
) -> tuple[list[Order], str | None]:
    """A page of a B2B customer's orders, newest first."""
    return orders.customer_orders(merchant_id, customer_id, limit=limit, cursor=cursor)

"""Named reads of orders for whoever may see them: a merchant's, by status or one with its books, and a B2B
customer's own. Answers in orders, or ``NotFound``; the keys and indexes stay in the repository."""

from datetime import datetime
from typing import TYPE_CHECKING

from vitrine.errors import NotFound
from vitrine.ids import is_order_id
from vitrine.orders.models import Order, OrderStatus
from vitrine.repository import orders

if TYPE_CHECKING:
    from vitrine.orders.models import OrderBooks


def merchant_order(merchant_id: str, order_id: str) -> "tuple[Order, OrderBooks]":
    """One of the merchant's orders with what it has booked; ``NotFound`` for an id that is not theirs."""
    # Imported here: the books are no part of a customer's order list (session routes' cold start).
    from vitrine.repository.order_items import read_order

    found = read_order(merchant_id, order_id) if is_order_id(order_id) else None
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


# What counts as a sale on the console's first page: every status an order reaches once paid (a refund is not one).
SOLD = (
    OrderStatus.PAID,
    OrderStatus.IN_PREPARATION,
    OrderStatus.READY_FOR_PICKUP,
    OrderStatus.DISPATCHED,
    OrderStatus.INVOICED,
    OrderStatus.DELIVERED,
)


def orders_since(
    merchant_id: str, statuses: tuple[OrderStatus, ...], since: datetime, *, most: int = 500
) -> list[Order]:
    """The merchant's orders in ``statuses`` created at or after ``since``, newest first per status: each
    status is a partition of the orders index sorted by time, read until it reaches an older order."""
    found: list[Order] = []
    for status in statuses:
        cursor = None
        while len(found) < most:
            page, cursor = orders.orders_by_status(merchant_id, status, limit=100, cursor=cursor)
            recent = [order for order in page if order.created_at >= since]
            found.extend(recent)
            if cursor is None or len(recent) < len(page):
                break
    return found


def waiting_for_erp(merchant_id: str, *, paid_before: datetime, most: int = 20) -> list[Order]:
    """Paid orders the ERP has not taken yet, paid before ``paid_before``, oldest first (the feed's order)."""
    from vitrine.repository import erp_feed

    page, _ = erp_feed.erp_feed_page(merchant_id, limit=most, cursor=None)
    return [order for order, _books in page if _paid_at(order) < paid_before]


def _paid_at(order: Order) -> datetime:
    paid = [change.at for change in order.status_history if change.status == OrderStatus.PAID]
    return paid[0] if paid else order.created_at


def erp_took(order: Order) -> bool:
    """Whether the ERP has booked the order: it reported a status of it, or acknowledged it in the feed (an order
    asked to be cancelled is in the feed again, for the request: the ERP has it all the same)."""
    from vitrine.orders.models import ERP_REASON
    from vitrine.repository import erp_feed

    if order.cancellation_requested is not None or any(change.reason == ERP_REASON for change in order.status_history):
        return True
    paid = any(change.status is OrderStatus.PAID for change in order.status_history)
    return paid and order.order_id not in erp_feed.erp_feed_pointers([order])

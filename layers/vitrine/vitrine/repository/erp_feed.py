"""Access patterns: the ERP's order feed (pointers to paid orders not yet acknowledged) and the open reservations
of a merchant's orders. The feed's pointers are written by ``order_state.apply_transition``; see ``keys``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from vitrine.errors import InvalidInput
from vitrine.repository import keys, table

if TYPE_CHECKING:  # an empty page of the feed (most of an ERP's polls) reads no order: their models load with one
    from vitrine.orders.models import Order, OrderBooks, OrderStatus

    OrdersPage = tuple[list[tuple[Order, OrderBooks]], str | None]

# A cursor of the reservations list names the status partition it continues, then that partition's own cursor
# (empty: from the partition's start).
_CURSOR_SEPARATOR = "~"


def erp_feed_page(merchant_id: str, *, limit: int, cursor: str | None) -> OrdersPage:
    """One page of the feed, oldest payment first: the pointers, then their orders in one ``BatchGetItem``."""
    page = table.query(keys.erp_feed_pk(merchant_id), limit=limit, cursor=cursor)
    return _orders(merchant_id, [item["order_id"] for item in page.items]), page.cursor


def orders_by_id(merchant_id: str, order_ids: list[str]) -> list[tuple[Order, OrderBooks]]:
    """The merchant's orders among ``order_ids``, in their order (ids of no order of this merchant are left out)."""
    return _orders(merchant_id, order_ids)


def erp_feed_pointers(orders: list[Order]) -> set[str]:
    """The ids of those orders whose pointer is in the feed (not yet acknowledged)."""
    from vitrine.repository.order_items import erp_feed_key

    wanted = {key: order.order_id for order in orders if (key := erp_feed_key(order)) is not None}
    found = table.batch_get(list(wanted), attributes=["PK", "SK"])
    return {wanted[(item["PK"], item["SK"])] for item in found}


def remove_from_erp_feed(orders: list[Order]) -> None:
    """Delete the orders' pointers; deleting one already gone changes nothing, so a repeated ack is harmless."""
    from vitrine.repository.order_items import erp_feed_key

    table.batch_delete([key for order in orders if (key := erp_feed_key(order)) is not None])


def orders_holding_stock(
    merchant_id: str, statuses: list[OrderStatus], *, limit: int, cursor: str | None
) -> OrdersPage:
    """Orders in ``statuses`` (GSI1, a status partition at a time, oldest first) whose reservation has not ended.

    A page may hold fewer than ``limit`` orders (those whose reservation ended are skipped); follow the cursor
    until it is ``None``.
    """
    start, inner = 0, None
    if cursor:
        status, _, inner = cursor.partition(_CURSOR_SEPARATOR)
        if status not in statuses:
            raise InvalidInput(
                "cursor is not valid", details=[{"field": "query.cursor", "reason": "not for this list"}]
            )
        start = statuses.index(status)  # an OrderStatus equals its value
    from vitrine.repository.order_items import order_from_item

    pk = keys.orders_by_status_gsi1(merchant_id, "", "")["GSI1PK"]
    found: list[tuple[Order, OrderBooks]] = []
    for status in statuses[start:]:
        page = table.query(pk, index="GSI1", sk_prefix=f"{status}#", limit=limit - len(found), cursor=inner or None)
        inner = None
        found += [order_from_item(item) for item in page.items if "reservation" not in item]
        if page.cursor:
            return found, f"{status}{_CURSOR_SEPARATOR}{page.cursor}"
        if len(found) >= limit:
            following = statuses.index(status) + 1
            return found, None if following == len(statuses) else f"{statuses[following]}{_CURSOR_SEPARATOR}"
    return found, None


def _orders(merchant_id: str, order_ids: list[str]) -> list[tuple[Order, OrderBooks]]:
    if not order_ids:
        return []
    from vitrine.repository.order_items import order_from_item

    items = table.batch_get([(keys.merchant_pk(merchant_id), keys.order_sk(order_id)) for order_id in order_ids])
    found = {item["order_id"]: order_from_item(item) for item in items}
    return [found[order_id] for order_id in order_ids if order_id in found]

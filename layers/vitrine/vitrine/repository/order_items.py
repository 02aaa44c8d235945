"""An order read with its books, an order item read as the order and its books, the key of its pointer in the ERP
feed, and the units its checkout reserved: what the ERP order feed and the console's order page read, apart from
``order_state``'s transitions, which import the event envelope, the ledger and the stock access patterns (~20 ms of
CPU a cold start that only reads does not need).
"""

from collections import Counter
from datetime import datetime
from typing import Any

from vitrine.orders.models import Order, OrderBooks, OrderMoney, OrderStatus, ReservationOutcome
from vitrine.repository import keys, table
from vitrine.repository.items import to_model


def read_order(merchant_id: str, order_id: str) -> tuple[Order, OrderBooks] | None:
    """The order and its books, read consistently (a transition is planned from the latest version)."""
    item = table.get(keys.merchant_pk(merchant_id), keys.order_sk(order_id), consistent=True)
    return order_from_item(item) if item else None


def order_from_item(item: dict[str, Any]) -> tuple[Order, OrderBooks]:
    """An order item as the order and its books (an order written before it had books has booked nothing)."""
    reservation = item.get("reservation")
    reminded = item.get("review_reminded_at")
    books = OrderBooks(
        money=OrderMoney.model_validate(item.get("money", {})),
        reservation=ReservationOutcome(reservation) if reservation else None,
        review_reminded_at=datetime.fromisoformat(reminded) if reminded else None,
    )
    return to_model(Order, item), books


def erp_feed_key(order: Order) -> tuple[str, str] | None:
    """The key of the order's pointer in the ERP feed, from the time it was paid; ``None`` if it never was."""
    paid = next((change for change in order.status_history if change.status is OrderStatus.PAID), None)
    if paid is None:
        return None
    paid_at = paid.model_dump(mode="json")["at"]
    return keys.erp_feed_pk(order.merchant_id), keys.erp_feed_sk(paid_at, order.order_id)


def reserved_lines(order: Order) -> list[tuple[str, str, int]]:
    """What checkout reserved: each line's units at the store that fulfils the order."""
    quantities: Counter[str] = Counter()
    for line in order.lines:
        quantities[line.sku] += line.quantity
    return [(order.fulfilment.store_code, sku, quantity) for sku, quantity in quantities.items()]

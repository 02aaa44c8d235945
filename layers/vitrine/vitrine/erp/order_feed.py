"""Orders to the ERP: the feed of paid orders not yet acknowledged, the acknowledgement, and the units online
orders hold at each store (so the counter does not sell them).

The ERP polls ``order_feed`` until ``next_cursor`` is ``None``, books each order as a pending sale, then
acknowledges the ids it took (``acknowledge_orders``). An acknowledged order is not served again, unless the
merchant asks in Vitrine to cancel it: it is served again with ``cancellation_requested``, and the ERP cancels it
(its NF-e too) and reports ``cancelled``. One the ERP did not acknowledge (it crashed between the read and the
ack) is served again on the next poll, so the ERP must book by ``order_id`` idempotently. The feed serves an order
with its status now: one cancelled since it was paid is still served, once, so the ERP can drop the sale it may
have booked.

An acknowledgement answers each id on its own, and never fails for one of them: an id that is not an order id
(32 hex digits) is answered ``invalid_id`` and the others are acknowledged. Only a body that is not a list of 1 to
``MAX_ACK`` strings of at most ``MAX_ACK_ID_LENGTH`` characters, without control characters, is refused whole
(422): a number is not an id, and neither an unbounded string nor one with a NUL, a line break or a bidirectional
override is an integration's typo worth echoing back to its screen.
"""

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import ConfigDict, Field

from vitrine.ids import StoreCode, is_order_id
from vitrine.inputs import Cursor, Text
from vitrine.lazy_models import LazyModel
from vitrine.repository import erp_feed

if TYPE_CHECKING:
    from vitrine.erp.feed_models import ReservationsPage

FeedCursor = Annotated[Cursor | None, Field(default=None, max_length=1000)]
# The status partition a page of reservations continues, then that partition's own cursor (repository.erp_feed).
ReservationsCursor = Annotated[
    str | None,
    Field(
        default=None,
        max_length=1000,
        pattern=r"^[a-z_]+~[A-Za-z0-9_-]*$",
        description="`next_cursor` of the page before.",
    ),
]
MAX_ACK = 100
MAX_ACK_ID_LENGTH = 100
AckId = Annotated[
    Text,
    Field(
        max_length=MAX_ACK_ID_LENGTH,
        description="An order id as the ERP kept it; one that is not an order id (32 hex digits) is `invalid_id`.",
    ),
]


class _Query(LazyModel):
    model_config = ConfigDict(extra="forbid")


class FeedQuery(_Query):
    limit: int = Field(default=50, ge=1, le=100)
    cursor: FeedCursor


class ReservationsQuery(_Query):
    store: StoreCode | None = Field(default=None, description="Only the units held at this store.")
    limit: int = Field(default=100, ge=1, le=500, description="Orders read per page (each holds one or more SKUs).")
    cursor: ReservationsCursor


class AckRequest(LazyModel):
    model_config = ConfigDict(extra="forbid")

    order_ids: list[AckId] = Field(min_length=1, max_length=MAX_ACK, description="The orders the ERP booked.")


class AckOutcome(StrEnum):
    ACKNOWLEDGED = "acknowledged"  # taken off the feed now
    ALREADY_ACKNOWLEDGED = "already_acknowledged"  # off the feed before this request: nothing to do
    NOT_PAID = "not_paid"  # never paid, so never in the feed
    NOT_FOUND = "not_found"  # no order of this merchant has the id
    INVALID_ID = "invalid_id"  # not an order id (32 hex digits): no order can have it


class AckResult(LazyModel):
    order_id: str
    outcome: AckOutcome


class AckResponse(LazyModel):
    results: list[AckResult] = Field(description="One per id sent, in the order sent (repeats once).")


def order_feed(merchant_id: str, *, limit: int, cursor: str | None) -> dict[str, Any]:
    """A page of the feed as its JSON, in ``OrderFeedPage``'s shape (which the OpenAPI document names). A dict, not
    the page model, and the page's models (``feed_models``) imported only for a page with orders: a poll of an
    empty feed (what an ERP polling every few seconds mostly gets) loads neither them nor the orders' models
    (~25 ms of a cold start); each order is still a ``FeedOrder``, validated and dumped as before."""
    found, next_cursor = erp_feed.erp_feed_page(merchant_id, limit=limit, cursor=cursor)
    if not found:
        return {"orders": [], "next_cursor": next_cursor}
    from vitrine.erp.feed_models import feed_order

    return {
        "orders": [feed_order(order, books).model_dump(mode="json") for order, books in found],
        "next_cursor": next_cursor,
    }


def acknowledge_orders(merchant_id: str, order_ids: list[str]) -> AckResponse:
    """Take the orders the ERP booked off the feed; each id gets its outcome, and no id fails the others."""
    from vitrine.orders.models import OrderStatus

    unique = list(dict.fromkeys(order_ids))
    orders = [order for order, _ in erp_feed.orders_by_id(merchant_id, [i for i in unique if is_order_id(i)])]
    in_feed = erp_feed.erp_feed_pointers(orders)
    # Every paid order named is taken off, not only those read in the feed: the read may lag a payment just made.
    erp_feed.remove_from_erp_feed(orders)
    by_id = {order.order_id: order for order in orders}
    outcomes: dict[str, AckOutcome] = {}
    for order_id in unique:
        order = by_id.get(order_id)
        if not is_order_id(order_id):
            outcomes[order_id] = AckOutcome.INVALID_ID
        elif order is None:
            outcomes[order_id] = AckOutcome.NOT_FOUND
        elif order_id in in_feed:
            outcomes[order_id] = AckOutcome.ACKNOWLEDGED
        elif any(change.status is OrderStatus.PAID for change in order.status_history):
            outcomes[order_id] = AckOutcome.ALREADY_ACKNOWLEDGED
        else:
            outcomes[order_id] = AckOutcome.NOT_PAID
    return AckResponse(results=[AckResult(order_id=order_id, outcome=outcomes[order_id]) for order_id in unique])


def open_reservations(merchant_id: str, *, store: str | None, limit: int, cursor: str | None) -> "ReservationsPage":
    from vitrine.erp.feed_models import HOLDING_STOCK, Reservation, ReservationsPage, expires_at, reserved_units

    found, next_cursor = erp_feed.orders_holding_stock(merchant_id, HOLDING_STOCK, limit=limit, cursor=cursor)
    reservations = [
        Reservation(
            order_id=order.order_id,
            status=order.status,
            store_code=order.fulfilment.store_code,
            sku=units.sku,
            quantity=units.quantity,
            expires_at=expires_at(order),
        )
        for order, _ in found
        if store is None or order.fulfilment.store_code == store
        for units in reserved_units(order)
    ]
    return ReservationsPage(reservations=reservations, next_cursor=next_cursor)

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

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, ConfigDict, Field

from vitrine.addresses import Address
from vitrine.consents.models import OrderConsent
from vitrine.documents import DocumentType
from vitrine.ids import StoreCode, is_order_id
from vitrine.inputs import Cursor, Text
from vitrine.lazy_models import LazyModel
from vitrine.money import Centavos
from vitrine.orders.models import (
    AWAITING_PAYMENT,
    CancellationRequest,
    Fulfilment,
    Order,
    OrderBooks,
    OrderLine,
    OrderOrigin,
    OrderStatus,
    ReservationOutcome,
)
from vitrine.payments.methods import PaymentMethod
from vitrine.repository import erp_feed
from vitrine.repository.order_items import reserved_lines

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
# Statuses whose orders may still hold their checkout's units (a reservation ends when the order is invoiced,
# dispatched, delivered, cancelled or refunded; ``ready_for_pickup`` can follow ``invoiced``, so it is checked).
HOLDING_STOCK = [
    OrderStatus.PENDING_PAYMENT,
    OrderStatus.ON_HOLD,
    OrderStatus.PAID,
    OrderStatus.IN_PREPARATION,
    OrderStatus.READY_FOR_PICKUP,
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


class FeedCustomer(LazyModel):
    """The buyer as they checked out: one new to the merchant reaches the ERP this way (register them by their
    document, a person's CPF or a company's CNPJ)."""

    registered: bool = Field(description="True when the order is for a B2B customer the ERP sent (`customer_id`).")
    name: str
    document: str = Field(description="CPF (11 digits) or CNPJ (14 digits), as `document_type` says.")
    document_type: DocumentType = Field(description="`cpf`: a person; `cnpj`: a company.")
    cpf: str | None = Field(description="Deprecated: the document when it is a CPF (11 digits), null for a CNPJ.")
    phone: str
    email: str
    marketing_consent: bool
    address: Address | None = Field(description="The delivery address (None for a pickup).")


class FeedPayment(LazyModel):
    method: PaymentMethod
    installments: int
    amount: Centavos = Field(description="What the gateway captured.")
    charge_id: str | None = Field(description="The gateway's charge, for the ERP's reconciliation.")
    paid_at: AwareDatetime


class ReservedUnits(LazyModel):
    sku: str = Field(description="The variant's SKU.")
    quantity: int


class FeedReservation(LazyModel):
    store_code: StoreCode = Field(description="The store holding the units (the one that ships or hands over).")
    status: Literal["held", "released", "consumed"] = Field(
        description="held: the units are promised to this order; released: back on sale; consumed: sold."
    )
    expires_at: AwareDatetime | None = Field(description="When an unpaid order's hold lapses; None once paid.")
    lines: list[ReservedUnits]


class FeedOrder(LazyModel):
    """A paid order as the ERP books it: a pending sale at ``store_code`` (its origin, e.g. 9900 = online)."""

    order_id: str
    order_code: str | None = Field(description="The short code the shopper quotes (null for older orders).")
    status: OrderStatus = Field(description="The status now (an order cancelled after payment is served too).")
    version: int
    origin: OrderOrigin
    store_code: StoreCode
    catalog_id: str
    created_at: AwareDatetime
    seller_id: str | None = Field(description="The seller who placed it, for their commission.")
    customer_id: str | None = Field(description="The B2B customer (the ERP's code); None: a shopper at checkout.")
    price_table_id: str | None
    professional_cpf: str | None = Field(description="The CPF that earns the loyalty points.")
    customer: FeedCustomer
    lines: list[OrderLine]
    subtotal: Centavos
    total: Centavos
    payment: FeedPayment
    fulfilment: Fulfilment
    reservation: FeedReservation
    cancellation_requested: CancellationRequest | None = Field(
        description="The merchant asked in Vitrine to cancel it: cancel it here (its NF-e too) and report cancelled."
    )
    consents: list[OrderConsent] = Field(
        default_factory=list,
        description=(
            "The consent records its checkout wrote (LGPD): order updates on the chosen channel and, when the shopper "
            "ticked it, marketing; keep them with the customer's consent letter. Later changes come as ConsentRecorded."
        ),
    )


class OrderFeedPage(LazyModel):
    orders: list[FeedOrder] = Field(description="Oldest payment first.")
    next_cursor: str | None = Field(description="None: the feed is read to its end for now.")


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


class Reservation(LazyModel):
    order_id: str
    status: OrderStatus
    store_code: StoreCode
    sku: str
    quantity: int
    expires_at: AwareDatetime | None = Field(description="When an unpaid order's hold lapses; None once paid.")


class ReservationsPage(LazyModel):
    reservations: list[Reservation] = Field(description="By status, then oldest order first.")
    next_cursor: str | None


def order_feed(merchant_id: str, *, limit: int, cursor: str | None) -> dict[str, Any]:
    """A page of the feed as its JSON, in ``OrderFeedPage``'s shape (which the OpenAPI document names). A dict, not
    the page model: building ``OrderFeedPage`` builds every nested order model (~30 ms of CPU), which a poll of an
    empty feed (what an ERP polling every few seconds mostly gets) then never uses; each order is still a
    ``FeedOrder``, so a page with orders is validated and dumped as before."""
    found, next_cursor = erp_feed.erp_feed_page(merchant_id, limit=limit, cursor=cursor)
    return {
        "orders": [feed_order(order, books).model_dump(mode="json") for order, books in found],
        "next_cursor": next_cursor,
    }


def acknowledge_orders(merchant_id: str, order_ids: list[str]) -> AckResponse:
    """Take the orders the ERP booked off the feed; each id gets its outcome, and no id fails the others."""
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


def open_reservations(merchant_id: str, *, store: str | None, limit: int, cursor: str | None) -> ReservationsPage:
    found, next_cursor = erp_feed.orders_holding_stock(merchant_id, HOLDING_STOCK, limit=limit, cursor=cursor)
    reservations = [
        Reservation(
            order_id=order.order_id,
            status=order.status,
            store_code=order.fulfilment.store_code,
            sku=units.sku,
            quantity=units.quantity,
            expires_at=_expires_at(order),
        )
        for order, _ in found
        if store is None or order.fulfilment.store_code == store
        for units in _reserved_units(order)
    ]
    return ReservationsPage(reservations=reservations, next_cursor=next_cursor)


def feed_order(order: Order, books: OrderBooks) -> FeedOrder:
    paid_at = next(change.at for change in order.status_history if change.status is OrderStatus.PAID)
    return FeedOrder(
        order_id=order.order_id,
        order_code=order.order_code,
        status=order.status,
        version=order.version,
        origin=order.origin,
        store_code=order.store_code,
        catalog_id=order.catalog_id,
        created_at=order.created_at,
        seller_id=order.seller_id,
        customer_id=order.customer_id,
        price_table_id=order.price_table_id,
        professional_cpf=order.professional_cpf,
        customer=FeedCustomer(
            registered=order.customer_id is not None,
            name=order.customer.name,
            document=order.customer.document,
            document_type=order.customer.document_type,
            cpf=order.customer.document if order.customer.document_type == "cpf" else None,
            phone=order.customer.phone,
            email=order.customer.email,
            marketing_consent=order.marketing_consent,
            address=order.fulfilment.address,
        ),
        lines=order.lines,
        subtotal=order.subtotal,
        total=order.total,
        payment=FeedPayment(
            method=order.payment_method,
            installments=order.installments,
            amount=books.money.captured,
            charge_id=order.charge.charge_id if order.charge else None,
            paid_at=paid_at,
        ),
        fulfilment=order.fulfilment,
        reservation=FeedReservation(
            store_code=order.fulfilment.store_code,
            status=_reservation_status(books.reservation),
            expires_at=_expires_at(order),
            lines=_reserved_units(order),
        ),
        cancellation_requested=order.cancellation_requested,
        consents=order.consents,
    )


def _reservation_status(outcome: ReservationOutcome | None) -> Literal["held", "released", "consumed"]:
    if outcome is None:
        return "held"
    return "released" if outcome is ReservationOutcome.RELEASED else "consumed"


def _expires_at(order: Order) -> datetime | None:
    return order.reservation_expires_at if order.status in AWAITING_PAYMENT else None


def _reserved_units(order: Order) -> list[ReservedUnits]:
    return [ReservedUnits(sku=sku, quantity=quantity) for _, sku, quantity in reserved_lines(order)]

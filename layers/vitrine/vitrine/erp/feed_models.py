"""The feed's page as the ERP reads it: each paid order as a ``FeedOrder`` (its buyer, lines, payment, fulfilment,
reservation and consents), the page, and the open reservations' list (``vitrine.erp.order_feed`` serves them).

Its own module: the feed's route names ``OrderFeedPage`` by reference (``vitrine.http.routing``), and
``order_feed`` imports this module only for a page with orders, so a poll of an empty feed loads neither these
models nor the orders' (``tests/unit/test_cold_imports.py``).
"""

from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, Field

from vitrine.addresses import Address
from vitrine.consents.models import OrderConsent
from vitrine.documents import DocumentType
from vitrine.ids import StoreCode
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
from vitrine.repository.order_items import reserved_lines

# Statuses whose orders may still hold their checkout's units (a reservation ends when the order is invoiced,
# dispatched, delivered, cancelled or refunded; ``ready_for_pickup`` can follow ``invoiced``, so it is checked).
HOLDING_STOCK = [
    OrderStatus.PENDING_PAYMENT,
    OrderStatus.ON_HOLD,
    OrderStatus.PAID,
    OrderStatus.IN_PREPARATION,
    OrderStatus.READY_FOR_PICKUP,
]


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
            expires_at=expires_at(order),
            lines=reserved_units(order),
        ),
        cancellation_requested=order.cancellation_requested,
        consents=order.consents,
    )


def _reservation_status(outcome: ReservationOutcome | None) -> Literal["held", "released", "consumed"]:
    if outcome is None:
        return "held"
    return "released" if outcome is ReservationOutcome.RELEASED else "consumed"


def expires_at(order: Order) -> datetime | None:
    return order.reservation_expires_at if order.status in AWAITING_PAYMENT else None


def reserved_units(order: Order) -> list[ReservedUnits]:
    return [ReservedUnits(sku=sku, quantity=quantity) for _, sku, quantity in reserved_lines(order)]

"""How an order looks to its shopper: the storefront's order views, shared by the checkout and the session routes."""

from pydantic import AwareDatetime, Field

from vitrine.lazy_models import LazyModel
from vitrine.money import Centavos
from vitrine.orders.models import (
    Fulfilment,
    Invoice,
    Order,
    OrderLine,
    OrderStatus,
    PaymentMethod,
    Shipment,
    StatusChange,
)
from vitrine.payments.port import BoletoDetails, CardDetails, ChargeStatus, PixDetails


class PaymentView(LazyModel):
    """How to pay (Pix code, boleto line: only while the charge can still be paid) or how the card went."""

    method: PaymentMethod
    status: ChargeStatus
    pix: PixDetails | None
    boleto: BoletoDetails | None
    card: CardDetails | None
    decline_reason: str | None


class ShopperOrder(LazyModel):
    """An order as its shopper sees it."""

    order_id: str
    order_code: str | None = Field(description="The short code to quote to the shop (null for older orders).")
    status: OrderStatus
    lines: list[OrderLine]
    subtotal: Centavos
    fulfilment: Fulfilment
    total: Centavos
    payment_method: PaymentMethod
    installments: int
    created_at: AwareDatetime
    reservation_expires_at: AwareDatetime
    status_history: list[StatusChange]
    payment: PaymentView | None = Field(description="Absent until the gateway has the charge.")
    invoice: Invoice | None = Field(description="The NF-e, once the shop invoiced the order.")
    shipment: Shipment | None = Field(description="Carrier and tracking, once the order was dispatched.")

    @classmethod
    def of(cls, order: Order) -> "ShopperOrder":
        fields = order.model_dump(include=set(cls.model_fields) - {"payment"})
        charge = order.charge
        payment = charge and PaymentView(
            method=order.payment_method,
            status=charge.status,
            pix=charge.pix,
            boleto=charge.boleto,
            card=charge.card,
            decline_reason=charge.decline_reason,
        )
        return cls.model_validate({**fields, "payment": payment})

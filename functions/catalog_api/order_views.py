"""How an order looks to its shopper: the storefront's order views, shared by the checkout and the session routes."""

from typing import TYPE_CHECKING, Literal

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
from vitrine.payments.charges import BoletoDetails, CardDetails, ChargeStatus, PixDetails

if TYPE_CHECKING:
    from vitrine.loyalty.models import LoyaltyStatus


class PaymentView(LazyModel):
    """How to pay (Pix code, boleto line: only while the charge can still be paid) or how the card went."""

    method: PaymentMethod
    status: ChargeStatus
    pix: PixDetails | None
    boleto: BoletoDetails | None
    card: CardDetails | None
    decline_reason: str | None


class ShopperLoyalty(LazyModel):
    """The professional's loyalty points for the order (the CPF is not shown)."""

    state: Literal["to_score", "scored", "reversed", "none"] = Field(
        description="to_score: a pontuar until the order is invoiced; scored; reversed (a cancellation or refund)."
    )
    points: int = Field(description="Points earned, net of reversals.")


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
    loyalty: ShopperLoyalty | None = Field(
        default=None, description="Loyalty points, when the order names a professional's CPF (on the order's page)."
    )

    @classmethod
    def of(cls, order: Order, *, loyalty: "LoyaltyStatus | None" = None) -> "ShopperOrder":
        fields = order.model_dump(include=set(cls.model_fields) - {"payment", "loyalty"})
        charge = order.charge
        payment = charge and PaymentView(
            method=order.payment_method,
            status=charge.status,
            pix=charge.pix,
            boleto=charge.boleto,
            card=charge.card,
            decline_reason=charge.decline_reason,
        )
        points = loyalty and ShopperLoyalty(state=loyalty.state, points=loyalty.points)
        return cls.model_validate({**fields, "payment": payment, "loyalty": points})

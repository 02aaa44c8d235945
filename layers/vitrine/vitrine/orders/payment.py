"""Charging an order at the payment gateway, after its stock is reserved, and keeping the charge on it.

The order is written first (so stock is held while the shopper pays), then charged: a gateway that fails is a
503 and the shopper's retry with the same Idempotency-Key finds the order and asks again, which the gateway
answers idempotently by order id. Only the card token travels; card data never reaches Vitrine.
"""

from datetime import UTC, datetime, timedelta

from vitrine.orders.models import CardPayment, CheckoutRequest, Order
from vitrine.payments.port import (
    BillingAddress,
    BoletoOptions,
    CardOptions,
    Charge,
    ChargeItem,
    ChargeRequest,
    Customer,
    PaymentGateway,
    PaymentMethod,
    PixOptions,
)
from vitrine.repository import orders

STATEMENT_DESCRIPTOR = "VITRINE"


def charge_request(order: Order, request: CheckoutRequest) -> ChargeRequest:
    items = [
        ChargeItem(
            code=line.sku,
            description=" ".join(filter(None, [line.name, line.size, line.colour]))[:256],
            quantity=line.quantity,
            unit_amount=line.unit_price,
        )
        for line in order.lines
    ]
    if order.fulfilment.delivery_price:
        items.append(
            ChargeItem(code="entrega", description="Entrega", quantity=1, unit_amount=order.fulfilment.delivery_price)
        )
    address = order.fulfilment.address
    billing = address and BillingAddress(
        line_1=f"{address.number}, {address.street}, {address.district}"[:256],
        line_2=address.complement or None,
        zip_code=address.cep.replace("-", ""),
        city=address.city,
        state=address.state,
    )
    method = order.payment_method
    seconds_to_expiry = max(int((order.reservation_expires_at - datetime.now(UTC)).total_seconds()), 60)
    payment = request.payment
    return ChargeRequest(
        merchant_id=order.merchant_id,
        order_id=order.order_id,
        amount=order.total,
        items=tuple(items),
        customer=Customer(
            name=order.customer.name[:64],
            email=order.customer.email,
            document=order.customer.document,
            phone=order.customer.phone,
            address=billing,
        ),
        method=method,
        pix=PixOptions(expires_in=seconds_to_expiry) if method is PaymentMethod.PIX else None,
        card=CardOptions(
            token=payment.card_token, installments=payment.installments, statement_descriptor=STATEMENT_DESCRIPTOR
        )
        if isinstance(payment, CardPayment)
        else None,
        boleto=BoletoOptions(due_at=(order.reservation_expires_at - timedelta(days=1)).date())
        if method is PaymentMethod.BOLETO
        else None,
    )


def charge_order(gateway: PaymentGateway, order: Order, request: CheckoutRequest) -> Order:
    """The order with its charge: created now at ``gateway``, or the one it already has (a retried checkout)."""
    if order.charge is not None:
        return order
    charge: Charge = gateway.create_charge(charge_request(order, request))
    return orders.attach_charge(order, charge)

"""Charging an order at the payment gateway, after its stock is reserved, and keeping the charge on it.

The order is written first (so stock is held while the shopper pays), then charged: a gateway that fails is a
503 and the shopper's retry with the same Idempotency-Key finds the order and asks again, which the gateway
answers idempotently by order id. Only the card token travels; card data never reaches Vitrine.

The charge is split between the merchant's recipient and the platform's (``ledger.rules.split_shares``) when both
exist: the merchant's registered one (its payout settings) and the deployment's ``PAGARME_PLATFORM_RECIPIENT_ID``.
A merchant not registered yet sells unsplit (its money lands with the platform, logged), rather than turning its
shoppers away; its payouts wait until it registers, and the operator settles those sales by hand.
"""

import logging
from datetime import UTC, datetime, timedelta

from vitrine.events.envelope import OrderPlaced, new_event
from vitrine.ledger.rules import split_shares
from vitrine.merchants import SettlementTerms
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
    SplitRule,
)
from vitrine.payments.settings import get_gateway_settings
from vitrine.payouts.models import PayoutSettings
from vitrine.repository import orders, payouts

logger = logging.getLogger(__name__)

STATEMENT_DESCRIPTOR = "VITRINE"


SplitInputs = tuple[SettlementTerms, PayoutSettings | None]


def charge_request(order: Order, request: CheckoutRequest, split_inputs: SplitInputs | None = None) -> ChargeRequest:
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
        split=split_rules(order, split_inputs),
    )


def split_rules(order: Order, inputs: SplitInputs | None = None) -> tuple[SplitRule, ...]:
    """The merchant's and the platform's shares of the order's charge, or none (see the module docstring).
    ``inputs``: the fees and recipient the checkout read with its lines; read here only for a retried order."""
    platform = get_gateway_settings().platform_recipient_id
    if not platform:
        return ()
    terms, settings = inputs if inputs is not None else payouts.get_split_inputs(order.merchant_id)
    if settings is None:
        logger.warning("charge not split: the merchant has no recipient", extra={"merchant_id": order.merchant_id})
        return ()
    merchant_share, platform_share = split_shares(order.total, order.payment_method, terms)
    rules = [SplitRule(recipient_id=settings.recipient_id, amount=merchant_share)]
    if platform_share:
        rules.append(
            SplitRule(
                recipient_id=platform,
                amount=platform_share,
                liable=True,
                charge_processing_fee=True,
                charge_remainder_fee=True,
            )
        )
    else:  # no fee at all: the merchant's share is the whole charge, and the merchant answers for it
        rules[0] = rules[0].model_copy(update={"liable": True, "charge_processing_fee": True})
    return tuple(rules)


def charge_order(
    gateway: PaymentGateway, order: Order, request: CheckoutRequest, split_inputs: SplitInputs | None = None
) -> Order:
    """The order with its charge: created now at ``gateway``, or the one it already has (a retried checkout)."""
    if order.charge is not None:
        return order
    charge: Charge = gateway.create_charge(charge_request(order, request, split_inputs))
    placed = new_event(
        order.merchant_id,
        OrderPlaced(order_id=order.order_id, version=order.version, total=order.total, method=order.payment_method),
        event_id=placed_event_id(order.order_id),
    )
    order = orders.attach_charge(order, charge, announce=placed)
    from vitrine.orders.lifecycle import publish_committed

    publish_committed((placed,))
    return order


def placed_event_id(order_id: str) -> str:
    """``OrderPlaced``'s id: the same for every attempt of one checkout, so consumers see one order placed."""
    return f"placed-{order_id}"

"""From a bus event to the messages it asks for: which kind, to whom, on which channel, with which values.

The shopper's message goes on the channel chosen at checkout (``Order.notify_channel``): WhatsApp or SMS to the
phone (as ``55`` + DDD + number, the E.164 digits both providers take), or the e-mail. Which events speak:

- ``OrderPlaced`` of a Pix or boleto order: received, with the copy-and-paste code and its expiry or the boleto's
  line and due date (a card is decided while the shopper waits: its next word is "paid" or "on hold");
- ``OrderPaid``, ``OrderHeld`` (and the merchant's e-mail: an order to review), ``OrderPreparationStarted``,
  ``OrderReadiedForPickup`` (the store's name and city: stores have no street address yet), ``OrderDispatched``,
  ``OrderInvoiced``, ``OrderDelivered``, ``OrderCancelled`` (not a card declined at checkout: the shopper saw it
  on the page), ``PaymentRefunded`` (each refund, partial or whole, with its amount; ``OrderRefunded`` is the same
  money's status and says nothing more).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from vitrine.events.envelope import EventEnvelope
from vitrine.messaging.port import Channel
from vitrine.messaging.templates import Audience, Kind
from vitrine.money import format_brl

BRASILIA = timezone(timedelta(hours=-3), "BRT")  # UTC-3 all year since 2019

EVENT_KINDS: dict[str, Kind] = {
    "OrderPaid": Kind.PAID,
    "OrderHeld": Kind.ON_HOLD,
    "OrderPreparationStarted": Kind.IN_PREPARATION,
    "OrderReadiedForPickup": Kind.READY_FOR_PICKUP,
    "OrderDispatched": Kind.DISPATCHED,
    "OrderInvoiced": Kind.INVOICED,
    "OrderDelivered": Kind.DELIVERED,
    "OrderCancelled": Kind.CANCELLED,
    "PaymentRefunded": Kind.REFUNDED,
}
EVENT_TYPES = ("OrderPlaced", *EVENT_KINDS)


@dataclass(frozen=True)
class Notice:
    """One message to send: ``to`` is the phone's digits or the e-mail."""

    event_id: str
    merchant_id: str
    order_id: str | None
    kind: Kind
    audience: Audience
    channel: Channel
    to: str
    values: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class OrderFacts:
    """What the notices read besides the event: the order, its catalog's slug, the shop, the stores."""

    order: Any  # vitrine.orders.models.Order
    slug: str
    shop_name: str
    store_names: dict[str, str]  # code -> where to pick an order up (``Store.place``)
    order_link: str
    merchant_email: str | None = None
    console_link: str = ""
    texts: dict[str, Any] = field(default_factory=dict)  # the merchant's own texts
    suppressed: dict[tuple[str, str], bool] = field(default_factory=dict)  # (channel, address) -> suppressed
    marketing_on: bool = False  # the merchant wrote its follow-up (opted in)
    catalog_link: str = ""
    revocation_link: str = ""


def kind_of(envelope: EventEnvelope, order: Any) -> Kind | None:
    if envelope.type == "OrderPlaced":
        method = envelope.data.get("method")
        return {"pix": Kind.RECEIVED_PIX, "boleto": Kind.RECEIVED_BOLETO}.get(method)
    declined_card = envelope.data.get("previous_status") == "pending_payment" and str(order.payment_method) == "card"
    if envelope.type == "OrderCancelled" and declined_card:
        return None
    return EVENT_KINDS.get(envelope.type)


def phone_digits(phone: str) -> str:
    digits = "".join(c for c in phone if c.isdigit())
    if len(digits) in (10, 11):
        digits = "55" + digits
    return digits


def shopper_address(order: Any, channel: Channel) -> str:
    return order.customer.email if channel is Channel.EMAIL else phone_digits(order.customer.phone)


def notices_for(envelope: EventEnvelope, facts: OrderFacts) -> list[Notice]:
    order = facts.order
    kind = kind_of(envelope, order)
    if kind is None:
        return []
    channel = Channel(getattr(order, "notify_channel", "whatsapp") or "whatsapp")
    found = [
        Notice(
            envelope.id,
            envelope.merchant_id,
            order.order_id,
            kind,
            Audience.SHOPPER,
            channel,
            shopper_address(order, channel),
            shopper_values(kind, envelope, facts),
        )
    ]
    if envelope.type == "OrderDelivered" and facts.marketing_on:
        # A follow-up, on its own record (``:marketing``): the consent is checked when it is sent (``dispatch``).
        found.append(
            Notice(
                f"{envelope.id}:marketing",
                envelope.merchant_id,
                order.order_id,
                Kind.MARKETING_FOLLOW_UP,
                Audience.SHOPPER,
                channel,
                shopper_address(order, channel),
                {
                    "nome": found[0].values["nome"],
                    "loja": facts.shop_name,
                    "link_vitrine": facts.catalog_link,
                    "link_descadastro": facts.revocation_link,
                },
            )
        )
    if envelope.type == "OrderHeld" and facts.merchant_email:
        deadline = _when(envelope.data.get("review_deadline"))
        found.append(
            Notice(
                envelope.id,
                envelope.merchant_id,
                order.order_id,
                Kind.MERCHANT_ORDER_ON_HOLD,
                Audience.MERCHANT,
                Channel.EMAIL,
                facts.merchant_email,
                {
                    "pedido": order.order_code or order.order_id,
                    "total": format_brl(order.total),
                    "prazo_analise": deadline,
                    "link_painel": facts.console_link,
                },
            )
        )
    return found


def shopper_values(kind: Kind, envelope: EventEnvelope, facts: OrderFacts) -> dict[str, str]:
    order = facts.order
    values = {
        "nome": order.customer.name.split()[0] if order.customer.name.split() else "",
        "loja": facts.shop_name,
        "pedido": order.order_code or order.order_id,
        "link": facts.order_link,
        "total": format_brl(order.total),
    }
    charge = order.charge
    data = envelope.data
    if kind is Kind.RECEIVED_PIX and charge is not None and charge.pix is not None:
        values |= {"pix_copia_e_cola": charge.pix.qr_code, "pix_validade": _when(charge.pix.expires_at)}
    elif kind is Kind.RECEIVED_BOLETO and charge is not None and charge.boleto is not None:
        values |= {"linha_digitavel": charge.boleto.line, "vencimento": _day(charge.boleto.due_at)}
    elif kind is Kind.READY_FOR_PICKUP:
        code = order.fulfilment.store_code
        values["endereco_retirada"] = facts.store_names.get(code, f"loja {code}")
    elif kind is Kind.DISPATCHED:
        values |= {
            "transportadora": data.get("carrier") or "transportadora",
            "rastreio": data.get("tracking_url") or data.get("tracking_code") or "-",
        }
    elif kind is Kind.INVOICED:
        values["nota_fiscal"] = str(data.get("number") or "-")
    elif kind is Kind.REFUNDED:
        values["valor_reembolsado"] = format_brl(int(data.get("amount") or 0))
    return values


def _when(moment: Any, shape: str = "%d/%m/%Y às %H:%M") -> str:
    """A moment as Brasília reads it (``-`` when there is none)."""
    if moment is None:
        return "-"
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.astimezone(BRASILIA).strftime(shape)


def _day(moment: Any) -> str:
    return _when(moment, "%d/%m/%Y")

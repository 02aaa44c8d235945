"""What the notifier does with a Vitrine event (send its messages) and a ``MessageFailed`` (send the SMS fallback).
A provider's delivery status and SES's bounce and complaint events are ``vitrine.messaging.statuses``: the webhook
function that records them loads none of what sending takes.
"""

import logging
from typing import Any

from vitrine.events.envelope import EventEnvelope
from vitrine.messaging import dispatch
from vitrine.messaging.dispatch import Outcome, Providers
from vitrine.messaging.notices import EVENT_TYPES, Notice, OrderFacts, notices_for
from vitrine.messaging.port import Channel
from vitrine.messaging.templates import Audience, Kind
from vitrine.repository import messages

logger = logging.getLogger(__name__)


def handle_event(envelope: EventEnvelope, providers: Providers, *, attempt: int) -> Outcome:
    if envelope.type == "MessageFailed":
        return _fall_back(envelope, providers, attempt=attempt)
    if envelope.type in PAYOUT_KINDS:
        return dispatch.deliver(payout_notices(envelope), providers, attempt=attempt)
    if envelope.type not in EVENT_TYPES:
        return Outcome()
    order_id = envelope.data.get("order_id")
    facts = order_facts(envelope, order_id) if order_id else None
    if facts is None:
        logger.warning("order of the event not found", extra={"event_id": envelope.id, "order_id": order_id})
        return Outcome()
    return dispatch.deliver(
        notices_for(envelope, facts),
        providers,
        attempt=attempt,
        texts={envelope.merchant_id: facts.texts},
        suppressed=facts.suppressed,
    )


PAYOUT_KINDS = {"PayoutSent": Kind.MERCHANT_PAYOUT_SENT, "PayoutFailed": Kind.MERCHANT_PAYOUT_FAILED}


def payout_notices(envelope: EventEnvelope) -> list[Notice]:
    """The merchant's e-mail about its payout (none without an address to send it to)."""
    from vitrine.money import format_brl

    to = merchant_email(envelope.merchant_id)
    if not to:
        return []
    data = envelope.data
    day = data["scheduled_on"]
    values = {
        "valor": format_brl(int(data["amount"])),
        "data_repasse": f"{day[8:10]}/{day[5:7]}/{day[0:4]}",
        "motivo": data.get("reason") or "a transferência não foi concluída",
        "link_painel": f"{links_origin()}/painel/recebiveis",
    }
    kind = PAYOUT_KINDS[envelope.type]
    return [Notice(envelope.id, envelope.merchant_id, None, kind, Audience.MERCHANT, Channel.EMAIL, to, values)]


def _fall_back(envelope: EventEnvelope, providers: Providers, *, attempt: int) -> Outcome:
    data = envelope.data
    record = next(
        (
            r
            for r in messages.order_messages(envelope.merchant_id, data.get("order_id"))
            if r.get("event_id") == data["event_id"]
            and r.get("audience") == data["audience"]
            and r.get("channel") == Channel.WHATSAPP.value
        ),
        None,
    )
    notice = dispatch.fallback_notice(record) if record else None
    if notice is None:
        return Outcome()
    return dispatch.deliver([notice], providers, attempt=attempt)


def order_facts(envelope: EventEnvelope, order_id: str) -> OrderFacts | None:
    """What the event's messages say, in two reads: the order (consistent), then one ``BatchGetItem`` of its
    catalog, the shop's name, the merchant's texts and the shopper's suppression. The stores and the merchant's
    e-mail only for the events that speak of them."""
    from vitrine.auth.sessions import order_link_token
    from vitrine.catalogs.shop_identity import identity_from_records
    from vitrine.messaging.notices import shopper_address
    from vitrine.repository import orders

    merchant_id = envelope.merchant_id
    order = orders.get_order(merchant_id, order_id)
    if order is None:
        return None
    channel = Channel(order.notify_channel)
    address = shopper_address(order, channel)
    catalog, merchant, profile, texts, suppressed = messages.notice_context(
        merchant_id, order.catalog_id, channel.value, address
    )
    shop = identity_from_records(merchant, profile)
    slug = (catalog or {}).get("slug", "")
    base = links_origin()
    store_names = {}
    if envelope.type == "OrderReadiedForPickup":
        from vitrine.repository import stores

        store_names = {s.code: s.place for s in stores.list_stores(merchant_id)}
    return OrderFacts(
        order=order,
        slug=slug,
        shop_name=shop.name or "loja",
        store_names=store_names,
        order_link=f"{base}/c/{slug}/pedido/{order_id}#token={order_link_token(order_id)}",
        merchant_email=merchant_email(merchant_id) if envelope.type == "OrderHeld" else None,
        console_link=f"{base}/painel/pedidos/{order_id}",
        texts=texts,
        suppressed={(channel.value, address): suppressed},
        **marketing_facts(merchant_id, order_id, f"{base}/c/{slug}", texts, envelope.type),
    )


def marketing_facts(
    merchant_id: str, order_id: str, catalog_link: str, texts: dict[str, Any], event_type: str
) -> dict[str, Any]:
    """The follow-up's facts, after a delivery, when the merchant opted in by writing its text."""
    if event_type != "OrderDelivered" or Kind.MARKETING_FOLLOW_UP.value not in texts:
        return {}
    from vitrine.consents import revocation_link

    link = revocation_link(merchant_id, order_id)
    return {"marketing_on": True, "catalog_link": catalog_link, "revocation_link": link}


def links_origin() -> str:
    """Where a message's links start: ``PUBLIC_BASE_URL``, or the HTTP API's own URL (``API_BASE_URL``) when the
    deployment has none (a page takes its origin from its request; a message has no request)."""
    import os

    from vitrine.settings import get_settings

    return (get_settings().public_base_url or os.environ.get("API_BASE_URL", "")).rstrip("/")


def merchant_email(merchant_id: str) -> str | None:
    """Where the merchant is told: the owner's login (an e-mail), else the shop's contact e-mail."""
    from vitrine.catalogs.shop_identity import shop_identity
    from vitrine.repository import staff

    owner = next(
        (m for m in staff.list_staff(merchant_id) if m.get("owner") and m.get("active", True) is not False), None
    )
    return (owner or {}).get("email") or shop_identity(merchant_id).email

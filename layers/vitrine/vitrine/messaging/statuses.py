"""What a messaging provider tells us about the messages we sent: a delivery status from WhatsApp or Zenvia, a
bounce or complaint from SES. Each is recorded on the message; one that says the address cannot be reached
suppresses it, and a WhatsApp one asks for the SMS fallback (``MessageFailed`` on the bus, which the notifier
sends).

Apart from ``vitrine.messaging.handling`` (what sending takes: the notices, their templates, the providers' rules)
because ``MessagingWebhookFunction`` answers the providers' webhooks with this alone: the event envelope and the
publisher are loaded only when a status asks for a fallback.
"""

from collections.abc import Mapping
from typing import Any

from vitrine.messaging.port import Channel
from vitrine.messaging.whatsapp import UNDELIVERABLE, StatusUpdate
from vitrine.repository import messages

SOURCE = "vitrine.notifier"


def apply_statuses(provider: Channel, updates: list[StatusUpdate]) -> int:
    """Record each status; a failure that says the address cannot be reached suppresses it and, from WhatsApp,
    asks for the SMS fallback (``MessageFailed`` on the bus). Answers how many were ours."""
    ours = 0
    fallbacks = []
    for update in updates:
        record = messages.record_status(provider.value, update.provider_message_id, update.status, update.error_code)
        if record is None:
            continue
        ours += 1
        if update.status != "failed":
            continue
        if provider is Channel.WHATSAPP and update.error_code.isdigit() and int(update.error_code) in UNDELIVERABLE:
            messages.suppress(record["merchant_id"], provider.value, record["recipient"], update.error_code)
            fallbacks.append(record)
        elif provider is Channel.SMS:
            messages.suppress(record["merchant_id"], provider.value, record["recipient"], update.error_code)
    if fallbacks:
        _publish_fallbacks(fallbacks)
    return ours


def apply_ses_event(detail: Mapping[str, Any]) -> int:
    """SES's ``Bounce`` (permanent) or ``Complaint`` event: the message failed, its addresses are suppressed."""
    kind = detail.get("eventType")
    mail = detail.get("mail") or {}
    message_id = str(mail.get("messageId", ""))
    if kind == "Bounce":
        bounce = detail.get("bounce") or {}
        if bounce.get("bounceType") != "Permanent":
            return 0
        addresses = [r.get("emailAddress", "") for r in bounce.get("bouncedRecipients") or []]
    elif kind == "Complaint":
        addresses = [
            r.get("emailAddress", "") for r in (detail.get("complaint") or {}).get("complainedRecipients") or []
        ]
    else:
        return 0
    record = messages.record_status(Channel.EMAIL.value, message_id, "failed", kind.lower())
    if record is None:
        return 0
    for address in addresses or [record["recipient"]]:
        messages.suppress(record["merchant_id"], Channel.EMAIL.value, address, kind.lower())
    return 1


def _publish_fallbacks(records: list[dict[str, Any]]) -> None:
    """``MessageFailed`` for each message whose address cannot be reached, with an id derived from the message, so
    that the same status delivered twice asks for one fallback."""
    from vitrine.events.envelope import MessageFailed, new_event
    from vitrine.events.publisher import publish

    publish(
        [
            new_event(
                record["merchant_id"],
                MessageFailed(
                    order_id=record.get("order_id"), event_id=record["event_id"], audience=record["audience"]
                ),
                event_id=f"undeliverable-{messages.message_reference(record)}",
            )
            for record in records
        ],
        source=SOURCE,
    )

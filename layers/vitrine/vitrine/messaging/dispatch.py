"""The notifier's use case: one bus event in, exactly one message per notice and channel out.

For each notice (``vitrine.messaging.notices``) the message's record is claimed first (``repository.messages``):
a record that already ended (sent, failed, suppressed) ends it, so an event delivered three times sends once. Then:

- an address suppressed for the channel (a bounced e-mail, a number WhatsApp or Zenvia refused) is not sent to:
  the record says ``suppressed``; from WhatsApp, the message falls back to SMS to the same phone;
- ``Undeliverable`` suppresses the address, fails the record and, from WhatsApp (131026), falls back to SMS;
- a record another delivery of the same event holds (its lease) is not sent here: ``SendLater`` brings this one back
  after the lease, to find it ended;
- a marketing message whose person has no marketing consent in force on the channel, at the moment of sending, is
  recorded ``skipped`` (``no_consent``) and not sent;
- ``Throttled``, ``ProviderUnavailable`` and ``Rejected`` leave the record ``pending`` with one more attempt and
  raise ``SendLater``: the SQS message comes back after its backoff (``retry_after``), the records already sent
  are skipped then, and after the queue's ``maxReceiveCount`` the event rests in the DLQ, untouched, for its alarm.

The SMS fallback is a record of its own (same event, channel ``sms``), so a fallback is also sent once, however it
was reached (at the send, or later from the WhatsApp status webhook through ``MessageFailed``).
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from vitrine.messaging.notices import Notice, phone_digits
from vitrine.messaging.port import (
    Channel,
    MessagingError,
    MessagingProvider,
    Outgoing,
    Throttled,
    Undeliverable,
)
from vitrine.messaging.templates import (
    SPECS,
    Audience,
    Kind,
    Texts,
    default_texts,
    render,
    whatsapp_parameters,
    whatsapp_template_name,
)
from vitrine.repository import messages

BACKOFF_SECONDS = (30, 120, 600, 1800, 3600)


class SendLater(Exception):
    """A provider asked us to wait or could not take the message: SQS delivers the event again after ``delay``."""

    def __init__(self, message: str, delay: int) -> None:
        super().__init__(message)
        self.delay = delay


@dataclass(frozen=True)
class Outcome:
    sent: int = 0
    skipped: int = 0  # already sent by an earlier delivery, or suppressed
    fell_back: int = 0


Providers = Mapping[Channel, MessagingProvider]


def deliver(
    notices: list[Notice],
    providers: Providers,
    *,
    attempt: int,
    texts: Mapping[str, Mapping[str, Mapping[str, str]]] | None = None,
    suppressed: Mapping[tuple[str, str], bool] | None = None,
) -> Outcome:
    """Send each notice once; raises ``SendLater`` (after trying every notice) when one must be tried again.

    ``texts`` (the merchants' own, by merchant) and ``suppressed`` (by channel and address) are what the caller read
    already; what they do not say is read here."""
    outcome = Outcome()
    later: SendLater | None = None
    own_texts: dict[str, Mapping[str, Mapping[str, str]]] = dict(texts or {})
    known = Known(own_texts, dict(suppressed or {}))
    for notice in notices:
        try:
            outcome = _add(outcome, send_once(notice, providers, known, attempt=attempt))
        except SendLater as exc:
            later = exc if later is None or exc.delay > later.delay else later
    if later is not None:
        raise later
    return outcome


@dataclass
class Known:
    """What a delivery read once for all its notices."""

    texts: dict[str, Mapping[str, Mapping[str, str]]]
    suppressed: dict[tuple[str, str], bool]

    def own(self, merchant_id: str) -> Mapping[str, Mapping[str, str]]:
        if merchant_id not in self.texts:
            self.texts[merchant_id] = messages.message_templates(merchant_id)
        return self.texts[merchant_id]

    def is_suppressed(self, notice: Notice) -> bool:
        key = (notice.channel.value, notice.to)
        if key not in self.suppressed:
            self.suppressed[key] = messages.is_suppressed(notice.merchant_id, notice.channel, notice.to)
        return self.suppressed[key]


def texts_of(kind: Kind, own: Mapping[str, Mapping[str, str]]) -> Texts:
    mine = own.get(kind.value)
    return Texts(mine["subject"], mine["text"]) if mine else default_texts(kind)


def outgoing(notice: Notice, own: Mapping[str, Mapping[str, str]], reference: str) -> Outgoing:
    texts = texts_of(notice.kind, own)
    if notice.channel is Channel.WHATSAPP:
        # WhatsApp shows the approved template (the default text), whatever the merchant wrote for SMS/e-mail.
        text = render(SPECS[notice.kind].text, notice.values)
    else:
        text = render(texts.text, notice.values)
    return Outgoing(
        channel=notice.channel,
        to=notice.to,
        template=whatsapp_template_name(notice.kind),
        parameters=whatsapp_parameters(notice.kind, notice.values),
        text=text,
        subject=render(texts.subject, notice.values),
        reference=reference,
    )


def send_once(notice: Notice, providers: Providers, known: Known, *, attempt: int) -> Outcome:
    record, held = messages.claim(
        {
            "merchant_id": notice.merchant_id,
            "order_id": notice.order_id,
            "event_id": notice.event_id,
            "audience": notice.audience.value,
            "channel": notice.channel.value,
            "kind": notice.kind.value,
            "recipient": notice.to,
            "values": notice.values,
        }
    )
    if record["status"] in messages.FINAL:
        return Outcome(skipped=1)
    if not held:
        # Another delivery of the same event is sending it now: come back once its lease is over.
        raise SendLater(f"{notice.channel} {notice.kind}: being sent by another delivery", messages.LEASE_SECONDS)
    if SPECS[notice.kind].marketing and not consented(notice):
        messages.mark_ended(record, "skipped", "no_consent")
        return Outcome(skipped=1)
    if notice.channel not in providers:
        messages.mark_ended(record, "skipped", "channel_off")
        return _add(Outcome(skipped=1), fall_back(notice, providers, known, attempt=attempt))
    if known.is_suppressed(notice):
        messages.mark_ended(record, "suppressed")
        return _add(Outcome(skipped=1), fall_back(notice, providers, known, attempt=attempt))
    message = outgoing(notice, known.own(notice.merchant_id), reference=messages.message_reference(record))
    provider = providers[notice.channel]
    try:
        sent = provider.send(message)
    except Undeliverable as exc:
        messages.suppress(notice.merchant_id, notice.channel, notice.to, reason=exc.code or "undeliverable")
        messages.mark_ended(record, "failed", exc.code)
        known.suppressed[(notice.channel.value, notice.to)] = True
        return fall_back(notice, providers, known, attempt=attempt)
    except MessagingError as exc:
        attempts = messages.mark_attempt_failed(record, exc.code or type(exc).__name__)
        delay = (
            exc.retry_after if isinstance(exc, Throttled) else BACKOFF_SECONDS[min(attempts, len(BACKOFF_SECONDS)) - 1]
        )
        raise SendLater(f"{notice.channel} {notice.kind}: {exc}", delay) from exc
    messages.mark_sent(
        record, notice.channel.value, sent.provider_message_id, body=message.text, subject=message.subject
    )
    return Outcome(sent=1)


def consented(notice: Notice) -> bool:
    """The person's marketing consent on this channel is in force now (a revocation a moment ago is a no)."""
    from vitrine.consents import marketing_allowed, subject_hashes

    address = {"email": notice.to} if notice.channel is Channel.EMAIL else {"phone": notice.to}
    return marketing_allowed(notice.merchant_id, subject_hashes(notice.merchant_id, **address), notice.channel.value)


def fall_back(notice: Notice, providers: Providers, known: Known, *, attempt: int) -> Outcome:
    """From WhatsApp to SMS, to the same phone; nothing for the other channels."""
    if notice.channel is not Channel.WHATSAPP or Channel.SMS not in providers:
        return Outcome()
    result = send_once(replace(notice, channel=Channel.SMS), providers, known, attempt=attempt)
    return _add(result, Outcome(fell_back=1))


def fallback_notice(record: Mapping[str, Any]) -> Notice | None:
    """The SMS notice for a WhatsApp message its provider later reported undeliverable (the record's own values)."""
    if record.get("channel") != Channel.WHATSAPP.value:
        return None
    return Notice(
        event_id=record["event_id"],
        merchant_id=record["merchant_id"],
        order_id=record.get("order_id"),
        kind=Kind(record["kind"]),
        audience=Audience(record["audience"]),
        channel=Channel.SMS,
        to=phone_digits(record["recipient"]),
        values=dict(record.get("values") or {}),
    )


def _add(a: Outcome, b: Outcome) -> Outcome:
    return Outcome(a.sent + b.sent, a.skipped + b.skipped, a.fell_back + b.fell_back)

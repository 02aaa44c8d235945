"""The messaging port: one ``send`` per channel's provider, and the failures adapters map their errors to.

Each adapter turns its provider's documented errors into one of these, so the notifier decides the same way
whichever provider answered:

- ``Throttled``: the provider asks us to slow down (WhatsApp 130429 "rate limit hit", 131056 "pair rate limit":
  too many messages to one number; Zenvia and SES 429/``TooManyRequests``): retried after ``retry_after`` seconds.
- ``Undeliverable``: this recipient cannot get messages on this channel (WhatsApp 131026: not a WhatsApp user or
  an old app; an invalid number; an e-mail on SES's suppression list): never retried; the number or address is
  suppressed for the channel and, from WhatsApp, the message falls back to SMS when the shopper gave a phone.
- ``ProviderUnavailable``: no answer, a 5xx, or an answer we cannot read: retried with backoff, then the DLQ.
- ``Rejected``: the provider refused the request itself (a bad template, bad credentials): retrying would not
  help, but the message must not be lost either, so it goes the ``ProviderUnavailable`` way to the DLQ, where its
  alarm calls someone.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class Channel(StrEnum):
    WHATSAPP = "whatsapp"
    SMS = "sms"
    EMAIL = "email"


@dataclass(frozen=True)
class Outgoing:
    """One message as a provider sends it. ``parameters`` are the WhatsApp template's body values in order;
    ``text`` is the whole text (SMS, e-mail, and what the outbox shows); ``subject`` is the e-mail's."""

    channel: Channel
    to: str
    template: str
    parameters: tuple[str, ...]
    text: str
    subject: str = ""
    reference: str = ""  # our id for it (Zenvia's ``externalId``, SES's tag): the message record's id


@dataclass(frozen=True)
class Sent:
    provider_message_id: str


class MessagingError(Exception):
    def __init__(self, message: str, *, code: str = "") -> None:
        super().__init__(message)
        self.code = code


class Throttled(MessagingError):
    def __init__(self, message: str, *, code: str = "", retry_after: int = 60) -> None:
        super().__init__(message, code=code)
        self.retry_after = retry_after


class Undeliverable(MessagingError):
    pass


class ProviderUnavailable(MessagingError):
    pass


class Rejected(MessagingError):
    pass


class MessagingProvider(Protocol):
    channel: Channel

    def send(self, message: Outgoing) -> Sent: ...

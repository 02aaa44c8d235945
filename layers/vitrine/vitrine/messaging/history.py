"""An order's messages as the merchant sees them: kind, channel, status, when; the recipient masked (the merchant
has the order's contact already, and a log of messages should not become a second copy of it)."""

from pydantic import Field

from vitrine.lazy_models import LazyModel
from vitrine.repository import messages


class MessageSummary(LazyModel):
    kind: str
    audience: str = Field(description="shopper or merchant.")
    channel: str = Field(description="whatsapp, sms or email.")
    status: str = Field(description="pending, sent, delivered, read, failed, suppressed or skipped.")
    to: str = Field(description="The phone or e-mail, masked.")
    created_at: str
    sent_at: str | None = None
    error_code: str | None = Field(default=None, description="The provider's, e.g. 131026 (WhatsApp undeliverable).")


class MessageHistory(LazyModel):
    messages: list[MessageSummary]


def mask(address: str) -> str:
    """``maria@example.com`` -> ``m***@example.com``; ``5511988887777`` -> ``+55 11 *****-7777``."""
    if "@" in address:
        name, _, domain = address.partition("@")
        return f"{name[:1]}***@{domain}"
    digits = "".join(c for c in address if c.isdigit())
    if len(digits) >= 12:
        return f"+{digits[:2]} {digits[2:4]} *****-{digits[-4:]}"
    return "***" + digits[-4:]


def order_history(merchant_id: str, order_id: str) -> MessageHistory:
    return MessageHistory(
        messages=[
            MessageSummary(
                kind=record["kind"],
                audience=record["audience"],
                channel=record["channel"],
                status=record["status"],
                to=mask(str(record.get("recipient", ""))),
                created_at=record["created_at"],
                sent_at=record.get("sent_at"),
                error_code=record.get("error_code") or None,
            )
            for record in messages.order_messages(merchant_id, order_id)
        ]
    )

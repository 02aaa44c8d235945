"""Access patterns: inbound webhooks, recorded once by the provider's id (the inbox)."""

import time
from typing import Any

from vitrine.repository import keys, table

INBOX_RETENTION_SECONDS = 30 * 24 * 3600


def record_webhook(
    provider: str, webhook_id: str, *, event_type: str, payload: dict[str, Any], received_at: str
) -> bool:
    """``True`` the first time this webhook id is seen, ``False`` for every redelivery."""
    return table.put_new(
        {
            "PK": keys.webhook_pk(provider, webhook_id),
            "SK": "WEBHOOK",
            "type": "webhook",
            "provider": provider,
            "event_type": event_type,
            "payload": payload,
            "received_at": received_at,
            "expires_at": int(time.time()) + INBOX_RETENTION_SECONDS,
        }
    )


def get_webhook(provider: str, webhook_id: str) -> dict[str, Any] | None:
    return table.get(keys.webhook_pk(provider, webhook_id), "WEBHOOK")

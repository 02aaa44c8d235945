"""Access patterns: inbound webhooks, recorded once by the provider's id (the inbox).

The record keeps the body's SHA-256, not the body: nothing reads it back (the order holds what the webhook did,
a failed message stays intact in the queue's DLQ), a pagar.me body is 2-3 KB of the buyer's data, and a write is
billed per started 1 KB. The hash still tells which body was applied, against the gateway's own log.
"""

import hashlib
import time
from typing import Any

from vitrine.repository import keys, table

INBOX_RETENTION_SECONDS = 30 * 24 * 3600


def record_webhook(provider: str, webhook_id: str, *, event_type: str, body: str, received_at: str) -> bool:
    """``True`` the first time this webhook id is seen, ``False`` for every redelivery."""
    return table.put_new(
        {
            "PK": keys.webhook_pk(provider, webhook_id),
            "SK": "WEBHOOK",
            "type": "webhook",
            "provider": provider,
            "event_type": event_type,
            "body_sha256": hashlib.sha256(body.encode()).hexdigest(),
            "received_at": received_at,
            "expires_at": int(time.time()) + INBOX_RETENTION_SECONDS,
        }
    )


def get_webhook(provider: str, webhook_id: str) -> dict[str, Any] | None:
    return table.get(keys.webhook_pk(provider, webhook_id), "WEBHOOK")

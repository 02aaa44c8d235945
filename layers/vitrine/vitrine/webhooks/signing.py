"""Standard Webhooks signatures (https://www.standardwebhooks.com): secrets and the three headers.

Signing uses the reference library, ``standardwebhooks``, so what receivers verify with it (or with any port of
it) is by construction what we send: ``webhook-signature`` is ``v1,<base64 HMAC-SHA256 of
"<webhook-id>.<webhook-timestamp>.<body>">``, one per secret that still signs, separated by spaces, which is how
the spec lets a receiver roll over to a rotated secret without losing a message.
"""

import base64
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime
from math import floor
from typing import Any

SECRET_PREFIX = "whsec_"  # noqa: S105 - the prefix the spec gives secrets, not a secret
SECRET_BYTES = 32  # The spec asks for 24 to 64 random bytes.


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def signing_secrets(endpoint: dict[str, Any], now: datetime) -> list[str]:
    """The secrets of an endpoint's item that sign a message sent ``now``: the current one first, then previous
    ones not yet retired (``retires_at`` is stored as ISO 8601 UTC with milliseconds, so strings compare)."""
    moment = now.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return [s["secret"] for s in endpoint["secrets"] if s.get("retires_at") is None or s["retires_at"] > moment]


def signed_headers(signing_secrets: Sequence[str], webhook_id: str, timestamp: datetime, body: str) -> dict[str, str]:
    """The headers of one attempt: the same ``webhook-id`` on every attempt, a fresh timestamp (receivers refuse
    one older than a few minutes), and a signature by every secret given, newest first."""
    from standardwebhooks.webhooks import Webhook

    if not signing_secrets:
        raise ValueError("an endpoint always has a current secret")
    signatures = [Webhook(secret).sign(msg_id=webhook_id, timestamp=timestamp, data=body) for secret in signing_secrets]
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(floor(timestamp.timestamp())),
        "webhook-signature": " ".join(signatures),
    }

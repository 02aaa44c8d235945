"""Inbound gateway webhooks: authenticate, queue, answer. The consumer decides what they mean.

pagar.me v5 webhooks carry the HTTP Basic credentials configured on the webhook in the gateway's
dashboard; Vitrine keeps the same ``user:password`` in an SSM SecureString and compares in constant time.
"""

import base64
import binascii
import hmac
import json
from datetime import UTC, datetime

from vitrine import queues
from vitrine.errors import Unauthorized
from vitrine.parameters import secure_parameter
from vitrine.settings import get_settings

# Headers worth keeping with the queued body (for audit and signature schemes); never the credentials.
_KEPT_HEADERS = ("content-type", "user-agent", "x-request-id", "x-hub-signature")


def gateway_credentials() -> str:
    """The expected ``user:password``, from SSM (cached for a few minutes: rotation-friendly)."""
    return secure_parameter(get_settings().require("gateway_webhook_credentials_parameter"))


def check_basic_auth(authorization: str | None, expected: str) -> None:
    scheme, _, encoded = (authorization or "").partition(" ")
    try:
        presented = base64.b64decode(encoded.strip(), validate=True) if scheme.lower() == "basic" else b""
    except (binascii.Error, ValueError):
        presented = b""
    if not presented or not hmac.compare_digest(presented, expected.encode()):
        raise Unauthorized("webhook credentials not recognised")


def queue_gateway_webhook(body: str, headers: dict[str, str]) -> str:
    """Put the raw body on the gateway webhook queue; returns the SQS message id."""
    message = {
        "provider": "pagarme",
        "received_at": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "headers": {name: headers[name] for name in _KEPT_HEADERS if name in headers},
        "body": body,
    }
    queue_url = get_settings().require("gateway_webhook_queue_url")
    return queues.send_message(queue_url, json.dumps(message, ensure_ascii=False))

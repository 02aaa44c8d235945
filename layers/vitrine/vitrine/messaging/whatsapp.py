"""WhatsApp Cloud API: sending an approved template, and reading its status webhooks.

**Send**: ``POST {WHATSAPP_API_BASE_URL}/{phone-number-id}/messages`` (base ``https://graph.facebook.com/v21.0``)
with ``Authorization: Bearer <system user token>`` and::

    {"messaging_product": "whatsapp", "recipient_type": "individual", "to": "5511987654321", "type": "template",
     "template": {"name": "vitrine_paid", "language": {"code": "pt_BR"},
                  "components": [{"type": "body", "parameters": [{"type": "text", "text": "Maria"}, ...]}]}}

A 200 answers ``{"messaging_product": "whatsapp", "contacts": [{"input", "wa_id"}], "messages": [{"id":
"wamid..."}]}``: the ``id`` is kept, and the status webhooks name it. An error is Graph's ``{"error": {"message",
"type", "code", "error_data": {"messaging_product", "details"}, "fbtrace_id"}}``; its ``code`` decides (see
``vitrine.messaging.port``): 130429 (rate limit), 131056 (pair rate limit), 131048 (spam rate limit), 4/80007
(application or account rate limit) are ``Throttled``; 131026 (undeliverable), 131021 (recipient is the sender),
133010 (number not registered) are ``Undeliverable``; 131000/1/2 and 5xx are ``ProviderUnavailable``; anything else
(a template not approved 132000-132015, an expired token 190) is ``Rejected``.

**Status webhooks** (``POST /webhooks/whatsapp``): ``X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body
with the app secret>``, compared in constant time before anything is read; the body is ``{"object":
"whatsapp_business_account", "entry": [{"id", "changes": [{"field": "messages", "value": {"messaging_product",
"metadata": {...}, "statuses": [{"id": "wamid...", "status": "sent|delivered|read|failed", "timestamp",
"recipient_id", "errors": [{"code": 131026, "title", ...}]}]}}]}]}``. The subscription's ``GET`` carries
``hub.mode=subscribe``, ``hub.verify_token`` (ours) and ``hub.challenge``, answered as plain text.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from vitrine.http_client import RetryPolicy, pooled_session
from vitrine.messaging.port import (
    Channel,
    Outgoing,
    ProviderUnavailable,
    Rejected,
    Sent,
    Throttled,
    Undeliverable,
)

CONNECT_TIMEOUT_SECONDS = 3
READ_TIMEOUT_SECONDS = 8
THROTTLED = {130429: 60, 131056: 60, 131048: 300, 4: 60, 80007: 300}
UNDELIVERABLE = {131026, 131021, 133010}
TRANSIENT = {131000, 131001, 131002, 2, 1}
# Connection failures only: a POST that reached Meta is not sent again by the session (the notifier retries it).
_RETRY = RetryPolicy(retries=1, methods=frozenset({"POST"}), statuses=frozenset())


class WhatsAppCloud:
    channel = Channel.WHATSAPP

    def __init__(self, base_url: str, phone_number_id: str, token: str, *, session: Any = None) -> None:
        self._url = f"{base_url.rstrip('/')}/{phone_number_id}/messages"
        self._token = token
        self._session = session

    def send(self, message: Outgoing) -> Sent:
        import requests

        body = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": message.to,
            "type": "template",
            "template": {
                "name": message.template,
                "language": {"code": "pt_BR"},
                "components": [
                    {"type": "body", "parameters": [{"type": "text", "text": p} for p in message.parameters]}
                ],
            },
        }
        if self._session is None:
            self._session = pooled_session(_RETRY, user_agent="Vitrine-Notifier/1.0")
        try:
            response = self._session.post(
                self._url,
                json=body,
                headers={"Authorization": f"Bearer {self._token}"},
                timeout=(CONNECT_TIMEOUT_SECONDS, READ_TIMEOUT_SECONDS),
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            raise ProviderUnavailable(f"WhatsApp unreachable: {type(exc).__name__}") from exc
        answer = _json(response)
        if response.status_code == 200:
            try:
                return Sent(str(answer["messages"][0]["id"]))
            except (KeyError, IndexError, TypeError) as exc:
                raise ProviderUnavailable("WhatsApp answered 200 without a message id") from exc
        raise error_from(response.status_code, answer)


def error_from(status: int, answer: Any) -> Exception:
    error = answer.get("error") if isinstance(answer, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    code = int(code) if isinstance(code, int | str) and str(code).isdigit() else None
    text = f"WhatsApp {status} code {code}: {str((error or {}).get('message', ''))[:200]}"
    if code in THROTTLED:
        return Throttled(text, code=str(code), retry_after=THROTTLED[code])
    if code in UNDELIVERABLE:
        return Undeliverable(text, code=str(code))
    if status == 429:
        return Throttled(text, code=str(code or 429))
    if status >= 500 or code in TRANSIENT or code is None:
        return ProviderUnavailable(text, code=str(code or status))
    return Rejected(text, code=str(code))


def _json(response: Any) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def signature_valid(app_secret: str, raw_body: bytes, header: str | None) -> bool:
    """``X-Hub-Signature-256`` is ``sha256=`` and the hex HMAC-SHA256 of the raw body with the app secret."""
    if not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(app_secret.encode(), raw_body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256=").strip().lower())


def sign(app_secret: str, raw_body: bytes) -> str:
    """The header a body is sent with (the sandbox provider signs with it)."""
    return "sha256=" + hmac.new(app_secret.encode(), raw_body, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class StatusUpdate:
    """One message's status as a provider reported it."""

    provider_message_id: str
    status: str  # sent | delivered | read | failed
    error_code: str = ""


def statuses(raw_body: bytes) -> list[StatusUpdate]:
    """Every status of a (verified) webhook body; other changes (incoming messages) are not ours to read."""
    body = json.loads(raw_body)
    found = []
    for entry in body.get("entry") or []:
        for change in entry.get("changes") or []:
            for status in (change.get("value") or {}).get("statuses") or []:
                errors = status.get("errors") or [{}]
                found.append(
                    StatusUpdate(str(status["id"]), str(status["status"]), str(errors[0].get("code", "") or ""))
                )
    return found

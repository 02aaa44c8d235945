"""Zenvia v2 SMS: sending a text, and reading its status webhooks.

**Send**: ``POST {ZENVIA_BASE_URL}/v2/channels/sms/messages`` (base ``https://api.zenvia.com``) with
``X-API-TOKEN: <token>`` and ``{"from": "<sender>", "to": "5511987654321", "contents": [{"type": "text",
"text": "..."}], "externalId": "<our message id>"}``. A 200 answers the message, ``{"id", "from", "to",
"direction": "OUT", "channel": "sms", "contents", "externalId", "timestamp"}``: its ``id`` is kept. An error is
``{"code": "VALIDATION_ERROR"|"AUTHENTICATION_ERROR"|..., "message", "details": [...]}``: a 429 is ``Throttled``,
a 5xx ``ProviderUnavailable``, a ``VALIDATION_ERROR`` naming ``to`` ``Undeliverable``, anything else ``Rejected``.

**Status webhooks** (``POST /webhooks/zenvia``): Zenvia signs nothing, but a subscription (``POST
/v2/subscriptions`` with ``{"eventType": "MESSAGE_STATUS", "webhook": {"url", "headers": {...}}, "criteria":
{"channel": "sms"}}``) sends the headers it was created with; ours carries ``X-Vitrine-Webhook-Token: <secret>``,
compared in constant time. The body: ``{"id", "timestamp", "type": "MESSAGE_STATUS", "subscriptionId",
"channel": "sms", "messageId", "externalId", "messageStatus": {"timestamp", "code":
"SENT|DELIVERED|NOT_DELIVERED|REJECTED", "description", "causes": [...]}}``. ``REJECTED`` (the number is not
valid for SMS) suppresses the number; ``NOT_DELIVERED`` (a phone off too long) is only recorded.
"""

import hmac
import json
from typing import Any

from vitrine.http_client import RetryPolicy, pooled_session
from vitrine.messaging.port import Channel, Outgoing, ProviderUnavailable, Rejected, Sent, Throttled, Undeliverable
from vitrine.messaging.whatsapp import StatusUpdate

CONNECT_TIMEOUT_SECONDS = 3
READ_TIMEOUT_SECONDS = 8
TOKEN_HEADER = "x-vitrine-webhook-token"  # noqa: S105 - a header name, not a secret
_RETRY = RetryPolicy(retries=1, methods=frozenset({"POST"}), statuses=frozenset())
_STATUSES = {"SENT": "sent", "DELIVERED": "delivered", "NOT_DELIVERED": "not_delivered", "REJECTED": "failed"}


class ZenviaSms:
    channel = Channel.SMS

    def __init__(self, base_url: str, sender: str, token: str, *, session: Any = None) -> None:
        self._url = f"{base_url.rstrip('/')}/v2/channels/sms/messages"
        self._sender = sender
        self._token = token
        self._session = session

    def send(self, message: Outgoing) -> Sent:
        import requests

        body = {
            "from": self._sender,
            "to": message.to,
            "contents": [{"type": "text", "text": message.text}],
            "externalId": message.reference,
        }
        if self._session is None:
            self._session = pooled_session(_RETRY, user_agent="Vitrine-Notifier/1.0")
        try:
            response = self._session.post(
                self._url,
                json=body,
                headers={"X-API-TOKEN": self._token},
                timeout=(CONNECT_TIMEOUT_SECONDS, READ_TIMEOUT_SECONDS),
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            raise ProviderUnavailable(f"Zenvia unreachable: {type(exc).__name__}") from exc
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if response.status_code in (200, 201) and isinstance(answer, dict) and answer.get("id"):
            return Sent(str(answer["id"]))
        code = str(answer.get("code", "")) if isinstance(answer, dict) else ""
        text = f"Zenvia {response.status_code} {code}: {str((answer or {}).get('message', ''))[:200]}"
        if response.status_code == 429:
            raise Throttled(text, code=code or "429", retry_after=_retry_after(response))
        if response.status_code >= 500 or response.status_code in (200, 201):
            raise ProviderUnavailable(text, code=code or str(response.status_code))
        if code == "VALIDATION_ERROR" and '"to"' in json.dumps(answer.get("details", []), ensure_ascii=False):
            raise Undeliverable(text, code=code)
        raise Rejected(text, code=code or str(response.status_code))


def _retry_after(response: Any) -> int:
    value = response.headers.get("Retry-After", "")
    return min(int(value), 900) if value.isdigit() else 60


def token_valid(expected: str, presented: str | None) -> bool:
    return bool(presented) and hmac.compare_digest(expected.encode(), presented.encode())


def statuses(raw_body: bytes) -> list[StatusUpdate]:
    body = json.loads(raw_body)
    if not isinstance(body, dict) or body.get("type") != "MESSAGE_STATUS":
        return []
    status = body.get("messageStatus") or {}
    code = str(status.get("code", ""))
    return [StatusUpdate(str(body["messageId"]), _STATUSES.get(code, code.lower()), code)]

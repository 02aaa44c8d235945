"""The sandbox messaging provider's HTTP face and state (the package's docstring says what it answers)."""

import html
import json
import logging
import re
import secrets
import threading
import time
import urllib.request
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from local_stack.loopback_http import UNREADABLE, JsonHandler, LoopbackServer, ServedOnLoopback
from vitrine.messaging.templates import whatsapp_template_bodies
from vitrine.messaging.whatsapp import sign

log = logging.getLogger("local_stack.sandbox_messaging")

GRAPH_VERSION = "v21.0"
PHONE_NUMBER_ID = "100000000000001"
SMS_SENDER = "vitrine"
EMAIL_SENDER = "pedidos@vitrine.local"
STATUS_DELAY_SECONDS = 0.5


class SandboxMessaging(ServedOnLoopback):
    """The sandbox in a thread of this process: ``start()``, ``stop()``, ``environment()`` for the functions."""

    def __init__(self, port: int = 0) -> None:
        self._server = LoopbackServer(port, MessagingHandler, self, "sandbox-messaging")
        self._lock = threading.Lock()
        self.credentials = {
            "whatsapp_token": "EAAsandbox" + secrets.token_urlsafe(16),
            "whatsapp_app_secret": secrets.token_urlsafe(24),
            "whatsapp_verify_token": secrets.token_urlsafe(12),
            "zenvia_token": secrets.token_urlsafe(18),
            "zenvia_webhook_token": secrets.token_urlsafe(18),
        }
        self.templates = whatsapp_template_bodies()
        self.outbox: list[dict[str, Any]] = []
        self.failing: dict[str, str] = {}
        self.webhook_base: str | None = None

    def environment(self) -> dict[str, str]:
        """What the notifier needs to send here (``vitrine.messaging.settings``); its secrets go to SSM."""
        return {
            "WHATSAPP_API_BASE_URL": f"{self.url}/{GRAPH_VERSION}",
            "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
            "ZENVIA_BASE_URL": self.url,
            "ZENVIA_SENDER": SMS_SENDER,
            "SES_FROM_ADDRESS": EMAIL_SENDER,
        }

    def send_statuses_to(self, front_url: str) -> None:
        """Where the statuses go: Vitrine's ``/webhooks/whatsapp`` and ``/webhooks/zenvia`` on the front."""
        self.webhook_base = front_url

    def start(self) -> None:
        super().start()
        log.info("sandbox messaging up at %s", self.url)

    def settings(self) -> dict[str, object]:
        return {
            "url": self.url,
            "outbox_url": f"{self.url}/sandbox/messages",
            "page_url": f"{self.url}/",
            "fail_url": f"{self.url}/sandbox/fail",
            "whatsapp_api_url": f"{self.url}/{GRAPH_VERSION}/{PHONE_NUMBER_ID}/messages",
            "sms_api_url": f"{self.url}/v2/channels/sms/messages",
            "email_sender": EMAIL_SENDER,
        }

    # --- state --------------------------------------------------------------------------------------------------

    def accept(self, entry: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self.outbox.append(entry)
        threading.Thread(target=self._report, args=(entry,), name="sandbox-messaging-status", daemon=True).start()
        return entry

    def fail(self, to: str, mode: str) -> None:
        with self._lock:
            if mode == "clear":
                self.failing.pop(to, None)
            else:
                self.failing[to] = mode

    def take_failure(self, to: str) -> str | None:
        """The failure this number is set to: ``throttle`` is used once, ``undeliverable`` stays."""
        with self._lock:
            mode = self.failing.get(to)
            if mode == "throttle":
                del self.failing[to]
            return mode

    def messages(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(entry) for entry in self.outbox]

    def _report(self, entry: dict[str, Any]) -> None:
        """The provider's statuses, a moment after the answer, to Vitrine's webhook."""
        statuses = ["sent", "failed"] if entry.get("will_fail") else ["sent", "delivered"]
        for status in statuses:
            time.sleep(STATUS_DELAY_SECONDS)
            entry["status"] = status
            if self.webhook_base is None:
                continue
            try:
                self._post_status(entry, status)
            except Exception:
                log.warning("status %s of %s not taken by Vitrine", status, entry["id"], exc_info=True)

    def _post_status(self, entry: dict[str, Any], status: str) -> None:
        if entry["channel"] == "whatsapp":
            item: dict[str, Any] = {"id": entry["id"], "status": status, "timestamp": str(int(time.time()))}
            item["recipient_id"] = entry["to"]
            if status == "failed":
                item["errors"] = [{"code": 131026, "title": "Message undeliverable."}]
            body = json.dumps(
                {
                    "object": "whatsapp_business_account",
                    "entry": [
                        {
                            "id": "100000000000000",
                            "changes": [
                                {
                                    "field": "messages",
                                    "value": {
                                        "messaging_product": "whatsapp",
                                        "metadata": {"phone_number_id": PHONE_NUMBER_ID},
                                        "statuses": [item],
                                    },
                                }
                            ],
                        }
                    ],
                }
            ).encode()
            url = f"{self.webhook_base}/webhooks/whatsapp"
            headers = {"X-Hub-Signature-256": sign(self.credentials["whatsapp_app_secret"], body)}
        else:
            body = json.dumps(
                {
                    "id": secrets.token_hex(8),
                    "timestamp": _now(),
                    "type": "MESSAGE_STATUS",
                    "channel": "sms",
                    "messageId": entry["id"],
                    "externalId": entry.get("external_id"),
                    "messageStatus": {"timestamp": _now(), "code": status.upper()},
                }
            ).encode()
            url = f"{self.webhook_base}/webhooks/zenvia"
            headers = {"X-Vitrine-Webhook-Token": self.credentials["zenvia_webhook_token"]}
        request = urllib.request.Request(  # noqa: S310 - the front on loopback
            url, data=body, method="POST", headers={"Content-Type": "application/json", **headers}
        )
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - the front on loopback
            answer.read()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _graph_error(code: int, message: str) -> dict[str, Any]:
    return {
        "error": {
            "message": f"(#{code}) {message}",
            "type": "OAuthException",
            "code": code,
            "error_data": {"messaging_product": "whatsapp", "details": message},
            "fbtrace_id": secrets.token_urlsafe(9),
        }
    }


class MessagingHandler(JsonHandler):
    logger = log
    server_version = "vitrine-sandbox-messaging"
    failure_message = "the sandbox messaging provider failed; see the stack's log"
    not_found_message = "not found"
    method_not_allowed_message = "method {method} not allowed"
    too_large_message = "body too large"
    not_json_message = "body is not JSON"
    max_body_bytes = 64 * 1024
    server: LoopbackServer

    do_GET = JsonHandler._dispatch
    do_POST = JsonHandler._dispatch

    @property
    def sandbox(self) -> SandboxMessaging:
        return self.server.service

    def _whatsapp(self, match: re.Match[str]) -> None:
        body = self._read_json()
        if body is UNREADABLE:
            return
        if self.headers.get("Authorization") != f"Bearer {self.sandbox.credentials['whatsapp_token']}":
            return self._send_json(401, _graph_error(190, "Error validating access token"))
        if match["phone"] != PHONE_NUMBER_ID:
            return self._send_json(400, _graph_error(100, "Invalid parameter: phone number id"))
        template = (body or {}).get("template") or {}
        text = self.sandbox.templates.get(template.get("name", ""))
        if text is None:
            return self._send_json(404, _graph_error(132001, "Template name does not exist in the translation"))
        to = str(body.get("to", ""))
        failure = self.sandbox.take_failure(to)
        if failure == "throttle":
            return self._send_json(400, _graph_error(130429, "Rate limit hit"))
        parameters = [p.get("text", "") for c in template.get("components") or [] for p in c.get("parameters") or []]
        for number, value in enumerate(parameters, start=1):
            text = text.replace(f"{{{{{number}}}}}", value)
        entry = self.sandbox.accept(
            {
                "id": "wamid." + secrets.token_urlsafe(24),
                "channel": "whatsapp",
                "to": to,
                "template": template["name"],
                "text": text,
                "at": _now(),
                "status": "accepted",
                "will_fail": failure == "undeliverable",
            }
        )
        self._send_json(
            200,
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": to, "wa_id": to}],
                "messages": [{"id": entry["id"], "message_status": "accepted"}],
            },
        )

    def _sms(self, match: re.Match[str]) -> None:
        body = self._read_json()
        if body is UNREADABLE:
            return
        if self.headers.get("X-API-TOKEN") != self.sandbox.credentials["zenvia_token"]:
            return self._send_json(401, {"code": "AUTHENTICATION_ERROR", "message": "No authorization token"})
        contents = (body or {}).get("contents") or []
        if not body.get("to") or not contents or contents[0].get("type") != "text":
            return self._send_json(
                400, {"code": "VALIDATION_ERROR", "message": "Validation error", "details": [{"path": "to"}]}
            )
        entry = self.sandbox.accept(
            {
                "id": secrets.token_hex(16),
                "channel": "sms",
                "to": str(body["to"]),
                "from": body.get("from"),
                "external_id": body.get("externalId"),
                "text": contents[0].get("text", ""),
                "at": _now(),
                "status": "accepted",
            }
        )
        self._send_json(
            200,
            {
                "id": entry["id"],
                "from": body.get("from"),
                "to": entry["to"],
                "direction": "OUT",
                "channel": "sms",
                "contents": contents,
                "externalId": entry["external_id"],
                "timestamp": entry["at"],
            },
        )

    def _fail(self, match: re.Match[str]) -> None:
        body = self._read_json()
        if body is UNREADABLE:
            return
        to, mode = str((body or {}).get("to", "")), (body or {}).get("mode")
        if not to.isdigit() or mode not in ("undeliverable", "throttle", "clear"):
            return self._send_json(422, {"message": 'send {"to": "<digits>", "mode": "undeliverable|throttle|clear"}'})
        self.sandbox.fail(to, mode)
        self._send_json(200, {"to": to, "mode": mode})

    def _messages(self, match: re.Match[str]) -> None:
        self._send_json(200, {"messages": self.sandbox.messages(), "failing": dict(self.sandbox.failing)})

    def _page(self, match: re.Match[str]) -> None:
        self._send(200, page(self.sandbox.messages()).encode(), "text/html; charset=utf-8")


def _brasilia(moment: str) -> str:
    """The time of day in Brasília (UTC-3), as the shopper's phone would show it."""
    at = datetime.fromisoformat(moment.replace("Z", "+00:00")).astimezone(timezone(timedelta(hours=-3)))
    return at.strftime("%H:%M")


def page(messages: list[dict[str, Any]]) -> str:
    """The outbox as chat bubbles, one conversation per phone, newest conversation first."""
    by_phone: dict[str, list[dict[str, Any]]] = {}
    for message in messages:
        by_phone.setdefault(message["to"], []).append(message)
    ticks = {"accepted": "enviando", "sent": "✓ enviada", "delivered": "✓✓ entregue", "failed": "não entregue"}
    chats = []
    for phone, thread in sorted(by_phone.items(), key=lambda item: item[1][-1]["at"], reverse=True):
        bubbles = "".join(
            f'<li class="b {html.escape(m["channel"])}"><span class="via">'
            f"{'WhatsApp' if m['channel'] == 'whatsapp' else 'SMS'}</span>"
            f"<p>{html.escape(m['text'])}</p>"
            f'<span class="t">{_brasilia(m["at"])} {ticks.get(m.get("status", ""), "")}</span></li>'
            for m in thread
        )
        chats.append(f"<section><h2>+{html.escape(phone)}</h2><ol>{bubbles}</ol></section>")
    empty = "<p>Nenhuma mensagem ainda: faça um pedido na vitrine.</p>"
    return (
        '<!doctype html><html lang="pt-BR"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta http-equiv="refresh" content="5"><title>Mensagens (sandbox)</title><style>'
        "body{margin:0;font:15px/1.4 system-ui,sans-serif;background:#ece5dd;color:#111}"
        "header{background:#075e54;color:#fff;padding:12px 16px}h1{margin:0;font-size:18px}"
        "section{max-width:560px;margin:12px auto;padding:0 12px}h2{font-size:14px;color:#075e54}"
        "ol{list-style:none;margin:0;padding:0}"
        ".b{background:#dcf8c6;border-radius:8px;margin:6px 0 6px 15%;padding:6px 10px;"
        "box-shadow:0 1px 1px rgba(0,0,0,.15);overflow-wrap:anywhere}"
        ".b.sms{background:#fff}.b p{margin:2px 0;white-space:pre-wrap}"
        ".via,.t{font-size:12px;color:#555}.t{display:block;text-align:right}"
        f"</style></head><body><header><h1>Mensagens enviadas (sandbox)</h1></header>"
        f"<main>{''.join(chats) or empty}</main></body></html>"
    )


MessagingHandler.routes = [
    ("POST", re.compile(rf"/{GRAPH_VERSION}/(?P<phone>[0-9]+)/messages"), MessagingHandler._whatsapp),
    ("POST", re.compile(r"/v2/channels/sms/messages"), MessagingHandler._sms),
    ("POST", re.compile(r"/sandbox/fail"), MessagingHandler._fail),
    ("GET", re.compile(r"/sandbox/messages"), MessagingHandler._messages),
    ("GET", re.compile(r"/"), MessagingHandler._page),
]

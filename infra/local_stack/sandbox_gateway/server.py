"""The sandbox gateway's HTTP face: pagar.me's routes (HTTP Basic with the secret key), card tokenization with the
public key (CORS for loopback origins), the files and pay page a payer opens, and the sandbox's controls."""

import base64
import hmac
import logging
import re
import urllib.parse
from typing import TYPE_CHECKING

from local_stack.loopback_http import UNREADABLE, JsonHandler, LoopbackServer
from local_stack.sandbox_gateway.formats import API_PREFIX, invalid_request, is_plain_int
from local_stack.sandbox_gateway.pay_page import render_pay_page
from local_stack.sandbox_gateway.payment_documents import barcode_from_line, barcode_png, boleto_pdf, pix_qr_png
from local_stack.sandbox_gateway.recipients import RECIPIENT_NOT_FOUND, render_kyc_page
from local_stack.sandbox_gateway.webhooks import MAX_WEBHOOK_REPEATS
from vitrine.money import format_brl

if TYPE_CHECKING:
    from local_stack.sandbox_gateway.gateway import SandboxGateway

log = logging.getLogger("local_stack.sandbox_gateway")

MAX_BODY_BYTES = 1 << 20
UNAUTHORIZED = {"message": "Authorization has been denied for this request."}
_LOOPBACK_ORIGIN = re.compile(r"^http://(127\.0\.0\.1|localhost)(:\d{1,5})?$")


class GatewayHandler(JsonHandler):
    max_body_bytes = MAX_BODY_BYTES
    logger = log
    too_large_message = "The request body is too large."
    not_json_message = "The request body is not valid JSON."
    # As pagar.me answers a failure, a method it does not take, and an unknown path.
    failure_message = "An error has occurred."
    method_not_allowed_message = "The requested resource does not support this method."
    not_found_message = "No HTTP resource was found that matches the request URI."
    server_version = "vitrine-sandbox-gateway"
    server: LoopbackServer

    @property
    def sandbox(self) -> "SandboxGateway":
        return self.server.service

    do_GET = do_POST = do_OPTIONS = do_DELETE = do_PATCH = JsonHandler._dispatch

    # ---- private API (secret key)

    def _authorised(self) -> bool:
        scheme, _, encoded = self.headers.get("Authorization", "").partition(" ")
        try:
            user = base64.b64decode(encoded.strip(), validate=True).decode().partition(":")[0]
        except ValueError:
            user = ""
        expected = self.sandbox.secret_key
        if scheme.lower() == "basic" and hmac.compare_digest(user.encode(), expected.encode()):
            return True
        self._send_json(401, UNAUTHORIZED)
        return False

    def _create_order(self, match: re.Match[str]) -> None:
        body = self._read_json()
        if body is UNREADABLE or not self._authorised():
            return
        status, reply = self.sandbox.create_order(body, self.headers.get("Idempotency-Key"))
        self._send_json(status, reply)

    def _get_order(self, match: re.Match[str]) -> None:
        if self._authorised():
            self._send_json(*self.sandbox.get_order(match["id"]))

    def _get_charge(self, match: re.Match[str]) -> None:
        if self._authorised():
            self._send_json(*self.sandbox.get_charge(match["id"]))

    def _cancel_charge(self, match: re.Match[str]) -> None:
        body = self._read_json()
        if body is UNREADABLE or not self._authorised():
            return
        self._send_json(*self.sandbox.cancel_charge(match["id"], body, self.headers.get("Idempotency-Key")))

    def _capture_charge(self, match: re.Match[str]) -> None:
        body = self._read_json()
        if body is UNREADABLE or not self._authorised():
            return
        self._send_json(*self.sandbox.capture_charge(match["id"], body, self.headers.get("Idempotency-Key")))

    # ---- recipients (secret key), and the KYC page a merchant's representative opens

    def _create_recipient(self, match: re.Match[str]) -> None:
        body = self._read_json()
        if body is UNREADABLE or not self._authorised():
            return
        self._send_json(*self.sandbox.recipients.create(body, self.headers.get("Idempotency-Key")))

    def _get_recipient(self, match: re.Match[str]) -> None:
        if self._authorised():
            self._send_json(*self.sandbox.recipients.get(match["id"]))

    def _update_bank_account(self, match: re.Match[str]) -> None:
        body = self._read_json()
        if body is UNREADABLE or not self._authorised():
            return
        key = self.headers.get("Idempotency-Key")
        self._send_json(*self.sandbox.recipients.update_bank_account(match["id"], body, key))

    def _kyc_link(self, match: re.Match[str]) -> None:
        self._read_body()
        if self._authorised():
            self._send_json(*self.sandbox.recipients.kyc_link(match["id"]))

    def _balance(self, match: re.Match[str]) -> None:
        if self._authorised():
            self._send_json(*self.sandbox.transfers.balance(match["id"]))

    def _create_transfer(self, match: re.Match[str]) -> None:
        body = self._read_json()
        if body is UNREADABLE or not self._authorised():
            return
        self._send_json(*self.sandbox.transfers.create(match["id"], body, self.headers.get("Idempotency-Key")))

    def _get_transfer(self, match: re.Match[str]) -> None:
        if self._authorised():
            self._send_json(*self.sandbox.transfers.get(match["id"], match["transfer"]))

    def _query(self) -> dict[str, str]:
        return {k: v[-1] for k, v in urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query).items()}

    def _list_payables(self, match: re.Match[str]) -> None:
        if self._authorised():
            self._send_json(*self.sandbox.transfers.payables.search(self._query()))

    def _anticipation_limits(self, match: re.Match[str]) -> None:
        if self._authorised():
            self._send_json(*self._for_recipient(match, lambda p: p.limits(match["id"], self._query())))

    def _create_anticipation(self, match: re.Match[str]) -> None:
        body = self._read_json()
        if body is UNREADABLE or not self._authorised():
            return
        key = self.headers.get("Idempotency-Key")
        self._send_json(*self._for_recipient(match, lambda p: p.anticipate(match["id"], body, key)))

    def _get_anticipation(self, match: re.Match[str]) -> None:
        if self._authorised():
            self._send_json(*self._for_recipient(match, lambda p: p.anticipation(match["id"], match["anticipation"])))

    def _for_recipient(self, match: re.Match[str], answer):
        if self.sandbox.recipients.find(match["id"]) is None:
            return 404, RECIPIENT_NOT_FOUND
        return answer(self.sandbox.transfers.payables)

    def _set_clock(self, match: re.Match[str]) -> None:
        from datetime import date

        body = self._read_json()
        if body is UNREADABLE:
            return
        today = body.get("today") if isinstance(body, dict) else "?"
        try:
            day = None if today is None else date.fromisoformat(today)
        except (TypeError, ValueError):
            self._send_json(422, invalid_request({"today": ["The today field must be aaaa-mm-dd or null."]}, body))
            return
        self.sandbox.transfers.clock.set(day)
        self._send_json(200, {"today": self.sandbox.transfers.clock.today().isoformat()})

    def _finish_transfers(self, match: re.Match[str]) -> None:
        self._read_body()
        self.sandbox.transfers.finish_now()
        self._send_json(200, {"finished": True})

    def _kyc_page(self, match: re.Match[str]) -> None:
        recipient = self.sandbox.recipients.for_kyc_token(match["token"])
        if recipient is None:
            self._send(404, "<!doctype html><p lang=pt-BR>Link expirado ou inválido.".encode(), "text/html")
            return
        page = render_kyc_page(recipient).encode()
        self._send(200, page, "text/html; charset=utf-8", [("Cache-Control", "no-store")])

    def _approve_kyc(self, match: re.Match[str]) -> None:
        self._read_body()
        self.sandbox.recipients.approve_kyc(match["token"])
        self._send(303, b"", "text/plain", [("Location", f"/kyc/{match['token']}")])

    def _set_recipient_status(self, match: re.Match[str]) -> None:
        body = self._read_json()
        if body is not UNREADABLE:
            status = body.get("status") if isinstance(body, dict) else None
            self._send_json(*self.sandbox.recipients.set_status(match["id"], str(status)))

    # ---- public: tokenization with the public key, from the shopper's browser

    def _token_preflight(self, match: re.Match[str]) -> None:
        self._send(204, b"", "text/plain", self._cors())

    def _create_token(self, match: re.Match[str]) -> None:
        cors = self._cors()
        body = self._read_json(cors)
        if body is UNREADABLE:
            return
        app_id = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query).get("appId", [""])[0]
        if not hmac.compare_digest(app_id.encode(), self.sandbox.public_key.encode()):
            self._send_json(401, UNAUTHORIZED, cors)
            return
        self._send_json(*self.sandbox.create_token(body), cors)

    def _cors(self) -> list[tuple[str, str]]:
        origin = self.headers.get("Origin", "")
        if not _LOOPBACK_ORIGIN.match(origin):
            return []
        return [
            ("Access-Control-Allow-Origin", origin),
            ("Access-Control-Allow-Methods", "POST, OPTIONS"),
            ("Access-Control-Allow-Headers", "Content-Type"),
            ("Access-Control-Max-Age", "600"),
            ("Vary", "Origin"),
        ]

    # ---- public: what a payer's bank app and browser fetch

    def _transaction_file(self, match: re.Match[str]) -> None:
        charge = self.sandbox.find_transaction(match["id"])
        transaction = charge["last_transaction"] if charge else {}
        kind = match["kind"]
        if kind == "qrcode" and transaction.get("qr_code"):
            self._send(200, pix_qr_png(transaction["qr_code"]), "image/png")
        elif kind == "barcode" and transaction.get("line"):
            self._send(200, barcode_png(barcode_from_line(transaction["line"])), "image/png")
        elif kind == "pdf" and transaction.get("line") and charge:
            lines = [
                f"Boleto {self.sandbox.merchant_name} (sandbox)",
                f"Pedido {charge['code']}",
                f"Valor {format_brl(charge['amount'])}",
                f"Vencimento {transaction['due_at'][:10]}",
                f"Linha digitavel {transaction['line']}",
            ]
            self._send(200, boleto_pdf(lines), "application/pdf")
        else:
            self._send_json(404, {"message": "Transaction not found."})

    def _pay_page(self, match: re.Match[str]) -> None:
        charge = self.sandbox.charge_for_page(match["id"])
        if charge is None:
            self._send(404, b"<!doctype html><p lang=pt-BR>Cobran\xc3\xa7a n\xc3\xa3o encontrada.", "text/html")
            return
        page = render_pay_page(charge, self.sandbox.merchant_name).encode()
        self._send(200, page, "text/html; charset=utf-8", [("Cache-Control", "no-store")])

    def _pay_from_page(self, match: re.Match[str]) -> None:
        self._read_body()
        charge = self.sandbox.charge_for_page(match["id"])
        if charge is not None:
            self.sandbox.pay(charge["id"])
        # Post/redirect/get: the page shows the new status and a reload does not pay twice.
        self._send(303, b"", "text/plain", [("Location", f"/pay/{match['id']}")])

    def _pay_json(self, match: re.Match[str]) -> None:
        self._read_body()
        self._send_json(*self.sandbox.pay(match["id"]))

    def _review_json(self, match: re.Match[str]) -> None:
        body = self._read_json()
        if body is not UNREADABLE:
            self._send_json(*self.sandbox.review(match["id"], body))

    # ---- sandbox controls for webhooks (loopback, no key, like the pay route)

    def _add_webhook_target(self, match: re.Match[str]) -> None:
        body = self._read_json()
        if body is UNREADABLE:
            return
        fields = ("url", "username", "password")
        if not isinstance(body, dict) or not all(isinstance(body.get(name), str) for name in fields):
            self._send_json(
                422, invalid_request({"request": ["url, username and password are required strings."]}, body)
            )
            return
        try:
            target = self.sandbox.add_webhook_target(body["url"], body["username"], body["password"])
        except ValueError as exc:
            self._send_json(422, invalid_request({"url": [str(exc)]}, body))
            return
        self._send_json(201, target.view())

    def _webhook_deliveries(self, match: re.Match[str]) -> None:
        self._send_json(200, self.sandbox.webhooks.status())

    def _hold_webhooks(self, match: re.Match[str]) -> None:
        self._read_body()
        self.sandbox.webhooks.hold()
        self._send_json(200, {"holding": True})

    def _release_webhooks(self, match: re.Match[str]) -> None:
        body = self._read_json()
        if body is UNREADABLE:
            return
        options = body if isinstance(body, dict) else {}
        order, times = options.get("order", "original"), options.get("times", 1)
        if (
            order not in ("original", "reversed", "shuffled")
            or not is_plain_int(times)
            or not 1 <= times <= MAX_WEBHOOK_REPEATS
        ):
            errors = {"request": [f"order is original, reversed or shuffled; times is 1 to {MAX_WEBHOOK_REPEATS}."]}
            self._send_json(422, invalid_request(errors, body))
            return
        self._send_json(200, {"released": self.sandbox.webhooks.release(order, times)})

    def _resend_event(self, match: re.Match[str]) -> None:
        body = self._read_json()
        if body is UNREADABLE:
            return
        times = body.get("times", 1) if isinstance(body, dict) else 1
        if not is_plain_int(times) or not 1 <= times <= MAX_WEBHOOK_REPEATS:
            self._send_json(422, invalid_request({"times": [f"times is 1 to {MAX_WEBHOOK_REPEATS}."]}, body))
            return
        deliveries = self.sandbox.resend(match["id"], times)
        if deliveries is None:
            self._send_json(404, {"message": "Event not found."})
            return
        self._send_json(202, {"deliveries": deliveries})


_ID = r"(?P<id>[A-Za-z0-9_-]{1,64})"
_KYC_LINK = r"(?P<token>[A-Za-z0-9_-]{16,64})"
GatewayHandler.routes = [
    ("POST", re.compile(rf"{API_PREFIX}/orders"), GatewayHandler._create_order),
    ("GET", re.compile(rf"{API_PREFIX}/orders/{_ID}"), GatewayHandler._get_order),
    ("GET", re.compile(rf"{API_PREFIX}/charges/{_ID}"), GatewayHandler._get_charge),
    ("DELETE", re.compile(rf"{API_PREFIX}/charges/{_ID}"), GatewayHandler._cancel_charge),
    ("POST", re.compile(rf"{API_PREFIX}/charges/{_ID}/capture"), GatewayHandler._capture_charge),
    ("POST", re.compile(rf"{API_PREFIX}/recipients"), GatewayHandler._create_recipient),
    ("GET", re.compile(rf"{API_PREFIX}/recipients/{_ID}"), GatewayHandler._get_recipient),
    ("PATCH", re.compile(rf"{API_PREFIX}/recipients/{_ID}/default-bank-account"), GatewayHandler._update_bank_account),
    ("POST", re.compile(rf"{API_PREFIX}/recipients/{_ID}/kyc_link"), GatewayHandler._kyc_link),
    ("GET", re.compile(rf"{API_PREFIX}/recipients/{_ID}/balance"), GatewayHandler._balance),
    ("POST", re.compile(rf"{API_PREFIX}/recipients/{_ID}/transfers"), GatewayHandler._create_transfer),
    (
        "GET",
        re.compile(rf"{API_PREFIX}/recipients/{_ID}/transfers/(?P<transfer>[A-Za-z0-9_-]{{1,64}})"),
        GatewayHandler._get_transfer,
    ),
    ("GET", re.compile(rf"{API_PREFIX}/payables"), GatewayHandler._list_payables),
    ("GET", re.compile(rf"{API_PREFIX}/recipients/{_ID}/anticipation_limits"), GatewayHandler._anticipation_limits),
    ("POST", re.compile(rf"{API_PREFIX}/recipients/{_ID}/anticipations"), GatewayHandler._create_anticipation),
    (
        "GET",
        re.compile(rf"{API_PREFIX}/recipients/{_ID}/anticipations/(?P<anticipation>[A-Za-z0-9_-]{{1,64}})"),
        GatewayHandler._get_anticipation,
    ),
    ("POST", re.compile(r"/sandbox/transfers/finish"), GatewayHandler._finish_transfers),
    ("POST", re.compile(r"/sandbox/clock"), GatewayHandler._set_clock),
    ("GET", re.compile(rf"/kyc/{_KYC_LINK}"), GatewayHandler._kyc_page),
    ("POST", re.compile(rf"/kyc/{_KYC_LINK}"), GatewayHandler._approve_kyc),
    ("POST", re.compile(rf"/sandbox/recipients/{_ID}/status"), GatewayHandler._set_recipient_status),
    ("OPTIONS", re.compile(rf"{API_PREFIX}/tokens"), GatewayHandler._token_preflight),
    ("POST", re.compile(rf"{API_PREFIX}/tokens"), GatewayHandler._create_token),
    (
        "GET",
        re.compile(rf"{API_PREFIX}/transactions/{_ID}/(?P<kind>qrcode|barcode|pdf)"),
        GatewayHandler._transaction_file,
    ),
    ("GET", re.compile(rf"/pay/{_ID}"), GatewayHandler._pay_page),
    ("POST", re.compile(rf"/pay/{_ID}"), GatewayHandler._pay_from_page),
    ("POST", re.compile(rf"/sandbox/charges/{_ID}/pay"), GatewayHandler._pay_json),
    ("POST", re.compile(rf"/sandbox/charges/{_ID}/review"), GatewayHandler._review_json),
    ("POST", re.compile(r"/sandbox/webhooks/targets"), GatewayHandler._add_webhook_target),
    ("GET", re.compile(r"/sandbox/webhooks/deliveries"), GatewayHandler._webhook_deliveries),
    ("POST", re.compile(r"/sandbox/webhooks/hold"), GatewayHandler._hold_webhooks),
    ("POST", re.compile(r"/sandbox/webhooks/release"), GatewayHandler._release_webhooks),
    ("POST", re.compile(rf"/sandbox/events/{_ID}/resend"), GatewayHandler._resend_event),
]

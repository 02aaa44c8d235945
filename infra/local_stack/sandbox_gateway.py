"""The sandbox payment gateway: the subset of pagar.me's Core API v5 that Vitrine uses, on 127.0.0.1.

Same paths, auth and JSON as pagar.me (see ``tests/fixtures/pagarme/``), so Vitrine's real adapter
(``vitrine.payments.pagarme``) talks to it unchanged with ``PAGARME_BASE_URL`` set to ``<url>/core/v5``:

- ``POST /core/v5/orders``: one Pix, boleto or credit-card (``card_token``, ``auth_and_capture``) charge;
  ``Idempotency-Key`` replays the first answer. ``GET /core/v5/orders/{id}`` and ``GET /core/v5/charges/{id}``.
  HTTP Basic with the sandbox's secret key as the user.
- ``POST /core/v5/tokens?appId=<public key>``: card tokenization with the public key, CORS-enabled for loopback
  origins (the storefront at http://127.0.0.1:3000), so card data goes from the browser to the gateway only.
- Pix charges carry a valid BR Code (``vitrine.payments.pix``) and a ``qr_code_url`` served here as a PNG; a
  boleto carries a linha digitável, a barcode image and a one-page PDF.

Test cards (any future expiry date, any 3-digit CVV):

==================  =========================================================================================
4000000000000010    approved and captured: charge ``paid``
4000000000000028    declined by the issuer: charge ``failed``, "Transação não autorizada"
4000000000000036    sent to antifraud review: charge ``pending``, ``antifraud_response.status: pending``
any other number    declined, like an unknown card at pagar.me's simulator
==================  =========================================================================================

A person pays a pending charge on ``GET /pay/{charge_id}`` (a page with a "Pagar" button); a test does it with
``POST /sandbox/charges/{charge_id}/pay`` (JSON). State lives in memory and ends with the process.

Cancel and refund, ``DELETE /core/v5/charges/{id}`` with an optional ``{"amount": <centavos>}`` (and
``Idempotency-Key``, replayed like the orders'), answer the charge as pagar.me does:

================================  =======================================================  ==========================
charge                            becomes                                                  events
================================  =======================================================  ==========================
pending (Pix, boleto, card under  ``canceled``, ``canceled_amount`` = amount (in full      ``charge.refunded``,
review)                           only; transaction ``canceled``, a card's ``voided``)     ``order.canceled``
paid, refunded in full (or the    ``canceled``; a new last transaction ``refunded``        ``charge.refunded``,
rest after a partial refund)      (``operation_type: cancel``)                             ``order.canceled``
paid, refunded in part            stays ``paid``, ``canceled_amount`` grows; transaction   ``charge.partial_canceled``
                                  ``partial_refunded``
failed or canceled                412 ``{"message"}``
amount above the refundable rest  422 ``{"message", "errors": {"amount": [...]}}``
paid boleto, no bank_account      422 (pagar.me refunds a boleto to a bank account)
================================  =======================================================  ==========================

Pix expiry: a pending Pix past its ``expires_at`` is ``failed`` (charge, transaction and order), as pagar.me
reports an unpaid QR code that expired. The sandbox notices on the next read of the charge (any route that looks
it up) and emits ``charge.payment_failed`` and ``order.payment_failed`` then, once. Antifraud review: a card
under review (4000000000000036) is decided with ``POST /sandbox/charges/{id}/review`` ``{"decision": "approve"}``
(paid: ``charge.antifraud_approved``, ``charge.paid``, ``order.paid``) or ``{"decision": "reject"}`` (failed,
transaction ``voided``: ``charge.antifraud_reproved``, ``charge.payment_failed``, ``order.payment_failed``).
Refunds are synchronous here; at pagar.me a Pix refund passes through ``pending_refund`` first.

Capture, ``POST /core/v5/charges/{id}/capture`` with an optional ``{"amount": <centavos>}`` (and
``Idempotency-Key``, replayed like the others), is how the merchant approves a card under review through the API:
it does what the review route's ``approve`` does (the same function, the same events) and answers the charge
``paid``. Every sandbox card charge is ``auth_and_capture``, so the cards under review are the only authorised,
uncaptured charges there are. A charge already paid, failed or canceled, or a pending Pix or boleto, is 412
``{"message"}``; the sandbox captures in full only, so an amount other than the charge's is 422.

Webhooks: every event is appended to ``SandboxGateway.events`` in pagar.me's webhook body
(``{"id": "hook_...", "account": {"id", "name"}, "type", "created_at", "data": <charge or order>}``) and POSTed
to each target with the target's HTTP Basic user and password, as pagar.me's webhooks are configured, from one
background thread (so, unless told otherwise, in the order they happened). A non-2xx answer or a failed
connection is tried again after each delay of ``webhook_retry_delays`` (default 1, 2, 5, 10 and 30 s); after the
last one the delivery stays ``failed`` in the deliveries route. Controls, for tests and people:

======================================  ===========================================================================
``POST /sandbox/webhooks/targets``      ``{"url", "username", "password"}``: deliver every later event there too
                                        (or ``SandboxGateway(webhook_targets=...)``, or ``--webhook-url`` etc.)
``GET /sandbox/webhooks/deliveries``    targets, holding or not, held event ids, every delivery and its attempts
``POST /sandbox/events/{id}/resend``    send that event again: a duplicate, same ``hook_`` id; ``{"times": n}``
``POST /sandbox/webhooks/hold``         keep new events back instead of sending them
``POST /sandbox/webhooks/release``      send the held events, ``{"order": "original"|"reversed"|"shuffled",
                                        "times": n}`` (each n times); answers the event ids in sending order
======================================  ===========================================================================
"""

import argparse
import base64
import dataclasses
import hashlib
import heapq
import hmac
import html
import http.server
import io
import itertools
import json
import logging
import random
import re
import secrets
import string
import threading
import time
import urllib.parse
from collections.abc import Callable, Sequence
from copy import deepcopy
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import requests

from local_stack.loopback_http import UNREADABLE, JsonHandler
from vitrine.money import format_brl
from vitrine.payments.pix import build_br_code

log = logging.getLogger("local_stack.sandbox_gateway")

API_PREFIX = "/core/v5"
APPROVED_CARD = "4000000000000010"
DECLINED_CARD = "4000000000000028"
REVIEW_CARD = "4000000000000036"
TOKEN_TTL_SECONDS = 60  # as at pagar.me: a card token lives 60 s and is used once
MAX_BODY_BYTES = 1 << 20
MAX_INSTALLMENTS = 12
BOLETO_BANK = "341"
UNAUTHORIZED = {"message": "Authorization has been denied for this request."}
CHARGE_NOT_FOUND = {"message": "Charge not found."}
DEFAULT_WEBHOOK_RETRY_DELAYS = (1.0, 2.0, 5.0, 10.0, 30.0)
WEBHOOK_TIMEOUT_SECONDS = 10.0
MAX_WEBHOOK_REPEATS = 10
_LOOPBACK_ORIGIN = re.compile(r"^http://(127\.0\.0\.1|localhost)(:\d{1,5})?$")
_ID_ALPHABET = string.ascii_letters + string.digits


class SandboxGateway:
    """The sandbox as a thread in this process: ``start()``, then ``url``/``environment()``, then ``stop()``."""

    def __init__(
        self,
        port: int = 0,
        secret_key: str | None = None,
        public_key: str | None = None,
        merchant_name: str = "Vitrine Sandbox",
        merchant_city: str = "Sao Paulo",
        webhook_targets: Sequence["WebhookTarget"] = (),
        webhook_retry_delays: Sequence[float] = DEFAULT_WEBHOOK_RETRY_DELAYS,
        webhook_timeout: float = WEBHOOK_TIMEOUT_SECONDS,
    ) -> None:
        self.secret_key = secret_key or f"sk_test_{secrets.token_hex(16)}"
        self.public_key = public_key or f"pk_test_{secrets.token_hex(8)}"
        self.merchant_name = merchant_name
        self.merchant_city = merchant_city
        self.account = {"id": _new_id("acc_"), "name": f"{merchant_name} - test"}
        self.token_ttl_seconds = TOKEN_TTL_SECONDS
        # Every event in pagar.me's webhook body, in the order it happened; the sender delivers them.
        self.events: list[dict[str, Any]] = []
        self.webhooks = WebhookSender(webhook_retry_delays, webhook_timeout)
        for target in webhook_targets:
            self.webhooks.add_target(target)
        self._lock = threading.Lock()
        self._orders: dict[str, dict[str, Any]] = {}
        self._charge_orders: dict[str, str] = {}
        self._transactions: dict[str, str] = {}
        self._tokens: dict[str, dict[str, Any]] = {}
        # Answers replayed for a repeated Idempotency-Key, by (operation, key).
        self._replies: dict[tuple[str, str], tuple[int, dict[str, Any]]] = {}
        self._server = _Server(("127.0.0.1", port), _Handler)
        self._server.sandbox = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, name="sandbox-gateway", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return self.url + API_PREFIX

    def environment(self) -> dict[str, str]:
        """What a function needs to charge through this sandbox (see ``vitrine.payments.settings``)."""
        return {
            "PAGARME_BASE_URL": self.api_url,
            "PAGARME_SECRET_KEY": self.secret_key,
            "PAGARME_PUBLIC_KEY": self.public_key,
        }

    def start(self) -> None:
        self.webhooks.start()
        self._thread.start()
        log.info("sandbox gateway up at %s", self.url)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
        self.webhooks.stop()

    def add_webhook_target(self, url: str, username: str, password: str) -> "WebhookTarget":
        """Deliver every later event to ``url`` too, with these HTTP Basic credentials."""
        return self.webhooks.add_target(WebhookTarget(url, username, password))

    # ---------------------------------------------------------------- the API

    def create_order(self, body: Any, idempotency_key: str | None) -> tuple[int, dict[str, Any]]:
        errors = _order_errors(body)
        with self._lock:
            # One lock around replay and creation: two racing requests with one key make one order.
            replay_key = ("POST /orders", idempotency_key) if idempotency_key is not None else None
            replay = self._replies.get(replay_key) if replay_key is not None else None
            if replay is not None:
                return replay[0], deepcopy(replay[1])
            if errors:
                return 422, _invalid(errors, body)
            try:
                reply = self._create_order(body)
            except _Refused as refused:
                # As at pagar.me, a refusal is not remembered under its key; an order is.
                return 422, refused.reply
            if replay_key is not None:
                self._replies[replay_key] = (200, deepcopy(reply))
        return 200, reply

    def get_order(self, order_id: str) -> tuple[int, dict[str, Any]]:
        with self._lock:
            order = self._orders.get(order_id)
            if order is None:
                return 404, {"message": "Order not found."}
            self._expire_if_due(order)
            return 200, deepcopy(order)

    def get_charge(self, charge_id: str) -> tuple[int, dict[str, Any]]:
        with self._lock:
            order = self._order_of(charge_id)
            return (200, self._charge_view(order)) if order else (404, CHARGE_NOT_FOUND)

    def create_token(self, body: Any) -> tuple[int, dict[str, Any]]:
        card = body.get("card") if isinstance(body, dict) else None
        errors = _card_errors(card) if isinstance(card, dict) else {"request.card": ["The card field is required."]}
        if isinstance(body, dict) and body.get("type", "card") != "card":
            errors["request.type"] = ["The type must be card."]
        if errors:
            # The echo of the request leaves the card out, as a gateway must.
            echo = {k: v for k, v in body.items() if k != "card"} if isinstance(body, dict) else None
            return 422, _invalid(errors, echo)
        assert isinstance(card, dict)
        number = str(card["number"])
        now = _now()
        token = {
            "id": _new_id("token_"),
            "type": "card",
            "created_at": _instant(now),
            "expires_at": _instant(now + timedelta(seconds=self.token_ttl_seconds)),
            "card": {
                "first_six_digits": number[:6],
                "last_four_digits": number[-4:],
                "holder_name": str(card["holder_name"]).upper(),
                "exp_month": card["exp_month"],
                "exp_year": card["exp_year"],
                "brand": _brand(number),
            },
        }
        with self._lock:
            expires = time.monotonic() + self.token_ttl_seconds
            self._tokens[token["id"]] = {"number": number, "public": token, "expires": expires}
        return 200, token

    def pay(self, charge_id: str) -> tuple[int, dict[str, Any]]:
        """Settle a pending charge as its payer would (a Pix paid, a boleto paid, antifraud approving a card)."""
        with self._lock:
            order = self._order_of(charge_id)
            if order is None:
                return 404, CHARGE_NOT_FOUND
            charge = order["charges"][0]
            if charge["status"] == "paid":
                return 200, self._charge_view(order)
            if charge["status"] != "pending":
                return 409, {"message": f"A charge with status {charge['status']} cannot be paid."}
            self._settle(order)
            return 200, self._charge_view(order)

    def review(self, charge_id: str, body: Any) -> tuple[int, dict[str, Any]]:
        """Decide a card held by the antifraud: ``approve`` captures it, ``reject`` voids it."""
        decision = body.get("decision") if isinstance(body, dict) else None
        if decision not in ("approve", "reject"):
            return 422, _invalid({"decision": ["The decision must be approve or reject."]}, body)
        with self._lock:
            order = self._order_of(charge_id)
            if order is None:
                return 404, CHARGE_NOT_FOUND
            charge = order["charges"][0]
            if not _under_review(charge):
                return 409, {"message": f"The charge is not under antifraud review (status {charge['status']})."}
            if decision == "approve":
                self._capture(order)
                return 200, self._charge_view(order)
            now = _instant(_now())
            transaction = charge["last_transaction"]
            transaction["antifraud_response"]["status"] = "reproved"
            transaction.update(
                status="voided", success=False, acquirer_message="Transação recusada pela análise antifraude"
            )
            transaction["updated_at"] = now
            charge.update(status="failed", updated_at=now)
            order.update(status="failed", updated_at=now)
            self._event("charge.antifraud_reproved", order)
            self._event("charge.payment_failed", order)
            self._event("order.payment_failed", order)
            return 200, self._charge_view(order)

    def cancel_charge(self, charge_id: str, body: Any, idempotency_key: str | None) -> tuple[int, dict[str, Any]]:
        """``DELETE /charges/{id}``: cancel a pending charge, or refund a paid one in full or in part."""
        errors = _cancel_errors(body)
        with self._lock:
            replay_key = (f"DELETE /charges/{charge_id}", idempotency_key) if idempotency_key is not None else None
            replay = self._replies.get(replay_key) if replay_key is not None else None
            if replay is not None:
                return replay[0], deepcopy(replay[1])
            order = self._order_of(charge_id)
            if order is None:
                return 404, CHARGE_NOT_FOUND
            if errors:
                return 422, _invalid(errors, body)
            status, reply = self._cancel(order, body or {})
            # As with orders, only a done cancellation is remembered under its key.
            if status == 200 and replay_key is not None:
                self._replies[replay_key] = (status, deepcopy(reply))
            return status, reply

    def capture_charge(self, charge_id: str, body: Any, idempotency_key: str | None) -> tuple[int, dict[str, Any]]:
        """``POST /charges/{id}/capture``: capture an authorised card (here: one under antifraud review)."""
        errors = _cancel_errors(body)
        with self._lock:
            operation = f"POST /charges/{charge_id}/capture"
            replay_key = (operation, idempotency_key) if idempotency_key is not None else None
            replay = self._replies.get(replay_key) if replay_key is not None else None
            if replay is not None:
                return replay[0], deepcopy(replay[1])
            order = self._order_of(charge_id)
            if order is None:
                return 404, CHARGE_NOT_FOUND
            if errors:
                return 422, _invalid(errors, body)
            charge = order["charges"][0]
            if not _capturable(charge):
                return 412, {"message": f"The charge can not be captured. Status: {charge['status']}."}
            amount = (body or {}).get("amount", charge["amount"])
            if amount != charge["amount"]:
                errors = {"amount": [f"The sandbox captures the full amount only ({charge['amount']})."]}
                return 422, _invalid(errors, body)
            self._capture(order)
            reply = self._charge_view(order)
            # As with cancellations, only a done capture is remembered under its key.
            if replay_key is not None:
                self._replies[replay_key] = (200, deepcopy(reply))
            return 200, reply

    def resend(self, event_id: str, times: int = 1) -> list[dict[str, Any]] | None:
        """Send an event again to every target (a duplicate delivery, as a gateway's retry would be)."""
        with self._lock:
            event = next((event for event in self.events if event["id"] == event_id), None)
        return None if event is None else self.webhooks.send(event, times)

    # ---------------------------------------------------------------- state (under the lock)

    def _create_order(self, body: dict[str, Any]) -> dict[str, Any]:
        payment = body["payments"][0]
        now = _now()
        customer = {
            "id": _new_id("cus_"),
            **{k: v for k, v in body["customer"].items() if k != "phones"},
            "document_type": "cpf" if len(str(body["customer"]["document"])) == 11 else "cnpj",
            "delinquent": False,
            "created_at": _instant(now),
            "updated_at": _instant(now),
            "phones": body["customer"].get("phones", {}),
        }
        amount = _total(body)
        order_id = _new_id("or_")
        code = str(body.get("code") or _new_id("", 10).upper())
        metadata = payment.get("metadata") or body.get("metadata") or {}
        transaction, charge_status = self._transaction(payment, amount, now)
        charge = {
            "id": _new_id("ch_"),
            "code": code,
            "gateway_id": _new_uuid(),
            "amount": amount,
            "status": charge_status,
            "currency": "BRL",
            "payment_method": payment["payment_method"],
            "created_at": _instant(now),
            "updated_at": _instant(now),
            "customer": customer,
            "last_transaction": transaction,
            "metadata": metadata,
        }
        if charge_status == "paid":
            charge.update(paid_amount=amount, paid_at=_instant(now))
        order = {
            "id": order_id,
            "code": code,
            "amount": amount,
            "currency": "BRL",
            "closed": body.get("closed", True),
            "items": [
                {
                    "id": _new_id("oi_"),
                    "type": "product",
                    "description": item["description"],
                    "amount": item["amount"],
                    "quantity": item["quantity"],
                    "status": "active",
                    "created_at": _instant(now),
                    "updated_at": _instant(now),
                    **({"code": item["code"]} if "code" in item else {}),
                }
                for item in body["items"]
            ],
            "customer": customer,
            "status": {"paid": "paid", "failed": "failed"}.get(charge_status, "pending"),
            "created_at": _instant(now),
            "updated_at": _instant(now),
            "closed_at": _instant(now),
            "charges": [charge],
            "checkouts": [],
            "metadata": body.get("metadata") or metadata,
        }
        self._orders[order_id] = order
        self._charge_orders[charge["id"]] = order_id
        self._transactions[transaction["id"]] = charge["id"]
        self._event("order.created", order)
        self._event(_CHARGE_EVENTS[charge_status], order)
        if transaction.get("antifraud_response", {}).get("status") == "pending":
            self._event("charge.antifraud_pending", order)
        if order["status"] != "pending":
            self._event(f"order.{'paid' if order['status'] == 'paid' else 'payment_failed'}", order)
        return deepcopy(order)

    def _transaction(self, payment: dict[str, Any], amount: int, now: datetime) -> tuple[dict[str, Any], str]:
        transaction_id = _new_id("tran_")
        base = {
            "id": transaction_id,
            "transaction_type": payment["payment_method"],
            "gateway_id": _new_uuid(),
            "amount": amount,
            "created_at": _instant(now),
            "updated_at": _instant(now),
        }
        method = payment["payment_method"]
        if method == "pix":
            expires_at = now + timedelta(seconds=int(payment["pix"].get("expires_in", 86400)))
            txid = transaction_id.removeprefix("tran_")
            qr_code = build_br_code(
                amount=amount,
                merchant_name=self.merchant_name,
                merchant_city=self.merchant_city,
                location_url=f"127.0.0.1:{self.port}/pix/v2/{txid}",
                txid=txid,
            )
            return {
                **base,
                "status": "waiting_payment",
                "success": True,
                "qr_code": qr_code,
                "qr_code_url": f"{self.api_url}/transactions/{transaction_id}/qrcode?payment_method=pix",
                "expires_at": _instant(expires_at),
                "gateway_response": {},
                "antifraud_response": {},
                "metadata": {},
            }, "pending"
        if method == "boleto":
            due_at = _parse_instant(payment["boleto"]["due_at"]) if payment["boleto"].get("due_at") else now
            barcode = _boleto_barcode(amount, due_at.date(), transaction_id)
            return {
                **base,
                "status": "generated",
                "success": True,
                "url": f"{self.url}/pay/{transaction_id}",
                "pdf": f"{self.api_url}/transactions/{transaction_id}/pdf",
                "line": _boleto_line(barcode),
                "barcode": f"{self.api_url}/transactions/{transaction_id}/barcode",
                "nosso_numero": barcode[-8:],
                "type": payment["boleto"].get("type", "DM"),
                "document_number": str(payment["boleto"].get("document_number") or barcode[-8:]),
                "instructions": payment["boleto"].get("instructions", ""),
                "due_at": _instant(datetime.combine(due_at.date(), datetime.min.time(), UTC)),
                "gateway_response": {"code": "201"},
                "antifraud_response": {},
            }, "pending"
        card_request = payment["credit_card"]
        token = self._tokens.pop(card_request["card_token"], None)
        if token is None or token["expires"] < time.monotonic():
            errors = {"order.payments[0].credit_card.card_token": ["The card token is invalid or expired."]}
            raise _Refused(_invalid(errors, {"payments": [payment]}))
        number = token["number"]
        approved, review = number == APPROVED_CARD, number == REVIEW_CARD
        status = "captured" if approved else "authorized_pending_capture" if review else "not_authorized"
        transaction = {
            "operation_key": str(secrets.randbelow(10**9)),
            **base,
            "status": status,
            "success": approved or review,
            "installments": card_request.get("installments", 1),
            "statement_descriptor": card_request.get("statement_descriptor", "VITRINE"),
            "acquirer_name": "simulator",
            "acquirer_tid": str(secrets.randbelow(10**9)),
            "acquirer_nsu": str(secrets.randbelow(10**5)),
            **({"acquirer_auth_code": str(secrets.randbelow(1000))} if approved or review else {}),
            "acquirer_message": {
                "captured": "Transação capturada com sucesso",
                "authorized_pending_capture": "Transação autorizada com sucesso",
            }.get(status, "Transação não autorizada"),
            "acquirer_return_code": "01" if status == "not_authorized" else "00",
            "operation_type": card_request.get("operation_type", "auth_and_capture"),
            "card": {
                "id": _new_id("card_"),
                **token["public"]["card"],
                "status": "active",
                "type": "credit",
                "created_at": _instant(now),
                "updated_at": _instant(now),
            },
            "payment_type": "PAN",
            "funding_source": "credit",
            "gateway_response": {"code": "200", "errors": []},
            "antifraud_response": (
                {"status": "pending", "score": "moderate", "provider_name": "pagarme"}
                if review
                else {"status": "approved", "score": "very_low", "provider_name": "pagarme"}
                if approved
                else {}
            ),
            "metadata": {},
        }
        return transaction, "paid" if approved else "pending" if review else "failed"

    def _charge_view(self, order: dict[str, Any]) -> dict[str, Any]:
        """A charge as ``GET /charges/{id}`` shows it: with a summary of its order."""
        charge = deepcopy(order["charges"][0])
        charge["order"] = {
            key: order[key]
            for key in ("id", "code", "amount", "currency", "closed", "created_at", "updated_at", "closed_at")
        }
        charge["order"].update(customer_id=order["customer"]["id"], status=order["status"], metadata=order["metadata"])
        return charge

    def _order_of(self, charge_id: str) -> dict[str, Any] | None:
        """The order holding this charge, with an expired Pix marked as such first (every lookup goes here)."""
        order_id = self._charge_orders.get(charge_id)
        if order_id is None:
            return None
        order = self._orders[order_id]
        self._expire_if_due(order)
        return order

    def _expire_if_due(self, order: dict[str, Any]) -> None:
        charge = order["charges"][0]
        transaction = charge["last_transaction"]
        if charge["status"] != "pending" or transaction["transaction_type"] != "pix":
            return
        if _now() < _parse_instant(transaction["expires_at"]):
            return
        now = _instant(_now())
        transaction.update(status="failed", success=False, updated_at=now)
        charge.update(status="failed", updated_at=now)
        order.update(status="failed", updated_at=now)
        self._event("charge.payment_failed", order)
        self._event("order.payment_failed", order)

    def _settle(self, order: dict[str, Any]) -> None:
        charge = order["charges"][0]
        transaction = charge["last_transaction"]
        now = _instant(_now())
        if transaction["transaction_type"] == "credit_card":
            transaction["antifraud_response"]["status"] = "approved"
            transaction.update(status="captured", acquirer_message="Transação capturada com sucesso")
            self._event("charge.antifraud_approved", order)
        else:
            transaction["status"] = "paid"
        if transaction["transaction_type"] == "pix":
            transaction["end_to_end_id"] = f"E00000000{datetime.now(UTC):%Y%m%d%H%M}{secrets.token_hex(6)}"
        transaction["updated_at"] = now
        charge.update(status="paid", paid_amount=charge["amount"], paid_at=now, updated_at=now)
        order.update(status="paid", updated_at=now)
        self._event("charge.paid", order)
        self._event("order.paid", order)

    def _capture(self, order: dict[str, Any]) -> None:
        """Capture a card held for review: the antifraud approves it and it is paid (review ``approve`` and the
        capture route both end here)."""
        assert _capturable(order["charges"][0])
        self._settle(order)

    def _cancel(self, order: dict[str, Any], body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        charge = order["charges"][0]
        transaction = charge["last_transaction"]
        amount = body.get("amount")
        now = _instant(_now())
        if charge["status"] == "pending":
            if amount is not None and amount != charge["amount"]:
                errors = {"amount": ["A pending charge is canceled in full: leave the amount out."]}
                return 422, _invalid(errors, body)
            voided = "voided" if transaction["transaction_type"] == "credit_card" else "canceled"
            transaction.update(status=voided, updated_at=now)
            charge.update(status="canceled", canceled_amount=charge["amount"], canceled_at=now, updated_at=now)
            order.update(status="canceled", updated_at=now)
            self._event("charge.refunded", order)
            self._event("order.canceled", order)
            return 200, self._charge_view(order)
        if charge["status"] != "paid":
            return 412, {"message": f"The charge can not be canceled. Status: {charge['status']}."}
        refundable = charge["paid_amount"] - charge.get("canceled_amount", 0)
        amount = refundable if amount is None else amount
        if amount > refundable:
            errors = {"amount": [f"The amount can not be greater than the charge's remaining amount ({refundable})."]}
            return 422, _invalid(errors, body)
        if charge["payment_method"] == "boleto" and not body.get("bank_account"):
            return 422, _invalid({"bank_account": ["The bank_account is required to refund a boleto."]}, body)
        canceled = charge.get("canceled_amount", 0) + amount
        in_full = canceled == charge["paid_amount"]
        # Each refund is a transaction of its own (operation_type cancel) and becomes the last one.
        refund = {
            **deepcopy(transaction),
            "id": _new_id("tran_"),
            "gateway_id": _new_uuid(),
            "amount": amount,
            "status": "refunded" if in_full else "partial_refunded",
            "success": True,
            "operation_type": "cancel",
            "created_at": now,
            "updated_at": now,
        }
        if refund["transaction_type"] == "credit_card":
            refund.update(acquirer_message="Transação cancelada com sucesso", acquirer_return_code="00")
        charge["last_transaction"] = refund
        self._transactions[refund["id"]] = charge["id"]
        charge.update(canceled_amount=canceled, updated_at=now)
        if not in_full:
            self._event("charge.partial_canceled", order)
            return 200, self._charge_view(order)
        charge.update(status="canceled", canceled_at=now)
        order.update(status="canceled", updated_at=now)
        self._event("charge.refunded", order)
        self._event("order.canceled", order)
        return 200, self._charge_view(order)

    def _event(self, event_type: str, order: dict[str, Any]) -> None:
        """Record and publish an event; a ``charge.*`` event carries the charge as ``GET /charges`` shows it."""
        data = self._charge_view(order) if event_type.startswith("charge.") else deepcopy(order)
        event = {
            "id": _new_id("hook_"),
            "account": dict(self.account),
            "type": event_type,
            "created_at": _instant(_now()),
            "data": data,
        }
        self.events.append(event)
        self.webhooks.publish(event)

    def _find_transaction(self, transaction_id: str) -> dict[str, Any] | None:
        with self._lock:
            charge_id = self._transactions.get(transaction_id)
            order = self._order_of(charge_id) if charge_id else None
            return deepcopy(order["charges"][0]) if order else None

    def _charge_for_page(self, identifier: str) -> dict[str, Any] | None:
        """The charge a pay page names: by charge id, or by transaction id (a boleto's ``url``)."""
        with self._lock:
            order = self._order_of(self._transactions.get(identifier, identifier))
            return self._charge_view(order) if order else None


_CHARGE_EVENTS = {"paid": "charge.paid", "failed": "charge.payment_failed", "pending": "charge.pending"}


class _Refused(Exception):
    """A request pagar.me would answer 422 only once it looks at the state (an unknown or used card token)."""

    def __init__(self, reply: dict[str, Any]) -> None:
        super().__init__(reply["message"])
        self.reply = reply


# ---------------------------------------------------------------- webhooks


@dataclass(frozen=True)
class WebhookTarget:
    """Where events go, with the HTTP Basic credentials the receiver expects (pagar.me's webhook settings)."""

    url: str
    username: str
    password: str = dataclasses.field(repr=False)

    def __post_init__(self) -> None:
        if urllib.parse.urlsplit(self.url).scheme not in ("http", "https"):
            raise ValueError(f"a webhook target is an http(s) URL, not {self.url!r}")

    def view(self) -> dict[str, str]:
        return {"url": self.url, "username": self.username}


@dataclass
class _Delivery:
    """One event on its way to one target: its attempts so far and what became of it."""

    id: str
    event: dict[str, Any]
    target: WebhookTarget
    status: str = "pending"
    attempts: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    next_attempt_at: float | None = None

    def view(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "event_id": self.event["id"],
            "event_type": self.event["type"],
            "url": self.target.url,
            "status": self.status,
            "attempts": list(self.attempts),
            "next_attempt_in": (
                None if self.next_attempt_at is None else round(max(0.0, self.next_attempt_at - time.monotonic()), 3)
            ),
        }


class WebhookSender:
    """Delivers events to every target from one background thread: first attempt at once, then one more after each
    of ``retry_delays`` while the target answers non-2xx or cannot be reached; a delivery that runs out of
    attempts stays ``failed``. Holding keeps new events back until ``release``."""

    def __init__(self, retry_delays: Sequence[float], timeout: float) -> None:
        self.retry_delays = tuple(float(delay) for delay in retry_delays)
        self.timeout = timeout
        self._targets: list[WebhookTarget] = []
        self._deliveries: list[_Delivery] = []
        self._due: list[tuple[float, int, _Delivery]] = []
        self._held: list[dict[str, Any]] | None = None
        self._sequence = itertools.count()
        self._condition = threading.Condition()
        self._stopping = False
        self._thread = threading.Thread(target=self._deliver_forever, name="sandbox-webhooks", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        with self._condition:
            self._stopping = True
            self._condition.notify_all()
        self._thread.join(timeout=self.timeout + 1)

    def add_target(self, target: WebhookTarget) -> WebhookTarget:
        with self._condition:
            self._targets.append(target)
        return target

    def publish(self, event: dict[str, Any]) -> None:
        with self._condition:
            if self._held is not None:
                self._held.append(event)
            else:
                self._queue([event])

    def send(self, event: dict[str, Any], times: int = 1) -> list[dict[str, Any]]:
        """Queue ``event`` ``times`` more times for every target, held or not; the new deliveries."""
        with self._condition:
            return [delivery.view() for delivery in self._queue([event] * times)]

    def hold(self) -> None:
        with self._condition:
            if self._held is None:
                self._held = []

    def release(self, order: str = "original", times: int = 1) -> list[str]:
        """Send the held events (each ``times`` times) in ``order``, stop holding; the event ids as queued."""
        with self._condition:
            held, self._held = self._held or [], None
            if order == "reversed":
                batch = held[::-1] * times
            else:
                batch = held * times
                if order == "shuffled":
                    random.shuffle(batch)
            self._queue(batch)
            return [event["id"] for event in batch]

    def status(self) -> dict[str, Any]:
        with self._condition:
            return {
                "targets": [target.view() for target in self._targets],
                "retry_delays": list(self.retry_delays),
                "holding": self._held is not None,
                "held": [event["id"] for event in self._held or []],
                "deliveries": [delivery.view() for delivery in self._deliveries],
            }

    def _queue(self, events: list[dict[str, Any]]) -> list[_Delivery]:
        """Under the condition: one delivery per event and target, due now, in this order."""
        queued = []
        now = time.monotonic()
        for event in events:
            for target in self._targets:
                delivery = _Delivery(_new_id("dlv_"), event, target, next_attempt_at=now)
                self._deliveries.append(delivery)
                heapq.heappush(self._due, (now, next(self._sequence), delivery))
                queued.append(delivery)
        self._condition.notify_all()
        return queued

    def _deliver_forever(self) -> None:
        while True:
            with self._condition:
                while not self._stopping and (not self._due or self._due[0][0] > time.monotonic()):
                    self._condition.wait(self._due[0][0] - time.monotonic() if self._due else None)
                if self._stopping:
                    return
                _, _, delivery = heapq.heappop(self._due)
            attempt = self._attempt(delivery)
            with self._condition:
                delivery.attempts.append(attempt)
                retries_done = len(delivery.attempts) - 1
                if 200 <= attempt.get("status", 0) < 300:
                    delivery.status, delivery.next_attempt_at = "delivered", None
                elif retries_done < len(self.retry_delays):
                    delivery.next_attempt_at = time.monotonic() + self.retry_delays[retries_done]
                    heapq.heappush(self._due, (delivery.next_attempt_at, next(self._sequence), delivery))
                else:
                    delivery.status, delivery.next_attempt_at = "failed", None
                    log.warning(
                        "webhook %s to %s failed after %d attempts",
                        delivery.event["id"],
                        delivery.target.url,
                        len(delivery.attempts),
                    )

    def _attempt(self, delivery: _Delivery) -> dict[str, Any]:
        at = _instant(_now())
        try:
            response = requests.post(
                delivery.target.url,
                data=json.dumps(delivery.event, ensure_ascii=False).encode(),
                headers={"Content-Type": "application/json", "User-Agent": "vitrine-sandbox-gateway"},
                auth=(delivery.target.username, delivery.target.password),
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            return {"at": at, "error": type(exc).__name__}
        return {"at": at, "status": response.status_code, "response": response.text[:200]}


# ---------------------------------------------------------------- validation, in pagar.me's error shape


def _invalid(errors: dict[str, list[str]], request: Any) -> dict[str, Any]:
    return {"message": "The request is invalid.", "errors": errors, "request": request}


def _is_int(value: Any) -> bool:
    # Money is integer centavos: 10.5 or "1050" would be a bug on the caller's side, so it is refused.
    return isinstance(value, int) and not isinstance(value, bool)


def _cancel_errors(body: Any) -> dict[str, list[str]]:
    if body is None:
        return {}
    if not isinstance(body, dict):
        return {"request": ["The request body must be a JSON object."]}
    if "amount" in body and (not _is_int(body["amount"]) or body["amount"] <= 0):
        return {"amount": ["The amount must be a positive integer of cents."]}
    return {}


def _under_review(charge: dict[str, Any]) -> bool:
    antifraud = charge["last_transaction"].get("antifraud_response") or {}
    return charge["status"] == "pending" and antifraud.get("status") == "pending"


def _capturable(charge: dict[str, Any]) -> bool:
    """An authorised, uncaptured card: in the sandbox, a card under antifraud review."""
    transaction = charge["last_transaction"]
    return (
        charge["status"] == "pending"
        and transaction["transaction_type"] == "credit_card"
        and transaction["status"] == "authorized_pending_capture"
    )


def _order_errors(body: Any) -> dict[str, list[str]]:
    if not isinstance(body, dict):
        return {"order": ["The request body must be a JSON object."]}
    errors: dict[str, list[str]] = {}
    items = body.get("items")
    if not isinstance(items, list) or not items:
        errors["order.items"] = ["At least one item is required."]
        items = []
    for index, item in enumerate(items):
        where = f"order.items[{index}]"
        if not isinstance(item, dict):
            errors[where] = ["The item must be an object."]
            continue
        if not _is_int(item.get("amount")) or item["amount"] < 0:
            errors[f"{where}.amount"] = ["The amount must be an integer of cents, 0 or more."]
        if not _is_int(item.get("quantity")) or item["quantity"] < 1:
            errors[f"{where}.quantity"] = ["The quantity must be an integer, 1 or more."]
        if not isinstance(item.get("description"), str) or not item["description"]:
            errors[f"{where}.description"] = ["The description field is required."]
    customer = body.get("customer")
    if not isinstance(customer, dict):
        errors["order.customer"] = ["The customer field is required."]
        customer = {}
    for field in ("name", "email", "document", "type"):
        if not isinstance(customer.get(field), str) or not customer[field]:
            errors[f"order.customer.{field}"] = [f"The {field} field is required."]
    if isinstance(customer.get("document"), str) and len(customer["document"]) not in (11, 14):
        errors["order.customer.document"] = ["The document must have 11 (CPF) or 14 (CNPJ) digits."]
    payments = body.get("payments")
    if not isinstance(payments, list) or len(payments) != 1 or not isinstance(payments[0], dict):
        errors["order.payments"] = ["The sandbox takes exactly one payment per order."]
        return errors
    errors.update(_payment_errors(payments[0], customer, _total(body) if not errors else None))
    return errors


def _payment_errors(payment: dict[str, Any], customer: dict[str, Any], total: int | None) -> dict[str, list[str]]:
    where = "order.payments[0]"
    method = payment.get("payment_method")
    if method not in ("pix", "boleto", "credit_card"):
        return {f"{where}.payment_method": ["The sandbox takes pix, boleto or credit_card."]}
    errors: dict[str, list[str]] = {}
    if "amount" in payment and (not _is_int(payment["amount"]) or (total is not None and payment["amount"] != total)):
        errors[f"{where}.amount"] = ["The amount must be an integer equal to the order's total."]
    options = payment.get(method)
    if not isinstance(options, dict):
        return {**errors, f"{where}.{method}": [f"The {method} field is required."]}
    if method == "pix":
        if "expires_in" in options and (not _is_int(options["expires_in"]) or options["expires_in"] <= 0):
            errors[f"{where}.pix.expires_in"] = ["The expires_in must be a positive number of seconds."]
        if not customer.get("phones"):
            errors["order.customer.phones"] = ["The phones field is required for Pix."]
    elif method == "boleto":
        address = customer.get("address")
        if not isinstance(address, dict) or not all(address.get(k) for k in ("line_1", "zip_code", "city", "state")):
            errors["order.customer.address"] = ["The address (line_1, zip_code, city, state) is required for boleto."]
        if "due_at" in options and not _readable_instant(options["due_at"]):
            errors[f"{where}.boleto.due_at"] = ["The due_at must be a date-time."]
    else:
        if not isinstance(options.get("card_token"), str) or not options["card_token"]:
            errors[f"{where}.credit_card.card_token"] = ["The sandbox takes cards as card_token only."]
        installments = options.get("installments", 1)
        if not _is_int(installments) or not 1 <= installments <= MAX_INSTALLMENTS:
            errors[f"{where}.credit_card.installments"] = [f"The installments must be 1 to {MAX_INSTALLMENTS}."]
        if options.get("operation_type", "auth_and_capture") != "auth_and_capture":
            errors[f"{where}.credit_card.operation_type"] = ["The sandbox takes auth_and_capture only."]
    return errors


def _card_errors(card: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    number = str(card.get("number", ""))
    if not (number.isdigit() and 13 <= len(number) <= 19 and _luhn(number)):
        errors["request.card.number"] = ["The card number is invalid."]
    if not isinstance(card.get("holder_name"), str) or not card["holder_name"].strip():
        errors["request.card.holder_name"] = ["The holder_name field is required."]
    month, year = card.get("exp_month"), card.get("exp_year")
    if not (_is_int(month) and _is_int(year) and 1 <= month <= 12):
        errors["request.card.exp_month"] = ["The expiration month and year are required."]
    else:
        full_year = year + 2000 if year < 100 else year
        today = _now()
        if (full_year, month) < (today.year, today.month):
            errors["request.card.exp_year"] = ["The card is expired."]
    cvv = str(card.get("cvv", ""))
    if not (cvv.isdigit() and len(cvv) in (3, 4)):
        errors["request.card.cvv"] = ["The cvv must have 3 or 4 digits."]
    return errors


def _luhn(number: str) -> bool:
    total = 0
    for index, digit in enumerate(reversed(number)):
        value = int(digit) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _brand(number: str) -> str:
    if number.startswith(("4011", "4312", "4389", "4514", "4576", "5041", "5066", "5067", "5090", "6277", "6362")):
        return "Elo"
    if number.startswith("4"):
        return "Visa"
    if number[:2] in {"51", "52", "53", "54", "55"} or "2221" <= number[:4] <= "2720":
        return "Mastercard"
    if number[:2] in {"34", "37"}:
        return "Amex"
    return "Unknown"


def _total(body: dict[str, Any]) -> int:
    shipping = body.get("shipping") or {}
    return sum(item["amount"] * item["quantity"] for item in body["items"]) + int(shipping.get("amount") or 0)


# ---------------------------------------------------------------- boleto: barcode, linha digitável, PDF


def _boleto_barcode(amount: int, due: date, seed: str) -> str:
    """The 44-digit FEBRABAN barcode: bank, currency 9, check digit, due-date factor, amount, free field."""
    days = (due - date(1997, 10, 7)).days
    # The factor went past 9999 on 2025-02-22 and starts again at 1000 (FEBRABAN's rule).
    factor = days if days <= 9999 else (days - 10000) % 9000 + 1000
    free = str(int(hashlib.sha256(seed.encode()).hexdigest(), 16))[:25].rjust(25, "0")
    body = f"{BOLETO_BANK}9{factor:04d}{amount:010d}{free}"
    return body[:4] + str(_mod11(body)) + body[4:]


def _boleto_line(barcode: str) -> str:
    free = barcode[19:]
    one = barcode[:4] + free[:5]
    two, three = free[5:15], free[15:25]
    one, two, three = (part + str(_mod10(part)) for part in (one, two, three))
    return f"{one[:5]}.{one[5:]} {two[:5]}.{two[5:]} {three[:5]}.{three[5:]} {barcode[4]} {barcode[5:19]}"


def _mod10(digits: str) -> int:
    total = 0
    for index, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if index % 2 == 0 else 1)
        total += value // 10 + value % 10
    return (10 - total % 10) % 10


def _mod11(digits: str) -> int:
    total = sum(int(d) * (2 + index % 8) for index, d in enumerate(reversed(digits)))
    check = 11 - total % 11
    return 1 if check in (0, 10, 11) else check


# Interleaved 2 of 5, the boleto's barcode: each pair of digits is five bars (first digit) and five spaces.
_ITF = ["nnwwn", "wnnnw", "nwnnw", "wwnnn", "nnwnw", "wnwnn", "nwwnn", "nnnww", "wnnwn", "nwnwn"]


def _barcode_png(digits: str) -> bytes:
    from PIL import Image, ImageDraw

    widths = [1, 1, 1, 1]  # start: narrow bar, space, bar, space
    for first, second in zip(digits[::2], digits[1::2], strict=True):
        for bar, space in zip(_ITF[int(first)], _ITF[int(second)], strict=True):
            widths += [3 if bar == "w" else 1, 3 if space == "w" else 1]
    widths += [3, 1, 1]  # stop: wide bar, narrow space, narrow bar
    scale, quiet, height = 2, 20, 100
    image = Image.new("1", (sum(widths) * scale + 2 * quiet, height), 1)
    draw = ImageDraw.Draw(image)
    x = quiet
    for index, width in enumerate(widths):
        if index % 2 == 0:
            draw.rectangle([x, 0, x + width * scale - 1, height - 1], fill=0)
        x += width * scale
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _pdf(lines: list[str]) -> bytes:
    """A one-page PDF with these lines of text: enough for a browser to show a printable boleto."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = "BT /F1 12 Tf 56 780 Td 16 TL " + " ".join(f"({escape(line)}) '" for line in lines) + " ET"
    stream = text.encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    document = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(document))
        document += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    xref = len(document)
    document += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    document += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    document += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(document)


def _qr_png(text: str) -> bytes:
    import qrcode

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- the pay page (shopper-facing: Portuguese)

_STATUS_TEXT = {
    "pending": "Aguardando pagamento",
    "paid": "Pago",
    "failed": "Recusado",
    "canceled": "Cancelado",
}
_METHOD_TEXT = {"pix": "Pix", "boleto": "Boleto", "credit_card": "Cartão de crédito"}


def _pay_page(charge: dict[str, Any], sandbox: SandboxGateway) -> str:
    transaction = charge["last_transaction"]
    status = charge["status"]
    if _under_review(charge):
        status_text = "Em análise antifraude"
    elif status == "failed" and transaction["transaction_type"] == "pix":
        status_text = "Pix expirado"
    else:
        status_text = _STATUS_TEXT.get(status, status)
    esc = html.escape
    parts = [
        f"<p>Pedido <strong>{esc(charge['code'])}</strong> · {esc(_METHOD_TEXT.get(charge['payment_method'], ''))}</p>",
        f"<p class=valor>{esc(format_brl(charge['amount']))}</p>",
        f"<p>Situação: <strong id=situacao>{esc(status_text)}</strong></p>",
    ]
    if transaction.get("qr_code"):
        parts.append(
            f"<img src='{esc(transaction['qr_code_url'])}' alt='QR code Pix' width=240 height=240>"
            f"<p>Pix copia e cola:</p><textarea readonly rows=4>{esc(transaction['qr_code'])}</textarea>"
        )
    if transaction.get("line"):
        parts.append(
            f"<p>Linha digitável:</p><p><code>{esc(transaction['line'])}</code></p>"
            f"<p><a href='{esc(transaction['pdf'])}'>Boleto em PDF</a></p>"
        )
    if charge["status"] == "pending":
        parts.append(
            f"<form method=post action='/pay/{esc(charge['id'])}'><button type=submit>Pagar</button></form>"
            "<p class=nota>Ambiente de testes: nenhum dinheiro é movimentado.</p>"
        )
    return (
        "<!doctype html><html lang=pt-BR><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width, initial-scale=1'><link rel=icon href='data:,'>"
        f"<title>Pagamento {esc(charge['code'])} · Sandbox</title><style>"
        "body{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem;color:#222}"
        ".valor{font-size:2rem;margin:.5rem 0}textarea{width:100%;font-family:monospace}"
        "button{font-size:1.2rem;padding:.7rem 2.5rem;background:#0a7d38;color:#fff;border:0;border-radius:.4rem}"
        ".nota{color:#666;font-size:.85rem}</style></head><body>"
        f"<h1>{esc(sandbox.merchant_name)}</h1>" + "".join(parts) + "</body></html>"
    )


# ---------------------------------------------------------------- HTTP


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    sandbox: SandboxGateway


Route = tuple[str, re.Pattern[str], Callable[["_Handler", re.Match[str]], None]]


class _Handler(JsonHandler):
    max_body_bytes = MAX_BODY_BYTES
    logger = log
    too_large_message = "The request body is too large."
    not_json_message = "The request body is not valid JSON."
    server: _Server

    def version_string(self) -> str:
        return "vitrine-sandbox-gateway"

    def do_GET(self) -> None:
        self._dispatch()

    do_POST = do_OPTIONS = do_DELETE = do_GET

    def _dispatch(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        for method, pattern, handle in _ROUTES:
            match = pattern.fullmatch(path)
            if match and method == self.command:
                try:
                    handle(self, match)
                except Exception:  # logged in full, and answered as pagar.me answers a failure
                    log.exception("%s %s failed", self.command, self.path)
                    self.close_connection = True
                    self._send_json(500, {"message": "An error has occurred."})
                return
        if any(pattern.fullmatch(path) for _, pattern, _ in _ROUTES):
            self._send_json(405, {"message": "The requested resource does not support this method."})
            return
        self._send_json(404, {"message": "No HTTP resource was found that matches the request URI."})

    # ---- private API (secret key)

    def _authorised(self) -> bool:
        scheme, _, encoded = self.headers.get("Authorization", "").partition(" ")
        try:
            user = base64.b64decode(encoded.strip(), validate=True).decode().partition(":")[0]
        except ValueError:
            user = ""
        expected = self.server.sandbox.secret_key
        if scheme.lower() == "basic" and hmac.compare_digest(user.encode(), expected.encode()):
            return True
        self._send_json(401, UNAUTHORIZED)
        return False

    def _create_order(self, match: re.Match[str]) -> None:
        body = self._read_json()
        if body is UNREADABLE or not self._authorised():
            return
        status, reply = self.server.sandbox.create_order(body, self.headers.get("Idempotency-Key"))
        self._send_json(status, reply)

    def _get_order(self, match: re.Match[str]) -> None:
        if self._authorised():
            self._send_json(*self.server.sandbox.get_order(match["id"]))

    def _get_charge(self, match: re.Match[str]) -> None:
        if self._authorised():
            self._send_json(*self.server.sandbox.get_charge(match["id"]))

    def _cancel_charge(self, match: re.Match[str]) -> None:
        body = self._read_json()
        if body is UNREADABLE or not self._authorised():
            return
        self._send_json(*self.server.sandbox.cancel_charge(match["id"], body, self.headers.get("Idempotency-Key")))

    def _capture_charge(self, match: re.Match[str]) -> None:
        body = self._read_json()
        if body is UNREADABLE or not self._authorised():
            return
        self._send_json(*self.server.sandbox.capture_charge(match["id"], body, self.headers.get("Idempotency-Key")))

    # ---- public: tokenization with the public key, from the shopper's browser

    def _token_preflight(self, match: re.Match[str]) -> None:
        self._send(204, b"", "text/plain", self._cors())

    def _create_token(self, match: re.Match[str]) -> None:
        cors = self._cors()
        body = self._read_json(cors)
        if body is UNREADABLE:
            return
        app_id = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query).get("appId", [""])[0]
        if not hmac.compare_digest(app_id.encode(), self.server.sandbox.public_key.encode()):
            self._send_json(401, UNAUTHORIZED, cors)
            return
        self._send_json(*self.server.sandbox.create_token(body), cors)

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
        charge = self.server.sandbox._find_transaction(match["id"])
        transaction = charge["last_transaction"] if charge else {}
        kind = match["kind"]
        if kind == "qrcode" and transaction.get("qr_code"):
            self._send(200, _qr_png(transaction["qr_code"]), "image/png")
        elif kind == "barcode" and transaction.get("line"):
            self._send(200, _barcode_png(_barcode_from_line(transaction["line"])), "image/png")
        elif kind == "pdf" and transaction.get("line") and charge:
            lines = [
                f"Boleto {self.server.sandbox.merchant_name} (sandbox)",
                f"Pedido {charge['code']}",
                f"Valor {format_brl(charge['amount'])}",
                f"Vencimento {transaction['due_at'][:10]}",
                f"Linha digitavel {transaction['line']}",
            ]
            self._send(200, _pdf(lines), "application/pdf")
        else:
            self._send_json(404, {"message": "Transaction not found."})

    def _pay_page(self, match: re.Match[str]) -> None:
        charge = self.server.sandbox._charge_for_page(match["id"])
        if charge is None:
            self._send(404, b"<!doctype html><p lang=pt-BR>Cobran\xc3\xa7a n\xc3\xa3o encontrada.", "text/html")
            return
        page = _pay_page(charge, self.server.sandbox).encode()
        self._send(200, page, "text/html; charset=utf-8", [("Cache-Control", "no-store")])

    def _pay_from_page(self, match: re.Match[str]) -> None:
        self._read_body()
        charge = self.server.sandbox._charge_for_page(match["id"])
        if charge is not None:
            self.server.sandbox.pay(charge["id"])
        # Post/redirect/get: the page shows the new status and a reload does not pay twice.
        self._send(303, b"", "text/plain", [("Location", f"/pay/{match['id']}")])

    def _pay_json(self, match: re.Match[str]) -> None:
        self._read_body()
        self._send_json(*self.server.sandbox.pay(match["id"]))

    def _review_json(self, match: re.Match[str]) -> None:
        body = self._read_json()
        if body is not UNREADABLE:
            self._send_json(*self.server.sandbox.review(match["id"], body))

    # ---- sandbox controls for webhooks (loopback, no key, like the pay route)

    def _add_webhook_target(self, match: re.Match[str]) -> None:
        body = self._read_json()
        if body is UNREADABLE:
            return
        fields = ("url", "username", "password")
        if not isinstance(body, dict) or not all(isinstance(body.get(name), str) for name in fields):
            self._send_json(422, _invalid({"request": ["url, username and password are required strings."]}, body))
            return
        try:
            target = self.server.sandbox.add_webhook_target(body["url"], body["username"], body["password"])
        except ValueError as exc:
            self._send_json(422, _invalid({"url": [str(exc)]}, body))
            return
        self._send_json(201, target.view())

    def _webhook_deliveries(self, match: re.Match[str]) -> None:
        self._send_json(200, self.server.sandbox.webhooks.status())

    def _hold_webhooks(self, match: re.Match[str]) -> None:
        self._read_body()
        self.server.sandbox.webhooks.hold()
        self._send_json(200, {"holding": True})

    def _release_webhooks(self, match: re.Match[str]) -> None:
        body = self._read_json()
        if body is UNREADABLE:
            return
        options = body if isinstance(body, dict) else {}
        order, times = options.get("order", "original"), options.get("times", 1)
        if (
            order not in ("original", "reversed", "shuffled")
            or not _is_int(times)
            or not 1 <= times <= MAX_WEBHOOK_REPEATS
        ):
            errors = {"request": [f"order is original, reversed or shuffled; times is 1 to {MAX_WEBHOOK_REPEATS}."]}
            self._send_json(422, _invalid(errors, body))
            return
        self._send_json(200, {"released": self.server.sandbox.webhooks.release(order, times)})

    def _resend_event(self, match: re.Match[str]) -> None:
        body = self._read_json()
        if body is UNREADABLE:
            return
        times = body.get("times", 1) if isinstance(body, dict) else 1
        if not _is_int(times) or not 1 <= times <= MAX_WEBHOOK_REPEATS:
            self._send_json(422, _invalid({"times": [f"times is 1 to {MAX_WEBHOOK_REPEATS}."]}, body))
            return
        deliveries = self.server.sandbox.resend(match["id"], times)
        if deliveries is None:
            self._send_json(404, {"message": "Event not found."})
            return
        self._send_json(202, {"deliveries": deliveries})


_ID = r"(?P<id>[A-Za-z0-9_-]{1,64})"
_ROUTES: list[Route] = [
    ("POST", re.compile(rf"{API_PREFIX}/orders"), _Handler._create_order),
    ("GET", re.compile(rf"{API_PREFIX}/orders/{_ID}"), _Handler._get_order),
    ("GET", re.compile(rf"{API_PREFIX}/charges/{_ID}"), _Handler._get_charge),
    ("DELETE", re.compile(rf"{API_PREFIX}/charges/{_ID}"), _Handler._cancel_charge),
    ("POST", re.compile(rf"{API_PREFIX}/charges/{_ID}/capture"), _Handler._capture_charge),
    ("OPTIONS", re.compile(rf"{API_PREFIX}/tokens"), _Handler._token_preflight),
    ("POST", re.compile(rf"{API_PREFIX}/tokens"), _Handler._create_token),
    ("GET", re.compile(rf"{API_PREFIX}/transactions/{_ID}/(?P<kind>qrcode|barcode|pdf)"), _Handler._transaction_file),
    ("GET", re.compile(rf"/pay/{_ID}"), _Handler._pay_page),
    ("POST", re.compile(rf"/pay/{_ID}"), _Handler._pay_from_page),
    ("POST", re.compile(rf"/sandbox/charges/{_ID}/pay"), _Handler._pay_json),
    ("POST", re.compile(rf"/sandbox/charges/{_ID}/review"), _Handler._review_json),
    ("POST", re.compile(r"/sandbox/webhooks/targets"), _Handler._add_webhook_target),
    ("GET", re.compile(r"/sandbox/webhooks/deliveries"), _Handler._webhook_deliveries),
    ("POST", re.compile(r"/sandbox/webhooks/hold"), _Handler._hold_webhooks),
    ("POST", re.compile(r"/sandbox/webhooks/release"), _Handler._release_webhooks),
    ("POST", re.compile(rf"/sandbox/events/{_ID}/resend"), _Handler._resend_event),
]


# ---------------------------------------------------------------- small helpers


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _instant(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_instant(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _readable_instant(text: Any) -> bool:
    try:
        _parse_instant(str(text))
    except ValueError:
        return False
    return True


def _new_id(prefix: str, length: int = 16) -> str:
    return prefix + "".join(secrets.choice(_ID_ALPHABET) for _ in range(length))


def _new_uuid() -> str:
    raw = secrets.token_hex(16)
    return f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:]}"


def _barcode_from_line(line: str) -> str:
    digits = "".join(ch for ch in line if ch.isdigit())
    return digits[:4] + digits[32] + digits[33:47] + digits[4:9] + digits[10:20] + digits[21:31]


def main(argv: list[str] | None = None) -> int:
    """``python -m local_stack.sandbox_gateway``: the sandbox alone, for trying the adapter by hand."""
    parser = argparse.ArgumentParser(prog="sandbox-gateway", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--webhook-url", help="deliver every event here (e.g. http://127.0.0.1:3000/webhooks/gateway)")
    parser.add_argument("--webhook-user", default="", help="HTTP Basic user for --webhook-url")
    parser.add_argument("--webhook-password", default="", help="HTTP Basic password for --webhook-url")
    parser.add_argument(
        "--webhook-retry-delays",
        type=lambda text: tuple(float(part) for part in text.split(",") if part),
        default=DEFAULT_WEBHOOK_RETRY_DELAYS,
        help="seconds between attempts, comma-separated (default 1,2,5,10,30)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s", datefmt="%H:%M:%S")
    targets = [WebhookTarget(args.webhook_url, args.webhook_user, args.webhook_password)] if args.webhook_url else []
    sandbox = SandboxGateway(port=args.port, webhook_targets=targets, webhook_retry_delays=args.webhook_retry_delays)
    sandbox.start()
    print(json.dumps(sandbox.environment(), indent=2), flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        sandbox.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The sandbox gateway's state and API: orders, charges, card tokens, cancel and refund, capture, Pix expiry.

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
"""

import logging
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from copy import deepcopy
from datetime import datetime
from functools import partial
from typing import Any

from local_stack.loopback_http import LoopbackServer
from local_stack.sandbox_gateway.charges import (
    CHARGE_EVENTS,
    boleto_transaction,
    cancel_pending,
    capturable,
    card_transaction,
    charge_view,
    fail_charge,
    mark_paid,
    new_card_token,
    new_order,
    new_transaction_base,
    pix_expired,
    pix_transaction,
    record_refund,
    under_review,
)
from local_stack.sandbox_gateway.formats import API_PREFIX, invalid_request, iso_instant, new_id, now_utc
from local_stack.sandbox_gateway.recipients import SandboxRecipients
from local_stack.sandbox_gateway.server import GatewayHandler
from local_stack.sandbox_gateway.transfers import SandboxTransfers
from local_stack.sandbox_gateway.validation import cancel_errors, order_errors, order_total, token_errors
from local_stack.sandbox_gateway.webhooks import (
    DEFAULT_WEBHOOK_RETRY_DELAYS,
    WEBHOOK_TIMEOUT_SECONDS,
    WebhookSender,
    WebhookTarget,
)

log = logging.getLogger("local_stack.sandbox_gateway")

TOKEN_TTL_SECONDS = 60  # as at pagar.me: a card token lives 60 s and is used once
CHARGE_NOT_FOUND = {"message": "Charge not found."}


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
        transfer_seconds: float = 2.0,
    ) -> None:
        self.secret_key = secret_key or f"sk_test_{secrets.token_hex(16)}"
        self.public_key = public_key or f"pk_test_{secrets.token_hex(8)}"
        self.merchant_name = merchant_name
        self.merchant_city = merchant_city
        self.account = {"id": new_id("acc_"), "name": f"{merchant_name} - test"}
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
        self._server = LoopbackServer(port, GatewayHandler, self, "sandbox-gateway")
        self.port = self._server.port
        self.recipients = SandboxRecipients(self._server.url)
        self.platform_recipient_id = self.recipients.add_platform()
        self.transfers = SandboxTransfers(self.recipients, self._data_event, transfer_seconds)

    @property
    def url(self) -> str:
        return self._server.url

    @property
    def api_url(self) -> str:
        return self.url + API_PREFIX

    def environment(self) -> dict[str, str]:
        """What a function needs to charge through this sandbox (see ``vitrine.payments.settings``)."""
        return {
            "PAGARME_BASE_URL": self.api_url,
            "PAGARME_SECRET_KEY": self.secret_key,
            "PAGARME_PUBLIC_KEY": self.public_key,
            "PAGARME_PLATFORM_RECIPIENT_ID": self.platform_recipient_id,
        }

    def start(self) -> None:
        self.webhooks.start()
        self._server.start()
        log.info("sandbox gateway up at %s", self.url)

    def stop(self) -> None:
        self._server.stop()
        self.transfers.stop()
        self.webhooks.stop()

    def add_webhook_target(self, url: str, username: str, password: str) -> "WebhookTarget":
        """Deliver every later event to ``url`` too, with these HTTP Basic credentials."""
        return self.webhooks.add_target(WebhookTarget(url, username, password))

    # ---------------------------------------------------------------- the API

    def create_order(self, body: Any, idempotency_key: str | None) -> tuple[int, dict[str, Any]]:
        errors = order_errors(body)

        def create() -> tuple[int, dict[str, Any]]:
            if errors:
                return 422, invalid_request(errors, body)
            try:
                return 200, self._create_order(body)
            except _Refused as refused:
                # As at pagar.me, a refusal is not remembered under its key; an order is.
                return 422, refused.reply

        with self._lock:
            # One lock around replay and creation: two racing requests with one key make one order.
            return self._once_per_key("POST /orders", idempotency_key, create)

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
            return (200, charge_view(order)) if order else (404, CHARGE_NOT_FOUND)

    def create_token(self, body: Any) -> tuple[int, dict[str, Any]]:
        errors = token_errors(body)
        if errors:
            # The echo of the request leaves the card out, as a gateway must.
            echo = {k: v for k, v in body.items() if k != "card"} if isinstance(body, dict) else None
            return 422, invalid_request(errors, echo)
        number = str(body["card"]["number"])
        token = new_card_token(body["card"], now_utc(), self.token_ttl_seconds)
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
                return 200, charge_view(order)
            if charge["status"] != "pending":
                return 409, {"message": f"A charge with status {charge['status']} cannot be paid."}
            self._settle(order)
            return 200, charge_view(order)

    def review(self, charge_id: str, body: Any) -> tuple[int, dict[str, Any]]:
        """Decide a card held by the antifraud: ``approve`` captures it, ``reject`` voids it."""
        decision = body.get("decision") if isinstance(body, dict) else None
        if decision not in ("approve", "reject"):
            return 422, invalid_request({"decision": ["The decision must be approve or reject."]}, body)
        with self._lock:
            order = self._order_of(charge_id)
            if order is None:
                return 404, CHARGE_NOT_FOUND
            charge = order["charges"][0]
            if not under_review(charge):
                return 409, {"message": f"The charge is not under antifraud review (status {charge['status']})."}
            if decision == "approve":
                self._capture(order)
                return 200, charge_view(order)
            charge["last_transaction"]["antifraud_response"]["status"] = "reproved"
            voided = {
                "status": "voided",
                "success": False,
                "acquirer_message": "Transação recusada pela análise antifraude",
            }
            fail_charge(order, iso_instant(now_utc()), voided)
            self._event("charge.antifraud_reproved", order)
            self._event("charge.payment_failed", order)
            self._event("order.payment_failed", order)
            return 200, charge_view(order)

    def cancel_charge(self, charge_id: str, body: Any, idempotency_key: str | None) -> tuple[int, dict[str, Any]]:
        """``DELETE /charges/{id}``: cancel a pending charge, or refund a paid one in full or in part."""
        # As with orders, only a done cancellation is remembered under its key.
        operation = f"DELETE /charges/{charge_id}"
        return self._on_charge(operation, charge_id, body, idempotency_key, partial(self._cancel, body=body or {}))

    def capture_charge(self, charge_id: str, body: Any, idempotency_key: str | None) -> tuple[int, dict[str, Any]]:
        """``POST /charges/{id}/capture``: capture an authorised card (here: one under antifraud review)."""
        # As with cancellations, only a done capture is remembered under its key.
        operation = f"POST /charges/{charge_id}/capture"
        return self._on_charge(operation, charge_id, body, idempotency_key, partial(self._capture_all, body=body))

    def resend(self, event_id: str, times: int = 1) -> list[dict[str, Any]] | None:
        """Send an event again to every target (a duplicate delivery, as a gateway's retry would be)."""
        with self._lock:
            event = next((event for event in self.events if event["id"] == event_id), None)
        return None if event is None else self.webhooks.send(event, times)

    # ---------------------------------------------------------------- state (under the lock)

    def _once_per_key(
        self, operation: str, idempotency_key: str | None, answer: Callable[[], tuple[int, dict[str, Any]]]
    ) -> tuple[int, dict[str, Any]]:
        """The answer remembered for ``Idempotency-Key`` on ``operation``, else ``answer()``'s, remembered when 200."""
        replay_key = (operation, idempotency_key) if idempotency_key is not None else None
        replay = self._replies.get(replay_key) if replay_key is not None else None
        if replay is not None:
            return replay[0], deepcopy(replay[1])
        status, reply = answer()
        if status == 200 and replay_key is not None:
            self._replies[replay_key] = (status, deepcopy(reply))
        return status, reply

    def _create_order(self, body: dict[str, Any]) -> dict[str, Any]:
        now = now_utc()
        split = self._split(body["payments"][0].get("split"))
        transaction, charge_status = self._transaction(body["payments"][0], order_total(body), now)
        if split:
            transaction["split"] = split
        order = new_order(body, transaction, charge_status, transaction["amount"], now)
        charge = order["charges"][0]
        self._orders[order["id"]] = order
        self._charge_orders[charge["id"]] = order["id"]
        self._transactions[transaction["id"]] = charge["id"]
        self._event("order.created", order)
        if charge_status == "paid":
            self.transfers.payables.book_charge(charge)
        self._event(CHARGE_EVENTS[charge_status], order)
        if transaction.get("antifraud_response", {}).get("status") == "pending":
            self._event("charge.antifraud_pending", order)
        if order["status"] != "pending":
            self._event(f"order.{'paid' if order['status'] == 'paid' else 'payment_failed'}", order)
        return deepcopy(order)

    def _split(self, rules: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
        """The charge's split as pagar.me shows it (``GetSplitResponse``); every recipient must be registered."""
        if not rules:
            return []
        split = []
        for index, rule in enumerate(rules):
            recipient = self.recipients.find(rule["recipient_id"])
            if recipient is None:
                errors = {f"order.payments[0].split[{index}].recipient_id": ["Recipient not found."]}
                raise _Refused(invalid_request(errors, {"split": rules}))
            split.append(
                {
                    "id": new_id("sr_"),
                    "type": "flat",
                    "amount": rule["amount"],
                    "recipient": {"id": recipient["id"], "code": recipient["code"], "status": recipient["status"]},
                    "gateway_id": new_id("sr_gw_"),
                    "options": rule.get("options") or {},
                }
            )
        return split

    def _transaction(self, payment: dict[str, Any], amount: int, now: datetime) -> tuple[dict[str, Any], str]:
        base = new_transaction_base(payment, amount, now)
        method = payment["payment_method"]
        if method == "pix":
            pix = pix_transaction(
                base, payment, now, url=self.url, merchant_name=self.merchant_name, merchant_city=self.merchant_city
            )
            return pix, "pending"
        if method == "boleto":
            return boleto_transaction(base, payment, now, url=self.url), "pending"
        card_request = payment["credit_card"]
        token = self._tokens.pop(card_request["card_token"], None)
        if token is None or token["expires"] < time.monotonic():
            errors = {"order.payments[0].credit_card.card_token": ["The card token is invalid or expired."]}
            raise _Refused(invalid_request(errors, {"payments": [payment]}))
        return card_transaction(base, card_request, token, now)

    def _order_of(self, charge_id: str) -> dict[str, Any] | None:
        """The order holding this charge, with an expired Pix marked as such first (every lookup goes here)."""
        order_id = self._charge_orders.get(charge_id)
        if order_id is None:
            return None
        order = self._orders[order_id]
        self._expire_if_due(order)
        return order

    def _expire_if_due(self, order: dict[str, Any]) -> None:
        if not pix_expired(order["charges"][0], now_utc()):
            return
        fail_charge(order, iso_instant(now_utc()), {"status": "failed", "success": False})
        self._event("charge.payment_failed", order)
        self._event("order.payment_failed", order)

    def _settle(self, order: dict[str, Any]) -> None:
        transaction = order["charges"][0]["last_transaction"]
        now = iso_instant(now_utc())
        if transaction["transaction_type"] == "credit_card":
            transaction["antifraud_response"]["status"] = "approved"
            transaction.update(status="captured", acquirer_message="Transação capturada com sucesso")
            self._event("charge.antifraud_approved", order)
        mark_paid(order, now)
        self.transfers.payables.book_charge(order["charges"][0])
        self._event("charge.paid", order)
        self._event("order.paid", order)

    def _on_charge(
        self,
        operation: str,
        charge_id: str,
        body: Any,
        idempotency_key: str | None,
        act: Callable[[dict[str, Any]], tuple[int, dict[str, Any]]],
    ) -> tuple[int, dict[str, Any]]:
        """A request on one charge with an optional ``{"amount"}``, replayed by ``Idempotency-Key``: 404 for an
        unknown charge, 422 for a bad body, else what ``act`` answers for the charge's order."""
        errors = cancel_errors(body)

        def answer() -> tuple[int, dict[str, Any]]:
            order = self._order_of(charge_id)
            if order is None:
                return 404, CHARGE_NOT_FOUND
            if errors:
                return 422, invalid_request(errors, body)
            return act(order)

        with self._lock:
            return self._once_per_key(operation, idempotency_key, answer)

    def _capture_all(self, order: dict[str, Any], body: Any) -> tuple[int, dict[str, Any]]:
        charge = order["charges"][0]
        if not capturable(charge):
            return 412, {"message": f"The charge can not be captured. Status: {charge['status']}."}
        amount = (body or {}).get("amount", charge["amount"])
        if amount != charge["amount"]:
            errors = {"amount": [f"The sandbox captures the full amount only ({charge['amount']})."]}
            return 422, invalid_request(errors, body)
        self._capture(order)
        return 200, charge_view(order)

    def _capture(self, order: dict[str, Any]) -> None:
        """Capture a card held for review: the antifraud approves it and it is paid (review ``approve`` and the
        capture route both end here)."""
        assert capturable(order["charges"][0])
        self._settle(order)

    def _cancel(self, order: dict[str, Any], body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        charge = order["charges"][0]
        amount = body.get("amount")
        now = iso_instant(now_utc())
        if charge["status"] == "pending":
            if amount is not None and amount != charge["amount"]:
                errors = {"amount": ["A pending charge is canceled in full: leave the amount out."]}
                return 422, invalid_request(errors, body)
            cancel_pending(order, now)
            self._event("charge.refunded", order)
            self._event("order.canceled", order)
            return 200, charge_view(order)
        if charge["status"] != "paid":
            return 412, {"message": f"The charge can not be canceled. Status: {charge['status']}."}
        refundable = charge["paid_amount"] - charge.get("canceled_amount", 0)
        amount = refundable if amount is None else amount
        if amount > refundable:
            errors = {"amount": [f"The amount can not be greater than the charge's remaining amount ({refundable})."]}
            return 422, invalid_request(errors, body)
        if charge["payment_method"] == "boleto" and not body.get("bank_account"):
            return 422, invalid_request({"bank_account": ["The bank_account is required to refund a boleto."]}, body)
        refund = record_refund(order, amount, now)
        if body.get("split"):
            # Who bears the refund, as the request said (pagar.me takes it from each recipient's payables).
            refund["split"] = [{**rule, "type": "flat"} for rule in body["split"]]
            self.transfers.payables.book_refund(charge, body["split"])
        self._transactions[refund["id"]] = charge["id"]
        if refund["status"] == "partial_refunded":
            self._event("charge.partial_canceled", order)
            return 200, charge_view(order)
        self._event("charge.refunded", order)
        self._event("order.canceled", order)
        return 200, charge_view(order)

    def _event(self, event_type: str, order: dict[str, Any]) -> None:
        """Record and publish an event; a ``charge.*`` event carries the charge as ``GET /charges`` shows it."""
        self._data_event(event_type, charge_view(order) if event_type.startswith("charge.") else deepcopy(order))

    def _data_event(self, event_type: str, data: dict[str, Any]) -> None:
        event = {
            "id": new_id("hook_"),
            "account": dict(self.account),
            "type": event_type,
            "created_at": iso_instant(now_utc()),
            "data": data,
        }
        self.events.append(event)
        self.webhooks.publish(event)

    def find_transaction(self, transaction_id: str) -> dict[str, Any] | None:
        with self._lock:
            charge_id = self._transactions.get(transaction_id)
            order = self._order_of(charge_id) if charge_id else None
            return deepcopy(order["charges"][0]) if order else None

    def charge_for_page(self, identifier: str) -> dict[str, Any] | None:
        """The charge a pay page names: by charge id, or by transaction id (a boleto's ``url``)."""
        with self._lock:
            order = self._order_of(self._transactions.get(identifier, identifier))
            return charge_view(order) if order else None


class _Refused(Exception):
    """A request pagar.me would answer 422 only once it looks at the state (an unknown or used card token)."""

    def __init__(self, reply: dict[str, Any]) -> None:
        super().__init__(reply["message"])
        self.reply = reply

"""The sandbox's money per recipient: the balance of its payables (``payables``), and transfers to the bank.

``GET /recipients/{id}/balance`` answers ``available_amount`` = the payables due by today (net of anticipation
fees) - transfers not failed, and ``waiting_funds_amount`` = the payables due later.

``POST /recipients/{id}/transfers`` (``{"amount", "metadata"}``, ``Idempotency-Key`` replayed) answers a transfer
``pending_transfer``; ``transfer_seconds`` later it is ``transferred`` (webhook ``transfer.paid``), or ``failed``
(``transfer.failed``, its amount back in the balance) when the recipient's bank account number ends in ``0000``: the
sandbox's marked account, as its test cards mark a declined card. More than the balance is 422.
"""

import threading
from collections.abc import Callable
from copy import deepcopy
from typing import Any

from local_stack.sandbox_gateway.formats import invalid_request, is_plain_int, iso_instant, new_id, now_utc
from local_stack.sandbox_gateway.payables import SandboxClock, SandboxPayables
from local_stack.sandbox_gateway.recipients import RECIPIENT_NOT_FOUND, SandboxRecipients

FAILING_ACCOUNT_SUFFIX = "0000"
TRANSFER_NOT_FOUND = {"message": "Transfer not found."}


class SandboxTransfers:
    def __init__(
        self, recipients: SandboxRecipients, emit: Callable[[str, dict[str, Any]], None], transfer_seconds: float
    ) -> None:
        self._recipients = recipients
        self._emit = emit
        self.transfer_seconds = transfer_seconds
        self._lock = threading.Lock()
        self.clock = SandboxClock()
        self.payables = SandboxPayables(self.clock)
        self._transfers: dict[str, dict[str, Any]] = {}
        self._replies: dict[str, tuple[int, dict[str, Any]]] = {}
        self._timers: list[threading.Timer] = []

    # ---- balance and transfers

    def balance(self, recipient_id: str) -> tuple[int, dict[str, Any]]:
        if self._recipients.find(recipient_id) is None:
            return 404, RECIPIENT_NOT_FOUND
        with self._lock:
            return 200, self._balance(recipient_id)

    def _balance(self, recipient_id: str) -> dict[str, Any]:
        available, waiting = self.payables.sums(recipient_id)
        mine = [t for t in self._transfers.values() if t["source"]["source_id"] == recipient_id]
        out = sum(t["amount"] for t in mine if t["status"] != "failed")
        transferred = sum(t["amount"] for t in mine if t["status"] == "transferred")
        return {
            "currency": "BRL",
            "available_amount": available - out,
            "waiting_funds_amount": waiting,
            "transferred_amount": transferred,
            "recipient": {"id": recipient_id},
        }

    def create(self, recipient_id: str, body: Any, key: str | None) -> tuple[int, dict[str, Any]]:
        recipient = self._recipients.find(recipient_id)
        if recipient is None:
            return 404, RECIPIENT_NOT_FOUND
        with self._lock:
            if key and key in self._replies:
                return deepcopy(self._replies[key])
            amount = body.get("amount") if isinstance(body, dict) else None
            if not is_plain_int(amount) or amount <= 0:
                return 422, invalid_request({"amount": ["The amount must be a positive integer of cents."]}, body)
            available = self._balance(recipient_id)["available_amount"]
            if amount > available:
                return 422, invalid_request({"amount": [f"Insufficient balance ({available} available)."]}, body)
            now = iso_instant(now_utc())
            account = recipient.get("default_bank_account") or {}
            transfer = {
                "id": new_id("tf_"),
                "gateway_id": new_id("gw_"),
                "amount": amount,
                "status": "pending_transfer",
                "fee": 0,
                "type": "bank_transfer",
                "created_at": now,
                "updated_at": now,
                "metadata": dict(body.get("metadata") or {}),
                "source": {"source_id": recipient_id, "type": "recipient"},
                "target": {"target_id": account.get("id"), "type": "bank_account"},
            }
            self._transfers[transfer["id"]] = transfer
            reply = (200, deepcopy(transfer))
            if key:
                self._replies[key] = reply
        fails = str(account.get("account_number", "")).endswith(FAILING_ACCOUNT_SUFFIX)
        timer = threading.Timer(self.transfer_seconds, self._finish, (transfer["id"], not fails))
        timer.daemon = True
        self._timers.append(timer)
        timer.start()
        self._emit("transfer.created", deepcopy(transfer))
        return deepcopy(reply)

    def get(self, recipient_id: str, transfer_id: str) -> tuple[int, dict[str, Any]]:
        with self._lock:
            transfer = self._transfers.get(transfer_id)
            if transfer is None or transfer["source"]["source_id"] != recipient_id:
                return 404, TRANSFER_NOT_FOUND
            return 200, deepcopy(transfer)

    def finish_now(self) -> None:
        """End every pending transfer at once (tests, and ``make dev``'s impatient demo)."""
        for timer in list(self._timers):
            timer.cancel()
        with self._lock:
            pending = [t["id"] for t in self._transfers.values() if t["status"] == "pending_transfer"]
        for transfer_id in pending:
            account = self._account_of(transfer_id)
            self._finish(transfer_id, not str(account.get("account_number", "")).endswith(FAILING_ACCOUNT_SUFFIX))

    def stop(self) -> None:
        for timer in self._timers:
            timer.cancel()

    def _account_of(self, transfer_id: str) -> dict[str, Any]:
        with self._lock:
            recipient_id = self._transfers[transfer_id]["source"]["source_id"]
        recipient = self._recipients.find(recipient_id) or {}
        return recipient.get("default_bank_account") or {}

    def _finish(self, transfer_id: str, succeeds: bool) -> None:
        with self._lock:
            transfer = self._transfers[transfer_id]
            if transfer["status"] != "pending_transfer":
                return
            transfer.update(status="transferred" if succeeds else "failed", updated_at=iso_instant(now_utc()))
            snapshot = deepcopy(transfer)
        self._emit("transfer.paid" if succeeds else "transfer.failed", snapshot)

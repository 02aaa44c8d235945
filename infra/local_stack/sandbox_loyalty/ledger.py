"""The sandbox partner's books: accruals and reversals by idempotency key, and each CPF's balance."""

import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

ACCRUAL_FIELDS = {"idempotency_key", "order_id", "event", "store_code", "cpf", "points", "occurred_at", "lines"}
REVERSAL_FIELDS = ACCRUAL_FIELDS | {"reason", "accrual_key", "refunded_amount", "order_total"}
LINE_FIELDS = {"sku", "brand", "quantity", "amount", "points"}


class OffContract(Exception):
    """The body is not the contract's (422)."""


class NotReversible(Exception):
    """A reversal of an unknown accrual, or of more points than it has left (409)."""


@dataclass
class PartnerBooks:
    movements: list[dict[str, Any]] = field(default_factory=list)
    receipts: dict[str, dict[str, Any]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, body: Any) -> tuple[bool, dict[str, Any]]:
        """``(new, receipt)``: a repeated idempotency key answers the first receipt and moves nothing."""
        _check(kind, body)
        with self._lock:
            key = body["idempotency_key"]
            if key in self.receipts:
                return False, self.receipts[key]
            points = body["points"] if kind == "accrual" else -body["points"]
            if kind == "reversal":
                accrual = self.receipts.get(body["accrual_key"])
                left = (accrual or {}).get("left", 0)
                if accrual is None or body["points"] > left:
                    raise NotReversible(f"accrual {body['accrual_key']!r} has {left} points left to reverse")
                accrual["left"] = left - body["points"]
            balance = self._balance(body["cpf"]) + points
            movement = {
                "kind": kind,
                "transaction_id": f"{kind[:3]}-{uuid.uuid4().hex[:12]}",
                "received_at": datetime.now(UTC).isoformat(timespec="seconds"),
                **body,
            }
            self.movements.append(movement)
            receipt = {"transaction_id": movement["transaction_id"], "points": body["points"], "balance": balance}
            if kind == "accrual":
                receipt["left"] = body["points"]
            self.receipts[key] = receipt
            return True, receipt

    def _balance(self, cpf: str) -> int:
        return sum(m["points"] if m["kind"] == "accrual" else -m["points"] for m in self.movements if m["cpf"] == cpf)

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            cpfs = sorted({m["cpf"] for m in self.movements})
            return {
                "accruals": [dict(m) for m in self.movements],
                "balances": {cpf: self._balance(cpf) for cpf in cpfs},
            }


def _check(kind: str, body: Any) -> None:
    wanted = ACCRUAL_FIELDS if kind == "accrual" else REVERSAL_FIELDS
    if not isinstance(body, dict) or not wanted <= set(body):
        missing = sorted(wanted - set(body or {})) if isinstance(body, dict) else sorted(wanted)
        raise OffContract(f"missing fields: {', '.join(missing)}")
    if not isinstance(body["points"], int) or isinstance(body["points"], bool) or body["points"] < 1:
        raise OffContract("points must be a positive integer")
    if not (isinstance(body["cpf"], str) and body["cpf"].isdigit() and len(body["cpf"]) == 11):
        raise OffContract("cpf must be 11 digits")
    for line in body["lines"] if isinstance(body["lines"], list) else [None]:
        if not isinstance(line, dict) or not set(line) >= LINE_FIELDS:
            raise OffContract(f"each line has {', '.join(sorted(LINE_FIELDS))}")

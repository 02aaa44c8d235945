"""The sandbox's payables (recebíveis) per recipient, with their days, and the anticipation of card payables.

**Payables.** A paid split charge gives each recipient of its ``split`` its flat share, cut into the charge's
instalments (one for Pix and boleto) in equal parts, the last absorbing the rounding; instalment k is payable
``SETTLEMENT_DAYS[method] * k`` days after the day it was paid, in Brasília. These days are the platform's contract
with the gateway, the same as ``SettlementTerms``' defaults, so the ledger and the gateway agree to the payable (a
deployment with negotiated terms sets them at the gateway and in the terms alike). A refund with a ``split`` takes
each recipient's part on the day it happens. A payable is ``waiting_funds`` until its day, ``paid`` from then on.
``GET /core/v5/payables`` lists them as pagar.me does (``recipient_id``, ``bulk_anticipation_id``, ``status``,
``payment_date_since``/``until``, ``page``/``size``; ``{"data": [...], "paging": {...}}``).

**Anticipation.** ``GET /core/v5/recipients/{id}/anticipation_limits?timeframe=start|end&payment_date=...`` answers
``{"max": {"amount", "anticipation_fee"}, "min": {...}}`` over the recipient's card payables due after that day;
``POST /core/v5/recipients/{id}/anticipations`` (``{"amount", "timeframe", "payment_date"}``, ``Idempotency-Key``
replayed) takes whole payables, nearest first (``start``) or farthest first (``end``), while their sum stays within
the amount asked, moves them to ``payment_date`` (``original_payment_date`` kept, ``anticipation_fee`` set,
``bulk_anticipation_id`` the anticipation's id) and answers the anticipation ``approved`` at once (pagar.me may
answer ``pending`` first). The fee is ``ANTICIPATION_RATE_BPS`` a month, pro rata by the days each payable moves.
"""

import threading
from copy import deepcopy
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from local_stack.sandbox_gateway.formats import invalid_request, is_plain_int, iso_instant, new_id, now_utc

BRASILIA = timezone(timedelta(hours=-3))
SETTLEMENT_DAYS = {"pix": 1, "boleto": 1, "credit_card": 30}
ANTICIPATION_RATE_BPS = 299  # 2.99% a month, a usual list price in Brazil
ANTICIPATION_NOT_FOUND = {"message": "Anticipation not found."}
MAX_PAGE_SIZE = 100


def business_day(moment: datetime) -> date:
    return moment.astimezone(BRASILIA).date()


def _split(amount: int, parts: int) -> list[int]:
    base = amount // parts
    return [base] * (parts - 1) + [amount - base * (parts - 1)]


def _day_instant(day: date) -> str:
    """A payment day as pagar.me writes it: the instant the day begins in Brasília."""
    return iso_instant(datetime(day.year, day.month, day.day, tzinfo=BRASILIA))


def _day_of(text: str) -> date:
    return business_day(datetime.fromisoformat(text.replace("Z", "+00:00")))


def _parse_day(text: Any) -> date | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return business_day(moment if moment.tzinfo else moment.replace(tzinfo=UTC))


def anticipation_fee(amount: int, days: int) -> int:
    """``ANTICIPATION_RATE_BPS`` a month of ``amount``, for ``days`` days, rounded half up."""
    return (amount * ANTICIPATION_RATE_BPS * days + 150_000) // 300_000


class SandboxClock:
    """The sandbox's day (Brasília): today's, or one set by ``POST /sandbox/clock`` (``{"today": "aaaa-mm-dd"}``, or
    ``null`` for today again), as a payment provider's test clock, so that a test or a demo sees a payable come due
    without waiting for its day. Only what the payables answer follows it; instants stay the machine's."""

    def __init__(self) -> None:
        self._today: date | None = None
        self._offset = timedelta(0)

    def today(self) -> date:
        return self._today or business_day(now_utc() + self._offset)

    def set(self, day: date | None) -> None:
        self._today = day

    def set_offset(self, offset: timedelta) -> None:
        """Follow the local stack's money clock (``local_stack.clock``), ahead of the machine's by ``offset``."""
        self._offset = offset


class SandboxPayables:
    def __init__(self, clock: SandboxClock) -> None:
        self.today = clock.today
        self._lock = threading.Lock()
        self._payables: list[dict[str, Any]] = []
        self._anticipations: dict[str, dict[str, Any]] = {}
        self._replies: dict[str, tuple[int, dict[str, Any]]] = {}

    # ---- booking

    def book_charge(self, charge: dict[str, Any]) -> None:
        """A split charge was paid: each recipient's share, instalment by instalment, becomes its payables."""
        transaction = charge["last_transaction"]
        method = charge["payment_method"]
        parts = int(transaction.get("installments") or 1) if method == "credit_card" else 1
        paid_on = self.today()  # it is paid now: today, or the day the sandbox's clock says
        for rule in transaction.get("split") or []:
            for k, part in enumerate(_split(rule["amount"], parts), start=1):
                if part:
                    day = paid_on + timedelta(days=SETTLEMENT_DAYS[method] * k)
                    self._add(
                        rule["recipient"]["id"], part, charge, "credit", day, installment=k, split_id=rule.get("id")
                    )

    def book_refund(self, charge: dict[str, Any], split: list[dict[str, Any]]) -> None:
        for rule in split:
            self._add(rule["recipient_id"], -rule["amount"], charge, "refund", self.today(), installment=1)

    def _add(self, recipient_id, amount, charge, kind, day, *, installment, split_id=None) -> None:
        now = iso_instant(now_utc())
        with self._lock:
            self._payables.append(
                {
                    "id": len(self._payables) + 1,
                    "status": "waiting_funds",
                    "amount": amount,
                    "fee": 0,  # the platform's recipient pays the processing fee (charge_processing_fee)
                    "anticipation_fee": 0,
                    "fraud_coverage_fee": 0,
                    "installment": installment,
                    "gateway_id": None,
                    "charge_id": charge["id"],
                    "split_id": split_id,
                    "bulk_anticipation_id": None,
                    "anticipation_id": None,
                    "recipient_id": recipient_id,
                    "originator_model": "charge",
                    "originator_model_id": charge["id"],
                    "payment_date": _day_instant(day),
                    "original_payment_date": _day_instant(day),
                    "type": kind,
                    "payment_method": charge["payment_method"],
                    "accrual_at": now,
                    "created_at": now,
                }
            )

    # ---- reading

    def _view(self, payable: dict[str, Any], today: date) -> dict[str, Any]:
        view = deepcopy(payable)
        view["status"] = "paid" if _day_of(payable["payment_date"]) <= today else "waiting_funds"
        return view

    def of(self, recipient_id: str) -> list[dict[str, Any]]:
        today = self.today()
        with self._lock:
            return [self._view(p, today) for p in self._payables if p["recipient_id"] == recipient_id]

    def sums(self, recipient_id: str) -> tuple[int, int]:
        """``(available, waiting)``: the net of the payables due by today, and of those due later."""
        available = waiting = 0
        for payable in self.of(recipient_id):
            net = payable["amount"] - payable["fee"] - payable["anticipation_fee"]
            if payable["status"] == "paid":
                available += net
            else:
                waiting += net
        return available, waiting

    def search(self, query: dict[str, str]) -> tuple[int, dict[str, Any]]:
        try:
            page = int(query.get("page", "1"))
            size = int(query.get("size", "10"))
        except ValueError:
            return 422, invalid_request({"page": ["The page and size must be integers."]}, query)
        if page < 1 or not 1 <= size <= MAX_PAGE_SIZE:
            return 422, invalid_request({"size": [f"The size must be between 1 and {MAX_PAGE_SIZE}."]}, query)
        since, until = _parse_day(query.get("payment_date_since")), _parse_day(query.get("payment_date_until"))
        today = self.today()
        with self._lock:
            found = [self._view(p, today) for p in self._payables]
        for name in ("recipient_id", "bulk_anticipation_id", "charge_id", "status"):
            if query.get(name):
                found = [p for p in found if str(p[name]) == query[name]]
        found = [
            p
            for p in found
            if (since is None or _day_of(p["payment_date"]) >= since)
            and (until is None or _day_of(p["payment_date"]) <= until)
        ]
        chunk = found[(page - 1) * size : page * size]
        paging: dict[str, Any] = {"total": len(found)}
        if page * size < len(found):
            paging["next"] = f"?page={page + 1}&size={size}"
        return 200, {"data": chunk, "paging": paging}

    # ---- anticipation

    def _eligible(self, recipient_id: str, payment_date: date, timeframe: str) -> list[dict[str, Any]]:
        with self._lock:
            found = [
                p
                for p in self._payables
                if p["recipient_id"] == recipient_id
                and p["payment_method"] == "credit_card"
                and p["type"] == "credit"
                and p["bulk_anticipation_id"] is None
                and _day_of(p["payment_date"]) > payment_date
            ]
        found.sort(key=lambda p: (p["payment_date"], p["id"]), reverse=timeframe == "end")
        return found

    def _asked(self, recipient_id: str, timeframe: Any, payment_date: Any, request: Any):
        errors: dict[str, list[str]] = {}
        if timeframe not in ("start", "end"):
            errors["timeframe"] = ["The timeframe must be start or end."]
        day = _parse_day(payment_date)
        if day is None:
            errors["payment_date"] = ["The payment_date field is required."]
        elif day < self.today():
            errors["payment_date"] = ["The payment_date can not be in the past."]
        if errors:
            return None, (422, invalid_request(errors, request))
        return (day, self._eligible(recipient_id, day, timeframe)), None

    def limits(self, recipient_id: str, query: dict[str, str]) -> tuple[int, dict[str, Any]]:
        asked, refused = self._asked(recipient_id, query.get("timeframe"), query.get("payment_date"), query)
        if refused:
            return refused
        day, eligible = asked

        def limit(payables: list[dict[str, Any]]) -> dict[str, int]:
            amount = sum(p["amount"] for p in payables)
            fee = sum(anticipation_fee(p["amount"], (_day_of(p["payment_date"]) - day).days) for p in payables)
            return {"amount": amount, "anticipation_fee": fee}

        return 200, {"max": limit(eligible), "min": limit(eligible[:1])}

    def anticipate(self, recipient_id: str, body: Any, key: str | None) -> tuple[int, dict[str, Any]]:
        if key and key in self._replies:
            return deepcopy(self._replies[key])
        body = body if isinstance(body, dict) else {}
        amount = body.get("amount")
        if not is_plain_int(amount) or amount <= 0:
            return 422, invalid_request({"amount": ["The amount must be a positive integer of cents."]}, body)
        asked, refused = self._asked(recipient_id, body.get("timeframe"), body.get("payment_date"), body)
        if refused:
            return refused
        day, eligible = asked
        taken, total = [], 0
        for payable in eligible:
            if total + payable["amount"] <= amount:
                taken.append(payable)
                total += payable["amount"]
        if not taken:
            return 422, invalid_request({"amount": ["The amount is below the anticipation's minimum."]}, body)
        now = iso_instant(now_utc())
        anticipation = {
            "id": new_id("ant_"),
            "requested_amount": amount,
            "approved_amount": total,
            "recipient": {"id": recipient_id},
            "pgid": new_id("ba_"),
            "created_at": now,
            "updated_at": now,
            "payment_date": _day_instant(day),
            "status": "approved",
            "timeframe": body["timeframe"],
        }
        with self._lock:
            for payable in taken:
                payable["anticipation_fee"] = anticipation_fee(
                    payable["amount"], (_day_of(payable["payment_date"]) - day).days
                )
                payable.update(
                    payment_date=_day_instant(day),
                    bulk_anticipation_id=anticipation["id"],
                    anticipation_id=anticipation["id"],
                )
            self._anticipations[anticipation["id"]] = anticipation
            reply = (200, deepcopy(anticipation))
            if key:
                self._replies[key] = reply
        return deepcopy(reply)

    def anticipation(self, recipient_id: str, anticipation_id: str) -> tuple[int, dict[str, Any]]:
        with self._lock:
            found = self._anticipations.get(anticipation_id)
            if found is None or found["recipient"]["id"] != recipient_id:
                return 404, ANTICIPATION_NOT_FOUND
            return 200, deepcopy(found)

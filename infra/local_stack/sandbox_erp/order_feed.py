"""The sandbox ERP's order-feed worker: it takes the paid orders from Vitrine's feed (every page), books each once
by its order id, acknowledges them, and reports each ``in_preparation`` then ``invoiced`` with an NF-e it issues
(kept with the order so a retry sends the same one). When Vitrine accepts the invoice, the invoiced units leave
the stock of the store that holds them. Vitrine's failures are recorded and tried again on the next poll; a 409
(or 404, 422) on a report leaves the order ``refused`` with Vitrine's reason; an order served or found cancelled
or refunded is ``dropped``, never invoiced.
"""

import json
import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import requests

from local_stack.sandbox_erp.invoices import NFE_SERIES, nfe_access_key
from local_stack.sandbox_erp.records import MasterRecords
from local_stack.sandbox_erp.refusal import Refused, now_text

log = logging.getLogger("local_stack.sandbox_erp")

FEED_PAGE = 50
MAX_FEED_PAGES = 20  # per poll: a feed that never ends its pages (a bug) does not hold the timer forever
ACK_BATCH = 100  # what POST /erp/v1/orders/feed/ack takes at most
VITRINE_TIMEOUT_SECONDS = 30.0
KEPT_ERRORS = 50
# Orders the feed can serve that the ERP must not book: the sale it may have booked is dropped instead.
_DROPPED_STATUSES = frozenset({"cancelled", "refunded"})


@dataclass
class BookedOrder:
    """A sale the ERP booked from the feed, and how far it got."""

    order_id: str
    store_code: str
    lines: list[dict[str, Any]]
    taken_at: str
    state: str = "booked"  # booked -> in_preparation -> invoiced; or refused, dropped
    acknowledged: bool = False
    invoice: dict[str, Any] | None = None
    note: str | None = None
    vitrine_status: str | None = None

    def view(self) -> dict[str, Any]:
        return {
            "order_id": self.order_id,
            "state": self.state,
            "acknowledged": self.acknowledged,
            "store_code": self.store_code,
            "lines": self.lines,
            "invoice": self.invoice,
            "vitrine_status": self.vitrine_status,
            "note": self.note,
            "taken_at": self.taken_at,
        }


@dataclass
class VitrineConnection:
    """Where Vitrine's ERP API is and the key (``erp`` scope) it is read with."""

    api_url: str
    api_key: str
    session: requests.Session = field(default_factory=requests.Session)


class OrderFeed:
    """Polls the feed of the Vitrine it is connected to; its orders and errors are guarded by ``records.lock``."""

    def __init__(self, records: MasterRecords, rng: random.Random, cnpj: str) -> None:
        self.records = records
        self.cnpj = cnpj
        self.vitrine: VitrineConnection | None = None
        self.orders: dict[str, BookedOrder] = {}
        self.errors: list[dict[str, Any]] = []
        self.polls = 0
        self._rng = rng
        self._invoice_number = 0
        self._sync_lock = threading.Lock()  # one feed poll at a time (the timer and sync-now)

    def connect(self, api_url: str, api_key: str) -> None:
        """Where the feed is and the key (``erp`` scope) to read it with; the feed is polled from now on."""
        previous, self.vitrine = self.vitrine, VitrineConnection(api_url.rstrip("/"), api_key)
        if previous is not None:
            previous.session.close()

    def close(self) -> None:
        if self.vitrine is not None:
            self.vitrine.session.close()

    def sync_now(self) -> dict[str, Any]:
        """Poll the feed, book and acknowledge what it serves, report what is booked; what this poll did."""
        vitrine = self.vitrine
        if vitrine is None:
            raise Refused(409, "not connected to Vitrine yet (no API key: is the stack seeded?)")
        with self._sync_lock:
            self.polls += 1
            errors_before = len(self.errors)
            taken = self._take_feed(vitrine)
            acknowledged = self._acknowledge(vitrine)
            reported = self._report(vitrine)
            with self.records.lock:
                errors = self.errors[errors_before:] if len(self.errors) > errors_before else []
            return {"taken": taken, "acknowledged": acknowledged, "invoiced": reported, "errors": errors}

    def _take_feed(self, vitrine: VitrineConnection) -> list[str]:
        taken: list[str] = []
        cursor: str | None = None
        for _ in range(MAX_FEED_PAGES):
            query = {"limit": FEED_PAGE, **({"cursor": cursor} if cursor else {})}
            page = self._call(vitrine, "GET", "/erp/v1/orders/feed", params=query)
            if page is None:
                return taken
            for order in page.get("orders", []):
                if self._book(order):
                    taken.append(order["order_id"])
            cursor = page.get("next_cursor")
            if not cursor:
                return taken
        return taken  # the rest on the next tick

    def _book(self, order: dict[str, Any]) -> bool:
        """Book a feed order as a pending sale, once per order id; False when it was booked before."""
        order_id = order["order_id"]
        with self.records.lock:
            if order_id in self.orders:
                self.orders[order_id].acknowledged = False  # served again: the last ack did not land
                return False
            reservation = order.get("reservation") or {}
            booked = BookedOrder(
                order_id=order_id,
                store_code=reservation.get("store_code") or order.get("store_code", ""),
                lines=[{"sku": line["sku"], "quantity": line["quantity"]} for line in reservation.get("lines", [])],
                taken_at=now_text(),
                vitrine_status=order.get("status"),
            )
            if order.get("status") in _DROPPED_STATUSES:
                booked.state, booked.note = "dropped", f"served {order.get('status')}: nothing to sell"
            self.orders[order_id] = booked
        log.info("took order %s from the feed (%s)", order_id, booked.state)
        return True

    def _acknowledge(self, vitrine: VitrineConnection) -> int:
        with self.records.lock:
            pending = [order_id for order_id, order in self.orders.items() if not order.acknowledged]
        acknowledged = 0
        for start in range(0, len(pending), ACK_BATCH):
            answer = self._call(
                vitrine, "POST", "/erp/v1/orders/feed/ack", json={"order_ids": pending[start : start + ACK_BATCH]}
            )
            if answer is None:
                continue  # served again on the next poll, and acknowledged then
            with self.records.lock:
                for result in answer.get("results", []):
                    order = self.orders.get(result["order_id"])
                    if order is not None and result["outcome"] in ("acknowledged", "already_acknowledged"):
                        order.acknowledged = True
                        acknowledged += 1
        return acknowledged

    def _report(self, vitrine: VitrineConnection) -> list[str]:
        with self.records.lock:
            open_orders = [o for o in self.orders.values() if o.state in ("booked", "in_preparation")]
        invoiced: list[str] = []
        for order in open_orders:
            if order.state == "booked" and not self._send_report(vitrine, order, {"status": "in_preparation"}):
                continue
            with self.records.lock:
                order.state = "in_preparation"
                if order.invoice is None:
                    order.invoice = self._issue_invoice()
            if not self._send_report(vitrine, order, {"status": "invoiced", "invoice": order.invoice}):
                continue
            with self.records.lock:
                order.state = "invoiced"
                self._take_invoiced_units(order)
            invoiced.append(order.order_id)
            log.info("order %s invoiced: NF-e %s", order.order_id, order.invoice["access_key"])
        return invoiced

    def _send_report(self, vitrine: VitrineConnection, order: BookedOrder, report: dict[str, Any]) -> bool:
        """True when Vitrine took the report; a refusal leaves the order alone, a failure waits for the next tick."""
        refused: list[tuple[int, str]] = []
        answer = self._call(
            vitrine, "POST", f"/erp/v1/orders/{order.order_id}/events", json=report, refused=refused.append
        )
        if answer is not None:
            status = answer.get("status")
            with self.records.lock:
                order.vitrine_status = status
                if status not in _DROPPED_STATUSES:
                    return True
                # A stale report is answered 200 with the order as it is: cancelled since booking, nothing to invoice.
                order.state, order.note = "dropped", f"{status} at Vitrine: the sale is dropped"
            log.info("order %s is %s at Vitrine: dropped, not invoiced", order.order_id, status)
            return False
        if refused:
            status, reason = refused[0]
            with self.records.lock:
                order.state, order.note = "refused", f"{report['status']} refused ({status}): {reason}"
            log.warning("Vitrine refused %s for order %s (%d): %s", report["status"], order.order_id, status, reason)
        return False

    def _issue_invoice(self) -> dict[str, Any]:
        """The next NF-e (under ``_lock``): numbers follow each other, the random code (cNF) is drawn per note."""
        self._invoice_number += 1
        number = self._invoice_number
        key = nfe_access_key(
            number=number,
            series=NFE_SERIES,
            issued=datetime.now(UTC),
            cnpj=self.cnpj,
            code=self._rng.randrange(10**8),
        )
        return {"access_key": key, "number": number, "series": NFE_SERIES}

    def _take_invoiced_units(self, order: BookedOrder) -> None:
        """The invoiced units leave the store that held them (under ``_lock``)."""
        for line in order.lines:
            record = self.records.stock_record(order.store_code, line["sku"])
            if record is None:
                log.warning(
                    "order %s sold %s, which store %s does not stock", order.order_id, line["sku"], order.store_code
                )
                continue
            self.records.move_stock(record, -line["quantity"])

    def _call(
        self,
        vitrine: VitrineConnection,
        method: str,
        path: str,
        *,
        refused: Callable[[tuple[int, str]], None] | None = None,
        **kwargs: Any,
    ) -> Any:
        """Vitrine's JSON answer, or None after recording the failure: a 409, 404 or 422 goes to ``refused`` too."""
        try:
            response = vitrine.session.request(
                method,
                vitrine.api_url + path,
                headers={"Authorization": f"Bearer {vitrine.api_key}", "Accept": "application/json"},
                timeout=VITRINE_TIMEOUT_SECONDS,
                **kwargs,
            )
        except requests.RequestException as exc:
            self._record_error(method, path, None, f"{type(exc).__name__}: {exc}")
            return None
        if response.ok:
            try:
                return response.json()
            except ValueError:
                self._record_error(method, path, response.status_code, "the answer is not JSON")
                return None
        reason = _reason(response)
        self._record_error(method, path, response.status_code, reason)
        if refused is not None and response.status_code in (404, 409, 422):
            refused((response.status_code, reason))
        return None

    def _record_error(self, method: str, path: str, status: int | None, reason: str) -> None:
        log.warning("Vitrine: %s %s failed (%s): %s", method, path, status or "no answer", reason)
        with self.records.lock:
            self.errors.append({"at": now_text(), "request": f"{method} {path}", "status": status, "reason": reason})
            del self.errors[:-KEPT_ERRORS]


def _reason(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200] or response.reason
    if isinstance(body, dict):
        message = body.get("message") or body.get("error") or ""
        details = body.get("details")
        return f"{message} {json.dumps(details, ensure_ascii=False)}".strip() if details else str(message)
    return str(body)[:200]

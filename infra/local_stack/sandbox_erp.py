"""The sandbox ERP: the demo merchant's back office on 127.0.0.1, so ``make dev`` shows the whole ERP loop.

An ERP is where the merchant's master data lives and where sales are booked and invoiced. This one plays both
sides Vitrine talks to, over real HTTP:

- It **serves the generic HTTP JSON connector's contract** that Vitrine's ``sync_erp_connectors`` schedule polls:
  ``GET /products``, ``GET /prices`` and ``GET /stock`` with ``Authorization: Bearer <token>`` (anything else is
  401), ``limit=1..1000`` and, after the first poll, ``cursor=<next_cursor>``. Each answers 200
  ``{"items", "next_cursor", "has_more"}``: the items changed after the cursor (every item without one), oldest
  change first, at most ``limit``, in the push batches' item schemas (``ErpProduct``, ``ErpPrice``,
  ``ErpStockLevel`` of ``vitrine.erp.models``). The cursor is a change counter: every change to a record gives it
  the next number, so a page cut anywhere resumes exactly after its last item and a change made between two pages
  is served later, never lost. A cursor of an earlier run of the sandbox (its numbers mean nothing now) is taken
  as no cursor: everything is served again, which costs Vitrine nothing (it writes only what differs).
- Its master data is **the demo data ``local_stack.seed`` writes** (the same products, prices per table, and stock
  per store drawn from the same seeded generator, each count at sequence 1), so the first poll changes nothing.
- Every ``counter_sale_seconds`` it **sells one unit at the counter** of store 0001 (a variant in stock there, drawn
  by a seeded generator): the count drops and its sequence grows, so Vitrine's next poll gets the newer count.
- Every ``feed_poll_seconds``, once ``connect_vitrine`` gave it Vitrine's URL and an API key with the ``erp``
  scope, it **takes the paid orders** from ``GET /erp/v1/orders/feed`` (every page), books each by its order id
  (a repeat is booked once), acknowledges them (``POST /erp/v1/orders/feed/ack``), and reports each
  ``in_preparation`` then ``invoiced`` with an NF-e it issues (a valid 44-digit access key, number and series,
  kept with the order so a retry sends the same one). When Vitrine accepts the invoice, the invoiced units leave
  its stock at the store that holds them (sequence bumped, served on the next poll). Vitrine's failures are
  logged and tried again on the next tick; a 409 (or 404, 422) on a report is logged with Vitrine's reason and the
  order is left alone. An order the feed serves cancelled is acknowledged and dropped, and so is one a report finds
  cancelled or refunded (Vitrine answers a stale report 200 with the order as it is): nothing is invoiced for it.

For a person, ``GET /`` is a small page (orders, invoices, counter sales, a form to sell at the counter and a
button to sync now); for tests, ``GET /sandbox/status`` is the same as JSON, ``POST /sandbox/counter-sale``
``{"store_code", "sku", "quantity"}`` sells now, and ``POST /sandbox/sync-now`` polls the feed now and answers what
that poll did. A timer of 0 runs only on demand. State lives in memory and ends with the process.
"""

import argparse
import html
import http.server
import json
import logging
import random
import re
import secrets
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import requests

from local_stack.loopback_http import UNREADABLE, JsonHandler

log = logging.getLogger("local_stack.sandbox_erp")

DEFAULT_COUNTER_SALE_SECONDS = 20.0
DEFAULT_FEED_POLL_SECONDS = 5.0
MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
FEED_PAGE = 50
MAX_FEED_PAGES = 20  # per poll: a feed that never ends its pages (a bug) does not hold the timer forever
ACK_BATCH = 100  # what POST /erp/v1/orders/feed/ack takes at most
VITRINE_TIMEOUT_SECONDS = 30.0
MAX_BODY_BYTES = 64 * 1024
KEPT_ERRORS = 50
# The NF-e the sandbox issues: São Paulo (IBGE 35), model 55, series 1, normal emission, the demo merchant's CNPJ.
NFE_STATE_CODE = "35"
NFE_MODEL = "55"
NFE_SERIES = 1
NFE_EMISSION = "1"
DEMO_CNPJ = "11222333000181"
UNAUTHORIZED = {"message": "send the connector token as 'Authorization: Bearer <token>'"}
# Orders the feed can serve that the ERP must not book: the sale it may have booked is dropped instead.
_DROPPED_STATUSES = frozenset({"cancelled", "refunded"})


# ---------------------------------------------------------------- NF-e


def nfe_check_digit(first_43: str) -> str:
    """The access key's last digit (SEFAZ's cDV): mod 11 of the 43 digits, weights 2 to 9 from the right."""
    total, weight = 0, 2
    for digit in reversed(first_43):
        total += int(digit) * weight
        weight = 2 if weight == 9 else weight + 1
    remainder = total % 11
    return "0" if remainder in (0, 1) else str(11 - remainder)


def nfe_access_key(*, number: int, series: int, issued: datetime, cnpj: str, code: int) -> str:
    """The 44 digits of an NF-e's chave de acesso: cUF, AAMM, CNPJ, mod, série, nNF, tpEmis, cNF and cDV."""
    first_43 = f"{NFE_STATE_CODE}{issued:%y%m}{cnpj:0>14}{NFE_MODEL}{series:03d}{number:09d}{NFE_EMISSION}{code:08d}"
    return first_43 + nfe_check_digit(first_43)


# ---------------------------------------------------------------- master data


@dataclass
class _Record:
    """One item as the connector serves it, and the change number it was last changed at."""

    item: dict[str, Any]
    change: int


@dataclass(frozen=True)
class MasterData:
    products: list[dict[str, Any]]
    prices: list[dict[str, Any]]
    stock: list[dict[str, Any]]


def demo_master_data() -> MasterData:
    """The demo merchant as ``local_stack.seed`` writes it, as the ERP holds it (its item schemas)."""
    from local_stack import seed

    demo = seed._demo_products()
    products = [
        {
            "sku": product.sku,
            "name": product.name,
            "description": product.description,
            "brand": product.brand,
            "classifiers": list(product.classifiers),
            "variants": [{"sku": v.sku, "size": v.size, "colour": v.colour} for v in product.variants],
            "active_online": product.active_online,
        }
        for product in demo
    ]
    retail = {sku: price for sku, *_rest, price in seed._PRODUCTS}
    prices = [{"table_id": seed.RETAIL_TABLE, "sku": sku, "price": price} for sku, price in retail.items()]
    prices += [
        {"table_id": seed.WHOLESALE_TABLE, "sku": sku, "price": price * 85 // 100} for sku, price in retail.items()
    ]
    # The seed's own draw, in its order: the same generator, seed and choices give the same counts.
    rng = random.Random(2026)
    stock = [
        {"store_code": store, "sku": variant.sku, "on_hand": rng.choice([0, 0, 1, 2, 3, 5, 8, 12]), "sequence": 1}
        for product in demo
        for variant in product.variants
        for store in (seed.PHYSICAL_STORE, seed.ONLINE_STORE)
    ]
    return MasterData(products=products, prices=prices, stock=stock)


class _Refused(Exception):
    """A request the sandbox does not do: its HTTP status and message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class _BookedOrder:
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
class _Vitrine:
    api_url: str
    api_key: str
    session: requests.Session = field(default_factory=requests.Session)


class SandboxErp:
    """The sandbox as threads in this process: ``start()``, ``connect_vitrine()`` once Vitrine is up, ``stop()``."""

    def __init__(
        self,
        port: int = 0,
        token: str | None = None,
        counter_sale_seconds: float = DEFAULT_COUNTER_SALE_SECONDS,
        feed_poll_seconds: float = DEFAULT_FEED_POLL_SECONDS,
        counter_store: str = "0001",
        master_data: MasterData | None = None,
        rng_seed: int = 6,
        cnpj: str = DEMO_CNPJ,
    ) -> None:
        self.token = token or f"erp_test_{secrets.token_hex(16)}"
        self.counter_sale_seconds = counter_sale_seconds
        self.feed_poll_seconds = feed_poll_seconds
        self.counter_store = counter_store
        self.cnpj = cnpj
        # Cursors name this run: one of an earlier run is read as no cursor (see the module's docstring).
        self.epoch = secrets.token_hex(4)
        self._rng = random.Random(rng_seed)
        self._lock = threading.Lock()  # the data: records, orders, counters
        self._sync_lock = threading.Lock()  # one feed poll at a time (the timer and sync-now)
        self._change = 0
        self._tables: dict[str, dict[tuple[str, ...], _Record]] = {"products": {}, "prices": {}, "stock": {}}
        data = master_data or demo_master_data()
        for kind, items, key in (
            ("products", data.products, ("sku",)),
            ("prices", data.prices, ("table_id", "sku")),
            ("stock", data.stock, ("store_code", "sku")),
        ):
            for item in items:
                self._change += 1
                self._tables[kind][tuple(item[k] for k in key)] = _Record(dict(item), self._change)
        self._orders: dict[str, _BookedOrder] = {}
        self._sales: list[dict[str, Any]] = []
        self._errors: list[dict[str, Any]] = []
        self._polls = 0
        self._invoice_number = 0
        self._vitrine: _Vitrine | None = None
        self._stopping = threading.Event()
        self._server = _Server(("127.0.0.1", port), _Handler)
        self._server.sandbox = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, name="sandbox-erp", daemon=True)
        self._timers = threading.Thread(target=self._run_timers, name="sandbox-erp-timers", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def connected(self) -> bool:
        """True once ``connect_vitrine`` said where the feed is."""
        return self._vitrine is not None

    def environment(self) -> dict[str, str]:
        """What the demo seed needs to configure Vitrine's connector to this ERP."""
        return {"SANDBOX_ERP_URL": self.url, "SANDBOX_ERP_TOKEN": self.token}

    def start(self, *, timers: bool = True) -> None:
        """Serve; ``timers=False`` leaves the counter and the feed poll to ``start_timers`` (e.g. after a seed)."""
        self._thread.start()
        log.info("sandbox ERP up at %s", self.url)
        if timers:
            self.start_timers()

    def start_timers(self) -> None:
        """Sell at the counter and poll the feed on their timers from now on (the first tick one period away)."""
        if self._timers.ident is None:
            self._timers.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.ident is not None:  # shutdown() waits for a serve_forever that never ran otherwise
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()
        if self._timers.is_alive():
            self._timers.join(timeout=VITRINE_TIMEOUT_SECONDS + 5)
        if self._vitrine is not None:
            self._vitrine.session.close()

    def connect_vitrine(self, api_url: str, api_key: str) -> None:
        """Where the feed is and the key (``erp`` scope) to read it with; the feed is polled from now on."""
        previous, self._vitrine = self._vitrine, _Vitrine(api_url.rstrip("/"), api_key)
        if previous is not None:
            previous.session.close()

    # ---------------------------------------------------------------- the connector's contract

    def page(self, kind: str, *, limit: int, cursor: str | None) -> dict[str, Any]:
        """The items of ``kind`` changed after ``cursor``, oldest change first, and where the next page starts."""
        after = self._position(cursor)
        with self._lock:
            changed = sorted(
                (record for record in self._tables[kind].values() if record.change > after), key=lambda r: r.change
            )
            served = changed[:limit]
            last = served[-1].change if served else after
            return {
                "items": [dict(record.item) for record in served],
                "next_cursor": f"{self.epoch}.{last}",
                "has_more": len(changed) > limit,
            }

    def _position(self, cursor: str | None) -> int:
        if cursor is None:
            return 0
        match = re.fullmatch(r"([0-9a-f]{8})\.(\d{1,18})", cursor)
        if match is None:
            raise _Refused(400, "cursor is not one this ERP gave: send the last next_cursor as it came")
        return int(match.group(2)) if match.group(1) == self.epoch else 0

    # ---------------------------------------------------------------- the counter

    def counter_sale(self, store_code: str, sku: str, quantity: int = 1) -> dict[str, Any]:
        """Sell ``quantity`` units at the counter of ``store_code``: the count drops, its sequence grows."""
        with self._lock:
            record = self._tables["stock"].get((store_code, sku))
            if record is None:
                raise _Refused(404, f"no stock of '{sku}' at store '{store_code}'")
            on_hand = record.item["on_hand"]
            if on_hand < quantity:
                raise _Refused(409, f"only {on_hand} of '{sku}' on hand at store '{store_code}'")
            level = self._move_stock(record, -quantity)
            sale = {"store_code": store_code, "sku": sku, "quantity": quantity, "at": _now()}
            self._sales.append(sale)
        log.info("counter sale at %s: %d x %s (%d left)", store_code, quantity, sku, level["on_hand"])
        return {**sale, "on_hand": level["on_hand"], "sequence": level["sequence"]}

    def random_counter_sale(self) -> dict[str, Any] | None:
        """One unit of a variant in stock at the counter store, drawn by the sandbox's seeded generator."""
        with self._lock:
            in_stock = sorted(
                sku
                for (store, sku), record in self._tables["stock"].items()
                if store == self.counter_store and record.item["on_hand"] > 0
            )
            sku = self._rng.choice(in_stock) if in_stock else None
        if sku is None:
            return None
        try:
            return self.counter_sale(self.counter_store, sku)
        except _Refused:  # sold meanwhile by a person or the feed: the next tick draws again
            return None

    def _move_stock(self, record: _Record, delta: int) -> dict[str, Any]:
        """A movement of a count (under ``_lock``): never below zero, a newer sequence, the next change number."""
        self._change += 1
        record.item = {
            **record.item,
            "on_hand": max(0, record.item["on_hand"] + delta),
            "sequence": record.item["sequence"] + 1,
        }
        record.change = self._change
        return record.item

    # ---------------------------------------------------------------- orders from Vitrine's feed

    def sync_now(self) -> dict[str, Any]:
        """Poll the feed, book and acknowledge what it serves, report what is booked; what this poll did."""
        vitrine = self._vitrine
        if vitrine is None:
            raise _Refused(409, "not connected to Vitrine yet (no API key: is the stack seeded?)")
        with self._sync_lock:
            self._polls += 1
            errors_before = len(self._errors)
            taken = self._take_feed(vitrine)
            acknowledged = self._acknowledge(vitrine)
            reported = self._report(vitrine)
            with self._lock:
                errors = self._errors[errors_before:] if len(self._errors) > errors_before else []
            return {"taken": taken, "acknowledged": acknowledged, "invoiced": reported, "errors": errors}

    def _take_feed(self, vitrine: _Vitrine) -> list[str]:
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
        with self._lock:
            if order_id in self._orders:
                self._orders[order_id].acknowledged = False  # served again: the last ack did not land
                return False
            reservation = order.get("reservation") or {}
            booked = _BookedOrder(
                order_id=order_id,
                store_code=reservation.get("store_code") or order.get("store_code", ""),
                lines=[{"sku": line["sku"], "quantity": line["quantity"]} for line in reservation.get("lines", [])],
                taken_at=_now(),
                vitrine_status=order.get("status"),
            )
            if order.get("status") in _DROPPED_STATUSES:
                booked.state, booked.note = "dropped", f"served {order.get('status')}: nothing to sell"
            self._orders[order_id] = booked
        log.info("took order %s from the feed (%s)", order_id, booked.state)
        return True

    def _acknowledge(self, vitrine: _Vitrine) -> int:
        with self._lock:
            pending = [order_id for order_id, order in self._orders.items() if not order.acknowledged]
        acknowledged = 0
        for start in range(0, len(pending), ACK_BATCH):
            answer = self._call(
                vitrine, "POST", "/erp/v1/orders/feed/ack", json={"order_ids": pending[start : start + ACK_BATCH]}
            )
            if answer is None:
                continue  # served again on the next poll, and acknowledged then
            with self._lock:
                for result in answer.get("results", []):
                    order = self._orders.get(result["order_id"])
                    if order is not None and result["outcome"] in ("acknowledged", "already_acknowledged"):
                        order.acknowledged = True
                        acknowledged += 1
        return acknowledged

    def _report(self, vitrine: _Vitrine) -> list[str]:
        with self._lock:
            open_orders = [o for o in self._orders.values() if o.state in ("booked", "in_preparation")]
        invoiced: list[str] = []
        for order in open_orders:
            if order.state == "booked" and not self._send_report(vitrine, order, {"status": "in_preparation"}):
                continue
            with self._lock:
                order.state = "in_preparation"
                if order.invoice is None:
                    order.invoice = self._issue_invoice()
            if not self._send_report(vitrine, order, {"status": "invoiced", "invoice": order.invoice}):
                continue
            with self._lock:
                order.state = "invoiced"
                self._take_invoiced_units(order)
            invoiced.append(order.order_id)
            log.info("order %s invoiced: NF-e %s", order.order_id, order.invoice["access_key"])
        return invoiced

    def _send_report(self, vitrine: _Vitrine, order: _BookedOrder, report: dict[str, Any]) -> bool:
        """True when Vitrine took the report; a refusal leaves the order alone, a failure waits for the next tick."""
        refused: list[tuple[int, str]] = []
        answer = self._call(
            vitrine, "POST", f"/erp/v1/orders/{order.order_id}/events", json=report, refused=refused.append
        )
        if answer is not None:
            status = answer.get("status")
            with self._lock:
                order.vitrine_status = status
                if status not in _DROPPED_STATUSES:
                    return True
                # A stale report is answered 200 with the order as it is: cancelled since booking, nothing to invoice.
                order.state, order.note = "dropped", f"{status} at Vitrine: the sale is dropped"
            log.info("order %s is %s at Vitrine: dropped, not invoiced", order.order_id, status)
            return False
        if refused:
            status, reason = refused[0]
            with self._lock:
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

    def _take_invoiced_units(self, order: _BookedOrder) -> None:
        """The invoiced units leave the store that held them (under ``_lock``)."""
        for line in order.lines:
            record = self._tables["stock"].get((order.store_code, line["sku"]))
            if record is None:
                log.warning(
                    "order %s sold %s, which store %s does not stock", order.order_id, line["sku"], order.store_code
                )
                continue
            self._move_stock(record, -line["quantity"])

    def _call(
        self,
        vitrine: _Vitrine,
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
        with self._lock:
            self._errors.append({"at": _now(), "request": f"{method} {path}", "status": status, "reason": reason})
            del self._errors[:-KEPT_ERRORS]

    # ---------------------------------------------------------------- timers

    def _run_timers(self) -> None:
        now = time.monotonic()
        due = {
            "counter_sale": now + self.counter_sale_seconds if self.counter_sale_seconds > 0 else None,
            "feed": now + self.feed_poll_seconds if self.feed_poll_seconds > 0 else None,
        }
        while not self._stopping.is_set():
            pending = [moment for moment in due.values() if moment is not None]
            if not pending:
                self._stopping.wait()
                return
            if self._stopping.wait(max(0.0, min(pending) - time.monotonic())):
                return
            now = time.monotonic()
            if due["counter_sale"] is not None and now >= due["counter_sale"]:
                self._tick("counter sale", self.random_counter_sale)
                due["counter_sale"] = now + self.counter_sale_seconds
            if due["feed"] is not None and now >= due["feed"]:
                if self._vitrine is not None:
                    self._tick("feed poll", self.sync_now)
                due["feed"] = time.monotonic() + self.feed_poll_seconds

    def _tick(self, name: str, work: Callable[[], Any]) -> None:
        try:
            work()
        except Exception:  # a timer must outlive any one failure; the next tick tries again
            log.exception("sandbox ERP: the %s failed", name)

    # ---------------------------------------------------------------- what a person or a test sees

    def status(self) -> dict[str, Any]:
        with self._lock:
            orders = [order.view() for order in self._orders.values()]
            return {
                "url": self.url,
                "connected": self._vitrine is not None,
                "vitrine_url": self._vitrine.api_url if self._vitrine else None,
                "counter_sale_seconds": self.counter_sale_seconds,
                "feed_poll_seconds": self.feed_poll_seconds,
                "feed_polls": self._polls,
                "orders_taken": len(orders),
                "orders_reported": sum(1 for o in orders if o["state"] in ("in_preparation", "invoiced")),
                "orders_invoiced": sum(1 for o in orders if o["state"] == "invoiced"),
                "orders": orders,
                "counter_sales": list(self._sales),
                "errors": list(self._errors),
                "changes": self._change,
            }

    def stock_level(self, store_code: str, sku: str) -> dict[str, Any] | None:
        with self._lock:
            record = self._tables["stock"].get((store_code, sku))
            return dict(record.item) if record else None


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


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------- the page


_STATE_TEXT = {
    "booked": "Recebido",
    "in_preparation": "Em separação",
    "invoiced": "Faturado",
    "refused": "Recusado pela Vitrine",
    "dropped": "Cancelado",
}


def _page(sandbox: SandboxErp) -> str:
    status = sandbox.status()
    esc = html.escape
    rows = "".join(
        f"<tr><td><code>{esc(o['order_id'][:12])}</code></td><td>{esc(_STATE_TEXT.get(o['state'], o['state']))}</td>"
        f"<td>{esc(o['store_code'])}</td><td>{sum(line['quantity'] for line in o['lines'])}</td>"
        f"<td><code>{esc(o['invoice']['access_key']) if o['invoice'] else ''}</code></td>"
        f"<td>{esc(o['note'] or '')}</td></tr>"
        for o in reversed(status["orders"])
    )
    sales = "".join(
        f"<li>{esc(s['at'])} · loja {esc(s['store_code'])} · {s['quantity']} un. <code>{esc(s['sku'])}</code></li>"
        for s in reversed(status["counter_sales"][-10:])
    )
    errors = "".join(
        f"<li>{esc(e['at'])} · {esc(e['request'])} · {e['status'] or 'sem resposta'} · {esc(e['reason'])}</li>"
        for e in reversed(status["errors"][-10:])
    )
    timer = f"a cada {sandbox.counter_sale_seconds:g} s" if sandbox.counter_sale_seconds > 0 else "só quando pedido"
    connection = f"conectado a {esc(status['vitrine_url'])}" if status["connected"] else "ainda não conectado à Vitrine"
    return (
        "<!doctype html><html lang=pt-BR><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width, initial-scale=1'><link rel=icon href='data:,'>"
        "<title>ERP · Sandbox</title><style>"
        "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}"
        "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem;text-align:left}"
        "code{font-size:.8rem}.nota{color:#666;font-size:.85rem}</style></head><body>"
        "<h1>ERP de testes · Loja Demo Vitrine</h1>"
        f"<p>Pedidos recebidos: <strong id=recebidos>{status['orders_taken']}</strong> · "
        f"faturados: <strong id=faturados>{status['orders_invoiced']}</strong> · "
        f"vendas no balcão: <strong id=balcao>{len(status['counter_sales'])}</strong> · {connection}</p>"
        "<form method=post action='/sync-now'><button type=submit>Buscar pedidos agora</button></form>"
        f"<h2>Pedidos</h2><table><tr><th>Pedido</th><th>Situação</th><th>Loja</th><th>Unidades</th>"
        f"<th>Chave NF-e</th><th>Observação</th></tr>{rows}</table>"
        f"<h2>Vendas no balcão ({timer})</h2>"
        "<form method=post action='/counter-sale'>Loja <input name=store_code value='0001' size=5> "
        "SKU <input name=sku required> Qtd <input name=quantity type=number min=1 value=1 size=3> "
        "<button type=submit>Vender</button></form>"
        f"<ul>{sales}</ul><h2>Erros</h2><ul>{errors}</ul>"
        "<p class=nota>Ambiente de testes: catálogo, preços e estoque servidos em /products, /prices e /stock.</p>"
        "</body></html>"
    )


# ---------------------------------------------------------------- HTTP


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    sandbox: SandboxErp


Route = tuple[str, re.Pattern[str], Callable[["_Handler"], None]]


class _Handler(JsonHandler):
    max_body_bytes = MAX_BODY_BYTES
    logger = log
    server: _Server

    def version_string(self) -> str:
        return "vitrine-sandbox-erp"

    def do_GET(self) -> None:
        self._dispatch()

    do_POST = do_GET

    def _dispatch(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        for method, pattern, handle in _ROUTES:
            if pattern.fullmatch(path) and method == self.command:
                try:
                    handle(self)
                except _Refused as exc:
                    self._send_json(exc.status, {"message": exc.message})
                except Exception:  # logged in full, answered as a failure of this ERP
                    log.exception("%s %s failed", self.command, self.path)
                    self.close_connection = True
                    self._send_json(500, {"message": "the sandbox ERP failed; see the stack's log"})
                return
        if any(pattern.fullmatch(path) for _, pattern, _ in _ROUTES):
            self._send_json(405, {"message": f"{self.command} is not allowed here"})
            return
        self._send_json(404, {"message": "no such route"})

    # ---- the connector's contract

    def _products(self) -> None:
        self._serve_page("products")

    def _prices(self) -> None:
        self._serve_page("prices")

    def _stock(self) -> None:
        self._serve_page("stock")

    def _serve_page(self, kind: str) -> None:
        sandbox = self.server.sandbox
        scheme, _, token = self.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not secrets.compare_digest(token.strip().encode(), sandbox.token.encode()):
            self._send_json(401, UNAUTHORIZED, [("WWW-Authenticate", 'Bearer realm="sandbox-erp"')])
            return
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        limit_text = query.get("limit", [str(DEFAULT_LIMIT)])[-1]
        if not limit_text.isdigit() or not 1 <= int(limit_text) <= MAX_LIMIT:
            raise _Refused(400, f"limit is a whole number from 1 to {MAX_LIMIT}")
        cursor = query.get("cursor", [None])[-1]
        self._send_json(200, sandbox.page(kind, limit=int(limit_text), cursor=cursor or None))

    # ---- controls

    def _status(self) -> None:
        self._send_json(200, self.server.sandbox.status())

    def _counter_sale_json(self) -> None:
        body = self._read_json()
        if body is UNREADABLE:
            return
        store_code, sku, quantity = _sale_fields(body)
        self._send_json(201, self.server.sandbox.counter_sale(store_code, sku, quantity))

    def _sync_now_json(self) -> None:
        self._send_json(200, self.server.sandbox.sync_now())

    def _page(self) -> None:
        self._send(200, _page(self.server.sandbox).encode(), "text/html; charset=utf-8")

    def _counter_sale_form(self) -> None:
        raw = self._read_body() or b""
        form = {key: values[-1] for key, values in urllib.parse.parse_qs(raw.decode(errors="replace")).items()}
        if form.get("quantity", "").isdigit():
            form["quantity"] = int(form["quantity"])  # type: ignore[assignment]
        self.server.sandbox.counter_sale(*_sale_fields(form))
        self._redirect_home()

    def _sync_now_form(self) -> None:
        self._read_body()
        self.server.sandbox.sync_now()
        self._redirect_home()

    def _redirect_home(self) -> None:
        self._send(303, b"", "text/plain", [("Location", "/")])


def _sale_fields(body: Any) -> tuple[str, str, int]:
    """A counter sale's store, SKU and quantity, or a 422 naming what is wrong."""
    if not isinstance(body, dict):
        raise _Refused(422, 'send {"store_code", "sku", "quantity"}')
    unknown = set(body) - {"store_code", "sku", "quantity"}
    if unknown:
        raise _Refused(422, f"unknown fields: {', '.join(sorted(unknown))}")
    store_code, sku, quantity = body.get("store_code"), body.get("sku"), body.get("quantity", 1)
    if not isinstance(store_code, str) or not store_code or not isinstance(sku, str) or not sku:
        raise _Refused(422, "store_code and sku are required strings")
    if not isinstance(quantity, int) or isinstance(quantity, bool) or not 1 <= quantity <= 1000:
        raise _Refused(422, "quantity is a whole number from 1 to 1000")
    return store_code, sku, quantity


_ROUTES: list[Route] = [
    ("GET", re.compile(r"/products"), _Handler._products),
    ("GET", re.compile(r"/prices"), _Handler._prices),
    ("GET", re.compile(r"/stock"), _Handler._stock),
    ("GET", re.compile(r"/"), _Handler._page),
    ("POST", re.compile(r"/counter-sale"), _Handler._counter_sale_form),
    ("POST", re.compile(r"/sync-now"), _Handler._sync_now_form),
    ("GET", re.compile(r"/sandbox/status"), _Handler._status),
    ("POST", re.compile(r"/sandbox/counter-sale"), _Handler._counter_sale_json),
    ("POST", re.compile(r"/sandbox/sync-now"), _Handler._sync_now_json),
]


def main(argv: list[str] | None = None) -> int:
    """``python -m local_stack.sandbox_erp``: the sandbox alone, e.g. pointed at a running ``make dev``."""
    parser = argparse.ArgumentParser(prog="sandbox-erp", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--token", help="the connector token (default: drawn)")
    parser.add_argument("--vitrine-url", help="Vitrine's API, e.g. http://127.0.0.1:3000")
    parser.add_argument("--api-key", help="a merchant API key with the erp scope (the feed is polled with it)")
    parser.add_argument("--counter-sale-seconds", type=float, default=DEFAULT_COUNTER_SALE_SECONDS)
    parser.add_argument("--feed-poll-seconds", type=float, default=DEFAULT_FEED_POLL_SECONDS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s", datefmt="%H:%M:%S")
    sandbox = SandboxErp(
        port=args.port,
        token=args.token,
        counter_sale_seconds=args.counter_sale_seconds,
        feed_poll_seconds=args.feed_poll_seconds,
    )
    sandbox.start()
    if args.vitrine_url and args.api_key:
        sandbox.connect_vitrine(args.vitrine_url, args.api_key)
    print(json.dumps(sandbox.environment(), indent=2), flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        sandbox.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

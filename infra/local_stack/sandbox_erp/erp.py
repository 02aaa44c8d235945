"""The sandbox ERP as a whole: its master records, counter and order-feed worker behind one HTTP server, the two
timers (a counter sale every ``counter_sale_seconds``, a feed poll every ``feed_poll_seconds``; 0: only on
demand) and the status a person or a test reads. One lock guards all of its data."""

import logging
import random
import secrets
import threading
import time
from collections.abc import Callable
from typing import Any

from local_stack.demo_data import DEMO_CNPJ, MasterData, demo_master_data
from local_stack.loopback_http import LoopbackServer
from local_stack.sandbox_erp.counter import CounterSeller
from local_stack.sandbox_erp.order_feed import VITRINE_TIMEOUT_SECONDS, OrderFeed
from local_stack.sandbox_erp.records import MasterRecords
from local_stack.sandbox_erp.server import ErpHandler

log = logging.getLogger("local_stack.sandbox_erp")

DEFAULT_COUNTER_SALE_SECONDS = 20.0
DEFAULT_FEED_POLL_SECONDS = 5.0


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
        # One generator for the counter's draws and the invoices' codes: the same seed, the same run.
        rng = random.Random(rng_seed)
        self.records = MasterRecords(master_data or demo_master_data(), threading.Lock())
        self.counter = CounterSeller(self.records, counter_store, rng)
        self.feed = OrderFeed(self.records, rng, cnpj)
        self._stopping = threading.Event()
        self._server = LoopbackServer(port, ErpHandler, self, "sandbox-erp")
        self.port = self._server.port
        self._timers = threading.Thread(target=self._run_timers, name="sandbox-erp-timers", daemon=True)

    @property
    def url(self) -> str:
        return self._server.url

    @property
    def connected(self) -> bool:
        """True once ``connect_vitrine`` said where the feed is."""
        return self.feed.vitrine is not None

    def environment(self) -> dict[str, str]:
        """What the demo seed needs to configure Vitrine's connector to this ERP."""
        return {"SANDBOX_ERP_URL": self.url, "SANDBOX_ERP_TOKEN": self.token}

    def start(self, *, timers: bool = True) -> None:
        """Serve; ``timers=False`` leaves the counter and the feed poll to ``start_timers`` (e.g. after a seed)."""
        self._server.start()
        log.info("sandbox ERP up at %s", self.url)
        if timers:
            self.start_timers()

    def start_timers(self) -> None:
        """Sell at the counter and poll the feed on their timers from now on (the first tick one period away)."""
        if self._timers.ident is None:
            self._timers.start()

    def stop(self) -> None:
        self._stopping.set()
        self._server.stop()
        if self._timers.is_alive():
            self._timers.join(timeout=VITRINE_TIMEOUT_SECONDS + 5)
        self.feed.close()

    def connect_vitrine(self, api_url: str, api_key: str) -> None:
        """Where the feed is and the key (``erp`` scope) to read it with; the feed is polled from now on."""
        self.feed.connect(api_url, api_key)

    # ---------------------------------------------------------------- what the routes and timers do

    def page(self, kind: str, *, limit: int, cursor: str | None) -> dict[str, Any]:
        return self.records.page(kind, limit=limit, cursor=cursor)

    def counter_sale(self, store_code: str, sku: str, quantity: int = 1) -> dict[str, Any]:
        return self.counter.counter_sale(store_code, sku, quantity)

    def random_counter_sale(self) -> dict[str, Any] | None:
        return self.counter.random_counter_sale()

    def sync_now(self) -> dict[str, Any]:
        """Poll the feed now; what this poll did (409 before ``connect_vitrine``)."""
        return self.feed.sync_now()

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
                if self.feed.vitrine is not None:
                    self._tick("feed poll", self.sync_now)
                due["feed"] = time.monotonic() + self.feed_poll_seconds

    def _tick(self, name: str, work: Callable[[], Any]) -> None:
        try:
            work()
        except Exception:  # a timer must outlive any one failure; the next tick tries again
            log.exception("sandbox ERP: the %s failed", name)

    # ---------------------------------------------------------------- what a person or a test sees

    def status(self) -> dict[str, Any]:
        vitrine = self.feed.vitrine
        with self.records.lock:
            orders = [order.view() for order in self.feed.orders.values()]
            return {
                "url": self.url,
                "connected": vitrine is not None,
                "vitrine_url": vitrine.api_url if vitrine else None,
                "counter_sale_seconds": self.counter_sale_seconds,
                "feed_poll_seconds": self.feed_poll_seconds,
                "feed_polls": self.feed.polls,
                "orders_taken": len(orders),
                "orders_reported": sum(1 for o in orders if o["state"] in ("in_preparation", "invoiced")),
                "orders_invoiced": sum(1 for o in orders if o["state"] == "invoiced"),
                "orders": orders,
                "counter_sales": list(self.counter.sales),
                "errors": list(self.feed.errors),
                "changes": self.records.change,
            }

    def stock_level(self, store_code: str, sku: str) -> dict[str, Any] | None:
        with self.records.lock:
            record = self.records.stock_record(store_code, sku)
            return dict(record.item) if record else None

"""The sandbox ERP over real HTTP on loopback: the connector contract it serves (pages, cursors, 401, the item
schemas of ``vitrine.erp.models``), its counter sales, the NF-e it issues, and its side of the order feed against a
small stand-in for Vitrine's ERP order API that checks every body with Vitrine's own models and fails on cue.

Its master data is checked against what the demo seed writes (under ``mock_aws``): the first poll changes nothing.
Each test runs its own sandbox with its timers off (0), except the one that checks the counter's timer.
"""

import http.server
import json
import re
import threading
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from fake_http import JsonHandler
from polling import wait_until
from pydantic import TypeAdapter

from local_stack.demo_data import demo_master_data
from local_stack.sandbox_erp import SandboxErp
from local_stack.sandbox_erp.invoices import nfe_access_key
from vitrine.documents import is_valid_nfe_access_key
from vitrine.erp.models import ErpStockLevel, ItemStatus
from vitrine.erp.order_feed import AckRequest
from vitrine.erp.order_reports import OrderEventReport
from vitrine.erp.product_models import ErpPrice, ErpProduct
from vitrine.errors import InvalidInput
from vitrine.orders.models import Invoice

ITEM_MODELS = {"products": ErpProduct, "prices": ErpPrice, "stock": ErpStockLevel}
DEMO = demo_master_data()
TOTALS = {"products": len(DEMO.products), "prices": len(DEMO.prices), "stock": len(DEMO.stock)}
# A sandbox on loopback answers within milliseconds: look often, give up soon.
SOON = {"timeout": 5, "interval": 0.02}


@pytest.fixture
def erp() -> Iterator[SandboxErp]:
    sandbox = SandboxErp(counter_sale_seconds=0, feed_poll_seconds=0)
    sandbox.start()
    yield sandbox
    sandbox.stop()


def poll(erp: SandboxErp, kind: str, *, limit: int = 1000, cursor: str | None = None, token: str | None = None):
    params: dict[str, Any] = {"limit": limit, **({"cursor": cursor} if cursor else {})}
    headers = {"Authorization": f"Bearer {token or erp.token}", "Accept": "application/json"}
    return requests.get(f"{erp.url}/{kind}", params=params, headers=headers, timeout=10)


def poll_all(erp: SandboxErp, kind: str, *, limit: int, cursor: str | None = None) -> tuple[list[dict], str, int]:
    """Every page as the connector reads them (again while has_more): the items, the last cursor, the pages."""
    items: list[dict] = []
    pages = 0
    while True:
        response = poll(erp, kind, limit=limit, cursor=cursor)
        assert response.status_code == 200, response.text
        page = response.json()
        assert set(page) == {"items", "next_cursor", "has_more"} and len(page["items"]) <= limit
        items += page["items"]
        cursor, pages = page["next_cursor"], pages + 1
        if not page["has_more"]:
            return items, cursor, pages


# ---------------------------------------------------------------- the connector's contract


@pytest.mark.parametrize("kind", ["products", "prices", "stock"])
def test_paging_by_cursor_serves_every_item_once_in_the_push_batches_schema(erp, kind):
    # Given the demo data, when the connector reads it 7 items a page without a cursor, then on with each cursor
    items, cursor, pages = poll_all(erp, kind, limit=7)

    # Then every item came exactly once, in pages of at most 7, and each validates as its push batch's item
    assert len(items) == TOTALS[kind] and pages == -(-TOTALS[kind] // 7)
    assert len({json.dumps(item, sort_keys=True) for item in items}) == len(items)
    for item in items:
        ITEM_MODELS[kind].model_validate(item)
    # And the last cursor serves nothing new, and hands itself back
    again = poll(erp, kind, cursor=cursor).json()
    assert again == {"items": [], "next_cursor": cursor, "has_more": False}


def test_one_page_holds_everything_when_the_limit_allows(erp):
    page = poll(erp, "stock", limit=1000).json()
    assert len(page["items"]) == TOTALS["stock"] and page["has_more"] is False


def test_a_wrong_or_missing_token_is_401_and_serves_nothing(erp):
    assert poll(erp, "stock", token="not-the-token").status_code == 401
    bare = requests.get(f"{erp.url}/products?limit=10", timeout=10)
    assert bare.status_code == 401 and "items" not in bare.json()
    basic = requests.get(f"{erp.url}/prices", headers={"Authorization": f"Basic {erp.token}"}, timeout=10)
    assert basic.status_code == 401 and basic.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("limit", ["0", "1001", "-1", "ten", "2.5"])
def test_a_limit_out_of_1_to_1000_is_400(erp, limit):
    response = requests.get(
        f"{erp.url}/stock", params={"limit": limit}, headers={"Authorization": f"Bearer {erp.token}"}, timeout=10
    )
    assert response.status_code == 400 and "limit" in response.json()["message"]


def test_a_cursor_it_never_gave_is_400_and_one_of_an_earlier_run_starts_over(erp):
    assert poll(erp, "stock", cursor="bogus").status_code == 400
    # A cursor of another run (Vitrine kept it, the sandbox restarted): everything again, nothing lost.
    earlier = poll(erp, "prices", cursor="00000000.5").json()
    assert len(earlier["items"]) == TOTALS["prices"]


def test_the_first_poll_serves_the_demo_seeds_data():
    # What the seed writes, checked item by item against the sandbox's own drawing of it, below under moto too.
    stock = {(level["store_code"], level["sku"]): level for level in DEMO.stock}
    assert all(level["sequence"] == 1 for level in stock.values())
    assert {store for store, _ in stock} == {"0001", "9900"}
    prices = {(p["table_id"], p["sku"]): p["price"] for p in DEMO.prices}
    assert prices[("varejo", "CAM-BAS")] == 4990 and prices[("atacado", "CAM-BAS")] == 4990 * 85 // 100


# ---------------------------------------------------------------- counter sales


def test_a_counter_sale_lowers_the_count_bumps_its_sequence_and_is_served_on_the_next_poll(erp):
    _, cursor, _ = poll_all(erp, "stock", limit=1000)
    level = next(lv for lv in DEMO.stock if lv["store_code"] == "0001" and lv["on_hand"] >= 2)

    sold = requests.post(
        f"{erp.url}/sandbox/counter-sale",
        json={"store_code": "0001", "sku": level["sku"], "quantity": 2},
        timeout=10,
    )

    assert sold.status_code == 201
    assert sold.json()["on_hand"] == level["on_hand"] - 2 and sold.json()["sequence"] == 2
    page = poll(erp, "stock", cursor=cursor).json()
    assert page["items"] == [{**level, "on_hand": level["on_hand"] - 2, "sequence": 2}]
    assert page["has_more"] is False and page["next_cursor"] != cursor
    assert erp.status()["counter_sales"][0]["sku"] == level["sku"]


def test_a_counter_sale_it_cannot_make_is_refused_and_changes_nothing(erp):
    url = f"{erp.url}/sandbox/counter-sale"
    empty = next(lv for lv in DEMO.stock if lv["store_code"] == "0001" and lv["on_hand"] == 0)
    assert requests.post(url, json={"store_code": "0001", "sku": empty["sku"]}, timeout=10).status_code == 409
    assert requests.post(url, json={"store_code": "0001", "sku": "NOPE"}, timeout=10).status_code == 404
    assert requests.post(url, json={"store_code": "7777", "sku": empty["sku"]}, timeout=10).status_code == 404
    for body in (
        {"sku": "X"},
        {"store_code": "0001", "sku": "X", "quantity": 0},
        {"store_code": "0001", "sku": "X", "quantity": True},
        {"store_code": "0001", "sku": "X", "price": 1},
        [1],
    ):
        assert requests.post(url, json=body, timeout=10).status_code == 422, body
    assert requests.post(url, data=b"{", timeout=10).status_code == 400
    assert erp.status()["counter_sales"] == []
    _, cursor, _ = poll_all(erp, "stock", limit=1000)
    assert poll(erp, "stock", cursor=cursor).json()["items"] == []


def test_the_counter_timer_sells_a_unit_in_stock_at_store_0001():
    sandbox = SandboxErp(counter_sale_seconds=0.05, feed_poll_seconds=0)
    sandbox.start()
    try:
        sales = wait_until(lambda: sandbox.status()["counter_sales"], **SOON, message="a counter sale")
    finally:
        sandbox.stop()
    sale = sales[0]
    before = next(lv for lv in DEMO.stock if lv["store_code"] == sale["store_code"] and lv["sku"] == sale["sku"])
    assert sale["store_code"] == "0001" and sale["quantity"] == 1 and before["on_hand"] >= 1


def test_a_person_sells_at_the_counter_from_the_page(erp):
    level = next(lv for lv in DEMO.stock if lv["store_code"] == "0001" and lv["on_hand"] >= 1)
    form = {"store_code": "0001", "sku": level["sku"], "quantity": "1"}
    answer = requests.post(f"{erp.url}/counter-sale", data=form, allow_redirects=False, timeout=10)
    assert answer.status_code == 303 and answer.headers["Location"] == "/"
    page = requests.get(f"{erp.url}/", timeout=10)
    assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]
    assert "<strong id=balcao>1</strong>" in page.text and level["sku"] in page.text


# ---------------------------------------------------------------- NF-e


def test_the_nfe_keys_it_issues_pass_vitrines_validator():
    from datetime import UTC, datetime

    keys = [
        nfe_access_key(number=number, series=series, issued=datetime(2026, month, 1, tzinfo=UTC), cnpj=cnpj, code=code)
        for number, series, month, cnpj, code in [
            (1, 1, 11, "11222333000181", 0),
            (999_999_999, 999, 1, "00000000000191", 99_999_999),
            *((n, 1, 1 + n % 12, "11222333000181", n * 7919 % 10**8) for n in range(2, 400)),
        ]
    ]
    assert all(re.fullmatch(r"\d{44}", key) and is_valid_nfe_access_key(key) for key in keys)
    assert keys[0].startswith("352611112223330001815500100000000110")
    Invoice(access_key=keys[0], number=1, series=1)
    # One digit changed is caught by the check digit.
    assert not is_valid_nfe_access_key(keys[0][:10] + str((int(keys[0][10]) + 1) % 10) + keys[0][11:])


# ---------------------------------------------------------------- the order feed, against a stand-in for Vitrine


class FakeVitrine(http.server.ThreadingHTTPServer):
    """Vitrine's ERP order API as the sandbox sees it: a feed (one order a page, to exercise paging), the ack and
    the reports, each body checked with Vitrine's models (AckRequest, OrderEventReport); ``fail`` scripts failures
    by request ("METHOD path-prefix" -> statuses to answer first), ``fail_report`` by report status, and
    ``refuse`` answers every report on an order 409 with a reason."""

    daemon_threads = True

    def __init__(self, api_key: str) -> None:
        super().__init__(("127.0.0.1", 0), _FakeHandler)
        self.api_key = api_key
        self.orders: dict[str, dict[str, Any]] = {}
        self.acked: set[str] = set()
        self.reports: list[tuple[str, dict[str, Any]]] = []
        self.ack_requests: list[list[str]] = []
        self.fail: dict[str, list[int]] = {}
        self.refuse: dict[str, str] = {}
        self.fail_report: dict[str, list[int]] = {}
        self.status_now: dict[str, str] = {}  # answered as the order's status (a stale report's 200)
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def add_order(self, order_id: str, sku: str, quantity: int = 1, status: str = "paid", store: str = "0001"):
        self.orders[order_id] = {
            "order_id": order_id,
            "status": status,
            "store_code": "9900",
            "reservation": {
                "store_code": store,
                "status": "held",
                "expires_at": None,
                "lines": [{"sku": sku, "quantity": quantity}],
            },
        }


class _FakeHandler(JsonHandler):
    protocol_version = "HTTP/1.1"
    server: FakeVitrine

    def do_GET(self) -> None:
        self._handle()

    do_POST = do_GET

    def _handle(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        fake = self.server
        url = urllib.parse.urlsplit(self.path)
        if self.headers.get("Authorization") != f"Bearer {fake.api_key}":
            return self._send(401, {"message": "unauthorized"})
        with fake.lock:
            for request, statuses in fake.fail.items():
                method, prefix = request.split(" ", 1)
                if method == self.command and url.path.startswith(prefix) and statuses:
                    return self._send(statuses.pop(0), {"message": "the stand-in failed on cue"})
            if url.path == "/erp/v1/orders/feed":
                return self._feed(urllib.parse.parse_qs(url.query))
            if url.path == "/erp/v1/orders/feed/ack":
                body = AckRequest.model_validate_json(raw)
                fake.ack_requests.append(body.order_ids)
                results = []
                for order_id in body.order_ids:
                    outcome = "already_acknowledged" if order_id in fake.acked else "acknowledged"
                    fake.acked.add(order_id)
                    results.append({"order_id": order_id, "outcome": outcome})
                return self._send(200, {"results": results})
            match = re.fullmatch(r"/erp/v1/orders/([0-9a-f]{32})/events", url.path)
            if match:
                try:
                    report = OrderEventReport.model_validate_json(raw).root
                except InvalidInput as exc:
                    return self._send(422, {"message": exc.message, "details": exc.details})
                order_id = match.group(1)
                if fake.fail_report.get(report.status):
                    return self._send(fake.fail_report[report.status].pop(0), {"message": "failed on cue"})
                fake.reports.append((order_id, json.loads(raw)))
                if order_id in fake.refuse:
                    return self._send(409, {"message": fake.refuse[order_id]})
                if order_id in fake.status_now:
                    return self._send(
                        200, {"order_id": order_id, "status": fake.status_now[order_id], "changed": False}
                    )
                fake.orders[order_id]["status"] = report.status
                return self._send(200, {"order_id": order_id, "status": report.status, "changed": True})
        return self._send(404, {"message": "no such route"})

    def _feed(self, query: dict[str, list[str]]) -> None:
        assert 1 <= int(query["limit"][0]) <= 100
        waiting = sorted(order_id for order_id in self.server.orders if order_id not in self.server.acked)
        start = int(query.get("cursor", ["0"])[0])
        page = waiting[start : start + 1]
        more = start + 1 < len(waiting)
        orders = [self.server.orders[order_id] for order_id in page]
        return self._send(200, {"orders": orders, "next_cursor": str(start + 1) if more else None})


@pytest.fixture
def vitrine() -> Iterator[FakeVitrine]:
    server = FakeVitrine(api_key="vk_test_erp")
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def order_id(n: int) -> str:
    return f"{n:032x}"


def in_stock(count: int = 1, minimum: int = 1) -> list[dict]:
    return [lv for lv in DEMO.stock if lv["store_code"] == "0001" and lv["on_hand"] >= minimum][:count]


def sync(erp: SandboxErp) -> dict[str, Any]:
    response = requests.post(f"{erp.url}/sandbox/sync-now", timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def test_paid_orders_are_taken_acked_reported_in_preparation_then_invoiced_and_leave_the_erps_stock(erp, vitrine):
    # Given two paid orders in the feed (two pages), for units held at store 0001
    first, second = in_stock(2, minimum=2)
    vitrine.add_order(order_id(1), first["sku"], quantity=2)
    vitrine.add_order(order_id(2), second["sku"])
    erp.connect_vitrine(vitrine.url, vitrine.api_key)
    _, cursor, _ = poll_all(erp, "stock", limit=1000)

    # When the sandbox syncs
    done = sync(erp)

    # Then it took both, acknowledged them, and invoiced each after in_preparation, with a valid NF-e
    assert done["taken"] == [order_id(1), order_id(2)] and done["acknowledged"] == 2
    assert done["invoiced"] == [order_id(1), order_id(2)] and done["errors"] == []
    assert vitrine.acked == {order_id(1), order_id(2)}
    for n in (1, 2):
        reports = [report for oid, report in vitrine.reports if oid == order_id(n)]
        assert [r["status"] for r in reports] == ["in_preparation", "invoiced"]
        invoice = Invoice.model_validate(reports[1]["invoice"])
        assert is_valid_nfe_access_key(invoice.access_key) and invoice.series == 1
    numbers = [report["invoice"]["number"] for _, report in vitrine.reports if report["status"] == "invoiced"]
    assert numbers == [1, 2]
    # And the invoiced units left its count, served with newer sequences on the next poll
    served = {lv["sku"]: lv for lv in poll(erp, "stock", cursor=cursor).json()["items"]}
    assert served == {
        first["sku"]: {**first, "on_hand": first["on_hand"] - 2, "sequence": 2},
        second["sku"]: {**second, "on_hand": second["on_hand"] - 1, "sequence": 2},
    }
    status = erp.status()
    assert (status["orders_taken"], status["orders_reported"], status["orders_invoiced"]) == (2, 2, 2)
    assert {o["invoice"]["access_key"] for o in status["orders"]} == {
        r["invoice"]["access_key"] for _, r in vitrine.reports if r["status"] == "invoiced"
    }

    # And a second sync finds nothing new and reports nothing twice
    assert sync(erp) == {"taken": [], "acknowledged": 0, "invoiced": [], "errors": []}
    assert len(vitrine.reports) == 4


def test_an_ack_that_fails_is_sent_again_and_the_order_served_again_is_booked_once(erp, vitrine):
    vitrine.add_order(order_id(3), in_stock()[0]["sku"])
    vitrine.fail["POST /erp/v1/orders/feed/ack"] = [503]
    erp.connect_vitrine(vitrine.url, vitrine.api_key)

    first = sync(erp)
    assert first["taken"] == [order_id(3)] and first["acknowledged"] == 0
    assert [error["status"] for error in first["errors"]] == [503]
    assert first["invoiced"] == [order_id(3)]  # the reports do not wait for the ack

    second = sync(erp)  # the feed serves it again: booked once, acknowledged now, not reported again
    assert second["taken"] == [] and second["acknowledged"] == 1 and second["invoiced"] == []
    assert vitrine.ack_requests == [[order_id(3)]] and vitrine.acked == {order_id(3)}  # the 503 took nothing
    assert [report["status"] for _, report in vitrine.reports] == ["in_preparation", "invoiced"]


def test_an_invoice_vitrine_fails_to_take_is_sent_again_with_the_same_nfe(erp, vitrine):
    sku = in_stock()[0]["sku"]
    before = erp.stock_level("0001", sku)
    vitrine.add_order(order_id(4), sku)
    vitrine.fail_report["invoiced"] = [502]
    erp.connect_vitrine(vitrine.url, vitrine.api_key)

    first = sync(erp)
    assert first["invoiced"] == [] and [e["status"] for e in first["errors"]] == [502]
    (order,) = erp.status()["orders"]
    assert order["state"] == "in_preparation" and order["invoice"] is not None
    assert erp.stock_level("0001", sku) == before  # nothing left the count before Vitrine took the invoice

    second = sync(erp)
    assert second["invoiced"] == [order_id(4)] and second["errors"] == []
    # in_preparation is not repeated, and the invoice sent again is the NF-e issued the first time
    assert [report["status"] for _, report in vitrine.reports] == ["in_preparation", "invoiced"]
    assert vitrine.reports[-1][1]["invoice"] == order["invoice"]
    assert erp.stock_level("0001", sku) == {**before, "on_hand": before["on_hand"] - 1, "sequence": 2}


def test_a_report_vitrine_refuses_is_logged_with_its_reason_and_the_order_left_alone(erp, vitrine):
    vitrine.add_order(order_id(5), in_stock()[0]["sku"])
    vitrine.refuse[order_id(5)] = "cannot move order from cancelled to in_preparation"
    erp.connect_vitrine(vitrine.url, vitrine.api_key)

    done = sync(erp)

    assert done["invoiced"] == [] and [e["status"] for e in done["errors"]] == [409]
    (order,) = erp.status()["orders"]
    assert order["state"] == "refused" and "from cancelled to in_preparation" in order["note"]
    assert sync(erp)["errors"] == [] and len(vitrine.reports) == 1  # never retried


def test_an_order_served_cancelled_is_acked_and_dropped_without_a_report(erp, vitrine):
    sku = in_stock()[0]["sku"]
    vitrine.add_order(order_id(6), sku, status="cancelled")
    erp.connect_vitrine(vitrine.url, vitrine.api_key)

    done = sync(erp)

    assert done["taken"] == [order_id(6)] and done["acknowledged"] == 1 and done["invoiced"] == []
    assert vitrine.reports == [] and erp.status()["orders"][0]["state"] == "dropped"
    assert erp.stock_level("0001", sku)["sequence"] == 1


def test_an_order_cancelled_after_booking_is_dropped_not_invoiced_when_vitrine_answers_it_cancelled(erp, vitrine):
    # Given an order booked from the feed, cancelled by the shopper before the ERP reported on it
    sku = in_stock()[0]["sku"]
    vitrine.add_order(order_id(9), sku)
    vitrine.status_now[order_id(9)] = "cancelled"  # the in_preparation report is stale: 200, changed false
    erp.connect_vitrine(vitrine.url, vitrine.api_key)

    done = sync(erp)

    # Then no invoice is sent, nothing leaves the count, and the page says why
    assert done["invoiced"] == [] and done["errors"] == []
    assert [report["status"] for _, report in vitrine.reports] == ["in_preparation"]
    (order,) = erp.status()["orders"]
    assert order["state"] == "dropped" and order["invoice"] is None and "cancelled" in order["note"]
    assert erp.stock_level("0001", sku)["sequence"] == 1


def test_a_vitrine_that_does_not_answer_is_an_error_on_the_status_and_the_next_tick_tries_again(erp, vitrine):
    erp.connect_vitrine("http://127.0.0.1:9", vitrine.api_key)  # the discard port: nobody listens
    done = sync(erp)
    assert done["taken"] == [] and done["errors"][0]["status"] is None
    assert "ConnectionError" in done["errors"][0]["reason"]
    assert erp.status()["errors"] == done["errors"]

    vitrine.add_order(order_id(7), in_stock()[0]["sku"])
    erp.connect_vitrine(vitrine.url, vitrine.api_key)
    assert sync(erp)["invoiced"] == [order_id(7)]


def test_sync_now_before_vitrine_is_known_is_409(erp):
    response = requests.post(f"{erp.url}/sandbox/sync-now", timeout=10)
    assert response.status_code == 409 and "not connected" in response.json()["message"]


def test_the_feed_timer_takes_orders_without_being_asked(vitrine):
    vitrine.add_order(order_id(8), in_stock()[0]["sku"])
    sandbox = SandboxErp(counter_sale_seconds=0, feed_poll_seconds=0.05)
    sandbox.start()
    try:
        sandbox.connect_vitrine(vitrine.url, vitrine.api_key)
        wait_until(lambda: sandbox.status()["orders_invoiced"] == 1, **SOON, message="the order invoiced by the timer")
    finally:
        sandbox.stop()
    assert [report["status"] for _, report in vitrine.reports] == ["in_preparation", "invoiced"]


# ---------------------------------------------------------------- the demo seed's data, under moto


def test_the_first_poll_changes_nothing_vitrine_holds_after_the_demo_seed(stack, erp):
    from local_stack.seed import DEMO_MERCHANT_ID, seed_demo
    from vitrine.erp.appliers.prices import apply_prices
    from vitrine.erp.appliers.products import apply_products
    from vitrine.erp.appliers.stock import apply_stock
    from vitrine.erp.jobs import new_job_id
    from vitrine.repository import assortment

    # Given Vitrine after the demo seed
    seed_demo({})
    before = {p.sku: p for p in assortment.all_products(DEMO_MERCHANT_ID)}

    # When the ERP's first poll is applied as the connector applies pushed items
    levels = TypeAdapter(list[ErpStockLevel]).validate_python(poll(erp, "stock").json()["items"])
    prices = TypeAdapter(list[ErpPrice]).validate_python(poll(erp, "prices").json()["items"])
    products = TypeAdapter(list[ErpProduct]).validate_python(poll(erp, "products").json()["items"])

    # Then every stock count, price and product is the one stored (unchanged: nothing rewritten or announced)
    job = new_job_id()
    for applier, items in ((apply_stock, levels), (apply_prices, prices), (apply_products, products)):
        outcomes = applier(DEMO_MERCHANT_ID, [job] * len(items), items)
        assert {outcome.status for outcome in outcomes} == {ItemStatus.UNCHANGED}, applier.__name__
        assert not [outcome.change for outcome in outcomes if outcome.change]
    after = {p.sku: p for p in assortment.all_products(DEMO_MERCHANT_ID)}
    assert after == before and len(after) == len(products)  # the seeded images kept, since the ERP sends none


# ---------------------------------------------------------------- lifecycle


def test_stop_ends_its_threads_and_a_sandbox_never_started_stops_at_once():
    sandbox = SandboxErp(counter_sale_seconds=0.05, feed_poll_seconds=0.05)
    sandbox.start(timers=False)
    assert sandbox.status()["counter_sales"] == [] and poll(sandbox, "stock", limit=1).status_code == 200
    sandbox.start_timers()
    wait_until(lambda: sandbox.status()["counter_sales"], **SOON, message="a counter sale once the timers run")
    sandbox.stop()
    assert not [t for t in threading.enumerate() if t.name.startswith("sandbox-erp") and t.is_alive()]
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{sandbox.url}/sandbox/status", timeout=2)

    SandboxErp().stop()

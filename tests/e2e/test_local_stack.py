"""The local stack end to end: ``make dev`` as a subprocess, driven over real HTTP and the emulator's APIs.

The first part runs the stack's execution environments on small throwaway functions (real worker
processes, no stack); the second starts the whole stack once for the module and follows a shopper's
request, a gateway webhook through its queue, domain events through the bus, a failing consumer into its
DLQ and a schedule fired from the CLI; the last test stops the stack and checks nothing is left running.

``running_stack`` runs ``python -m local_stack.cli dev`` on a free port with its own state file, so it never
clashes with a developer's ``make dev``; its output goes to ``stack.log`` in the test's temporary directory
and is shown when startup fails. The fixture and its helpers live in ``conftest.py`` and ``stack_harness.py``.
"""

import base64
import http.server
import io
import json
import os
import socket
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from PIL import Image
from shoppers import SHOPPER
from stack_harness import alive, fetch, wait_until
from standardwebhooks.webhooks import Webhook

from local_stack.controls import LocalControls
from local_stack.deploy import DeployedFunction, runtime_environment
from local_stack.front import Front
from local_stack.function_code import template_functions
from local_stack.routes import RouteTable
from local_stack.template import FunctionSpec, HttpRoute
from local_stack.workers import FunctionPool, Workers
from vitrine.ledger.rules import business_day
from vitrine.payouts.models import PayoutSchedule
from vitrine.repository import keys

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("local_stack")]
# A stack of its own (``running_stack``): it moves the money clock (the payout test), its generated requests change
# the demo data, and its last test stops the stack.
OWN_STACK = True


# ---------------------------------------------------------------- execution environments

HANDLERS = """
import os, sys, time
import sibling

def handler(event, context):
    action = event.get("action")
    if action == "fail":
        raise ValueError("the handler failed")
    if action == "sleep":
        time.sleep(event["seconds"])
    if action == "crash":
        os._exit(3)
    return {
        "pid": os.getpid(),
        "cwd": os.getcwd(),
        "path0": sys.path[0],
        "sibling": sibling.NAME,
        "stage": os.environ.get("STAGE"),
        "function_name": context.function_name,
        "memory": context.memory_limit_in_mb,
        "request_id": context.aws_request_id,
        "remaining_ms": context.get_remaining_time_in_millis(),
        "arn": context.invoked_function_arn,
    }
"""


def probe_spec(code_dir: Path, logical_id: str, handler: str, *, memory: int, environment: dict) -> FunctionSpec:
    """A function of the tests' own code, with a one-second timeout (the tests' timeouts are short)."""
    return FunctionSpec(
        logical_id=logical_id,
        code_dir=code_dir,
        handler=handler,
        runtime="python3.11",
        timeout=1,
        memory=memory,
        environment=environment,
    )


@pytest.fixture
def pool(tmp_path: Path):
    (tmp_path / "app.py").write_text(textwrap.dedent(HANDLERS))
    (tmp_path / "sibling.py").write_text('NAME = "sibling"\n')
    spec = probe_spec(tmp_path, "ProbeFunction", "app.handler", memory=256, environment={"STAGE": "test"})
    environment = {"STAGE": "test", **runtime_environment(spec, "probe-fn", "http://127.0.0.1:9")}
    function = DeployedFunction(
        spec, "probe-fn", "arn:aws:lambda:us-east-1:123456789012:function:probe-fn", environment
    )
    pool = FunctionPool(function, max_workers=2)
    yield pool
    pool.stop()


def test_a_worker_runs_the_handler_from_its_code_dir_with_a_lambda_context(pool, tmp_path):
    invocation = pool.invoke({}, request_id="req-1")
    assert not invocation.failed
    result = invocation.payload
    assert result["cwd"] == str(tmp_path) and result["path0"] == str(tmp_path)
    assert result["sibling"] == "sibling" and result["stage"] == "test"
    assert (result["function_name"], result["memory"], result["request_id"]) == ("probe-fn", 256, "req-1")
    assert 0 < result["remaining_ms"] <= 1000
    assert result["arn"].endswith(":function:probe-fn")
    assert invocation.init_ms is not None
    again = pool.invoke({})
    assert again.payload["pid"] == result["pid"], "a warm worker is reused"
    assert again.init_ms is None


def test_a_handler_error_is_returned_as_lambda_reports_it_and_the_worker_stays_warm(pool):
    first = pool.invoke({})
    failed = pool.invoke({"action": "fail"})
    assert failed.failed and not failed.timed_out
    assert failed.payload["errorType"] == "ValueError"
    assert failed.payload["errorMessage"] == "the handler failed"
    assert any("app.py" in line for line in failed.payload["stackTrace"])
    assert pool.invoke({}).payload["pid"] == first.payload["pid"]


def test_an_overrunning_handler_is_killed_and_reported_as_timed_out(pool):
    first = pool.invoke({})
    started = time.monotonic()
    timed_out = pool.invoke({"action": "sleep", "seconds": 5})
    assert time.monotonic() - started < 3
    assert timed_out.timed_out and timed_out.failed
    assert "Task timed out after 1.00 seconds" in timed_out.payload["errorMessage"]
    assert not alive(first.payload["pid"])
    assert pool.invoke({}).payload["pid"] != first.payload["pid"], "the next invocation gets a fresh worker"


def test_a_crashing_runtime_is_reported_as_an_exit_error(pool):
    crashed = pool.invoke({"action": "crash"})
    assert crashed.failed and crashed.payload["errorType"] == "Runtime.ExitError"
    assert "exit status 3" in crashed.payload["errorMessage"]
    assert not pool.invoke({}).failed


def test_an_import_error_is_reported_as_lambda_does(pool, tmp_path):
    (tmp_path / "app.py").write_text("import no_such_module\n")
    os.utime(tmp_path / "app.py", (time.time() + 5, time.time() + 5))
    invocation = pool.invoke({})
    assert invocation.failed
    assert invocation.payload["errorType"] == "Runtime.ImportModuleError"
    assert "no_such_module" in invocation.payload["errorMessage"]


def test_concurrent_invocations_run_in_separate_workers_up_to_the_limit(pool):
    results = []

    def invoke() -> None:
        results.append(pool.invoke({"action": "sleep", "seconds": 0.4}))

    threads = [threading.Thread(target=invoke) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(not r.failed for r in results)
    assert len({r.payload["pid"] for r in results}) == 2, "max_workers=2 caps the environments"
    assert pool.status()["workers"] == 2


def test_an_edited_handler_is_picked_up_by_the_next_invocation(pool, tmp_path):
    before = pool.invoke({})
    source = (tmp_path / "app.py").read_text().replace('"sibling": sibling.NAME', '"sibling": "edited"')
    (tmp_path / "app.py").write_text(source)
    os.utime(tmp_path / "app.py", (time.time() + 5, time.time() + 5))
    time.sleep(1.1)
    after = pool.invoke({})
    assert after.payload["sibling"] == "edited"
    assert after.payload["pid"] != before.payload["pid"]


# ---------------------------------------------------------------- the HTTP front over a probe function

WEB_HANDLER = """
import base64, json, time

def handler(event, context):
    path = event["rawPath"]
    if path == "/echo":
        return {"statusCode": 200, "headers": {"content-type": "application/json"}, "body": json.dumps(event)}
    if path == "/cookies":
        return {"statusCode": 201, "cookies": ["a=1; Path=/", "b=2; HttpOnly"], "body": "ok"}
    if path == "/binary":
        body = base64.b64encode(bytes(range(256))).decode()
        return {"statusCode": 200, "headers": {"content-type": "application/octet-stream"}, "body": body,
                "isBase64Encoded": True}
    if path == "/inferred":
        return {"hello": "world"}
    if path == "/malformed":
        return {"statusCode": 200, "body": {"not": "a string"}}
    if path == "/slow":
        time.sleep(5)
    raise RuntimeError("boom")
"""


@pytest.fixture
def probe_front(tmp_path: Path):
    (tmp_path / "web.py").write_text(WEB_HANDLER)
    spec = probe_spec(tmp_path, "WebFunction", "web.handler", memory=128, environment={})
    function = DeployedFunction(
        spec,
        "web-fn",
        "arn:aws:lambda:us-east-1:123456789012:function:web-fn",
        runtime_environment(spec, "web-fn", "http://127.0.0.1:9"),
    )
    routes = RouteTable(
        [
            HttpRoute("WebFunction", "Echo", "ANY", "/echo"),
            HttpRoute("WebFunction", "Things", "GET", "/{thing}"),
        ]
    )
    workers = Workers({"WebFunction": function}, max_workers=2)
    front = Front(routes, workers, "123456789012", port=0)
    front.start()
    yield front
    front.stop()
    workers.stop()


def test_the_front_hands_the_function_api_gateways_event(probe_front):
    response = fetch(
        f"{probe_front.url}/echo?size=P&size=M",
        "POST",
        b'{"a": 1}',
        {"Content-Type": "application/json", "Cookie": "cart=abc; theme=dark", "X-Trace": "t1"},
    )
    assert response.status == 200
    event = response.json()
    assert event["routeKey"] == "ANY /echo"
    assert event["rawQueryString"] == "size=P&size=M"
    assert event["queryStringParameters"] == {"size": "P,M"}
    assert event["cookies"] == ["cart=abc", "theme=dark"]
    assert event["headers"]["x-trace"] == "t1"
    assert (event["body"], event["isBase64Encoded"]) == ('{"a": 1}', False)
    assert event["requestContext"]["http"]["method"] == "POST"
    assert event["requestContext"]["requestId"] == response.headers["apigw-requestid"]


def test_the_front_returns_each_cookie_and_decodes_base64_bodies(probe_front):
    cookies = fetch(f"{probe_front.url}/cookies")
    assert cookies.status == 201
    assert cookies.headers.get_all("Set-Cookie") == ["a=1; Path=/", "b=2; HttpOnly"]
    assert fetch(f"{probe_front.url}/binary").body == bytes(range(256))
    inferred = fetch(f"{probe_front.url}/inferred")
    assert (inferred.status, inferred.json()) == (200, {"hello": "world"})
    assert inferred.headers["Content-Type"] == "application/json"


def test_the_front_answers_function_failures_as_api_gateway_does(probe_front):
    failed = fetch(f"{probe_front.url}/fail")
    assert (failed.status, failed.json()) == (500, {"message": "Internal Server Error"})
    malformed = fetch(f"{probe_front.url}/malformed")
    assert (malformed.status, malformed.json()) == (500, {"message": "Internal Server Error"})
    slow = fetch(f"{probe_front.url}/slow")
    assert (slow.status, slow.json()) == (503, {"message": "Service Unavailable"})
    assert fetch(f"{probe_front.url}/a/b").status == 404
    assert fetch(f"{probe_front.url}/thing", "POST", b"").status == 404


@pytest.mark.parametrize("method", ["TRACE", "PROPFIND", "CONNECT", "QUERY", "PURGE"])
def test_a_method_no_route_declares_is_api_gateways_json_404(probe_front, method):
    # Given a path only GET is declared on, When another method asks for it (schemathesis sends such methods)
    response = fetch(f"{probe_front.url}/thing", method)
    # Then the front answers as API Gateway does for no matching route, in JSON, not http.server's 501 page
    assert (response.status, response.json()) == (404, {"message": "Not Found"})
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers.get("apigw-requestid")


def test_a_request_http_server_cannot_parse_is_answered_in_json(probe_front):
    with socket.create_connection(("127.0.0.1", probe_front.port), timeout=10) as connection:
        connection.sendall(b"GET /a /b HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")  # a request line of four words
        head, _, body = connection.makefile("rb").read().partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 ")
    assert b"Content-Type: application/json" in head
    assert json.loads(body)["message"]


@pytest.fixture
def controls():
    fired: list[str] = []
    controls = LocalControls(
        status=lambda: {"functions": {}, "started": datetime(2026, 3, 9, tzinfo=UTC)},
        fire_schedule=lambda name, as_of=None: (
            fired.append(name if as_of is None else f"{name}@{as_of}")
            or ({"fired": name} if name == "DailyPayoutRun" else None)
        ),
    )
    controls.start()
    yield controls, fired
    controls.stop()


def test_the_controls_answer_on_their_own_loopback_port(controls):
    server, fired = controls
    assert server.url.startswith("http://127.0.0.1:")
    status = fetch(f"{server.url}/_local/status")
    assert (status.status, status.json()) == (200, {"functions": {}, "started": "2026-03-09 00:00:00+00:00"})
    assert fetch(f"{server.url}/_local/schedules/DailyPayoutRun", "POST", b"").json() == {"fired": "DailyPayoutRun"}
    missing = fetch(f"{server.url}/_local/schedules/Nope", "POST", b"")
    assert (missing.status, missing.json()) == (404, {"message": "no such schedule"})
    as_of = fetch(f"{server.url}/_local/schedules/DailyPayoutRun?as_of=2026-03-02", "POST", b"")
    assert as_of.status == 200
    assert fetch(f"{server.url}/_local/schedules/DailyPayoutRun?as_of=ontem", "POST", b"").status == 422
    assert fired == ["DailyPayoutRun", "Nope", "DailyPayoutRun@2026-03-02"]


def test_the_controls_refuse_a_request_naming_another_host(controls):
    # A page in the developer's browser that rebinds its own name to 127.0.0.1 sends its own name as Host.
    server, fired = controls
    for path, method in (("/_local/status", "GET"), ("/_local/schedules/DailyPayoutRun", "POST")):
        refused = fetch(f"{server.url}{path}", method, b"" if method == "POST" else None, {"Host": "evil.example"})
        assert refused.status == 403
    assert fired == []


# ---------------------------------------------------------------- the whole stack


def test_health_answers_json(running_stack):
    response = running_stack.request("GET", "/health")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.json()["status"] == "ok"
    assert response.headers.get("apigw-requestid")


def test_an_unknown_route_is_api_gateways_404(running_stack):
    response = running_stack.request("GET", "/no/such/route")
    assert response.status == 404
    assert response.json() == {"message": "Not Found"}
    assert running_stack.request("DELETE", "/health").status == 404


@pytest.mark.parametrize(("method", "path"), [("GET", "/_local/status"), ("POST", "/_local/schedules/DailyPayoutRun")])
def test_the_api_port_serves_no_local_controls(running_stack, method, path):
    # The stack's status holds its credentials; on the API's port it is a path no route declares.
    response = running_stack.request(method, path, b"" if method == "POST" else None)
    assert (response.status, response.json()) == (404, {"message": "Not Found"})
    assert running_stack.settings["control_url"] != running_stack.url


def test_a_body_over_api_gateways_10_mb_limit_is_413(running_stack):
    body = b"x" * (10 * 1024 * 1024 + 1)
    response = running_stack.request("POST", "/webhooks/gateway", body, {"Content-Type": "application/json"})
    assert response.status == 413
    assert response.json() == {"message": "Request Entity Too Large"}


def test_the_local_status_route_describes_the_running_stack(running_stack):
    status = running_stack.control("GET", "/_local/status").json()
    assert status["functions"]["CatalogApiFunction"]["invocations"] >= 1
    # Every SQS consumer the template declares has its poller.
    consumers = {source.function for function in template_functions() for source in function.queues}
    assert {q["function"] for q in status["queues"]} == consumers >= {"EventJournalFunction", "StockSyncIngestFunction"}
    assert {s["logical_id"] for s in status["schedules"]} == set(running_stack.settings["schedules"])


def test_a_shopper_sees_the_demo_catalog(running_stack):
    response = running_stack.request("GET", "/api/catalogs/demo")
    assert response.status == 200, response.body[:2000]
    catalog = response.json()
    assert catalog["slug"] == "demo"
    assert catalog["title"]
    assert catalog["products"], "the demo catalog shows products"
    for product in catalog["products"]:
        assert product["name"]
        assert isinstance(product["price"], int) and product["price"] > 0, "prices are integer centavos"
    assert catalog["product_count"] >= len(catalog["products"])


def test_the_front_passes_a_views_cache_headers_and_its_304_and_a_price_change_makes_a_new_version(running_stack):
    # Given the demo catalog's page and JSON view, as the local front serves them (no CDN locally)
    shared = "public, max-age=0, s-maxage=30, stale-while-revalidate=300"
    views = {path: running_stack.request("GET", path) for path in ("/c/demo", "/api/catalogs/demo")}
    for path in views:
        for _ in range(5):
            view = views[path]
            assert view.status == 200 and view.headers["Cache-Control"] == shared, path
            # When the browser asks again with the view's ETag, the front passes the function's bodiless 304 on
            again = running_stack.request("GET", path, headers={"If-None-Match": view.headers["ETag"]})
            if again.status == 304:
                break
            # The stack is live (the sandbox ERP sells at its counter): a page that changed in between is sent
            # whole, under a new version, and asked again with it.
            assert again.status == 200 and again.headers["ETag"] != view.headers["ETag"], path
            views[path] = again
        assert again.status == 304 and again.body == b"", path
        assert again.headers["ETag"] == views[path].headers["ETag"] and again.headers["Cache-Control"] == shared
    # When the ERP changes a price through its API (queued, applied by the ingest consumer)
    erp = {"Authorization": f"Bearer {running_stack.settings['seed']['api_key']}", "Content-Type": "application/json"}
    product = next(p for p in views["/api/catalogs/demo"].json()["products"] if p["sku"] == "CAM-BAS")

    def set_price(price: int) -> None:
        body = json.dumps({"items": [{"table_id": "varejo", "sku": "CAM-BAS", "price": price}]}).encode()
        assert running_stack.request("POST", "/erp/v1/prices", body, erp).status == 202

    set_price(product["price"] + 100)
    try:
        # Then the held version is no longer current: the page comes back whole, with a new ETag
        etag = views["/c/demo"].headers["ETag"]
        deadline = time.monotonic() + 20
        while (page := running_stack.request("GET", "/c/demo", headers={"If-None-Match": etag})).status == 304:
            assert time.monotonic() < deadline, "the price change never reached the page"
            time.sleep(0.3)
        assert page.status == 200 and page.headers["ETag"] != etag
    finally:
        set_price(product["price"])
        # The stack is shared: leave the page at the demo's price, its read model settled, for the next test.
        wait_until(
            lambda: (
                next(
                    p
                    for p in running_stack.request("GET", "/api/catalogs/demo").json()["products"]
                    if p["sku"] == "CAM-BAS"
                )["price"]
                == product["price"]
            ),
            20,
            interval=0.3,
            message="the demo's price back on the catalog",
        )


def test_price_stock_product_and_catalog_changes_reach_the_page_through_the_read_models_consumer(running_stack):
    # Given the demo catalog, its read model built by the local stack's CatalogViewFunction from the seed's publish
    seed = running_stack.settings["seed"]
    key = {"Authorization": f"Bearer {seed['api_key']}", "Content-Type": "application/json"}
    head_key = {"PK": {"S": f"M#{seed['merchant_id']}#VIEW#cat-demo"}, "SK": {"S": "HEAD"}}
    dynamodb, table = running_stack.client("dynamodb"), running_stack.settings["table_name"]
    wait_until(lambda: "Item" in dynamodb.get_item(TableName=table, Key=head_key), 20, message="the read model built")

    def post(path: str, items: list[dict]) -> None:
        response = running_stack.request("POST", path, json.dumps({"items": items}).encode(), key)
        assert response.status == 202, response.body

    def product(sku: str) -> dict | None:
        view = running_stack.request("GET", "/api/catalogs/demo").json()
        products = view["products"]
        cursor = view["next_cursor"]
        while cursor:
            page = running_stack.request("GET", f"/api/catalogs/demo/products?cursor={cursor}").json()
            products, cursor = products + page["products"], page["next_cursor"]
        return next((p for p in products if p["sku"] == sku), None)

    def reaches(check, what: str) -> None:
        started = time.monotonic()
        wait_until(check, 15, interval=0.2, message=what)
        assert time.monotonic() - started < 15

    cam = product("CAM-BAS")
    erp = running_stack.settings["erp"]
    erp_headers = {"Authorization": f"Bearer {erp['token']}"}
    items = requests.get(f"{erp['url']}/products", params={"limit": 1000}, headers=erp_headers, timeout=10).json()
    original = next(item for item in items["items"] if item["sku"] == "CAM-BAS")
    variant = cam["variants"][0]["sku"]
    sequence = int(time.time() * 1_000_000)
    catalog = running_stack.request("GET", "/merchant/v1/catalogs/cat-demo", headers=key).json()
    edit = {
        name: catalog[name]
        for name in (
            "title",
            "description",
            "selection",
            "price_table_id",
            "store_codes",
            "min_stock_to_show",
            "display_order",
        )
    }
    try:
        # When the ERP changes a price, a variant's stock online, and the product's name
        post("/erp/v1/prices", [{"table_id": "varejo", "sku": "CAM-BAS", "price": cam["price"] + 100}])
        reaches(lambda: product("CAM-BAS")["price"] == cam["price"] + 100, "the price change on the page")
        post("/erp/v1/stock", [{"store_code": "9900", "sku": variant, "on_hand": 0, "sequence": sequence}])
        reaches(
            lambda: next(v for v in product("CAM-BAS")["variants"] if v["sku"] == variant)["delivery"] == 0,
            "the stock change on the page",
        )
        post("/erp/v1/products", [{**original, "name": "Camiseta Básica Renomeada", "short_name": None}])
        reaches(lambda: product("CAM-BAS")["name"] == "Camiseta Básica Renomeada", "the product change on the page")
        # and the merchant puts another product first in the catalog
        moved = running_stack.request("GET", "/api/catalogs/demo").json()["products"][-1]["sku"]
        body = json.dumps({**edit, "display_order": [moved]}).encode()
        assert running_stack.request("PUT", "/merchant/v1/catalogs/cat-demo", body, key).status == 200
        reaches(
            lambda: running_stack.request("GET", "/api/catalogs/demo").json()["products"][0]["sku"] == moved,
            "the catalog edit on the page",
        )
        # Then the page (HTML) shows it too
        assert "Camiseta Básica Renomeada" in running_stack.request("GET", "/c/demo").body.decode()
    finally:
        post("/erp/v1/prices", [{"table_id": "varejo", "sku": "CAM-BAS", "price": cam["price"]}])
        post("/erp/v1/products", [original])
        restore = next(v for v in cam["variants"] if v["sku"] == variant)["delivery"]
        post("/erp/v1/stock", [{"store_code": "9900", "sku": variant, "on_hand": restore, "sequence": sequence + 1}])
        running_stack.request("PUT", "/merchant/v1/catalogs/cat-demo", json.dumps(edit).encode(), key)


def test_a_merchants_browser_uploads_an_image_through_the_presigned_form(running_stack):
    """The path a merchant's browser takes: presign, POST the multipart form to the bucket, attach, view."""
    headers = {
        "Authorization": f"Bearer {running_stack.settings['seed']['api_key']}",
        "Content-Type": "application/json",
    }
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (20, 120, 200)).save(buffer, format="JPEG")
    photo = buffer.getvalue()
    request = {"purpose": "product_image", "content_type": "image/jpeg", "size_bytes": len(photo)}
    ticket = running_stack.request("POST", "/merchant/v1/uploads", json.dumps(request).encode(), headers)
    assert ticket.status == 201, ticket.body
    form = ticket.json()

    sent = requests.post(
        form["url"], data=form["fields"], files={"file": ("foto.jpg", photo, "image/jpeg")}, timeout=10
    )
    assert sent.status_code == 204, sent.text

    product = running_stack.request("GET", "/api/catalogs/demo").json()["products"][0]
    path = f"/merchant/v1/products/{product['sku']}/images"
    # The new photo first, the demo's own kept second (so it can be restored afterwards).
    images = [{"upload_id": form["upload_id"]}, {"key": product["image"]["key"]}]
    attached = running_stack.request("PUT", path, json.dumps({"images": images}).encode(), headers)
    assert attached.status == 200, attached.body
    new_image = attached.json()["images"][0]
    assert (new_image["width"], new_image["height"]) == (640, 480)

    def shown_product() -> dict:
        # The page reads the catalog's read model, which the images' event reaches within seconds.
        catalog = running_stack.request("GET", "/api/catalogs/demo").json()
        return next(p for p in catalog["products"] if p["sku"] == product["sku"])

    def shown_key() -> str:
        return shown_product()["image"]["key"]

    def shown_first() -> dict | None:
        shown = shown_product()
        return shown if shown["image"]["key"] == new_image["key"] else None

    shown = wait_until(shown_first, 20, interval=0.2, message="the new photo on the catalog")
    served = requests.get(shown["image_url"], timeout=10)
    assert served.status_code == 200 and served.content == photo
    assert served.headers["Content-Type"] == "image/jpeg"

    kept = json.dumps({"images": images[1:]}).encode()
    assert running_stack.request("PUT", path, kept, headers).status == 200
    # The stack is shared: leave the page as found, its read model settled, before the next test reads it.
    original = product["image"]["key"]
    wait_until(lambda: shown_key() == original, 20, interval=0.2, message="the demo's photo back on the catalog")
    s3, bucket = running_stack.client("s3"), running_stack.settings["outputs"]["ImagesBucketName"]
    for key in (new_image["key"], form["fields"]["key"]):
        s3.delete_object(Bucket=bucket, Key=key)


def basic(credentials: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(credentials.encode()).decode()}


def test_a_gateway_webhook_is_accepted_queued_and_recorded_by_its_consumer(running_stack):
    credentials = running_stack.settings["webhook_credentials"]
    webhook_id = f"hook_{uuid.uuid4().hex[:16]}"
    body = json.dumps(
        {"id": webhook_id, "type": "order.paid", "created_at": "2026-11-23T10:00:00Z", "data": {"id": "or_1"}}
    ).encode()
    headers = {**basic(f"{credentials['user']}:{credentials['password']}"), "Content-Type": "application/json"}

    response = running_stack.request("POST", "/webhooks/gateway", body, headers)

    assert response.status == 202, response.body
    table = running_stack.client("dynamodb")
    key = {"PK": {"S": keys.webhook_pk("pagarme", webhook_id)}, "SK": {"S": "WEBHOOK"}}
    item = wait_until(
        lambda: table.get_item(TableName=running_stack.settings["table_name"], Key=key).get("Item"),
        timeout=20,
        message="the consumer recording the webhook",
    )
    assert item["event_type"]["S"] == "order.paid"
    table.delete_item(TableName=running_stack.settings["table_name"], Key=key)


def checkout_on_the_stack(stack, sku: str = "CAM-BAS-G-BRA") -> dict:
    body = {
        "catalog": "demo",
        "lines": [{"product_sku": "CAM-BAS", "sku": sku, "quantity": 1}],
        "customer": SHOPPER,
        "fulfilment": {"kind": "pickup", "store_code": "0001"},
        "payment": {"method": "pix"},
    }
    table = stack.client("dynamodb")
    table.update_item(
        TableName=stack.settings["table_name"],
        Key={"PK": {"S": keys.stock_pk("demo-merchant", "0001")}, "SK": {"S": sku}},
        UpdateExpression="SET on_hand = :n, reserved = :zero, available = :n",
        ExpressionAttributeValues={":n": {"N": "5"}, ":zero": {"N": "0"}},
    )
    response = stack.checkout(body)
    assert response.status == 201, response.body
    return response.json()


def test_a_pix_paid_at_the_sandbox_turns_the_order_paid_through_the_webhook_path(running_stack):
    # Given a shopper's Pix order on the stack, and the sandbox (the stack's gateway) knowing its charge
    placed = checkout_on_the_stack(running_stack)
    order_id, token = placed["order"]["order_id"], placed["access_token"]
    sandbox = running_stack.settings["payment_gateway"]
    item = running_stack.client("dynamodb").get_item(
        TableName=running_stack.settings["table_name"],
        Key={"PK": {"S": keys.merchant_pk("demo-merchant")}, "SK": {"S": keys.order_sk(order_id)}},
    )["Item"]
    charge_id = item["charge"]["M"]["charge_id"]["S"]

    # When the shopper pays, the sandbox sends its webhooks to /webhooks/gateway (Basic auth, pagar.me's format)
    requests.post(f"{sandbox['url']}/sandbox/charges/{charge_id}/pay", timeout=10).raise_for_status()

    # Then the queue's consumer reads the charge from the gateway and the order is paid, for the shopper too
    def paid():
        order = running_stack.request("GET", f"/api/orders/{order_id}?token={token}").json()
        return order if order["status"] == "paid" else None

    order = wait_until(paid, timeout=30, message="the order turning paid")
    assert [c["status"] for c in order["status_history"]] == ["pending_payment", "paid"]
    deliveries = requests.get(sandbox["webhook_deliveries_url"], timeout=10).json()["deliveries"]
    mine = [d for d in deliveries if d["event_type"] == "charge.paid" and d["status"] == "delivered"]
    assert mine and all(d["attempts"][-1]["status"] == 202 for d in mine)


def take_dead_letter(stack, dlq: str, marker: str, waiting_for: str) -> dict:
    """The one message holding ``marker`` once it reaches the ``dlq`` queue, taken off it (the test put it there)."""
    sqs = stack.client("sqs")
    dlq_url = stack.settings["queues"][dlq]["url"]

    def in_dlq():
        messages = sqs.receive_message(QueueUrl=dlq_url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
        return [m for m in messages if marker in m["Body"]]

    (message,) = wait_until(in_dlq, timeout=60, interval=0.5, message=waiting_for)
    sqs.delete_message(QueueUrl=dlq_url, ReceiptHandle=message["ReceiptHandle"])
    return message


def test_a_gateway_webhook_the_consumer_cannot_apply_is_retried_then_left_in_the_dlq_intact(running_stack):
    credentials = running_stack.settings["webhook_credentials"]
    webhook_id = f"hook_{uuid.uuid4().hex[:16]}"
    raw = json.dumps(
        {"id": webhook_id, "type": "charge.paid", "created_at": "2026-11-23T10:00:00Z", "data": {"id": "ch_nowhere"}}
    )
    headers = {**basic(f"{credentials['user']}:{credentials['password']}"), "Content-Type": "application/json"}
    assert running_stack.request("POST", "/webhooks/gateway", raw.encode(), headers).status == 202

    message = take_dead_letter(running_stack, "GatewayWebhookDLQ", webhook_id, "the webhook reaching the DLQ")
    assert json.loads(message["Body"])["body"] == raw  # the gateway's body, byte for byte
    table = running_stack.client("dynamodb")
    key = {"PK": {"S": keys.webhook_pk("pagarme", webhook_id)}, "SK": {"S": "WEBHOOK"}}
    assert "Item" not in table.get_item(TableName=running_stack.settings["table_name"], Key=key)


def test_a_webhook_with_wrong_credentials_is_401(running_stack):
    credentials = running_stack.settings["webhook_credentials"]
    headers = {**basic(f"{credentials['user']}:wrong"), "Content-Type": "application/json"}
    response = running_stack.request("POST", "/webhooks/gateway", b'{"id": "x"}', headers)
    assert response.status == 401


def put_event(stack, detail: dict | str, detail_type: str = "CatalogPublished") -> None:
    response = stack.client("events").put_events(
        Entries=[
            {
                "EventBusName": stack.settings["event_bus_name"],
                "Source": "vitrine.tests",
                "DetailType": detail_type,
                "Detail": detail if isinstance(detail, str) else json.dumps(detail),
            }
        ]
    )
    assert response["FailedEntryCount"] == 0


def test_a_domain_event_travels_bus_rule_queue_to_the_journal(running_stack):
    merchant = f"m-{uuid.uuid4().hex[:8]}"
    envelope = {
        "id": str(uuid.uuid4()),
        "type": "CatalogPublished",
        "merchant_id": merchant,
        "occurred_at": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "data": {"catalog_id": "c1", "slug": "e2e", "title": "E2E"},
    }

    put_event(running_stack, envelope)

    table = running_stack.client("dynamodb")
    name = running_stack.settings["table_name"]

    def journaled():
        return table.query(
            TableName=name,
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues={":pk": {"S": f"M#{merchant}#EVENTS"}},
        )["Items"]

    (item,) = wait_until(journaled, timeout=20, message="the journal item appearing")
    assert envelope["id"] in item["SK"]["S"]
    table.delete_item(TableName=name, Key={"PK": item["PK"], "SK": item["SK"]})


def test_a_consumer_failure_is_retried_and_lands_in_the_dlq_with_its_body(running_stack):
    marker = f"malformed-{uuid.uuid4().hex}"
    put_event(running_stack, {"not": "an envelope", "marker": marker})

    message = take_dead_letter(running_stack, "EventJournalDLQ", marker, "the malformed event reaching the DLQ")
    body = json.loads(message["Body"])
    assert body["source"] == "vitrine.tests"
    assert body["detail"] == {"not": "an envelope", "marker": marker}
    status = json.loads(running_stack.cli("status").stdout)
    journal = next(q for q in status["queues"] if q["function"] == "EventJournalFunction")
    assert journal["retried"] >= 5, "the consumer saw it maxReceiveCount times"


class WebhookReceiver:
    """A merchant's webhook endpoint on loopback: records each POST and answers the next status of its script."""

    def __init__(self, statuses: list[int]) -> None:
        receiver = self
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.statuses = statuses

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                status = receiver.statuses.pop(0) if len(receiver.statuses) > 1 else receiver.statuses[0]
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/vitrine/webhooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "WebhookReceiver":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_a_subscribed_receiver_gets_the_event_signed_and_a_500_is_retried_with_the_same_webhook_id(running_stack):
    """Subscribe over the API, publish an event, and receive it over real HTTP: the first answer is a 500, SQS
    brings the delivery back (after 1 s locally), the retry gets a 200; both POSTs verify with the secret."""
    seed = running_stack.settings["seed"]
    headers = {"Authorization": f"Bearer {seed['api_key']}", "Content-Type": "application/json"}
    with WebhookReceiver(statuses=[500, 200]) as receiver:
        subscription = {"url": receiver.url, "event_types": ["CatalogPublished"], "description": "e2e"}
        created = running_stack.request(
            "POST", "/merchant/v1/webhook-endpoints", json.dumps(subscription).encode(), headers
        )
        assert created.status == 201, created.body
        endpoint = created.json()
        envelope = {
            "id": str(uuid.uuid4()),
            "type": "CatalogPublished",
            "merchant_id": seed["merchant_id"],
            "occurred_at": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "data": {"catalog_id": "c-e2e", "slug": "e2e-webhooks", "title": "E2E"},
        }

        put_event(running_stack, envelope)

        wait_until(lambda: len(receiver.received) >= 2, timeout=30, message="the delivery and its retry")
        signer = Webhook(endpoint["secret"])
        for received_headers, body in receiver.received:
            assert signer.verify(body, received_headers) == envelope
        assert receiver.received[0][0]["webhook-id"] == receiver.received[1][0]["webhook-id"]
        deliveries_path = f"/merchant/v1/webhook-endpoints/{endpoint['endpoint_id']}/deliveries"
        (delivery,) = wait_until(
            lambda: [
                d
                for d in running_stack.request("GET", deliveries_path, None, headers).json()["deliveries"]
                if d["status"] == "succeeded"
            ],
            timeout=10,
            message="the delivery recorded as succeeded",
        )
        assert (delivery["attempts"], delivery["last_status_code"]) == (2, 200)
        assert delivery["delivery_id"] == receiver.received[0][0]["webhook-id"]
        time.sleep(2)
        assert len(receiver.received) == 2, "a delivered webhook is not sent again"
    deleted = running_stack.request(
        "DELETE", f"/merchant/v1/webhook-endpoints/{endpoint['endpoint_id']}", None, headers
    )
    assert deleted.status == 204


def test_firing_a_schedule_from_the_cli_invokes_its_function(running_stack):
    fired = running_stack.cli("fire", "DailyPayoutRun")

    assert fired.returncode == 0, fired.stdout + fired.stderr
    outcome = json.loads(fired.stdout)
    assert outcome["function"] == "PayoutFunction"
    assert outcome["schedule"] == running_stack.settings["schedules"]["PayoutFunctionDailyPayoutRun"]
    assert outcome["failed"] is False
    result = outcome["result"]
    assert result["job"] == "run_due_payouts"
    table = running_stack.client("dynamodb")
    key = {
        "PK": {"S": keys.schedule_run_pk("run_due_payouts")},
        "SK": {"S": keys.schedule_run_sk(result["scheduled_time"])},
    }
    assert table.get_item(TableName=running_stack.settings["table_name"], Key=key).get("Item")
    table.delete_item(TableName=running_stack.settings["table_name"], Key=key)


def test_firing_an_unknown_schedule_fails_clearly(running_stack):
    fired = running_stack.cli("fire", "NoSuchSchedule")
    assert fired.returncode == 1
    assert "no such schedule" in fired.stdout


# ---------------------------------------------------------------- the API against its OpenAPI document

# What fails the run: a 5xx, a status or media type the document does not list for the operation, a response its
# schema does not describe, and a reference in the document that does not resolve (schemathesis then skips what it
# points to). A request that times out (10 s) or a schema error fails it too.
API_CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
API_CONFIG = """
[warnings]
fail-on = ["unresolvable_reference"]

# The demo's own ids, so requests reach past "no such catalog" into the routes' rules and their answers.
[parameters]
"path.slug" = "demo"
"path.catalog_id" = "cat-demo"
"path.product_sku" = "CAM-BAS"
"path.sku" = "CAM-BAS"
"path.seller_id" = "ana"
"path.customer_id" = "parceira"
"path.store_code" = "0001"
"""
# Examples, then the coverage phase (each operation's boundary values, parameters left out or mistyped, the methods
# it does not declare), then 5 fuzzed cases per operation; derandomized, so a run sends the same requests each time.
# One worker a process: with two threads, hypothesis 6.170 sometimes fails describing a filter's lambda from both
# at once ("AST constructor recursion depth mismatch"), a runtime error of the tool's, not a finding.
API_OPTIONS = "--phases examples,coverage,fuzzing --max-examples 5 --generation-deterministic --workers 1 --no-color"


def test_make_dev_shows_a_payout_minutes_after_a_sale(running_stack):
    # Among the last: it moves the stack's money clock two days on, and the clock stays there (what follows, the
    # generated requests and the stop, reads no day; those requests change the demo data, so this one goes first).
    stack = running_stack
    headers = {"Authorization": f"Bearer {stack.settings['seed']['api_key']}"}
    # A variant of its own: the helper resets the variant's stock, which must not wipe an earlier test's reservation.
    placed = checkout_on_the_stack(stack, sku="CAM-BAS-M-PRE")
    order_id, token = placed["order"]["order_id"], placed["access_token"]
    item = stack.client("dynamodb").get_item(
        TableName=stack.settings["table_name"],
        Key={"PK": {"S": keys.merchant_pk("demo-merchant")}, "SK": {"S": keys.order_sk(order_id)}},
    )["Item"]
    sandbox = stack.settings["payment_gateway"]
    requests.post(f"{sandbox['url']}/sandbox/charges/{item['charge']['M']['charge_id']['S']}/pay", timeout=10)
    wait_until(
        lambda: stack.request("GET", f"/api/orders/{order_id}?token={token}").json()["status"] == "paid",
        timeout=30,
        message="the order turning paid",
    )
    owed = stack.request("GET", "/merchant/v1/receivables", headers=headers).json()
    assert owed["waiting"], owed  # a Pix is payable tomorrow

    # Two days on (the first weekday a run pays tomorrow's money), as if the schedule fired then.
    day = PayoutSchedule(cadence="daily").next_payout_on(business_day(datetime.now(UTC)) + timedelta(days=2))
    fired = stack.cli("fire", "DailyPayoutRun", "--as-of", day.isoformat())
    assert fired.returncode == 0, fired.stdout + fired.stderr
    assert json.loads(fired.stdout)["result"]["merchants_queued"] == 1

    def paid_payout():
        payouts = stack.request("GET", "/merchant/v1/payouts", headers=headers).json()["payouts"]
        return payouts[0] if payouts and payouts[0]["status"] == "paid" else None

    payout = wait_until(paid_payout, timeout=60, message="the payout transferred and its webhook applied")
    due = [row for row in owed["waiting"] if row["day"] < day.isoformat()]
    assert payout["scheduled_on"] == day.isoformat()
    assert payout["amount"] == owed["available_now"] + sum(row["amount"] for row in due) > 0
    after = stack.request("GET", "/merchant/v1/receivables", headers=headers).json()
    assert after["available_now"] == 0 and after["waiting"] == [r for r in owed["waiting"] if r not in due]

    # The clock stays where it went: the same day fired again is the same payout, never a second transfer.
    again = stack.cli("fire", "DailyPayoutRun", "--as-of", day.isoformat())
    assert again.returncode == 0, again.stdout + again.stderr
    payouts = stack.request("GET", "/merchant/v1/payouts", headers=headers).json()["payouts"]
    assert [p["payout_id"] for p in payouts] == [payout["payout_id"]]


def test_generated_requests_get_no_server_error_and_responses_match_the_openapi_document(running_stack, tmp_path):
    """schemathesis, run as its CLI, reads /openapi.json from the stack and tests every operation: the public and
    session ones as a stranger (no credentials), the merchant's and the ERP's with the demo merchant's key (scopes
    merchant and erp; the coverage phase also sends them without it). The passes run side by side, each in its own
    process: a run mostly waits on the stack's answers. It runs last: its requests change the demo merchant's data."""
    config = tmp_path / "schemathesis.toml"
    config.write_text(API_CONFIG)
    key = ["-H", f"Authorization: Bearer {running_stack.settings['seed']['api_key']}"]
    passes = {
        "without credentials": ["--exclude-path-regex", "^/(merchant|erp)/"],
        "the merchant API with the demo key": ["--include-path-regex", "^/merchant/", *key],
        "the ERP API with the demo key": ["--include-path-regex", "^/erp/", *key],
    }
    runs = {}
    for name, selection in passes.items():
        command = [sys.executable, "-m", "schemathesis.cli", "--config-file", str(config), "run"]
        command += [f"{running_stack.url}/openapi.json", "--checks", API_CHECKS, *API_OPTIONS.split(), *selection]
        # Each in a directory of its own: schemathesis and hypothesis keep their caches where they run.
        (tmp_path / name).mkdir()
        runs[name] = subprocess.Popen(
            command, cwd=tmp_path / name, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
    reports = []
    for name, run in runs.items():
        output, _ = run.communicate(timeout=900)
        if run.returncode != 0:
            failures = output[output.find("=== FAILURES ===") :]
            reports.append(f"--- {name} (exit {run.returncode}):\n{failures[:15000]}\n...\n{failures[-5000:]}")
    assert not reports, "\n\n".join(reports)


def test_stopping_the_stack_leaves_no_process_behind(running_stack):
    children = running_stack.descendants()
    assert len(children) >= 2, "the emulator and at least one worker were running"

    assert running_stack.stop() == 0

    wait_until(lambda: not any(alive(pid) for pid in children), timeout=5, message="every child process gone")
    assert not running_stack.state_file.exists()

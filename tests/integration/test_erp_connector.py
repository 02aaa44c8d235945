"""ERP connectors: the merchant configures the ERP Vitrine polls (token write-only), and the ``sync_erp_connectors``
schedule polls the connectors due, page by page, feeding each page into the ERP job pipeline.

The ERP is ``responses`` answering recorded pages in the documented format (tests/fixtures/erp_connector); the
last test polls a real HTTP server on loopback, end to end through the queue and the ingest consumer.
"""

import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses
from fake_dns import FakeDns, unanswered_port
from fake_http import JsonHandler
from infra_fixtures import create_erp_ingest_queue, put_online_and_centre_stores, take_messages
from inside_spellings import INSIDE_SPELLINGS
from lambda_harness import handler_of, http, json_body, sqs_event

from local_stack.lambda_context import LambdaContext
from vitrine.auth.api_keys import issue_api_key
from vitrine.erp import connector_poll
from vitrine.erp.connector import ErpConnectorInput, configure_connector
from vitrine.erp.connector_polling import poll_due_connectors
from vitrine.repository import assortment, erp_connectors, keys, table
from vitrine.settings import get_settings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "erp_connector"
ERP = "https://erp.loja-um.com.br/api/vitrine"
OTHER_ERP = "https://erp.loja-dois.com.br/v1"
TOKEN = "erp-token-m1-0123456789"
T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
CURSOR_P2 = "products:2026-11-23T09:00:00.000Z:2"
CURSOR_P3 = "products:2026-11-23T09:05:00.000Z:4"


def page(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


@pytest.fixture
def erp(stack, monkeypatch):
    """The ERP ingest queue, two merchants with their stores and a merchant key each."""
    queue_url = create_erp_ingest_queue(monkeypatch)
    for merchant_id in ("m1", "m2"):
        put_online_and_centre_stores(merchant_id)
    return Pipeline(queue_url, {mid: issue_api_key(mid, scopes=["merchant"], name="staff") for mid in ("m1", "m2")})


class Pipeline:
    def __init__(self, queue_url: str, keys_by_merchant: dict[str, str]) -> None:
        self.queue_url = queue_url
        self.keys = keys_by_merchant

    def queued(self) -> list[dict]:
        return take_messages(self.queue_url)

    def consume(self) -> None:
        bodies = self.queued()
        if bodies:
            result = handler_of("StockSyncIngestFunction")(sqs_event([json.dumps(b) for b in bodies]), LambdaContext())
            assert result == {"batchItemFailures": []}

    def call(self, method: str, body: dict | None = None, *, merchant: str = "m1", key: str | None = None) -> dict:
        return http(
            method,
            "/merchant/v1/erp-connector",
            headers={"authorization": f"Bearer {key or self.keys[merchant]}"},
            body=json.dumps(body) if body is not None else None,
        )

    def connector(self, merchant: str = "m1") -> dict:
        response = self.call("GET", merchant=merchant)
        assert response["statusCode"] == 200, response["body"]
        return json_body(response)

    def job(self, job_id: str, merchant: str = "m1") -> dict:
        erp_key = issue_api_key(merchant, scopes=["erp"], name="erp")
        response = http("GET", f"/erp/v1/jobs/{job_id}", headers={"authorization": f"Bearer {erp_key}"})
        assert response["statusCode"] == 200, response["body"]
        return json_body(response)


def configure(merchant: str = "m1", *, now: datetime = T0, **fields) -> dict:
    config = {
        "base_url": ERP if merchant == "m1" else OTHER_ERP,
        "token": TOKEN if merchant == "m1" else "tok-m2-abcdefgh",
    }
    return configure_connector(merchant, ErpConnectorInput(**(config | fields)), now=now).model_dump(mode="json")


def stored(merchant: str = "m1") -> dict:
    return erp_connectors.get_connector(merchant)


@pytest.fixture
def erp_http():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def serve_catalogue(mock: responses.RequestsMock, base: str = ERP) -> None:
    """The ERP's first answers: two pages of products, then prices and stock, each by the cursor asked for."""

    def products(request):
        cursor = parse_qs(urlsplit(request.url).query).get("cursor", [None])[0]
        body = {None: page("products_page_1"), CURSOR_P2: page("products_page_2")}.get(cursor, page("empty"))
        return 200, {"content-type": "application/json"}, json.dumps(body)

    mock.add_callback(responses.GET, f"{base}/products", callback=products)
    mock.get(f"{base}/prices", json=page("prices"))
    mock.get(f"{base}/stock", json=page("stock"))


def asked(mock: responses.RequestsMock, resource: str) -> list[dict]:
    """The query strings of the requests made for ``resource``, in order."""
    return [
        {k: v[0] for k, v in parse_qs(urlsplit(call.request.url).query).items()}
        for call in mock.calls
        if urlsplit(call.request.url).path.endswith(f"/{resource}")
    ]


# ---------------------------------------------------------------- polling


def test_a_due_connector_is_read_page_by_page_and_every_item_goes_through_a_job(erp, erp_http):
    configure(page_size=3)
    serve_catalogue(erp_http)

    result = poll_due_connectors(T0)

    assert (result["connectors_polled"], result["connectors_failed"], result["pages"]) == (1, 0, 4)
    assert asked(erp_http, "products") == [{"limit": "3"}, {"limit": "3", "cursor": CURSOR_P2}]
    assert asked(erp_http, "prices") == [{"limit": "3"}] and asked(erp_http, "stock") == [{"limit": "3"}]
    first = erp_http.calls[0].request
    assert first.headers["Authorization"] == f"Bearer {TOKEN}" and first.headers["Accept"] == "application/json"
    erp.consume()
    assert assortment.get_product("m1", "TEN-COR").name == "Tênis de Corrida"
    assert table.get(keys.prices_pk("m1", "varejo"), "BON-ABA")["price"] == 5990
    assert table.get(keys.stock_pk("m1", "9900"), "CAM-BAS-BR-P")["on_hand"] == 7
    connector = erp.connector()
    assert connector["last_status"] == "ok" and connector["consecutive_failures"] == 0
    assert connector["cursors"] == {
        "products": CURSOR_P3,
        "prices": page("prices")["next_cursor"],
        "stock": "stock:1043",
    }
    assert connector["last_poll_at"] == "2026-11-23T12:00:00Z"
    assert connector["next_poll_at"] == "2026-11-23T12:03:00Z"  # the default interval
    # One job per page with items; the bad product is rejected in its job, naming the field, the rest applied.
    reports = [erp.job(job_id) for job_id in connector["job_ids"]]
    assert [(r["kind"], r["source"], r["status"]) for r in reports] == [
        ("products", "connector", "done"),
        ("products", "connector", "done"),
        ("prices", "connector", "done"),
        ("stock", "connector", "done"),
    ]
    second = reports[1]
    assert second["counts"]["applied"] == 1 and second["counts"]["rejected"] == 1
    assert second["results"][0]["ref"] == "SEM-GRADE" and second["results"][0]["errors"][0]["field"] == "variants"


def test_the_next_poll_resumes_at_the_stored_cursors_and_items_served_again_change_nothing(erp, erp_http):
    configure()
    serve_catalogue(erp_http)
    poll_due_connectors(T0)
    erp.consume()
    erp_http.replace(responses.GET, f"{ERP}/prices", json=page("prices"))  # the ERP re-serves the same prices
    calls_before = len(erp_http.calls)

    assert poll_due_connectors(T0 + timedelta(minutes=2))["connectors_polled"] == 0  # not due yet
    assert len(erp_http.calls) == calls_before
    result = poll_due_connectors(T0 + timedelta(minutes=3))

    assert result["connectors_polled"] == 1
    assert asked(erp_http, "products")[-1] == {"limit": "500", "cursor": CURSOR_P3}
    assert asked(erp_http, "prices")[-1]["cursor"] == page("prices")["next_cursor"]
    erp.consume()
    prices_job = erp.job(erp.connector()["job_ids"][0])
    assert prices_job["kind"] == "prices" and prices_job["counts"]["unchanged"] == 3
    assert prices_job["counts"]["applied"] == 0


def test_a_5xx_is_retried_then_recorded_as_a_failure_without_moving_the_cursor_and_backs_off(erp, erp_http):
    configure(resources=["prices"])
    erp_http.get(f"{ERP}/prices", status=503, json={"error": "maintenance"})

    result = poll_due_connectors(T0)

    assert (result["connectors_polled"], result["connectors_failed"]) == (1, 1)
    assert len(erp_http.calls) == 3  # the first try and two retries
    connector = erp.connector()
    assert connector["last_status"] == "failed" and connector["consecutive_failures"] == 1
    assert connector["last_error"] == "GET /prices: HTTP 503 from the ERP after 3 attempts"
    assert connector["cursors"] == {} and connector["last_success_at"] is None and erp.queued() == []
    assert connector["next_poll_at"] == "2026-11-23T12:03:00Z"
    poll_due_connectors(T0 + timedelta(minutes=3))
    connector = erp.connector()
    assert connector["consecutive_failures"] == 2 and connector["next_poll_at"] == "2026-11-23T12:09:00Z"


def test_a_5xx_that_clears_on_a_retry_is_no_failure(erp, erp_http):
    configure(resources=["prices"])
    erp_http.get(f"{ERP}/prices", status=502)
    erp_http.get(f"{ERP}/prices", json=page("prices"))

    assert poll_due_connectors(T0)["connectors_failed"] == 0
    assert len(erp_http.calls) == 2 and erp.connector()["cursors"]["prices"] == page("prices")["next_cursor"]


def test_after_a_failure_a_good_poll_clears_the_error_and_the_count(erp, erp_http):
    configure(resources=["prices"])
    erp_http.get(f"{ERP}/prices", status=500)
    poll_due_connectors(T0)
    erp_http.replace(responses.GET, f"{ERP}/prices", json=page("prices"))

    poll_due_connectors(T0 + timedelta(minutes=3))

    connector = erp.connector()
    assert (connector["last_status"], connector["last_error"], connector["consecutive_failures"]) == ("ok", None, 0)


def test_a_read_timeout_is_a_failure_at_once_and_not_retried(erp, erp_http):
    configure(resources=["stock"])
    erp_http.get(f"{ERP}/stock", body=requests.ReadTimeout("read timed out"))

    poll_due_connectors(T0)

    assert len(erp_http.calls) == 1
    assert erp.connector()["last_error"] == "GET /stock: no answer in time (ReadTimeout)"


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        ({"body": "<html>Erro interno</html>"}, "GET /prices: the answer is not JSON"),
        ({"json": {"items": {"sku": "x"}, "next_cursor": "c", "has_more": False}}, "GET /prices: not a page (items:"),
        ({"json": {"items": [], "has_more": False}}, "GET /prices: not a page (next_cursor: Field required)"),
        ({"json": {"items": [], "next_cursor": "c", "has_more": "no"}}, "GET /prices: not a page (has_more:"),
        ({"json": {"items": [], "next_cursor": "", "has_more": False}}, "GET /prices: not a page (next_cursor:"),
        ({"json": [1, 2]}, "GET /prices: not a page"),
        ({"json": {"error": "bad token"}, "status": 401}, "GET /prices: the ERP refused the token (HTTP 401)"),
        ({"json": {}, "status": 404}, "GET /prices: HTTP 404 from the ERP"),
        ({"status": 302, "headers": {"Location": "https://elsewhere.example.com/"}}, "GET /prices: HTTP 302 redirect"),
    ],
)
def test_an_answer_that_is_not_a_page_is_a_failure_and_nothing_of_it_is_used(erp, erp_http, answer, error):
    configure(resources=["prices"])
    erp_http.get(f"{ERP}/prices", **answer)

    poll_due_connectors(T0)

    connector = erp.connector()
    assert connector["last_status"] == "failed" and connector["last_error"].startswith(error)
    assert connector["cursors"] == {} and erp.queued() == []
    assert len(erp_http.calls) == 1  # a 4xx or a bad body is never retried


def test_more_items_than_the_limit_is_a_failure(erp, erp_http):
    configure(resources=["prices"], page_size=2)
    erp_http.get(f"{ERP}/prices", json=page("prices"))

    poll_due_connectors(T0)

    assert erp.connector()["last_error"] == "GET /prices: 3 items for limit=2"


def test_a_page_with_no_valid_item_is_a_failure_and_is_asked_for_again(erp, erp_http):
    configure(resources=["prices"])
    broken = {"items": [{"table_id": "varejo", "sku": "CAM-BAS", "price": 49.9}], "next_cursor": "x", "has_more": False}
    erp_http.get(f"{ERP}/prices", json=broken)

    poll_due_connectors(T0)

    connector = erp.connector()
    assert connector["last_error"].startswith("GET /prices: no item of the page is valid (body.items.0.price:")
    assert connector["cursors"] == {} and erp.queued() == []


def test_a_cursor_that_does_not_move_while_has_more_stops_the_poll(erp, erp_http):
    configure(resources=["prices"])
    stuck = {**page("prices"), "has_more": True}
    erp_http.get(f"{ERP}/prices", json=stuck)

    poll_due_connectors(T0)

    assert len(erp_http.calls) == 2
    assert erp.connector()["last_error"] == "GET /prices: has_more with the same next_cursor as asked for"


def test_one_failing_erp_does_not_keep_another_merchants_from_being_polled(erp, erp_http):
    configure("m1")
    configure("m2")
    erp_http.get(f"{ERP}/products", body=requests.ConnectionError("refused"))
    serve_catalogue(erp_http, OTHER_ERP)

    result = poll_due_connectors(T0)

    assert (result["connectors_polled"], result["connectors_failed"]) == (2, 1)
    assert erp.connector("m1")["last_error"] == "GET /products: could not reach the ERP (ConnectionError)"
    assert erp.connector("m2")["last_status"] == "ok"
    erp.consume()
    assert assortment.get_product("m2", "CAM-BAS") is not None and assortment.get_product("m1", "CAM-BAS") is None


def test_a_poll_that_crashes_fails_the_run_after_the_others_are_polled(erp, erp_http, monkeypatch):
    configure("m1")
    configure("m2", resources=["prices"])
    erp_http.get(f"{OTHER_ERP}/prices", json=page("prices"))
    real_fetch = connector_poll.fetch_page

    def fetch(base_url, *args, **kwargs):
        if base_url == ERP:
            raise RuntimeError("a bug")
        return real_fetch(base_url, *args, **kwargs)

    monkeypatch.setattr(connector_poll, "fetch_page", fetch)

    with pytest.raises(RuntimeError, match="a bug"):
        poll_due_connectors(T0)

    assert erp.connector("m2")["last_status"] == "ok"
    # m1 stays claimed until its lease ends, then is polled again.
    assert erp.connector("m1")["polling"] is True
    assert "m1" not in dict(erp_connectors.due_connectors("2026-11-23T12:04:59.999Z", limit=10))
    assert "m1" in dict(erp_connectors.due_connectors("2026-11-23T12:05:00.000Z", limit=10))


def test_a_connector_not_yet_due_or_disabled_is_not_polled(erp, erp_http):
    configure("m1", now=T0 + timedelta(minutes=5))
    configure("m2", enabled=False)
    serve_catalogue(erp_http)
    serve_catalogue(erp_http, OTHER_ERP)

    assert poll_due_connectors(T0)["connectors_due"] == 0
    assert poll_due_connectors(T0 + timedelta(hours=1))["connectors_polled"] == 1
    assert erp_http.calls and all(call.request.url.startswith(ERP) for call in erp_http.calls)
    assert erp.connector("m2")["next_poll_at"] is None


def test_an_overlapping_run_claims_nothing_and_polls_nothing_twice(erp, erp_http):
    configure(resources=["prices"])
    overlapping = []

    def prices(_request):
        overlapping.append(poll_due_connectors(T0 + timedelta(seconds=30)))
        return 200, {}, json.dumps(page("prices"))

    erp_http.add_callback(responses.GET, f"{ERP}/prices", callback=prices)

    assert poll_due_connectors(T0)["connectors_polled"] == 1
    assert overlapping == [
        {"connectors_due": 0, "connectors_polled": 0, "connectors_failed": 0, "pages": 0, "items": 0, "jobs": 0}
    ]
    assert len(erp_http.calls) == 1


def test_a_claim_lost_to_another_run_is_not_polled(erp, erp_http):
    configure(resources=["prices"])
    erp_http.get(f"{ERP}/prices", json=page("prices"))
    ((merchant_id, seen),) = erp_connectors.due_connectors("2026-11-23T12:00:00.000Z", limit=10)
    assert erp_connectors.claim(merchant_id, seen, "another-run", "2026-11-23T12:05:00.000Z") is not None

    assert poll_due_connectors(T0)["connectors_polled"] == 0
    assert len(erp_http.calls) == 0


def test_a_connector_changed_during_its_poll_keeps_nothing_of_the_old_poll(erp, erp_http):
    configure(resources=["prices"])

    def prices(_request):
        configure(base_url=OTHER_ERP, resources=["prices"], now=T0 + timedelta(seconds=10))
        return 200, {}, json.dumps(page("prices"))

    erp_http.add_callback(responses.GET, f"{ERP}/prices", callback=prices)

    poll_due_connectors(T0)

    connector = stored()
    assert connector["cursors"] == {} and "last_poll_at" not in connector
    assert connector["base_url"] == OTHER_ERP and connector["next_poll_at"] == "2026-11-23T12:00:10.000Z"


def test_a_connector_deleted_during_its_poll_is_not_written_back(erp, erp_http):
    configure(resources=["prices"])

    def prices(_request):
        erp_connectors.delete_connector("m1")
        return 200, {}, json.dumps(page("prices"))

    erp_http.add_callback(responses.GET, f"{ERP}/prices", callback=prices)

    poll_due_connectors(T0)

    assert stored() is None


def test_a_poll_reads_a_bounded_number_of_pages_and_the_rest_on_the_next_run(erp, erp_http, monkeypatch):
    monkeypatch.setattr(connector_poll, "PAGES_PER_POLL", 2)
    configure(resources=["stock"], page_size=1)
    sequence = iter(range(1, 100))

    def stock(_request):
        n = next(sequence)
        item = {"store_code": "9900", "sku": f"SKU-{n}", "on_hand": n, "sequence": n}
        return 200, {}, json.dumps({"items": [item], "next_cursor": f"s{n}", "has_more": True})

    erp_http.add_callback(responses.GET, f"{ERP}/stock", callback=stock)

    assert poll_due_connectors(T0)["pages"] == 2
    connector = erp.connector()
    assert connector["cursors"] == {"stock": "s2"} and connector["last_status"] == "ok"
    assert connector["next_poll_at"] == "2026-11-23T12:00:00Z"  # due again at once: the next run goes on
    assert poll_due_connectors(T0 + timedelta(minutes=1))["pages"] == 2
    assert asked(erp_http, "stock")[2] == {"limit": "1", "cursor": "s2"}


def test_a_run_out_of_time_claims_nothing_more_and_leaves_the_connectors_due(erp, erp_http):
    configure("m1")
    configure("m2")

    result = poll_due_connectors(T0, budget_seconds=0)

    assert (result["connectors_due"], result["connectors_polled"]) == (2, 0) and len(erp_http.calls) == 0
    assert len(erp_connectors.due_connectors("2026-11-23T12:00:00.000Z", limit=10)) == 2


def test_the_schedule_runs_the_poll_once_per_scheduled_time(erp, erp_http):
    now = datetime.now(UTC)
    configure(resources=["prices"], now=now - timedelta(minutes=1))
    erp_http.get(f"{ERP}/prices", json=page("prices"))
    at = (now + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    run = handler_of("StockSyncFunction")

    first = run({"job": "sync_erp_connectors", "scheduled_time": at}, LambdaContext())
    again = run({"job": "sync_erp_connectors", "scheduled_time": at}, LambdaContext())

    assert first["connectors_polled"] == 1 and first["jobs"] == 1
    assert again["skipped"] == "already run or running" and len(erp_http.calls) == 1


# ---------------------------------------------------------------- configuration through the merchant API


def test_a_merchant_configures_the_connector_and_never_sees_the_token_again(erp):
    response = erp.call("PUT", {"base_url": ERP + "/", "token": TOKEN})

    assert response["statusCode"] == 200, response["body"]
    assert TOKEN not in response["body"]
    shown = json_body(response)
    assert shown["base_url"] == ERP and shown["resources"] == ["products", "prices", "stock"]
    assert (shown["interval_minutes"], shown["interval_is_default"], shown["page_size"]) == (3, True, 500)
    assert shown["enabled"] and shown["last_status"] is None and shown["cursors"] == {}
    assert shown["next_poll_at"] == shown["updated_at"]  # due at once
    got = erp.call("GET")
    assert got["statusCode"] == 200 and TOKEN not in got["body"] and 'token"' not in got["body"]
    assert stored()["token"] == TOKEN


def test_a_change_without_a_token_keeps_the_stored_one(erp):
    erp.call("PUT", {"base_url": ERP, "token": TOKEN})

    response = erp.call("PUT", {"base_url": ERP, "interval_minutes": 10, "resources": ["stock", "products"]})

    assert response["statusCode"] == 200, response["body"]
    shown = json_body(response)
    assert (shown["interval_minutes"], shown["interval_is_default"]) == (10, False)
    assert shown["resources"] == ["products", "stock"]  # in the order they are read
    assert stored()["token"] == TOKEN


def test_a_new_connector_without_a_token_is_422_and_nothing_is_stored(erp):
    response = erp.call("PUT", {"base_url": ERP})

    assert response["statusCode"] == 422
    assert json_body(response)["error"]["details"][0]["field"] == "body.token"
    assert erp.call("GET")["statusCode"] == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"base_url": "http://erp.loja.com.br", "token": TOKEN}, "body.base_url"),
        ({"base_url": "https://127.0.0.1:8443", "token": TOKEN}, "body.base_url"),
        ({"base_url": "https://localhost/api", "token": TOKEN}, "body.base_url"),
        ({"base_url": "https://10.0.0.8/api", "token": TOKEN}, "body.base_url"),
        ({"base_url": "https://erp.loja.com.br/api?x=1", "token": TOKEN}, "body.base_url"),
        ({"base_url": "https://user:pw@erp.loja.com.br", "token": TOKEN}, "body.base_url"),
        ({"base_url": ERP, "token": "short"}, "body.token"),
        ({"base_url": ERP, "token": "has a space inside"}, "body.token"),
        ({"base_url": ERP, "token": TOKEN, "interval_minutes": 0}, "body.interval_minutes"),
        ({"base_url": ERP, "token": TOKEN, "interval_minutes": 1441}, "body.interval_minutes"),
        ({"base_url": ERP, "token": TOKEN, "page_size": 1001}, "body.page_size"),
        ({"base_url": ERP, "token": TOKEN, "resources": []}, "body.resources"),
        ({"base_url": ERP, "token": TOKEN, "resources": ["orders"]}, "body.resources.0"),
        ({"base_url": ERP, "token": TOKEN, "resources": ["stock", "stock"]}, "body.resources"),
        ({"base_url": ERP, "token": TOKEN, "next_poll_at": "2026-01-01T00:00:00Z"}, "body.next_poll_at"),
        ({"token": TOKEN}, "body.base_url"),
        *(({"base_url": f"https://{host}/api", "token": TOKEN}, "body.base_url") for host in INSIDE_SPELLINGS),
    ],
)
def test_bad_configurations_are_422_naming_the_field_and_store_nothing(erp, body, field):
    response = erp.call("PUT", body)

    assert response["statusCode"] == 422, response["body"]
    assert field in [detail["field"] for detail in json_body(response)["error"]["details"]]
    assert TOKEN not in response["body"]
    assert erp.call("GET")["statusCode"] == 404


def test_a_poll_of_a_name_that_resolves_inside_fails_without_a_connection_so_the_token_never_leaves(
    erp, outbound_deployed, monkeypatch
):
    dns = FakeDns(monkeypatch)
    host = "erp.loja-um.com.br"
    dns.answer(host, ["127.0.0.1"])  # a public-looking name that resolves to loopback (or did, after a change)
    with unanswered_port() as trap:
        configure(base_url=f"https://{host}:{trap.port}/api")

        result = poll_due_connectors(T0)

        assert (result["connectors_polled"], result["connectors_failed"]) == (1, 1)
        shown = erp.connector()
        assert shown["last_status"] == "failed" and shown["cursors"] == {}
        assert shown["last_error"] == (
            f"GET /products: not called, {host} resolves to 127.0.0.1, which is not a public address; "
            "Vitrine calls only public addresses"
        )
        assert dns.connects == []
        trap.assert_untouched()


def test_credentials_in_the_base_url_are_refused_pointing_to_the_token(erp):
    response = erp.call("PUT", {"base_url": "https://user:pw@erp.loja.com.br", "token": TOKEN})

    assert response["statusCode"] == 422
    (detail,) = json_body(response)["error"]["details"]
    assert "authenticate by the token" in detail["reason"]
    assert "pw" not in response["body"]


def test_a_malformed_body_is_refused(erp):
    response = http(
        "PUT",
        "/merchant/v1/erp-connector",
        headers={"authorization": f"Bearer {erp.keys['m1']}"},
        body="{not json",
    )
    assert response["statusCode"] == 422


def test_another_merchant_can_neither_see_nor_remove_the_connector(erp):
    erp.call("PUT", {"base_url": ERP, "token": TOKEN})

    assert erp.call("GET", merchant="m2")["statusCode"] == 404
    assert erp.call("DELETE", merchant="m2")["statusCode"] == 404
    assert erp.call("GET")["statusCode"] == 200
    # m2's own connector is its own item: configuring it leaves m1's token and URL alone.
    erp.call("PUT", {"base_url": OTHER_ERP, "token": "tok-m2-abcdefgh"}, merchant="m2")
    assert (stored("m1")["base_url"], stored("m1")["token"]) == (ERP, TOKEN)


def test_the_connector_routes_need_a_merchant_key(erp):
    erp_only = issue_api_key("m1", scopes=["erp"], name="erp")
    assert erp.call("GET", key=erp_only)["statusCode"] == 403
    assert erp.call("PUT", {"base_url": ERP, "token": TOKEN}, key=erp_only)["statusCode"] == 403
    assert http("GET", "/merchant/v1/erp-connector")["statusCode"] == 401


def test_a_deleted_connector_is_gone_and_no_longer_due(erp):
    erp.call("PUT", {"base_url": ERP, "token": TOKEN})

    assert erp.call("DELETE")["statusCode"] == 204
    assert erp.call("GET")["statusCode"] == 404
    assert erp.call("DELETE")["statusCode"] == 404
    assert erp_connectors.due_connectors("2099-01-01T00:00:00.000Z", limit=10) == []


def test_a_new_erp_or_a_resync_starts_over_without_cursors_and_a_new_token_keeps_them(erp, erp_http):
    configure()
    serve_catalogue(erp_http)
    poll_due_connectors(T0)
    assert stored()["cursors"]

    configure(token="a-new-token-for-the-same-erp", now=T0 + timedelta(minutes=1))
    assert stored()["cursors"]["products"] == CURSOR_P3
    configure(resync=True, now=T0 + timedelta(minutes=2))
    assert stored()["cursors"] == {}
    poll_due_connectors(T0 + timedelta(minutes=2))
    configure(base_url=OTHER_ERP, now=T0 + timedelta(minutes=3))
    assert stored()["cursors"] == {}


def test_disabling_takes_the_connector_out_of_the_due_index_and_enabling_makes_it_due(erp):
    configure()
    configure(enabled=False, now=T0 + timedelta(minutes=1))
    assert erp_connectors.due_connectors("2099-01-01T00:00:00.000Z", limit=10) == []
    assert erp.connector()["enabled"] is False and stored()["token"] == TOKEN

    configure(now=T0 + timedelta(minutes=2))

    assert erp_connectors.due_connectors("2026-11-23T12:02:00.000Z", limit=10) == [("m1", "2026-11-23T12:02:00.000Z")]


def test_the_interval_left_out_follows_the_deployments_default(erp, monkeypatch):
    monkeypatch.setenv("ERP_CONNECTOR_INTERVAL_MINUTES", "7")
    get_settings.cache_clear()

    assert configure()["interval_minutes"] == 7
    assert configure(interval_minutes=2)["interval_minutes"] == 2


# ---------------------------------------------------------------- a real ERP on loopback, end to end


class LoopbackErp(ThreadingHTTPServer):
    """A tiny ERP serving the contract from memory: every item once, with a cursor that is the count served."""

    daemon_threads = True

    def __init__(self, token: str, catalogue: dict[str, list[dict]]) -> None:
        super().__init__(("127.0.0.1", 0), _ErpHandler)
        self.token = token
        self.catalogue = catalogue
        self.requests: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/erp"


class _ErpHandler(JsonHandler):
    server: LoopbackErp

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        self.server.requests.append(self.path)
        resource = parts.path.removeprefix("/erp/")
        if self.headers.get("Authorization") != f"Bearer {self.server.token}":
            return self._send(401, {"error": "unauthorized"})
        if resource not in self.server.catalogue:
            return self._send(404, {"error": "not found"})
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        start = int(query.get("cursor", "0"))
        items = self.server.catalogue[resource]
        end = min(start + int(query["limit"]), len(items))
        return self._send(200, {"items": items[start:end], "next_cursor": str(end), "has_more": end < len(items)})


@pytest.fixture
def loopback_erp(monkeypatch):
    catalogue = {
        "products": page("products_page_1")["items"] + page("products_page_2")["items"][:1],
        "prices": page("prices")["items"],
        "stock": page("stock")["items"],
    }
    server = LoopbackErp("loopback-token-123", catalogue)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_a_real_erp_on_loopback_is_polled_end_to_end(erp, outbound_local_stack, loopback_erp):
    response = erp.call(
        "PUT", {"base_url": loopback_erp.url, "token": "loopback-token-123", "page_size": 2, "interval_minutes": 1}
    )
    assert response["statusCode"] == 200, response["body"]
    now = datetime.now(UTC) + timedelta(seconds=1)

    result = poll_due_connectors(now)
    erp.consume()

    assert (result["connectors_polled"], result["connectors_failed"], result["pages"]) == (1, 0, 6)
    assert assortment.get_product("m1", "BON-ABA").name == "Boné Aba Curva"
    assert table.get(keys.stock_pk("m1", "0001"), "TEN-COR-PR-40")["on_hand"] == 3
    assert erp.connector()["cursors"] == {"products": "3", "prices": "3", "stock": "3"}
    assert loopback_erp.requests[:2] == ["/erp/products?limit=2", "/erp/products?limit=2&cursor=2"]
    # Nothing new next time: the ERP is asked from the cursors and answers empty pages.
    poll_due_connectors(now + timedelta(minutes=1))
    assert erp.queued() == [] and loopback_erp.requests[-1] == "/erp/stock?limit=2&cursor=3"
    # A token the ERP does not know is its 401, recorded.
    erp.call("PUT", {"base_url": loopback_erp.url, "token": "a-wrong-token-000"})
    poll_due_connectors(datetime.now(UTC) + timedelta(seconds=1))
    assert erp.connector()["last_error"] == "GET /products: the ERP refused the token (HTTP 401)"


def test_the_demo_seed_points_the_demo_merchants_connector_at_the_sandbox_erp(erp, outbound_local_stack, monkeypatch):
    from local_stack.seed import DEMO_MERCHANT_ID, seed_demo

    sandbox = {
        "OUTBOUND_ALLOW_LOOPBACK": "true",
        "SANDBOX_ERP_URL": "http://127.0.0.1:8766/erp",
        "SANDBOX_ERP_TOKEN": "sandbox-tok-1",
    }
    for name, value in sandbox.items():
        monkeypatch.setenv(name, value)  # restored after the test: the seed writes its env into os.environ

    seeded = seed_demo(sandbox)

    connector = erp_connectors.get_connector(DEMO_MERCHANT_ID)
    assert seeded.erp_connector_url == "http://127.0.0.1:8766/erp"
    assert (connector["base_url"], connector["token"], connector["interval_minutes"]) == (
        "http://127.0.0.1:8766/erp",
        "sandbox-tok-1",
        1,
    )
    assert connector["resources"] == ["products", "prices", "stock"] and connector["enabled"]


def test_the_demo_seed_without_a_sandbox_erp_configures_no_connector(erp):
    from local_stack.seed import DEMO_MERCHANT_ID, seed_demo

    assert seed_demo({}).erp_connector_url is None
    assert erp_connectors.get_connector(DEMO_MERCHANT_ID) is None

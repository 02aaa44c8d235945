"""The sandbox gateway's webhooks, over real HTTP on loopback: pagar.me's webhook body and HTTP Basic auth, the
retry schedule, a delivery that never succeeds, a resent duplicate, held events released out of order, and (on
the local stack) a payment that reaches ``/webhooks/gateway`` and is recorded by its consumer.

Each test runs its own sandbox with short retry delays and a tiny receiver (``http.server`` in a thread) that
records what arrives and answers from a script.
"""

import base64
import http.server
import json
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
from pagarme_fixtures import fixture
from stack_harness import wait_until

from local_stack.sandbox_gateway import SandboxGateway
from local_stack.sandbox_gateway.webhooks import WebhookTarget
from vitrine.payments.pagarme import PagarmeGateway, http_session
from vitrine.payments.port import Charge, ChargeRequest
from vitrine.payments.settings import GatewaySettings

USER, PASSWORD = "vitrine", "s3cret-webhook"
RETRY_DELAYS = (0.05, 0.1)
CREATED_AND_PAID = ["order.created", "charge.pending", "charge.paid", "order.paid"]


def fetch(method: str, url: str, **kwargs: Any) -> requests.Response:
    return requests.request(method, url, timeout=10, **kwargs)


# ---------------------------------------------------------------- a receiver and a sandbox per test


class Receiver(http.server.ThreadingHTTPServer):
    """A webhook endpoint: records every POST (headers and JSON body), answers each with the next scripted status,
    200 once the script is used up."""

    daemon_threads = True

    def __init__(self, script: list[int]) -> None:
        super().__init__(("127.0.0.1", 0), _ReceiverHandler)
        self.script = list(script)
        self.received: list[tuple[dict[str, str], dict[str, Any]]] = []
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/webhooks/gateway"

    def bodies(self) -> list[dict[str, Any]]:
        with self.lock:
            return [body for _, body in self.received]


class _ReceiverHandler(http.server.BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with self.server.lock:
            self.server.received.append((dict(self.headers), body))
            status = self.server.script.pop(0) if self.server.script else 200
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def receiver() -> Iterator[Callable[..., Receiver]]:
    started: list[Receiver] = []

    def start(*script: int) -> Receiver:
        server = Receiver(list(script))
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.shutdown()
        server.server_close()


@pytest.fixture
def sandbox() -> Iterator[SandboxGateway]:
    gateway = SandboxGateway(webhook_retry_delays=RETRY_DELAYS, webhook_timeout=2)
    gateway.start()
    yield gateway
    gateway.stop()


def add_target(sandbox: SandboxGateway, url: str) -> None:
    response = fetch(
        "POST", f"{sandbox.url}/sandbox/webhooks/targets", json={"url": url, "username": USER, "password": PASSWORD}
    )
    assert response.status_code == 201 and response.json() == {"url": url, "username": USER}


_serial = iter(range(1, 1_000_000))


def pix_request(amount: int = 5980) -> ChargeRequest:
    order_id = f"ord_hook_{next(_serial):04d}"
    return ChargeRequest.model_validate(
        {
            "merchant_id": "loja-demo",
            "order_id": order_id,
            "amount": amount,
            "items": [{"code": "SKU-1", "description": "Produto", "quantity": 1, "unit_amount": amount}],
            "customer": {"name": "Maria", "email": "maria@example.com", "cpf": "52998224725", "phone": "11987654321"},
            "method": "pix",
            "pix": {"expires_in": 1800},
        }
    )


def create_and_pay(sandbox: SandboxGateway, gateway: PagarmeGateway) -> Charge:
    charge = gateway.create_charge(pix_request())
    fetch("POST", f"{sandbox.url}/sandbox/charges/{charge.charge_id}/pay").raise_for_status()
    return charge


def deliveries(sandbox: SandboxGateway) -> dict[str, Any]:
    return fetch("GET", f"{sandbox.url}/sandbox/webhooks/deliveries").json()


def settled(sandbox: SandboxGateway) -> list[dict[str, Any]] | None:
    """Every delivery, once none is pending any more."""
    found = deliveries(sandbox)["deliveries"]
    return found if found and all(delivery["status"] != "pending" for delivery in found) else None


def received(target: Receiver, count: int) -> list[dict[str, Any]]:
    return wait_until(
        lambda: target.bodies() if len(target.bodies()) >= count else None,
        timeout=5,
        interval=0.02,
        message=f"{count} webhooks received",
    )


# ---------------------------------------------------------------- format and authentication


def test_every_event_reaches_the_target_in_pagarmes_webhook_format_with_basic_auth(sandbox, gateway, receiver):
    target = receiver()
    add_target(sandbox, target.url)
    charge = create_and_pay(sandbox, gateway)

    bodies = received(target, 4)
    assert [body["type"] for body in bodies] == CREATED_AND_PAID
    assert [body["id"] for body in bodies] == [event["id"] for event in sandbox.events]
    assert all(set(body) == set(fixture("webhook_charge_refunded.json")) for body in bodies)
    assert all(body["id"].startswith("hook_") and body["account"]["id"].startswith("acc_") for body in bodies)
    paid = bodies[2]["data"]
    assert paid["id"] == charge.charge_id and paid["status"] == "paid" and paid["paid_amount"] == 5980
    assert paid["order"]["id"] == charge.gateway_order_id and paid["metadata"]["merchant_id"] == "loja-demo"
    assert bodies[3]["data"]["id"] == charge.gateway_order_id and bodies[3]["data"]["charges"][0]["status"] == "paid"

    credentials = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    for headers, _ in target.received:
        assert headers["Authorization"] == f"Basic {credentials}"
        assert headers["Content-Type"] == "application/json"
    delivered = wait_until(lambda: settled(sandbox), timeout=5, message="every delivery settled")
    assert [(d["status"], [a["status"] for a in d["attempts"]]) for d in delivered] == [("delivered", [200])] * 4


def test_a_refund_is_notified_with_the_charge_as_pagarme_sends_it(sandbox, gateway, receiver):
    target = receiver()
    add_target(sandbox, target.url)
    charge = create_and_pay(sandbox, gateway)
    gateway.cancel_charge(charge.charge_id, 980, idempotency_key=f"{charge.order_id}-refund-1")
    gateway.cancel_charge(charge.charge_id, idempotency_key=f"{charge.order_id}-refund-2")

    bodies = received(target, 7)[4:]
    assert [body["type"] for body in bodies] == ["charge.partial_canceled", "charge.refunded", "order.canceled"]
    assert [body["data"]["canceled_amount"] for body in bodies[:2]] == [980, 5980]
    recorded = fixture("webhook_charge_refunded.json")["data"]
    refunded = bodies[1]["data"]
    assert set(recorded) <= set(refunded) and set(recorded["order"]) <= set(refunded["order"])
    assert bodies[2]["data"]["status"] == "canceled"


# ---------------------------------------------------------------- retries and failures


def test_a_target_answering_5xx_gets_the_same_event_again_until_it_accepts(sandbox, gateway, receiver):
    gateway.create_charge(pix_request())
    target = receiver(500, 503)
    add_target(sandbox, target.url)  # after the events, so the one resent below is all the target gets
    event_id = sandbox.events[0]["id"]
    fetch("POST", f"{sandbox.url}/sandbox/events/{event_id}/resend").raise_for_status()

    (delivery,) = wait_until(lambda: settled(sandbox), timeout=5, message="the delivery settled")
    assert delivery["status"] == "delivered" and delivery["event_id"] == event_id
    assert [attempt["status"] for attempt in delivery["attempts"]] == [500, 503, 200]
    assert [body["id"] for body in target.bodies()] == [event_id] * 3


def test_a_delivery_that_never_succeeds_stops_after_the_last_retry_and_stays_visible(sandbox, gateway, receiver):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        nobody = f"http://127.0.0.1:{probe.getsockname()[1]}/webhooks/gateway"
    refusing = receiver(*[401] * 10)
    add_target(sandbox, nobody)
    add_target(sandbox, refusing.url)
    gateway.create_charge(pix_request())
    event_id = sandbox.events[0]["id"]

    failed = wait_until(lambda: settled(sandbox), timeout=5, message="every delivery settled")
    by_url = {delivery["url"]: delivery for delivery in failed if delivery["event_id"] == event_id}
    assert by_url[nobody]["status"] == "failed" and by_url[refusing.url]["status"] == "failed"
    assert [attempt["error"] for attempt in by_url[nobody]["attempts"]] == ["ConnectionError"] * 3
    assert [attempt["status"] for attempt in by_url[refusing.url]["attempts"]] == [401] * 3
    assert by_url[nobody]["next_attempt_in"] is None
    assert len(refusing.bodies()) == 6  # two events, three attempts each, then no more


# ---------------------------------------------------------------- duplicates and order


def test_resending_an_event_delivers_a_duplicate_with_the_same_hook_id(sandbox, gateway, receiver):
    target = receiver()
    add_target(sandbox, target.url)
    create_and_pay(sandbox, gateway)
    paid = received(target, 4)[2]

    resent = fetch("POST", f"{sandbox.url}/sandbox/events/{paid['id']}/resend", json={"times": 2})
    assert resent.status_code == 202 and len(resent.json()["deliveries"]) == 2
    bodies = received(target, 6)
    assert bodies[4:] == [paid, paid]  # byte for byte the same event: the receiver must dedupe by its id
    assert fetch("POST", f"{sandbox.url}/sandbox/events/hook_nope/resend").status_code == 404


def test_held_events_are_released_reversed_and_repeated(sandbox, gateway, receiver):
    target = receiver()
    add_target(sandbox, target.url)
    assert fetch("POST", f"{sandbox.url}/sandbox/webhooks/hold").json() == {"holding": True}
    create_and_pay(sandbox, gateway)
    held = [event["id"] for event in sandbox.events]
    state = deliveries(sandbox)
    assert state["holding"] is True and state["held"] == held and state["deliveries"] == []
    assert target.bodies() == []

    release = fetch("POST", f"{sandbox.url}/sandbox/webhooks/release", json={"order": "reversed", "times": 2})
    assert release.json()["released"] == held[::-1] * 2
    assert [body["id"] for body in received(target, 8)] == held[::-1] * 2
    assert deliveries(sandbox)["holding"] is False


def test_held_events_released_shuffled_arrive_in_the_order_the_release_announced(sandbox, gateway, receiver):
    target = receiver()
    add_target(sandbox, target.url)
    fetch("POST", f"{sandbox.url}/sandbox/webhooks/hold")
    create_and_pay(sandbox, gateway)
    held = [event["id"] for event in sandbox.events]

    released = fetch("POST", f"{sandbox.url}/sandbox/webhooks/release", json={"order": "shuffled", "times": 3})
    order = released.json()["released"]
    assert sorted(order) == sorted(held * 3)
    assert [body["id"] for body in received(target, 12)] == order


def test_the_webhook_controls_refuse_what_they_cannot_do(sandbox):
    targets = f"{sandbox.url}/sandbox/webhooks/targets"
    no_scheme = {"url": "ftp://127.0.0.1/x", "username": USER, "password": PASSWORD}
    assert fetch("POST", targets, json=no_scheme).status_code == 422
    assert fetch("POST", targets, json={"url": "http://127.0.0.1/x", "username": USER}).status_code == 422
    release = f"{sandbox.url}/sandbox/webhooks/release"
    assert fetch("POST", release, json={"order": "sideways"}).status_code == 422
    assert fetch("POST", release, json={"times": 0}).status_code == 422
    assert deliveries(sandbox)["targets"] == []


def test_targets_given_to_the_constructor_receive_events(receiver):
    target = receiver()
    sandbox = SandboxGateway(webhook_targets=[WebhookTarget(target.url, USER, PASSWORD)])
    sandbox.start()
    try:
        http_session.cache_clear()
        PagarmeGateway(GatewaySettings.model_validate(sandbox.environment())).create_charge(pix_request())
        assert [body["type"] for body in received(target, 2)] == ["order.created", "charge.pending"]
    finally:
        sandbox.stop()
        http_session.cache_clear()

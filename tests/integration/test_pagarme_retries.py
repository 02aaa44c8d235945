"""The adapter's retries over real loopback sockets, where ``responses`` cannot reach: a gateway that answers
5xx and then recovers, one that drops the connection, one that never answers (a read timeout), and one that is
not there at all."""

import http.server
import json
import socket
import threading
from collections.abc import Iterator

import pytest
from pagarme_fixtures import RECORDINGS

from vitrine.payments.errors import PaymentGatewayUnavailable
from vitrine.payments.pagarme import PagarmeGateway, http_session
from vitrine.payments.port import ChargeRequest
from vitrine.payments.settings import GatewaySettings

ORDER = (RECORDINGS / "order_pix_pending.json").read_bytes()
REQUEST = ChargeRequest.model_validate(
    {
        "merchant_id": "loja-demo",
        "order_id": "ord_pix_0001",
        "amount": 350,
        "items": [{"code": "MEIA-CC-38", "description": "Meia", "quantity": 1, "unit_amount": 350}],
        "customer": {"name": "Maria", "email": "maria@example.com", "cpf": "52998224725", "phone": "11987654321"},
        "method": "pix",
        "pix": {"expires_in": 900},
    }
)


DROP = "drop"


class ScriptedGateway(http.server.ThreadingHTTPServer):
    """Answers POSTs from a script: a status to send, ``DROP`` to hang up, or None to keep silent past the
    client's timeout."""

    daemon_threads = True

    def __init__(self, script: list[int | str | None]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.script = script
        self.seen: list[tuple[str, bytes]] = []
        self.release = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/core/v5"


class _Handler(http.server.BaseHTTPRequestHandler):
    server: ScriptedGateway

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.seen.append((self.headers["Idempotency-Key"], body))
        step = self.server.script.pop(0) if self.server.script else 200
        if step is None:
            self.server.release.wait(5)
            return
        if step == DROP:
            self.close_connection = True
            return
        payload = ORDER if step == 200 else json.dumps({"message": "An error has occurred."}).encode()
        self.send_response(step)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def scripted() -> Iterator[callable]:
    servers: list[ScriptedGateway] = []

    def start(script: list[int | str | None]) -> ScriptedGateway:
        server = ScriptedGateway(script)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    http_session.cache_clear()
    yield start
    for server in servers:
        server.release.set()
        server.shutdown()
        server.server_close()
    http_session.cache_clear()


def gateway_at(url: str) -> PagarmeGateway:
    settings = GatewaySettings(
        PAGARME_BASE_URL=url, PAGARME_SECRET_KEY="sk_test_x", PAGARME_READ_TIMEOUT=0.3, PAGARME_CONNECT_TIMEOUT=0.5
    )
    return PagarmeGateway(settings)


def test_a_gateway_that_fails_twice_then_answers_gets_the_same_request_three_times(scripted):
    server = scripted([500, 503, 200])
    charge = gateway_at(server.url).create_charge(REQUEST)
    assert charge.charge_id == "ch_K2rJ5nlHwTE4qRDP"
    assert [key for key, _ in server.seen] == ["ord_pix_0001"] * 3
    assert len({body for _, body in server.seen}) == 1


def test_a_dropped_connection_is_retried_with_the_same_key(scripted):
    server = scripted([DROP, 200])
    charge = gateway_at(server.url).create_charge(REQUEST)
    assert charge.charge_id == "ch_K2rJ5nlHwTE4qRDP"
    assert [key for key, _ in server.seen] == ["ord_pix_0001"] * 2


def test_a_gateway_that_does_not_answer_in_time_is_unavailable_after_one_wait(scripted):
    server = scripted([None, None, None])
    with pytest.raises(PaymentGatewayUnavailable):
        gateway_at(server.url).create_charge(REQUEST)
    # A slow gateway is not waited for twice (it would outlast the function); the caller retries with the key.
    assert [key for key, _ in server.seen] == ["ord_pix_0001"]


def test_a_gateway_that_is_not_there_is_unavailable():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    http_session.cache_clear()
    with pytest.raises(PaymentGatewayUnavailable):
        gateway_at(f"http://127.0.0.1:{port}/core/v5").get_charge("ch_1")

"""The sandbox messaging provider of ``make dev`` speaks what Vitrine's own adapters speak: a template sent through
``WhatsAppCloud`` is accepted and reported back signed, an SMS through ``ZenviaSms`` likewise, and a number told to
fail fails as the real providers do (131026 reported later; 130429 answered at once)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from polling import wait_until

from local_stack.sandbox_messaging import SandboxMessaging
from local_stack.sandbox_messaging.server import PHONE_NUMBER_ID, SMS_SENDER, page
from vitrine.messaging import whatsapp, zenvia
from vitrine.messaging.port import Channel, Outgoing, Rejected, Throttled
from vitrine.messaging.templates import SPECS, Kind, render, whatsapp_parameters, whatsapp_template_name

TO = "5511988887777"
VALUES = {"nome": "Maria", "pedido": "K7P2QX", "total": "R$ 10,00", "loja": "Loja", "link": "http://x/y"}


@pytest.fixture
def sandbox(monkeypatch):
    monkeypatch.setenv("OUTBOUND_ALLOW_LOOPBACK", "true")
    from vitrine.settings import get_settings

    get_settings.cache_clear()
    received: list[tuple[str, dict, bytes]] = []

    class Webhooks(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            received.append((self.path, dict(self.headers), body))
            self.send_response(200)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    front = ThreadingHTTPServer(("127.0.0.1", 0), Webhooks)
    threading.Thread(target=front.serve_forever, daemon=True).start()
    service = SandboxMessaging()
    service.start()
    service.send_statuses_to(f"http://127.0.0.1:{front.server_address[1]}")
    yield service, received
    service.stop()
    front.shutdown()
    get_settings.cache_clear()


def message(kind: Kind = Kind.PAID) -> Outgoing:
    return Outgoing(
        channel=Channel.WHATSAPP,
        to=TO,
        template=whatsapp_template_name(kind),
        parameters=whatsapp_parameters(kind, VALUES),
        text=render(SPECS[kind].text, VALUES),
        reference="msg_1",
    )


def adapter(service) -> whatsapp.WhatsAppCloud:
    env = service.environment()
    return whatsapp.WhatsAppCloud(env["WHATSAPP_API_BASE_URL"], PHONE_NUMBER_ID, service.credentials["whatsapp_token"])


def test_a_template_sent_through_the_real_adapter_is_shown_filled_and_reported_back_signed(sandbox):
    service, received = sandbox
    sent = adapter(service).send(message())
    (shown,) = service.messages()
    assert shown["id"] == sent.provider_message_id and shown["text"] == render(SPECS[Kind.PAID].text, VALUES)
    wait_until(lambda: len(received) == 2, timeout=10, message="two statuses")
    for path, headers, body in received:
        assert path == "/webhooks/whatsapp"
        assert whatsapp.signature_valid(
            service.credentials["whatsapp_app_secret"], body, headers["X-Hub-Signature-256"]
        )
    assert [s.status for _, _, body in received for s in whatsapp.statuses(body)] == ["sent", "delivered"]
    assert "Maria, o pagamento do pedido K7P2QX" in page(service.messages())


def test_a_number_told_to_fail_is_throttled_once_or_reported_undeliverable(sandbox):
    service, received = sandbox
    service.fail(TO, "throttle")
    with pytest.raises(Throttled) as throttled:
        adapter(service).send(message())
    assert throttled.value.code == "130429"
    adapter(service).send(message())  # throttling is for one send
    service.fail(TO, "undeliverable")
    sent = adapter(service).send(message())

    def its_statuses() -> list | None:
        found = [s for _, _, body in received for s in whatsapp.statuses(body)]
        mine = [(s.status, s.error_code) for s in found if s.provider_message_id == sent.provider_message_id]
        return mine if len(mine) == 2 else None

    assert wait_until(its_statuses, timeout=10, message="its two statuses") == [("sent", ""), ("failed", "131026")]


def test_an_sms_and_a_bad_token_or_template(sandbox):
    service, received = sandbox
    env = service.environment()
    sms = zenvia.ZenviaSms(env["ZENVIA_BASE_URL"], SMS_SENDER, service.credentials["zenvia_token"])
    sent = sms.send(message())
    wait_until(lambda: len(received) == 2, timeout=10, message="two statuses")
    path, headers, body = received[-1]
    assert path == "/webhooks/zenvia"
    assert zenvia.token_valid(service.credentials["zenvia_webhook_token"], headers["X-Vitrine-Webhook-Token"])
    assert zenvia.statuses(body)[0].provider_message_id == sent.provider_message_id
    assert json.loads(body)["externalId"] == "msg_1"
    with pytest.raises(Rejected):
        whatsapp.WhatsAppCloud(env["WHATSAPP_API_BASE_URL"], PHONE_NUMBER_ID, "wrong").send(message())
    with pytest.raises(Rejected):
        adapter(service).send(Outgoing(Channel.WHATSAPP, TO, "not_approved", (), "x"))

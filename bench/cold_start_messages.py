"""The cold-start bench's cases for the messages (``NotifierFunction``, ``MessagingWebhookFunction``), the loyalty
points (``LoyaltyFunction``) and the console's order page (``ConsoleFunction``; each function's own docstring below
says its main path), the orders they read (written into the table as a checkout and its payment leave them), and
the providers they talk to on loopback (the WhatsApp Cloud API, the loyalty partner of ``docs/loyalty-partner.md``).

- The notifier's main path is an ``OrderPaid`` of an order in the table whose shopper chose WhatsApp: the order
  (GetItem), its catalog, the shop, the merchant's texts and the shopper's suppression (one BatchGetItem), the
  message's claim (PutItem), the template POSTed to the WhatsApp Cloud API (a loopback receiver answering its 200),
  the record ``sent`` with its provider-id pointer (TransactWriteItems); at cold start, the two SSM SecureStrings
  (the providers' secrets, the session signing keys that sign the order's link). Each run is a fresh event of the
  same order, so each claims a record of its own (``<event id>#shopper#whatsapp``): no run finds it sent.
"""

import json
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cold_start_case import Run, attributes

PHONE_NUMBER_ID = "106540352242922"  # the business number's id at Meta (any digits: the receiver is ours)
CREDENTIALS = {
    "whatsapp_token": "EAAJB-bench-system-user-token",
    "whatsapp_app_secret": "bench-app-secret-for-signatures",
    "whatsapp_verify_token": "bench-verify-token",
    "zenvia_token": "bench-zenvia-token",
    "zenvia_webhook_token": "bench-zenvia-webhook-token",
}
SHOPPER_PHONE = "11988887777"
CODE_LETTERS = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # an order's short code, as vitrine.ids.OrderCode spells it


class JsonOnLoopback:
    """An HTTP JSON API on 127.0.0.1: ``answer(method, path, headers, body)`` gives each request's status and JSON
    body; every request is kept (method, path, headers, parsed body), so a case can check that its run called."""

    def __init__(self, name: str, answer: Callable[[str, str, Any, Any], tuple[int, Any]]) -> None:
        self.requests: list[tuple[str, str, dict[str, str], Any]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.serve("GET")

            def do_POST(self) -> None:
                self.serve("POST")

            def do_PUT(self) -> None:
                self.serve("PUT")

            def serve(self, method: str) -> None:
                raw = self.rfile.read(int(self.headers.get("content-length", 0)))
                body = json.loads(raw) if raw else None
                server.requests.append((method, self.path, dict(self.headers), body))
                status, answer_body = answer(method, self.path, self.headers, body)
                encoded = json.dumps(answer_body).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(encoded)))
                self.end_headers()
                self.wfile.write(encoded)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, name=f"bench-{name}", daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class WhatsAppOnLoopback(JsonOnLoopback):
    """The WhatsApp Cloud API's send (``POST /{phone-number-id}/messages``, a bearer token): 200 with a fresh
    ``wamid`` per message, as Meta answers; the ids it gave are kept by recipient and template."""

    def __init__(self) -> None:
        self.sent: dict[str, dict[str, Any]] = {}  # wamid -> the body it was sent

        def answer(method: str, path: str, headers: Any, body: Any) -> tuple[int, Any]:
            if method != "POST" or path != f"/{PHONE_NUMBER_ID}/messages":
                return 404, {"error": {"message": "Unknown path", "type": "OAuthException", "code": 100}}
            if headers.get("authorization") != f"Bearer {CREDENTIALS['whatsapp_token']}":
                return 401, {"error": {"message": "Invalid OAuth access token", "type": "OAuthException", "code": 190}}
            wamid = f"wamid.bench{uuid.uuid4().hex}"
            self.sent[wamid] = body
            to = body["to"]
            return 200, {
                "messaging_product": "whatsapp",
                "contacts": [{"input": to, "wa_id": to}],
                "messages": [{"id": wamid, "message_status": "accepted"}],
            }

        super().__init__("whatsapp", answer)


def put_messaging_credentials(stack: Any) -> None:
    """The providers' secrets in the emulator's SSM (the local stack writes them; the bench's deploy does not)."""
    stack.client("ssm").put_parameter(
        Name=stack.parameters["MessagingCredentialsParameter"],
        Value=json.dumps(CREDENTIALS),
        Type="SecureString",
        Overwrite=True,
    )


def bench_order(merchant_id: str, catalog_id: str, order_id: str, *, professional_cpf: str | None = None) -> Any:
    """A paid delivery order of the demo merchant's, as a checkout and its payment would have stored it."""
    from vitrine.orders.models import Order
    from vitrine.repository import keys, table

    now = datetime.now(UTC)
    order = Order.model_validate(
        {
            "order_id": order_id,
            "order_code": "".join(secrets.choice(CODE_LETTERS) for _ in range(7)),
            "merchant_id": merchant_id,
            "catalog_id": catalog_id,
            "origin": "catalog",
            "store_code": "9900",
            "customer": {"name": "Bench Shopper", "cpf": "52998224725", "phone": SHOPPER_PHONE, "email": "b@x.test"},
            "fulfilment": {"kind": "delivery", "store_code": "9900", "delivery_price": 1500},
            "lines": [
                {
                    "product_sku": "CAM-BAS",
                    "sku": "CAM-BAS-P",
                    "name": "Camiseta básica",
                    "size": "P",
                    "colour": None,
                    "quantity": 1,
                    "unit_price": 4990,
                    "total": 4990,
                }
            ],
            "subtotal": 4990,
            "total": 6490,
            "payment_method": "pix",
            "professional_cpf": professional_cpf,
            "notify_channel": "whatsapp",
            "status": "paid",
            "version": 2,
            "created_at": now - timedelta(minutes=5),
            "reservation_expires_at": now + timedelta(minutes=25),
            "status_history": [
                {"status": "pending_payment", "at": now - timedelta(minutes=5)},
                {"status": "paid", "at": now - timedelta(minutes=4), "reason": "charge_paid"},
            ],
        }
    )
    table.put(
        {
            "PK": keys.merchant_pk(merchant_id),
            "SK": keys.order_sk(order_id),
            "type": "order",
            **keys.orders_by_status_gsi1(merchant_id, order.status, order.created_at.isoformat()),
            **order.model_dump(mode="json"),
        }
    )
    return order


def notifier_runs(
    stack: Any,
    seed: Any,
    whatsapp: WhatsAppOnLoopback,
    sqs_event: Callable[[str], dict],
    bus_event: Callable[[dict, str], str],
) -> Callable[[int], Run]:
    from vitrine.events.envelope import OrderPaid, new_event
    from vitrine.repository import keys

    environment = stack.functions["NotifierFunction"].environment
    environment["WHATSAPP_API_BASE_URL"] = whatsapp.url
    environment["WHATSAPP_PHONE_NUMBER_ID"] = PHONE_NUMBER_ID
    put_messaging_credentials(stack)
    order = bench_order(seed.merchant_id, "cat-demo", uuid.uuid4().hex)
    phone = "55" + SHOPPER_PHONE

    def make(n: int) -> Run:
        data = OrderPaid(
            order_id=order.order_id,
            version=2,
            previous_status="pending_payment",
            reason="charge_paid",
            amount=order.total,
            method="pix",
            installments=1,
        )
        envelope = new_event(seed.merchant_id, data)
        event = sqs_event(bus_event(envelope.model_dump(mode="json"), "vitrine.orders"))

        def sent(item: dict[str, Any]) -> str | None:
            wamid = item.get("provider_message_id", {}).get("S", "")
            body = whatsapp.sent.get(wamid)
            if body is None:
                return f"its provider id {wamid!r} is not one the WhatsApp receiver gave"
            if body["to"] != phone or body["template"]["name"] != "vitrine_paid":
                return f"the receiver was sent {str(body)[:200]}, not vitrine_paid to {phone}"
            pointer_pk, pointer_sk = keys.provider_message_pointer("whatsapp", wamid)
            pointer = stack.client("dynamodb").get_item(
                TableName=stack.table_name, Key={"PK": {"S": pointer_pk}, "SK": {"S": pointer_sk}}
            )
            if "Item" not in pointer:
                return f"no pointer {pointer_pk} back to it"
            return attributes(provider={"S": "whatsapp"}, body=None)(item)

        record_sk = keys.message_sk(envelope.id, "shopper", "whatsapp")
        written = (keys.messages_pk(seed.merchant_id, order.order_id), record_sk)
        return Run(event, written=written, status="sent", also=sent)

    return make


PARTNER_API_KEY = "lp_bench_loopback_key"


class LoyaltyPartnerOnLoopback(JsonOnLoopback):
    """The loyalty partner of ``docs/loyalty-partner.md`` on 127.0.0.1: ``POST /accruals`` and ``POST /reversals``
    with the merchant's bearer key and an ``Idempotency-Key``, answered 201 ``{"transaction_id"}`` (a repeated key:
    200 and the first receipt). Every operation is kept by its key."""

    def __init__(self) -> None:
        self.operations: dict[str, dict[str, Any]] = {}  # idempotency key -> body

        def answer(method: str, path: str, headers: Any, body: Any) -> tuple[int, Any]:
            if method != "POST" or path not in ("/accruals", "/reversals"):
                return 404, {"error": "not_found"}
            if headers.get("authorization") != f"Bearer {PARTNER_API_KEY}":
                return 401, {"error": "unauthorized"}
            key = headers.get("idempotency-key") or ""
            if not key or not isinstance(body, dict) or body.get("idempotency_key") != key:
                return 422, {"error": "idempotency_key"}
            if key in self.operations:
                return 200, self.operations[key]["receipt"]
            receipt = {"transaction_id": f"lt_{uuid.uuid4().hex[:16]}"}
            self.operations[key] = {"body": body, "receipt": receipt}
            return 201, receipt

        super().__init__("loyalty-partner", answer)


def loyalty_runs(
    stack: Any,
    seed: Any,
    partner: LoyaltyPartnerOnLoopback,
    sqs_event: Callable[[str], dict],
    bus_event: Callable[[dict, str], str],
) -> Callable[[int], Run]:
    """The loyalty consumer's main path: an ``OrderInvoiced`` of an order with a professional's CPF at the demo
    merchant, whose loyalty is on (the local stack's demo settings, the partner the bench's), the professional's
    ``loyalty_sharing`` consent given: the ledger and the settings (GetItem each), the order (GetItem), the consent
    in force (Query, consistent) and the products' brands (BatchGetItem), the accrual recorded with
    the order's CPF checked (TransactWriteItems), the settings again, the accrual POSTed, marked sent (PutItem). Each
    run invoices an order of its own (a ledger per order: a second invoice of one order accrues nothing)."""
    from local_stack.demo_data import DEMO_LOYALTY_BRANDS, DEMO_LOYALTY_STORES
    from vitrine.consents import records, texts
    from vitrine.consents.checkout import loyalty_sharing_grant
    from vitrine.consents.models import Evidence
    from vitrine.events.envelope import OrderInvoiced, new_event
    from vitrine.loyalty.configuration import put_loyalty_settings
    from vitrine.loyalty.models import LoyaltySettingsInput
    from vitrine.repository import keys

    settings = {
        "enabled": True,
        "mode": "per_real",
        "brands": DEMO_LOYALTY_BRANDS,
        "stores": DEMO_LOYALTY_STORES,
        "partner": {"base_url": partner.url, "api_key": PARTNER_API_KEY},
    }
    put_loyalty_settings(seed.merchant_id, LoyaltySettingsInput.model_validate(settings))
    cpf = "52998224725"
    # The professional's loyalty_sharing grant, as the checkout's CPF field records it (one grant covers every order).
    grant = loyalty_sharing_grant(
        seed.merchant_id, cpf, texts.CURRENT_VERSION, "catalog", Evidence(at=datetime.now(UTC)), order_id=None
    )
    records.record([grant])

    def make(n: int) -> Run:
        order = bench_order(seed.merchant_id, "cat-demo", uuid.uuid4().hex, professional_cpf=cpf)
        data = OrderInvoiced(
            order_id=order.order_id,
            version=3,
            previous_status="paid",
            reason="erp",
            access_key="3" * 44,
            number=1000 + n,
            series=1,
        )
        envelope = new_event(seed.merchant_id, data)
        event = sqs_event(bus_event(envelope.model_dump(mode="json"), "vitrine.orders"))
        key = f"{order.order_id}:{envelope.id}:accrual"

        def accrued(item: dict[str, Any]) -> str | None:
            sent = partner.operations.get(key)
            if sent is None:
                return f"the partner was never sent the accrual {key}"
            if sent["body"]["cpf"] != cpf or sent["body"]["points"] != order.lines[0].total // 100:
                return f"the partner was sent {str(sent['body'])[:200]}"
            operations = item.get("operations", {}).get("L", [])
            if [op["M"]["status"]["S"] for op in operations] != ["sent"]:
                return f"its operations are {str(operations)[:300]}, not one accrual sent"
            return attributes(accrued={"N": str(order.lines[0].total // 100)})(item)

        written = (keys.loyalty_ledger_pk(seed.merchant_id), keys.loyalty_ledger_sk(order.order_id))
        return Run(event, written=written, also=accrued)

    return make


def messaging_webhook_runs(stack: Any, seed: Any, http_event: Callable[..., dict]) -> Callable[[int], Run]:
    """The status webhook's main path: a signed ``POST /webhooks/whatsapp`` saying ``delivered`` of a message the
    notifier sent: the providers' secrets (SSM GetParameter, at cold start), the signature checked, the message's
    pointer (GetItem) and its record moved forward (a conditional UpdateItem). Each run's message is one of its own
    (recorded ``sent`` with its pointer first, as the notifier leaves it), so no run finds its status applied."""
    import hashlib
    import hmac

    from vitrine.repository import keys, table

    put_messaging_credentials(stack)
    order_id = uuid.uuid4().hex
    phone = "55" + SHOPPER_PHONE

    def make(n: int) -> Run:
        wamid = f"wamid.bench{uuid.uuid4().hex}"
        event_id = uuid.uuid4().hex
        pk, sk = keys.messages_pk(seed.merchant_id, order_id), keys.message_sk(event_id, "shopper", "whatsapp")
        now = datetime.now(UTC).isoformat(timespec="milliseconds")
        table.put(
            {
                "PK": pk,
                "SK": sk,
                "type": "message",
                "status": "sent",
                "attempts": 1,
                "merchant_id": seed.merchant_id,
                "order_id": order_id,
                "event_id": event_id,
                "audience": "shopper",
                "channel": "whatsapp",
                "kind": "paid",
                "recipient": phone,
                "provider": "whatsapp",
                "provider_message_id": wamid,
                "created_at": now,
                "sent_at": now,
            }
        )
        pointer_pk, pointer_sk = keys.provider_message_pointer("whatsapp", wamid)
        table.put({"PK": pointer_pk, "SK": pointer_sk, "type": "message_pointer", "record_pk": pk, "record_sk": sk})
        status = {"id": wamid, "status": "delivered", "timestamp": str(int(time.time())), "recipient_id": phone}
        body = json.dumps(
            {
                "object": "whatsapp_business_account",
                "entry": [
                    {
                        "id": "102290129340398",
                        "changes": [
                            {
                                "field": "messages",
                                "value": {
                                    "messaging_product": "whatsapp",
                                    "metadata": {
                                        "display_phone_number": "5511900000000",
                                        "phone_number_id": PHONE_NUMBER_ID,
                                    },
                                    "statuses": [status],
                                },
                            }
                        ],
                    }
                ],
            }
        ).encode()
        signature = hmac.new(CREDENTIALS["whatsapp_app_secret"].encode(), body, hashlib.sha256).hexdigest()
        headers = [("content-type", "application/json"), ("x-hub-signature-256", f"sha256={signature}")]
        event = http_event("POST", "/webhooks/whatsapp", "POST /webhooks/whatsapp", {}, headers, body)
        return Run(event, written=(pk, sk), status="delivered", also=attributes(status_at=None))

    return make


def statuses_check(response: Any) -> str | None:
    if not isinstance(response, dict) or response.get("statusCode") != 200:
        return f"expected statusCode 200, got {str(response)[:300]}"
    if json.loads(response["body"]).get("received") != 1:
        return f"the status was not one of ours: {response['body'][:300]}"
    return None


def console_runs(
    stack: Any, seed: Any, http_event: Callable[..., dict]
) -> tuple[Callable[[int], Run], Callable[[Any], str | None]]:
    """A console page of the signed-in owner: ``GET /painel/pedidos/{order_id}`` of a paid order the bench wrote, with
    the owner's session cookie (issued here as the sign-in issues it): the signing keys (SSM GetParameter, at cold
    start), the member's standing and the order (GetItem each), the shop and the order's ERP feed pointer
    (BatchGetItem each), rendered with Jinja2. (The orders' list, ``/painel/pedidos``, makes 13 queries today, one
    per status among them: a floor would only repeat them.) A read: nothing written."""
    from vitrine.auth.sessions import CONSOLE_COOKIE_NAME, Role, issue_session
    from vitrine.repository import staff

    owner = next(item for item in staff.list_staff(seed.merchant_id) if item.get("owner"))
    order = bench_order(seed.merchant_id, "cat-demo", uuid.uuid4().hex)

    def make(n: int) -> Run:
        token, _session = issue_session(
            seed.merchant_id, Role.STAFF, owner["staff_id"], version=int(owner.get("session_version", 0))
        )
        headers = [("cookie", f"{CONSOLE_COOKIE_NAME}={token}"), ("accept", "text/html")]
        target, route_key = f"/painel/pedidos/{order.order_id}", "GET /painel/pedidos/{order_id}"
        return Run(http_event("GET", target, route_key, {"order_id": order.order_id}, headers))

    def check(response: Any) -> str | None:
        if not isinstance(response, dict) or response.get("statusCode") != 200:
            return f"expected statusCode 200, got {str(response)[:300]}"
        if order.order_code not in response.get("body", ""):
            return f"not the page of order {order.order_code}: {response.get('body', '')[:300]}"
        return None

    return make, check

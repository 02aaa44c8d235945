"""The cold-start bench's events: one case per function of the template, each making a fresh event of its main
path per run (new ids, new scheduled times), and the loopback receiver the webhook delivery POSTs to."""

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cold_start_case import (
    FUNCTIONS,
    NOT_MEASURED,
    BenchError,
    Case,
    Run,
    attributes,
    batch_check,
    catalog_check,
    feed_check,
    job_check,
    now_iso,
    operator_check,
    schedule_check,
    webhook_check,
)
from cold_start_messages import (
    LoyaltyPartnerOnLoopback,
    WhatsAppOnLoopback,
    console_runs,
    loyalty_runs,
    messaging_webhook_runs,
    notifier_runs,
    statuses_check,
)
from cold_start_view_and_payout import GatewayOnLoopback, catalog_view_runs, payout_runs


class Receiver:
    """A merchant's webhook endpoint on 127.0.0.1: it answers 200 to a POST whose Standard Webhooks signature
    verifies with ``secret`` (401 otherwise) and keeps the ``webhook-id`` of every POST it acknowledged."""

    def __init__(self) -> None:
        self.secret = ""
        self.acknowledged: set[str] = set()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                status = 200 if receiver.verifies(self.headers, body) else 401
                if status == 200:
                    receiver.acknowledged.add(self.headers["webhook-id"])
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhooks/vitrine"
        self.thread = threading.Thread(target=self.server.serve_forever, name="bench-receiver", daemon=True)
        self.thread.start()

    def verifies(self, headers: Any, body: bytes) -> bool:
        webhook_id, timestamp = headers.get("webhook-id", ""), headers.get("webhook-timestamp", "0")
        if not self.secret or not webhook_id or abs(time.time() - int(timestamp)) > 300:
            return False
        key = base64.b64decode(self.secret.removeprefix("whsec_"))
        digest = hmac.new(key, f"{webhook_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
        return f"v1,{base64.b64encode(digest).decode()}" in headers.get("webhook-signature", "").split()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def build_cases(
    stack: Any,
    seed: Any,
    receiver: Receiver,
    gateway: GatewayOnLoopback,
    whatsapp: WhatsAppOnLoopback,
    partner: LoyaltyPartnerOnLoopback,
) -> list[Case]:
    from local_stack.http_api_payload import HttpRequest, build_event, new_request_id
    from local_stack.pollers import lambda_sqs_event
    from vitrine.erp.jobs import pack
    from vitrine.events.envelope import CatalogPublished, OrderPaid, new_event
    from vitrine.repository import keys
    from vitrine.repository import webhook_endpoints as webhook_repository
    from vitrine.webhooks.deliveries import delivery_id
    from vitrine.webhooks.delivery_queue import DeliveryMessage
    from vitrine.webhooks.endpoints import NewWebhookEndpoint, create_endpoint

    account, region = stack.account_id, stack.region

    def http_event(method: str, target: str, route_key: str, params: dict[str, str], headers=(), body=b""):
        request = HttpRequest(
            method=method,
            target=target,
            headers=[("host", "127.0.0.1:3000"), ("user-agent", "vitrine-bench/1"), *headers],
            body=body,
        )
        return build_event(request, route_key, params, new_request_id(), account, "local")

    def sqs_event(queue: str, body: str) -> dict[str, Any]:
        now_ms = str(int(time.time() * 1000))
        message = {
            "MessageId": str(uuid.uuid4()),
            "ReceiptHandle": secrets.token_urlsafe(48),
            "Body": body,
            "Attributes": {
                "ApproximateReceiveCount": "1",
                "SentTimestamp": now_ms,
                "SenderId": account,
                "ApproximateFirstReceiveTimestamp": now_ms,
            },
            "MD5OfBody": hashlib.md5(body.encode(), usedforsecurity=False).hexdigest(),
        }
        return lambda_sqs_event([message], stack.queues[queue].arn, region)

    def catalog(n: int) -> Run:
        return Run(http_event("GET", "/api/catalogs/demo", "GET /api/catalogs/{slug}", {"slug": "demo"}))

    basic = base64.b64encode(stack.webhook_credentials.basic.encode()).decode()

    def webhook(n: int) -> Run:
        body = json.dumps({"id": f"hook_bench_{n}_{uuid.uuid4().hex[:12]}", "type": "charge.paid", "data": {}})
        headers = [("content-type", "application/json"), ("authorization", f"Basic {basic}")]
        return Run(http_event("POST", "/webhooks/gateway", "POST /webhooks/gateway", {}, headers, body.encode()))

    def consumer(n: int) -> Run:
        hook_id = f"hook_bench_{n}_{uuid.uuid4().hex[:12]}"
        # A notification naming no charge: the consumer's own path (inbox check and record) without a gateway call,
        # which bench/webhooks.py measures with the sandbox gateway.
        notification = {"id": hook_id, "type": "order.created", "data": {"id": f"or_{n}", "amount": 4990}}
        queued = {
            "provider": "pagarme",
            "received_at": now_iso(),
            "headers": {"content-type": "application/json"},
            "body": json.dumps(notification),
        }
        event = sqs_event("GatewayWebhookQueue", json.dumps(queued))
        return Run(event, written=(f"WEBHOOK#pagarme#{hook_id}", "WEBHOOK"))

    def bus_event(envelope: dict[str, Any], source: str) -> str:
        return json.dumps(
            {
                "version": "0",
                "id": str(uuid.uuid4()),
                "detail-type": envelope["type"],
                "source": source,
                "account": account,
                "time": now_iso()[:19] + "Z",
                "region": region,
                "resources": [],
                "detail": envelope,
            }
        )

    def journal(n: int) -> Run:
        data = CatalogPublished(catalog_id="cat-demo", slug="demo", title="Loja Demo Vitrine")
        envelope = new_event("demo-merchant", data).model_dump(mode="json")
        event = sqs_event("EventJournalQueue", bus_event(envelope, "vitrine.catalog_api"))
        return Run(event, written=("M#demo-merchant#EVENTS", f"{envelope['occurred_at']}#{envelope['id']}"))

    # The demo merchant's one webhook endpoint, subscribed to OrderPaid: the bench's receiver on loopback.
    endpoint = create_endpoint(
        seed.merchant_id,
        NewWebhookEndpoint(url=receiver.url, event_types=["OrderPaid"], description="bench receiver"),
    )
    receiver.secret = endpoint.secret

    def order_paid(n: int) -> Any:
        # A fresh event per run: a new delivery id, so no run finds its delivery recorded or sent already.
        data = OrderPaid(
            order_id=f"ord_bench_{n}_{uuid.uuid4().hex[:8]}",
            version=2,
            previous_status="pending_payment",
            reason="charge_paid",
            amount=4990,
            method="pix",
            installments=1,
        )
        return new_event(seed.merchant_id, data)

    def delivery_key(event_id: str) -> tuple[str, str]:
        delivery = delivery_id(event_id, endpoint.endpoint_id)
        return keys.webhook_delivery_pk(seed.merchant_id, delivery), keys.webhook_delivery_sk()

    def fan_out(n: int) -> Run:
        envelope = order_paid(n)
        event = sqs_event("OutboundWebhookFanOutQueue", bus_event(envelope.model_dump(mode="json"), "vitrine.orders"))
        # Recorded, then marked queued once its message is on the delivery queue.
        return Run(event, written=delivery_key(envelope.id), status="pending", also=attributes(queued_at=None))

    def delivery(n: int) -> Run:
        envelope = order_paid(n)
        message = DeliveryMessage(
            merchant_id=seed.merchant_id, delivery_id=delivery_id(envelope.id, endpoint.endpoint_id), generation=1
        )
        now = now_iso()
        # The delivery its fan-out would have recorded and queued, so the run POSTs it as in production.
        webhook_repository.add_delivery(
            {
                "merchant_id": seed.merchant_id,
                "delivery_id": message.delivery_id,
                "endpoint_id": endpoint.endpoint_id,
                "event_id": envelope.id,
                "event_type": envelope.type,
                "payload": envelope.model_dump_json(),
                "status": "pending",
                "attempts": 0,
                "generation": 1,
                "queued_at": now,
                "created_at": now,
            },
            int(time.time()) + webhook_repository.DELIVERY_RETENTION_SECONDS,
        )
        event = sqs_event("OutboundWebhookQueue", message.model_dump_json())

        def posted(item: dict[str, Any]) -> str | None:
            if message.delivery_id not in receiver.acknowledged:
                return "the receiver never acknowledged it"
            return attributes(attempts={"N": "1"}, last_status_code={"N": "200"}, succeeded_at=None)(item)

        return Run(event, written=delivery_key(envelope.id), status="succeeded", also=posted)

    # A variant of the demo's (a count for any other SKU is rejected, unknown_sku): the first of its variant index.
    variant = (
        stack.client("dynamodb")
        .query(
            TableName=stack.table_name,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :variant)",
            ExpressionAttributeValues={":pk": {"S": keys.merchant_pk(seed.merchant_id)}, ":variant": {"S": "VARIANT#"}},
            Limit=1,
        )["Items"][0]["SK"]["S"]
        .removeprefix("VARIANT#")
    )

    began_us = time.time_ns() // 1000

    def counted_here(item: dict[str, Any]) -> str | None:
        if int(item.get("sequence", {}).get("N", "0")) < began_us:
            return f"its sequence {item.get('sequence')} is older than this bench: no run's count was applied"
        return None

    def stock_count(n: int) -> dict[str, Any]:
        # A newer sequence and a count of its own per run: every run writes a new level.
        return {"store_code": "9900", "sku": variant, "on_hand": n, "sequence": time.time_ns() // 1000}

    def erp_batch(n: int) -> Run:
        headers = [("content-type", "application/json"), ("authorization", f"Bearer {seed.api_key}")]
        body = json.dumps({"items": [stock_count(n)]}).encode()
        return Run(http_event("POST", "/erp/v1/stock", "POST /erp/v1/stock", {}, headers, body))

    def erp_feed(n: int) -> Run:
        # The demo merchant's feed is empty: the key check and the feed's query (a page with orders adds the
        # BatchGetItem of its orders). A read: nothing to read back.
        headers = [("authorization", f"Bearer {seed.api_key}")]
        return Run(http_event("GET", "/erp/v1/orders/feed", "GET /erp/v1/orders/feed", {}, headers))

    def erp_chunk(n: int) -> Run:
        job_id = uuid.uuid4().hex
        # The job its API call would have recorded, so the chunk's count lands on it as in production.
        stack.client("dynamodb").put_item(
            TableName=stack.table_name,
            Item={
                "PK": {"S": keys.merchant_pk(seed.merchant_id)},
                "SK": {"S": keys.job_sk(job_id)},
                "total": {"N": "1"},
                "chunks": {"N": "1"},
            },
        )
        chunk = {
            "merchant_id": seed.merchant_id,
            "job_id": job_id,
            "kind": "stock",
            "chunk": 0,
            "expires_at": int(time.time()) + 86400,
            "items_gz": pack([{"index": 0, "item": stock_count(n)}]),
        }
        event = sqs_event("ErpIngestQueue", json.dumps(chunk))
        # Every run counts the one variant: read back after the last run, its level must carry this bench's counts.
        return Run(event, written=(keys.stock_pk(seed.merchant_id, "9900"), variant), also=counted_here)

    # Every run claims a scheduled time of its own (minutes back from now), so no run finds one already done.
    base = datetime.now(UTC).replace(second=0, microsecond=0)

    def schedule(job: str) -> Callable[[int], Run]:
        def make(n: int) -> Run:
            at = (base - timedelta(minutes=n)).strftime("%Y-%m-%dT%H:%M:%SZ")
            return Run({"job": job, "scheduled_time": at}, written=(f"SCHEDULE#{job}", f"RUN#{at}"), status="completed")

        return make

    catalog_view = catalog_view_runs(stack, seed, variant, lambda body: sqs_event("CatalogViewQueue", body), bus_event)
    merchant_payout = payout_runs(stack, gateway, lambda body: sqs_event("PayoutQueue", body))
    notifier = notifier_runs(stack, seed, whatsapp, lambda body: sqs_event("NotifierQueue", body), bus_event)
    loyalty = loyalty_runs(stack, seed, partner, lambda body: sqs_event("LoyaltyQueue", body), bus_event)
    statuses = messaging_webhook_runs(stack, seed, http_event)
    console, console_check = console_runs(stack, seed, http_event)

    def operator(n: int) -> Run:
        # What API Gateway puts in the context of a SigV4-signed call to an AWS_IAM route (a read: nothing written).
        target = f"/operator/v1/merchants/{seed.merchant_id}"
        iam = {"iam": {"accessKey": "AKIABENCHOPERATOR", "accountId": account, "callerId": "AKIABENCHOPERATOR"}}
        iam["iam"] |= {"principalOrgId": None, "userArn": f"arn:aws:iam::{account}:user/bench-operator"}
        request = HttpRequest(
            method="GET", target=target, headers=[("host", "127.0.0.1:3000"), ("user-agent", "vitrine-operator/1")]
        )
        route_key = "GET /operator/v1/merchants/{merchant_id}"
        params = {"merchant_id": seed.merchant_id}
        return Run(build_event(request, route_key, params, new_request_id(), account, "local", authorizer=iam))

    cases = [
        Case("CatalogApiFunction", "catalog_api", "GET /api/catalogs/demo", catalog, catalog_check),
        Case(
            "OrderWebhookFunction",
            "order_webhook",
            "POST /webhooks/gateway (Basic auth)",
            webhook,
            webhook_check,
        ),
        Case(
            "OrderWebhookConsumerFunction",
            "order_webhook_consumer",
            "SQS batch of 1 queued webhook",
            consumer,
            batch_check,
        ),
        Case(
            "EventJournalFunction",
            "event_journal",
            "SQS batch of 1 EventBridge event",
            journal,
            batch_check,
        ),
        Case(
            "OutboundWebhookFanOutFunction",
            "outbound_webhook_fan_out",
            "SQS batch of 1 OrderPaid event, 1 subscribed endpoint",
            fan_out,
            batch_check,
        ),
        Case(
            "OutboundWebhookDeliveryFunction",
            "outbound_webhook_delivery",
            "SQS batch of 1 delivery, POSTed signed to a loopback receiver (200)",
            delivery,
            batch_check,
        ),
        Case(
            "StockSyncFunction",
            "schedule",
            # The claim and completion every job pays; the sweeper's own queries grow with its backlog.
            "schedule sync_erp_connectors",
            schedule("sync_erp_connectors"),
            schedule_check("sync_erp_connectors"),
        ),
        Case("StockSyncApiFunction", "erp_api", "POST /erp/v1/stock (1 count)", erp_batch, job_check),
        Case(
            "StockSyncIngestFunction",
            "erp_ingest",
            "SQS batch of 1 chunk of 1 stock count",
            erp_chunk,
            batch_check,
        ),
        Case("ErpOrdersApiFunction", "erp_orders_api", "GET /erp/v1/orders/feed", erp_feed, feed_check),
        Case(
            "PayoutFunction",
            "schedule",
            "schedule run_due_payouts",
            schedule("run_due_payouts"),
            schedule_check("run_due_payouts"),
        ),
        Case(
            "CatalogViewFunction",
            "catalog_view",
            "SQS batch of 1 StockLevelsChanged (1 variant of the published demo catalog)",
            catalog_view,
            batch_check,
        ),
        Case(
            "MerchantPayoutFunction",
            "merchant_payout",
            "SQS batch of 1 payout message, a loopback gateway (balance, transfer)",
            merchant_payout,
            batch_check,
        ),
        Case(
            "NotifierFunction",
            "notifier",
            "SQS batch of 1 OrderPaid, its WhatsApp template POSTed to a loopback Cloud API (200)",
            notifier,
            batch_check,
        ),
        Case(
            "LoyaltyFunction",
            "loyalty",
            "SQS batch of 1 OrderInvoiced (a consenting professional's CPF), its accrual POSTed to a loopback partner",
            loyalty,
            batch_check,
        ),
        Case(
            "MessagingWebhookFunction",
            "messaging_webhook",
            "POST /webhooks/whatsapp (signed, 1 delivered status of a sent message)",
            statuses,
            statuses_check,
        ),
        Case(
            "OperatorFunction",
            "operator_api",  # not "operator": the floor's module would shadow the standard library's
            "GET /operator/v1/merchants/demo-merchant (IAM-authorized)",
            operator,
            operator_check(seed.merchant_id),
        ),
        Case(
            "ConsoleFunction",
            "console",
            "GET /painel/pedidos/{order_id} (a paid order, the owner's session cookie)",
            console,
            console_check,
        ),
    ]
    assert tuple(case.function for case in cases) == FUNCTIONS
    missing = set(FUNCTIONS) - set(stack.functions)
    if missing or set(stack.functions) - set(FUNCTIONS) - set(NOT_MEASURED):
        # A function added to (or renamed in) the template needs a case and a floor here.
        raise BenchError(f"the template's functions {sorted(stack.functions)} differ from the bench's {FUNCTIONS}")
    return cases

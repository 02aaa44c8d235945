"""Cost per 1,000 orders: one shopper journey through the handlers with every AWS request counted, priced at list.

The emulator with the template's stack, the demo merchant and the sandbox gateway run as in ``checkout.py``;
every function's handler runs in this process, warm, with its SQS queues drained as Lambda's event source mapping
would (a batch per queue, deleted on success) and the merchant's webhook endpoint a receiver on loopback. One
order is:

  quote, Pix checkout, the order page polled ``--polls`` times, the gateway's webhooks for the payment (each through
  ``POST /webhooks/gateway`` and the consumer), the ERP's feed poll that finds it, its ack and three reports
  (invoiced, dispatched, delivered), and everything they set off: the journal, the outbound fan-out and the
  deliveries to the merchant's endpoint, and the catalogs' read-model consumer (``CatalogViewFunction``, its queue
  fed by the bus rule of ``infra/template.yaml``) for the checkout's reservation (``StockReserved``). The journey's
  variant has plenty of stock (``plenty_of_stock``: more than an order can buy is left after every reservation, so
  the consumer reads the product again and finds nothing shown changed); the ERP's reports move no available units
  (an invoice consumes reserved units), so they send the consumer nothing.

A catalog view (``GET /c/{slug}``, its script, and the images its first page draws, for a shopper new to the shop)
is measured twice, as the template deploys it with its ``Cdn`` parameter disabled (each image an ``/img/`` redirect
to a signed S3 URL the browser then GETs, everything answered by the origin and sent from the region) and enabled
(CloudFront in front: the page and script from the HTTP API on a miss, images at their lasting address, read from
the bucket through origin access control on a miss, no redirect). A view through the CDN costs CloudFront its
requests and bytes every time and the origin its work only on a miss (``--hit-rate``); origin to CloudFront transfer
is free. Views are added at 0 and at ``--views`` per order.

Every AWS request is counted by botocore's event hooks on the handlers' own session (``cost_meter``); SQS requests
the event source mapping makes (receive, delete) and EventBridge's deliveries to its SQS targets (one SendMessage
each) are counted where they happen here. Lambda's duration is not the local wall clock (the emulator is not AWS):
it is this thread's CPU time scaled to the function's CPU share (its MemorySize over 1,769 MB) plus a wait per AWS
request and per outbound HTTPS call (``cost_prices``). Prices and their sources: ``cost_prices.py``. What a month
costs whatever the orders (schedules every minute, idle queue polling, the ERP's empty feed polls) is reported apart,
and so is the floor, what an order cannot do without while it works as it does, priced (``cost_report.FLOOR``).

    .venv/bin/python bench/cost.py [--orders 20] [--views 50] [--polls 5] [--hit-rate 0.9]
"""

import argparse
import contextlib
import json
import os
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import cost_prices as price
from bench_env import bench_context, checkout_body, demo_stack, json_request, plenty_of_stock
from bench_results import write_section
from cold_start_events import Receiver
from cost_meter import AwsMeter, Usage
from cost_report import VIEWS, render

ROOT = Path(__file__).resolve().parents[1]
FUNCTIONS = (
    "CatalogApiFunction",
    "OrderWebhookFunction",
    "OrderWebhookConsumerFunction",
    "EventJournalFunction",
    "OutboundWebhookFanOutFunction",
    "OutboundWebhookDeliveryFunction",
    "ErpOrdersApiFunction",
    "CatalogViewFunction",
)
VARIANT = ("CAM-BAS", "CAM-BAS-M-PRE")
CDN_BASE = "https://cdn.bench.invalid"  # the template's PublicBaseUrl, in the pages the CDN scenario renders


class Journey:
    """The handlers of the demo stack, each invocation metered and charged to a step."""

    def __init__(self, stack: Any, meter: AwsMeter, receiver: Receiver) -> None:
        import requests.adapters

        self.stack, self.meter, self.receiver = stack, meter, receiver
        self.handlers = {fn: stack.handler(fn) for fn in FUNCTIONS}
        self.memory = {fn: stack.functions[fn].memory for fn in FUNCTIONS}
        self.sqs = stack.deployed.client("sqs")  # the event source mapping's client: not the handlers' session
        self.s3 = stack.deployed.client("s3")
        self.key = {"authorization": f"Bearer {stack.seed.api_key}"}
        send = requests.adapters.HTTPAdapter.send

        def counted_send(adapter, request, **kwargs):
            self.meter.usage[self.meter.charge_to].external_calls += 1
            return send(adapter, request, **kwargs)

        requests.adapters.HTTPAdapter.send = counted_send

    def invoke(self, step: str, function: str, event: dict) -> Any:
        usage = self.meter.usage[step]
        self.meter.charge_to = step
        before_requests, before_calls = usage.requests.copy(), usage.external_calls
        cpu, metering = time.thread_time(), self.meter.own_cpu_seconds
        result = self.handlers[function](event, bench_context())
        cpu_ms = (time.thread_time() - cpu - (self.meter.own_cpu_seconds - metering)) * 1000
        self.meter.charge_to = "unattributed"
        waits = sum(
            price.AWS_REQUEST_WAIT_MS.get(service, 10.0) * (n - before_requests.get((service, op), 0))
            for (service, op), n in usage.requests.items()
        )
        memory = self.memory[function]
        ms = cpu_ms * max(1.0, price.LAMBDA_FULL_VCPU_MB / memory) + waits
        ms += (usage.external_calls - before_calls) * price.EXTERNAL_CALL_WAIT_MS
        usage.invocations += 1
        usage.gb_seconds += max(1, round(ms)) / 1000 * memory / 1024
        usage.requests[("apigateway", "HTTP API request")] += 1 if "requestContext" in event else 0
        return result

    def http(self, step: str, function: str, method: str, path: str, body: Any = None, headers=None) -> dict:
        response = self.invoke(step, function, json_request(self.stack.routes, method, path, body, headers))
        if response["statusCode"] >= 400:
            raise SystemExit(f"{method} {path}: {response['statusCode']} {response['body'][:300]}")
        return json.loads(response["body"]) if response.get("body", "").startswith(("{", "[")) else response

    def drain(self) -> None:
        """Run every queue's consumer until all queues are empty, batch by batch, as the event source mapping."""
        from local_stack.pollers import lambda_sqs_event

        sources = [s for s in self.stack.deployed.queue_sources if s.function in self.handlers]
        busy = True
        while busy:
            busy = False
            for source in sources:
                queue = self.stack.deployed.queues[source.queue]
                got = self.sqs.receive_message(
                    QueueUrl=queue.url, MaxNumberOfMessages=min(source.batch_size, 10), AttributeNames=["All"]
                ).get("Messages", [])
                if not got:
                    continue
                busy = True
                usage = self.meter.usage[source.function]
                usage.requests[("sqs", "ReceiveMessage (event source mapping)")] += 1
                usage.requests[("sqs", "DeleteMessageBatch (event source mapping)")] += 1
                from_bus = sum(1 for m in got if "detail-type" in json.loads(m["Body"]))
                usage.requests[("sqs", "SendMessage (EventBridge target)")] += from_bus
                result = self.invoke(source.function, source.function, lambda_sqs_event(got, queue.arn, "us-east-1"))
                failed = {f["itemIdentifier"] for f in (result or {}).get("batchItemFailures", [])}
                if failed:
                    raise SystemExit(f"{source.function} failed {len(failed)} of {len(got)} messages")
                self.sqs.delete_message_batch(
                    QueueUrl=queue.url,
                    Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)],
                )

    def order(self, number: int, polls: int) -> None:
        """One order from quote to delivered, with everything it sets off."""
        body = checkout_body([VARIANT])
        quote = {"catalog": body["catalog"], "lines": body["lines"], "cep": body["fulfilment"]["address"]["cep"]}
        self.http("quote", "CatalogApiFunction", "POST", "/api/carts/quote", quote)
        seen = len(self.stack.sandbox.events)
        placed = self.http(
            "checkout", "CatalogApiFunction", "POST", "/api/checkout", body, {"idempotency-key": str(uuid.uuid4())}
        )
        order_id = placed["order"]["order_id"]
        for _ in range(polls):
            self.http("order page", "CatalogApiFunction", "GET", placed["status_url"])
        self.drain()
        sandbox = self.stack.sandbox
        charge = next(c["id"] for o in list(sandbox._orders.values()) if o["code"] == order_id for c in o["charges"])
        code, _ = sandbox.pay(charge)
        assert code == 200, code
        for webhook in self.stack.sandbox.events[seen:]:
            self._gateway_webhook(webhook)
        self.drain()
        feed = self.http("erp feed", "ErpOrdersApiFunction", "GET", "/erp/v1/orders/feed?limit=50", headers=self.key)
        assert any(o["order_id"] == order_id for o in feed["orders"]), "the paid order is not in the feed"
        self.http(
            "erp ack", "ErpOrdersApiFunction", "POST", "/erp/v1/orders/feed/ack", {"order_ids": [order_id]}, self.key
        )
        for report in _reports(number):
            self.http(
                "erp reports", "ErpOrdersApiFunction", "POST", f"/erp/v1/orders/{order_id}/events", report, self.key
            )
        self.drain()

    def _gateway_webhook(self, webhook: dict) -> None:
        import base64

        basic = base64.b64encode(self.stack.deployed.webhook_credentials.basic.encode()).decode()
        headers = {"authorization": f"Basic {basic}"}
        event = json_request(self.stack.routes, "POST", "/webhooks/gateway", webhook, headers)
        response = self.invoke("gateway webhook", "OrderWebhookFunction", event)
        assert response["statusCode"] < 300, response

    def view(self, cdn: bool = False) -> None:
        """A shopper new to the shop opening the share link: the page, its script and each image its first page
        draws, none in the browser's cache yet. Without the CDN (the template's ``Cdn`` disabled, as the local
        stack runs) an image is ``/img/<key>``, a redirect to a signed S3 URL the browser then GETs; with it
        (``PUBLIC_IMAGES_BASE_URL``, as the template sets it) the page names the image's lasting address on the
        distribution, which reads it from the bucket on a miss. Charged to ``view`` or ``view (CDN)``: what the
        origin does for one view (every request a miss), the bytes it sends and, for the CDN, the edge's requests."""
        from html.parser import HTMLParser

        from vitrine.settings import get_settings

        step = "view (CDN)" if cdn else "view"
        usage = self.meter.usage[step]
        os.environ["PUBLIC_IMAGES_BASE_URL"] = CDN_BASE if cdn else ""
        get_settings.cache_clear()
        page = self.invoke(step, "CatalogApiFunction", json_request(self.stack.routes, "GET", "/c/demo"))
        sources: list[str] = []

        class Loads(HTMLParser):
            def handle_starttag(self, tag, attrs):
                src = dict(attrs).get("src") or ""
                if (tag == "img" and src.startswith(("/img/", CDN_BASE))) or (tag == "script" and src[:3] == "/s/"):
                    sources.append(src)

        Loads().feed(page["body"])
        sent = _compressed(page["body"])
        for src in sources:
            if src.startswith(CDN_BASE):  # the distribution's origin for merchants/*: the bucket
                usage.requests[("s3", "GetObject (CDN origin, on a miss)")] += 1
                sent += self._image_bytes(src.removeprefix(CDN_BASE + "/"))
                continue
            answer = self.invoke(step, "CatalogApiFunction", json_request(self.stack.routes, "GET", src))
            if src.startswith("/img/"):
                usage.requests[("s3", "GetObject (signed URL, shopper's browser)")] += 1
                sent += self._image_bytes(src.removeprefix("/img/"))
            else:
                sent += _compressed(answer.get("body", ""))
        if cdn:
            usage.edge_requests += 1 + len(sources)
            usage.edge_bytes += sent
        else:
            usage.bytes_out += sent
        os.environ["PUBLIC_IMAGES_BASE_URL"] = ""
        get_settings.cache_clear()

    def _image_bytes(self, key: str) -> int:
        """The stored image's size, read with a client the meter does not count."""
        from vitrine.settings import get_settings

        head = self.s3.head_object(Bucket=get_settings().images_bucket, Key=key)
        return int(head["ContentLength"])


def _compressed(body: str) -> int:
    """Bytes on the wire of a text answer: CloudFront and browsers speak gzip (``Compress: true``)."""
    import gzip

    return len(gzip.compress(body.encode(), 6))


# What a merchant following its orders subscribes to.
_SUBSCRIBED = ["OrderPaid", "OrderInvoiced", "OrderDispatched", "OrderDelivered", "OrderCancelled"]


def _reports(number: int) -> list[dict]:
    """What the ERP reports of an order it booked: its NF-e, the carrier's pick-up, the delivery."""
    from local_stack.demo_data import DEMO_CNPJ
    from local_stack.sandbox_erp.invoices import nfe_access_key

    key = nfe_access_key(
        number=number + 1, series=1, issued=datetime.now(UTC), cnpj=DEMO_CNPJ, code=10_000_000 + number
    )
    return [
        {"status": "invoiced", "invoice": {"access_key": key, "number": number + 1, "series": 1}},
        {"status": "dispatched", "carrier": "Correios", "tracking_code": f"BR{number:09d}BR"},
        {"status": "delivered"},
    ]


def measure(orders: int, polls: int, view_samples: int) -> dict[str, Usage]:
    """Usage per step: the journey's steps per order, and one catalog view (``view``)."""
    import botocore.session

    from local_stack.template import load_template
    from vitrine import aws

    with demo_stack(*FUNCTIONS) as stack:
        receiver = Receiver()
        try:
            plenty_of_stock(VARIANT[1])
            indexes = {
                index["IndexName"]: [k["AttributeName"] for k in index["KeySchema"]]
                for index in load_template()["Resources"]["Table"]["Properties"]["GlobalSecondaryIndexes"]
            }
            unmetered = botocore.session.get_session().create_client("dynamodb", region_name="us-east-1")
            meter = AwsMeter(indexes, unmetered)
            aws.reset_clients()
            meter.install(aws._session())
            journey = Journey(stack, meter, receiver)
            endpoint = journey.http(
                "setup",
                "CatalogApiFunction",
                "POST",
                "/merchant/v1/webhook-endpoints",
                {"url": receiver.url, "event_types": _SUBSCRIBED},
                journey.key,
            )
            receiver.secret = endpoint["secret"]
            journey.order(0, polls)  # warm every handler: the figures are a warm container's
            journey.view()
            journey.view(cdn=True)
            journey.drain()
            meter.usage.clear()
            for number in range(1, orders + 1):
                journey.order(number, polls)
            for _ in range(view_samples):
                journey.view()
                journey.view(cdn=True)
            delivered = len(receiver.acknowledged)
        finally:
            receiver.close()
    usage = dict(meter.usage)
    per_order = {step: u.scaled(1 / orders) for step, u in usage.items() if step not in (*VIEWS, "unattributed")}
    per_order.update({step: usage[step].scaled(1 / view_samples) for step in VIEWS})
    if not delivered:
        raise SystemExit("no outbound webhook reached the merchant's endpoint: the journey is not the whole one")
    return per_order


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=20)
    parser.add_argument("--views", type=int, default=50, help="catalog views per order in the second scenario")
    parser.add_argument("--polls", type=int, default=5, help="order page refreshes per order")
    parser.add_argument("--hit-rate", type=float, default=0.9, help="the CDN's share of views in the third scenario")
    parser.add_argument("--view-samples", type=int, default=10)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    started = time.monotonic()
    with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):  # the handlers' metrics (EMF lines)
        steps = measure(args.orders, args.polls, args.view_samples)
    report = render(args, steps, time.monotonic() - started)
    print(report)
    if not args.no_write:
        write_section("cost", report)
    return 0


if __name__ == "__main__":
    sys.exit(main())

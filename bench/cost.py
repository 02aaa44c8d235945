"""Cost per 1,000 orders: one shopper journey through the handlers with every AWS request counted, priced at list.

The emulator with the template's stack, the demo merchant and the sandbox gateway run as in ``checkout.py``;
every function's handler runs in this process, warm, with its SQS queues drained as Lambda's event source mapping
would (a batch per queue, deleted on success) and the merchant's webhook endpoint a receiver on loopback. One
order is:

  quote, Pix checkout, the order page polled ``--polls`` times, the gateway's webhooks for the payment (each through
  ``POST /webhooks/gateway`` and the consumer), the ERP's feed poll that finds it, its ack and three reports
  (invoiced, dispatched, delivered), and everything they set off: the journal, the outbound fan-out and the
  deliveries to the merchant's endpoint.

A catalog view (``GET /c/{slug}``, its script, and the images its first page draws, each ``/img/`` a redirect to a
signed S3 URL, as a shopper new to the shop loads them)
is measured on its own and added at 0 and at ``--views`` per order, with a CDN hit rate (``--hit-rate``: a hit costs
a CloudFront request only; there is no CDN in the template yet, so today's figure is at 0).

Every AWS request is counted by botocore's event hooks on the handlers' own session (``cost_meter``); SQS requests
the event source mapping makes (receive, delete) and EventBridge's deliveries to its SQS targets (one SendMessage
each) are counted where they happen here. Lambda's duration is not the local wall clock (the emulator is not AWS):
it is this thread's CPU time scaled to the function's CPU share (its MemorySize over 1,769 MB) plus a wait per AWS
request and per outbound HTTPS call (``cost_prices``). Prices and their sources: ``cost_prices.py``. What a month
costs whatever the orders (schedules every minute, idle queue polling, the ERP's empty feed polls) is reported apart.

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
from bench_results import markers, write_section
from cold_start_events import Receiver
from cost_meter import AwsMeter, Usage

ROOT = Path(__file__).resolve().parents[1]
BEGIN, END = markers("cost")
FUNCTIONS = (
    "CatalogApiFunction",
    "OrderWebhookFunction",
    "OrderWebhookConsumerFunction",
    "EventJournalFunction",
    "OutboundWebhookFanOutFunction",
    "OutboundWebhookDeliveryFunction",
    "ErpOrdersApiFunction",
)
VARIANT = ("CAM-BAS", "CAM-BAS-M-PRE")
MINUTES_A_MONTH = 30 * 24 * 60


class Journey:
    """The handlers of the demo stack, each invocation metered and charged to a step."""

    def __init__(self, stack: Any, meter: AwsMeter, receiver: Receiver) -> None:
        import requests.adapters

        self.stack, self.meter, self.receiver = stack, meter, receiver
        self.handlers = {fn: stack.handler(fn) for fn in FUNCTIONS}
        self.memory = {fn: stack.functions[fn].memory for fn in FUNCTIONS}
        self.sqs = stack.deployed.client("sqs")  # the event source mapping's client: not the handlers' session
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
        cpu = time.thread_time()
        result = self.handlers[function](event, bench_context())
        cpu_ms = (time.thread_time() - cpu) * 1000
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

    def view(self) -> None:
        """A shopper opening the share link: the page, then each image its first page draws (a redirect each)."""
        from html.parser import HTMLParser

        page = self.invoke("view", "CatalogApiFunction", json_request(self.stack.routes, "GET", "/c/demo"))
        sources: list[str] = []

        class Loads(HTMLParser):
            def handle_starttag(self, tag, attrs):
                src = dict(attrs).get("src") or ""
                if (tag == "img" and src.startswith("/img/")) or (tag == "script" and src.startswith("/s/")):
                    sources.append(src)

        Loads().feed(page["body"])
        for src in sources:  # a shopper new to the shop: nothing of it in the browser's cache yet
            self.invoke("view", "CatalogApiFunction", json_request(self.stack.routes, "GET", src))
            if src.startswith("/img/"):
                self.meter.usage["view"].requests[("s3", "GetObject (signed URL, shopper's browser)")] += 1


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
            meter = AwsMeter(indexes)
            unmetered = botocore.session.get_session().create_client("dynamodb", region_name="us-east-1")
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
            journey.drain()
            meter.settle(
                unmetered,
                stack.deployed.table_name,
            )
            meter.usage.clear()
            for number in range(1, orders + 1):
                journey.order(number, polls)
            for _ in range(view_samples):
                journey.view()
            meter.settle(
                unmetered,
                stack.deployed.table_name,
            )
            delivered = len(receiver.acknowledged)
        finally:
            receiver.close()
    usage = dict(meter.usage)
    per_order = {step: u.scaled(1 / orders) for step, u in usage.items() if step not in ("view", "unattributed")}
    per_order["view"] = usage["view"].scaled(1 / view_samples)
    if not delivered:
        raise SystemExit("no outbound webhook reached the merchant's endpoint: the journey is not the whole one")
    return per_order


def dollars(usage: Usage) -> dict[str, float]:
    """US$ of ``usage`` by service."""
    requests = usage.requests
    s3_reads = sum(n for (service, op), n in requests.items() if service == "s3" and op.startswith(("Get", "Head")))
    return {
        "Lambda": usage.invocations * price.LAMBDA_REQUEST + usage.gb_seconds * price.LAMBDA_GB_SECOND,
        "HTTP API": usage.count("apigateway") * price.HTTP_API_REQUEST,
        "DynamoDB": usage.read_units * price.DYNAMODB_READ_UNIT + usage.write_units * price.DYNAMODB_WRITE_UNIT,
        "SQS": usage.count("sqs") * price.SQS_REQUEST,
        "EventBridge": requests[("events", "PutEvents entries")] * price.EVENTBRIDGE_EVENT,
        "S3": s3_reads * price.S3_READ_REQUEST + (usage.count("s3") - s3_reads) * price.S3_WRITE_REQUEST,
    }


def with_views(per_order: Usage, view: Usage, views: int, hit_rate: float) -> tuple[Usage, float]:
    """An order's usage with ``views`` catalog views, ``hit_rate`` of them answered by the CDN; and the CDN's
    requests (one per page and per image, hit or miss)."""
    total = Usage()
    total.add(per_order)
    total.add(view.scaled(views * (1 - hit_rate)))
    cdn_requests = views * view.invocations if hit_rate else 0.0
    return total, cdn_requests


def fixed_monthly() -> dict[str, float]:
    """What a deployment pays a month with no orders (US$), from the template's schedules and queues."""
    from local_stack.template import load_template, read_functions

    functions = read_functions(load_template()).values()
    every_minute = sum(1 for fn in functions for s in fn.schedules if s.period_seconds == 60)
    queues = sum(len(fn.queues) for fn in functions)
    # The event source mapping long-polls each queue with 5 pollers, a 20 s wait each (AWS's published behaviour).
    idle_receives = queues * 5 * 3 * MINUTES_A_MONTH
    return {
        "schedules (Scheduler + Lambda, every minute)": every_minute
        * MINUTES_A_MONTH
        * (price.SCHEDULER_INVOCATION + price.LAMBDA_REQUEST + 0.05 * 0.5 * price.LAMBDA_GB_SECOND),
        f"idle queue polling ({queues} queues)": idle_receives * price.SQS_REQUEST,
        "the ERP's feed poll, once a minute (HTTP API + Lambda)": MINUTES_A_MONTH
        * (price.HTTP_API_REQUEST + price.LAMBDA_REQUEST + 0.03 * 0.5 * price.LAMBDA_GB_SECOND),
    }


def render(args: argparse.Namespace, steps: dict[str, Usage], seconds: float) -> str:
    per_order = Usage()
    for step, usage in steps.items():
        if step != "view":
            per_order.add(usage)
    view = steps["view"]
    lines = [
        BEGIN,
        "## Cost per 1,000 orders",
        "",
        f"`.venv/bin/python bench/cost.py --orders {args.orders} --views {args.views} --polls {args.polls} "
        f"--hit-rate {args.hit_rate}` ({datetime.now(UTC):%Y-%m-%d}, {seconds:.0f} s; list prices of "
        "`bench/cost_prices.py`, us-east-1, no free tier). One order: quote, Pix checkout, the order page polled "
        f"{args.polls} times, the gateway's webhooks, the ERP's feed poll, ack and three reports, the journal, the "
        "outbound fan-out and deliveries. A view: the catalog page, its script and each image of its first page.",
        "",
        "Per order (what the journey asked of AWS):",
        "",
        "| step | invocations | AWS requests | DynamoDB RRU | DynamoDB WRU | est. GB-s |",
        "|---|---|---|---|---|---|",
    ]
    for step, usage in sorted(steps.items(), key=lambda kv: kv[0] == "view"):
        aws_requests = sum(n for (service, _), n in usage.requests.items() if service != "apigateway")
        label = f"{step} (one view)" if step == "view" else step
        lines.append(
            f"| {label} | {usage.invocations} | {aws_requests:.1f} | {usage.read_units:.1f} | "
            f"{usage.write_units:.1f} | {usage.gb_seconds:.4f} |"
        )
    lines += ["", "Where the write units go, per order (item kind as `keys.py` names it, and who writes it):", ""]
    lines += ["| item | write | writes | mean size (B) | WRU | by |", "|---|---|---|---|---|---|"]
    for (kind, operation), units in sorted(per_order.writes_by_kind.items(), key=lambda kv: -kv[1]):
        writers = sorted(step for step, u in steps.items() if step != "view" and u.writes_by_kind[(kind, operation)])
        count = per_order.writes_count[(kind, operation)]
        size = per_order.bytes_written[(kind, operation)] / count if count else 0
        lines.append(f"| {kind} | {operation} | {count:.1f} | {size:.0f} | {units:.1f} | {', '.join(writers)} |")
    lines += ["", "US$ per 1,000 orders, by service:", ""]
    scenarios = [("no views", 0, 0.0), (f"{args.views} views, no CDN", args.views, 0.0)]
    scenarios.append((f"{args.views} views, CDN hit rate {args.hit_rate:.0%}", args.views, args.hit_rate))
    services = list(dollars(per_order))
    lines += ["| scenario | " + " | ".join(services) + " | CloudFront | total |", "|---" * (len(services) + 3) + "|"]
    for label, views, hit_rate in scenarios:
        usage, cdn = with_views(per_order, view, views, hit_rate)
        cost = {k: v * 1000 for k, v in dollars(usage).items()}
        cdn_cost = cdn * price.CLOUDFRONT_REQUEST * 1000
        total = sum(cost.values()) + cdn_cost
        lines.append(
            f"| {label} | " + " | ".join(f"{cost[s]:.4f}" for s in services) + f" | {cdn_cost:.4f} | **{total:.4f}** |"
        )
    lines += ["", "What a deployment pays a month whatever its orders (US$):", ""]
    lines += [f"- {what}: {cost:.2f}" for what, cost in fixed_monthly().items()]
    operations = sorted(per_order.requests.items(), key=lambda kv: -kv[1])
    lines += [
        "",
        "AWS requests per order, by operation: " + ", ".join(f"{s} {op} {n:.1f}" for (s, op), n in operations),
    ]
    lines += [
        "",
        "Lambda durations are estimates (this thread's CPU time scaled to each function's CPU share, plus a wait per "
        "AWS request and per outbound call: `bench/cost_prices.py`), DynamoDB units are computed from item sizes "
        "(`bench/cost_meter.py`); the CDN rows price what the template does not have yet (issue 15).",
        END,
    ]
    return "\n".join(lines) + "\n"


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

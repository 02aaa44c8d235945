"""Checkout cost: DynamoDB requests per checkout, and checkout latency as a ratio to one PutItem.

Starts the emulator with the template's stack and the demo merchant, then calls the catalog function's
handler in this process (as its Lambda would run, warm) with real API Gateway events for POST /api/checkout.
Requests are counted with botocore's event hooks on the handler's own DynamoDB client. The baseline is a
single ``PutItem`` of an order-sized item through the same client, measured alternately in the same run.

    .venv/bin/python bench/checkout.py [--runs 200] [--lines 3]
"""

import argparse
import json
import statistics
import sys
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from bench_env import bench_context, checkout_body, demo_stack, json_request, percentile, plenty_of_stock
from bench_results import markers, write_section

ROOT = Path(__file__).resolve().parents[1]
BEGIN, END = markers("checkout")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--lines", type=int, default=3, help="cart lines per checkout")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    from vitrine import aws
    from vitrine.payments.pagarme import PagarmeGateway

    with demo_stack("CatalogApiFunction") as stack:
        env = stack.environment
        handler = stack.handler("CatalogApiFunction")

        catalog = json.loads(handler(json_request(stack.routes, "GET", "/api/catalogs/demo"), bench_context())["body"])
        picks = [(p["sku"], p["variants"][0]["sku"]) for p in catalog["products"][: args.lines]]
        for _, variant in picks:
            plenty_of_stock(variant)
        body = checkout_body(picks)

        dynamodb = aws.client("dynamodb")
        calls: Counter[str] = Counter()
        spent = {"dynamodb": 0.0, "gateway": 0.0}
        started: list[float] = []

        def before_call(model, **_):
            calls.update([model.name])
            started.append(time.perf_counter())

        def after_call(**_):
            spent["dynamodb"] += time.perf_counter() - started.pop()

        dynamodb.meta.events.register("before-call.dynamodb", before_call)
        dynamodb.meta.events.register("after-call.dynamodb", after_call)
        gateway_call = PagarmeGateway.create_charge

        def timed_charge(self, request):
            start = time.perf_counter()
            try:
                return gateway_call(self, request)
            finally:
                spent["gateway"] += time.perf_counter() - start

        PagarmeGateway.create_charge = timed_charge

        def checkout() -> None:
            event = json_request(stack.routes, "POST", "/api/checkout", body, {"idempotency-key": str(uuid.uuid4())})
            response = handler(event, bench_context())
            if response["statusCode"] != 201:
                raise SystemExit(f"checkout failed: {response['statusCode']} {response['body'][:300]}")

        order_item = {"PK": {"S": "BENCH#put"}, "SK": {"S": "x"}, "body": {"S": json.dumps(body) * 3}}

        def put_item() -> None:
            dynamodb.put_item(TableName=env["TABLE_NAME"], Item={**order_item, "SK": {"S": str(uuid.uuid4())}})

        checkout()  # warm: clients created, modules imported, as a warm Lambda
        put_item()
        calls.clear()
        checkout()
        per_checkout = dict(calls)

        checkout_ms, put_ms = [], []
        spent.update(dynamodb=0.0, gateway=0.0)
        for _ in range(args.runs):
            for action, samples in ((checkout, checkout_ms), (put_item, put_ms)):
                start = time.perf_counter()
                action()
                samples.append((time.perf_counter() - start) * 1000)
        # The PutItem baseline goes through the same hooked client: take its time out of DynamoDB's share.
        breakdown = {
            "dynamodb": (spent["dynamodb"] * 1000 - sum(put_ms)) / args.runs,
            "gateway": spent["gateway"] * 1000 / args.runs,
        }

    report = render(args, per_checkout, checkout_ms, put_ms, breakdown)
    print(report)
    if not args.no_write:
        write_section("checkout", report)
    return 0


def render(
    args, per_checkout: dict[str, int], checkout_ms: list[float], put_ms: list[float], breakdown: dict[str, float]
) -> str:
    p50, p99 = statistics.median(checkout_ms), percentile(checkout_ms, 0.99)
    b50, b99 = statistics.median(put_ms), percentile(put_ms, 0.99)
    requests = ", ".join(f"{name} x{count}" for name, count in sorted(per_checkout.items()))
    transactions = per_checkout.get("TransactWriteItems", 0)
    batched = per_checkout.get("BatchGetItem", 0)
    return "\n".join(
        [
            BEGIN,
            "## Checkout (`bench/checkout.py`)",
            "",
            f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Machine: 2 cores (noisy). Emulator: moto on loopback.",
            f"- Command: `.venv/bin/python bench/checkout.py --runs {args.runs} --lines {args.lines}`",
            f"- A {args.lines}-line Pix checkout with delivery, through the catalog function's handler (warm), "
            f"alternated with one `PutItem` of an order-sized item through the same client; {args.runs} runs each.",
            "  The checkout includes its charge at the local sandbox gateway (loopback HTTP, pagar.me's format).",
            "",
            "| measure | result | target |",
            "|---|---|---|",
            f"| DynamoDB requests per checkout | {requests} | 2 TransactWriteItems + at most 1 batched read "
            "+ 1 outbox delete |",
            f"| transactions / batched reads | {transactions} / {batched} | 2 / <= 1 |",
            f"| checkout p50 / p99 | {p50:.1f} ms / {p99:.1f} ms | |",
            f"| single PutItem p50 / p99 | {b50:.1f} ms / {b99:.1f} ms | baseline |",
            f"| **ratio p50 / p99** | **{p50 / b50:.1f}x / {p99 / b99:.1f}x** | |",
            f"| mean time in DynamoDB calls (emulator) | {breakdown['dynamodb']:.1f} ms | |",
            f"| mean time in the gateway call (sandbox) | {breakdown['gateway']:.1f} ms | |",
            f"| mean time in Vitrine's code | {statistics.mean(checkout_ms) - sum(breakdown.values()):.1f} ms | |",
            "",
            "Reads: one `BatchGetItem` holds the share link's slug pointer (a copy of the catalog, checked against",
            "the one the container remembers), the settings, stores, products, prices and the stock of every line;",
            "a container's first checkout of a catalog adds one `GetItem` of the pointer. Writes: the order, its",
            "pointer, its idempotency record, its consent records and every reservation are one `TransactWriteItems`.",
            "The second keeps the gateway's charge on the order with `OrderPlaced` in the outbox (the notifier's",
            "first message, never lost), and a `BatchWriteItem` clears that outbox item once the event is on the bus:",
            "the charge is created only once the stock is held (a card is captured at creation, so charging first",
            "would take money for goods that may be gone), so it cannot be in the reserving transaction.",
            END,
        ]
    )


if __name__ == "__main__":
    sys.exit(main())

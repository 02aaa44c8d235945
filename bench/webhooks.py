"""Gateway webhooks: ingest latency on the local stack as a ratio to /health, and the consumer's throughput with
its DynamoDB requests per webhook against the floor (one read, one transaction).

Ingest: ``make dev``'s stack on a free loopback port; ``POST /webhooks/gateway`` (Basic auth, a pagar.me body)
alternated with ``GET /health`` over one keep-alive HTTP session, so both pay the same front and worker hops.

Consumer: the emulator with the template's stack, the demo merchant and the sandbox gateway in this process.
Pix orders are placed through the catalog function's handler and paid at the sandbox; the sandbox's
``charge.paid`` webhooks are then fed to the consumer's handler in SQS batches of 10, warm, with requests
counted by botocore's event hooks on the handler's own client. The floor does, per webhook, what the issue
names: one ``GetItem`` and one ``TransactWriteItems`` of an order-sized update, through the same client.

    .venv/bin/python bench/webhooks.py [--webhooks 100] [--requests 300]
"""

import argparse
import base64
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
import warnings
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from bench_env import bench_context, checkout_body, demo_stack, json_request, percentile, plenty_of_stock
from bench_results import markers, write_section

ROOT = Path(__file__).resolve().parents[1]
BEGIN, END = markers("webhooks")
BATCH = 10


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--webhooks", type=int, default=100, help="paid orders whose charge.paid is consumed")
    parser.add_argument("--requests", type=int, default=300, help="ingest requests (and as many /health)")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    started = time.monotonic()
    consumer = measure_consumer(args.webhooks)
    ingest = measure_ingest(args.requests)
    report = render(args, consumer, ingest, time.monotonic() - started)
    print(report)
    if not args.no_write:
        write_section("webhooks", report)
    return 0


def measure_consumer(count: int) -> dict:
    from vitrine import aws

    with demo_stack("CatalogApiFunction", "OrderWebhookConsumerFunction") as stack:
        env, sandbox = stack.environment, stack.sandbox
        catalog_api = stack.handler("CatalogApiFunction")
        consume = stack.handler("OrderWebhookConsumerFunction")
        variant = "CAM-BAS-M-PRE"
        plenty_of_stock(variant)
        body = checkout_body([("CAM-BAS", variant)])
        import requests

        paid: list[dict] = []
        for _ in range(count + BATCH):  # the first batch warms the consumer up
            event = json_request(stack.routes, "POST", "/api/checkout", body, {"idempotency-key": str(uuid.uuid4())})
            response = catalog_api(event, bench_context())
            if response["statusCode"] != 201:
                raise SystemExit(f"checkout failed: {response['body'][:300]}")
            order_id = json.loads(response["body"])["order"]["order_id"]
            charge_id = next(c["id"] for o in sandbox_orders(sandbox) if o["code"] == order_id for c in o["charges"])
            requests.post(f"{sandbox.url}/sandbox/charges/{charge_id}/pay", timeout=10).raise_for_status()
            paid.append(next(e for e in reversed(sandbox.events) if e["type"] == "charge.paid"))

        def sqs_batch(webhooks: list[dict]) -> dict:
            return {"Records": [sqs_record(w) for w in webhooks]}

        dynamodb = aws.client("dynamodb")
        calls: Counter[str] = Counter()
        dynamodb.meta.events.register("before-call.dynamodb", lambda model, **_: calls.update([model.name]))
        consume(sqs_batch(paid[:BATCH]), bench_context())

        measured = paid[BATCH:]
        calls.clear()
        start = time.perf_counter()
        for i in range(0, len(measured), BATCH):
            result = consume(sqs_batch(measured[i : i + BATCH]), bench_context())
            if result["batchItemFailures"]:
                raise SystemExit(f"the consumer failed: {result}")
        consumer_seconds = time.perf_counter() - start
        per_webhook = {name: n / len(measured) for name, n in calls.items()}

        calls.clear()
        start = time.perf_counter()
        for i in range(0, len(measured), BATCH):
            consume(sqs_batch(measured[i : i + BATCH]), bench_context())
        duplicate_seconds = time.perf_counter() - start
        per_duplicate = {name: n / len(measured) for name, n in calls.items()}

        table = env["TABLE_NAME"]
        update = {"big": {"S": json.dumps(body) * 6}}

        def floor(webhook: dict) -> None:
            key = {"PK": {"S": "BENCH#floor"}, "SK": {"S": webhook["id"]}}
            dynamodb.get_item(TableName=table, Key=key, ConsistentRead=True)
            dynamodb.transact_write_items(
                TransactItems=[
                    {"Put": {"TableName": table, "Item": {**key, **update}}},
                    {"Put": {"TableName": table, "Item": {**key, "SK": {"S": webhook["id"] + "#ledger"}}}},
                ]
            )

        calls.clear()
        start = time.perf_counter()
        for webhook in measured:
            floor(webhook)
        floor_seconds = time.perf_counter() - start
    return {
        "count": len(measured),
        "per_webhook": per_webhook,
        "per_duplicate": per_duplicate,
        "rate": len(measured) / consumer_seconds,
        "duplicate_rate": len(measured) / duplicate_seconds,
        "floor_rate": len(measured) / floor_seconds,
    }


def sandbox_orders(sandbox) -> list[dict]:
    return list(sandbox._orders.values())  # the bench reads the sandbox's own state


def sqs_record(webhook: dict) -> dict:
    queued = {"provider": "pagarme", "received_at": datetime.now(UTC).isoformat(), "headers": {}}
    return {
        "messageId": str(uuid.uuid4()),
        "receiptHandle": "bench",
        "body": json.dumps({**queued, "body": json.dumps(webhook)}),
        "attributes": {"ApproximateReceiveCount": "1"},
        "messageAttributes": {},
        "md5OfBody": "",
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:bench",
        "awsRegion": "us-east-1",
    }


def measure_ingest(count: int) -> dict:
    import requests

    sys.path.insert(0, str(ROOT / "tests" / "e2e"))
    from stack_harness import start_stack

    running = contextlib.contextmanager(start_stack)
    with tempfile.TemporaryDirectory() as directory, running(Path(directory)) as stack:
        credentials = stack.settings["webhook_credentials"]
        basic = base64.b64encode(f"{credentials['user']}:{credentials['password']}".encode()).decode()
        headers = {"Authorization": f"Basic {basic}", "Content-Type": "application/json"}
        session = requests.Session()
        webhook_ms, health_ms = [], []

        def ingest() -> None:
            body = {"id": f"hook_{uuid.uuid4().hex[:16]}", "type": "order.created", "data": {"id": "or_bench"}}
            response = session.post(f"{stack.url}/webhooks/gateway", data=json.dumps(body), headers=headers)
            if response.status_code != 202:
                raise SystemExit(f"ingest failed: {response.status_code} {response.text[:200]}")

        def health() -> None:
            session.get(f"{stack.url}/health").raise_for_status()

        for _ in range(20):  # warm both paths' workers
            ingest()
            health()
        for _ in range(count):
            for action, samples in ((ingest, webhook_ms), (health, health_ms)):
                start = time.perf_counter()
                action()
                samples.append((time.perf_counter() - start) * 1000)
    return {"webhook_ms": webhook_ms, "health_ms": health_ms}


def render(args, consumer: dict, ingest: dict, seconds: float) -> str:
    w50, w99 = statistics.median(ingest["webhook_ms"]), percentile(ingest["webhook_ms"], 0.99)
    h50, h99 = statistics.median(ingest["health_ms"]), percentile(ingest["health_ms"], 0.99)

    def requests_of(per: dict) -> str:
        return ", ".join(f"{name} {n:.2f}" for name, n in sorted(per.items())) or "none"

    load = os.getloadavg()[0]
    return "\n".join(
        [
            BEGIN,
            "## Gateway webhooks (`bench/webhooks.py`)",
            "",
            f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Machine: 2 cores (noisy); load average {load:.2f} at"
            f" the end; the bench took {seconds:.0f} s.",
            f"- Command: `.venv/bin/python bench/webhooks.py --webhooks {args.webhooks} --requests {args.requests}`",
            "",
            f"**Ingest on the local stack** ({args.requests} `POST /webhooks/gateway` alternated with as many"
            " `GET /health`, one keep-alive session):",
            "",
            "| request | p50 ms | p99 ms |",
            "|---|---:|---:|",
            f"| `POST /webhooks/gateway` (Basic auth, queue, 202) | {w50:.1f} | {w99:.1f} |",
            f"| `GET /health` (baseline) | {h50:.1f} | {h99:.1f} |",
            f"| **ratio** | **{w50 / h50:.2f}x** | **{w99 / h99:.2f}x** |",
            "",
            f"**Consumer** ({consumer['count']} `charge.paid` webhooks of Pix orders, SQS batches of {BATCH}, warm):",
            "",
            "| measure | result |",
            "|---|---|",
            f"| DynamoDB requests per webhook | {requests_of(consumer['per_webhook'])} |",
            f"| DynamoDB requests per duplicate delivery | {requests_of(consumer['per_duplicate'])} |",
            "| floor per webhook | GetItem 1, TransactWriteItems 1 |",
            f"| throughput | {consumer['rate']:.1f} webhooks/s (duplicates: {consumer['duplicate_rate']:.1f}/s) |",
            f"| floor throughput (same client, same run) | {consumer['floor_rate']:.1f} webhooks/s |",
            f"| **ratio to the floor** | **{consumer['rate'] / consumer['floor_rate']:.2f}x** |",
            "",
            "Each webhook also reads its charge from the sandbox gateway over loopback HTTP (that is the rule: the",
            "notification is not the truth) and publishes its domain event to the bus; both count in the",
            "throughput, neither in the DynamoDB requests. Beyond the floor's read and transaction, a webhook pays",
            "the inbox check and record (one `GetItem`, one `PutItem`: a retry after a failure must not pass",
            "for a duplicate), the merchant's settlement terms when money is captured (one `GetItem`), and the",
            "delete of the published events from the outbox (one `BatchWriteItem`).",
            END,
        ]
    )


if __name__ == "__main__":
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    sys.exit(main())

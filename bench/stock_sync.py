"""ERP sync benchmark: a 100,000-SKU snapshot with 1% changed, sent again through the ERP API and its consumer.

``.venv/bin/python bench/stock_sync.py`` (``--skus N``, ``--changed F``, ``--rounds R``, ``--no-write`` to only
print). In one process, under ``moto.mock_aws`` (table, ingest queue and bus shaped by infra/template.yaml, as
the integration tests do):

1. **Delta detection CPU**: for every product of the snapshot, what the sync does to tell a change: check it
   (pydantic), hash its canonical JSON and compare with the stored hash, in CPU time (``time.process_time``).
   Baseline: one ``json.dumps`` + ``json.loads`` of each item, the least any ingest does with it. Both run
   alternately, ``--rounds`` times; ratio = median / median.
2. **End to end**: the snapshot stored as the previous sync left it (written straight into the emulator's table),
   then sent again with ``--changed`` of its products renamed: requests of 1,000 products to
   ``POST /erp/v1/products`` through the ERP API's handler, each request's messages taken off the queue and
   handed to the ingest consumer's handler, as Lambda would. DynamoDB requests are counted with botocore's event
   hooks; write requests are set against the floor ceil(changed / 25). moto answers a read far slower than
   DynamoDB (~1.4 ms per item, in its own response serialiser: minutes for this snapshot), so the one request
   whose volume grows with the snapshot, ``BatchGetItem`` of the stored hashes, is answered from memory with
   what moto holds, through botocore's own hook and response parser (as ``bench/storefront.py`` does);
   everything else (auth, jobs, SQS, the writes, events) goes to moto. ``--moto-reads`` sends the reads to moto
   too. Baseline: a bare ``BatchGetItem`` of the same keys with the same projection, answered the same way (the
   read no delta detection can skip), alternated with every 5th request and scaled to the whole snapshot.

The results replace the stock_sync section of ``bench/RESULTS.md`` (between its markers); other sections are kept.
"""

import argparse
import contextlib
import json
import math
import os
import platform
import random
import statistics
import sys
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from bench_results import markers, write_section

ROOT = Path(__file__).resolve().parents[1]
BEGIN, END = markers("stock_sync")
MERCHANT = "bench-merchant"
REQUEST_ITEMS = 1000
BASELINE_EVERY = 5
ENVIRONMENT = {
    "TABLE_NAME": "vitrine-bench",
    "EVENT_BUS_NAME": "vitrine-bench",
    "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "STAGE": "bench",
    "POWERTOOLS_SERVICE_NAME": "stock_sync",
    "POWERTOOLS_METRICS_NAMESPACE": "VitrineBench",
    "POWERTOOLS_LOG_LEVEL": "WARNING",
}


class BenchContext:
    function_name = "bench"
    memory_limit_in_mb = 1024
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:bench"
    aws_request_id = "bench"

    def get_remaining_time_in_millis(self) -> int:
        return 60_000


def snapshot_products(count: int) -> list[dict]:
    """A merchant's assortment as an ERP sends it: a size grid, classifiers, a brand, an image by URL."""
    return [
        {
            "sku": f"SKU{i:06d}",
            "name": f"Camiseta Algodão {i}",
            "description": "Camiseta de algodão penteado, gola careca, modelagem regular.",
            "brand": "Marca",
            "classifiers": ["Roupas", "Camisetas"],
            "variants": [{"sku": f"SKU{i:06d}-{size}", "size": size, "colour": "Azul"} for size in ("P", "M", "G")],
            "images": [{"url": f"https://cdn.loja.com.br/{i}.jpg", "width": 800, "height": 800}],
            "weight_grams": 180,
        }
        for i in range(count)
    ]


def cpu_phase(products: list[dict], stored: dict[str, dict], rounds: int) -> dict[str, list[float]]:
    """CPU seconds of the delta check and of the JSON round-trip baseline, alternated."""
    from vitrine.erp import delta
    from vitrine.erp.models import ErpProduct

    def detect() -> int:
        changed = 0
        for raw in products:
            item = ErpProduct.model_validate(raw)
            digest = delta.content_hash(item.model_dump(mode="json"))
            changed += delta.known_outcome(stored.get(item.sku), digest, "bench-job") is None
        return changed

    def round_trip() -> int:
        return sum(len(json.loads(json.dumps(raw, ensure_ascii=False))) for raw in products)

    samples: dict[str, list[float]] = {"delta": [], "baseline": []}
    for _ in range(rounds):
        for name, action in (("delta", detect), ("baseline", round_trip)):
            start = time.process_time()
            action()
            samples[name].append(time.process_time() - start)
    return samples


def seed_stored_state(products: list[dict], table_name: str) -> tuple[dict[str, dict], dict[tuple[str, str], dict]]:
    """What the previous sync left, written into moto's table directly (through the API it would take minutes of
    moto's own request parsing, which this bench does not measure): each product's keys, name and sync marks,
    all the sync reads of it (the rest of a product is never read by the sync). Returns the sync marks by SKU
    and the stored items by key, as DynamoDB JSON."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    from vitrine.erp import delta
    from vitrine.erp.models import ErpProduct
    from vitrine.repository import keys
    from vitrine.repository.items import to_item

    table = dynamodb_backends[DEFAULT_ACCOUNT_ID][ENVIRONMENT["AWS_REGION"]].get_table(table_name)
    marks_by_sku, items = {}, {}
    for raw in products:
        marks = delta.sync_marks(delta.content_hash(ErpProduct.model_validate(raw).model_dump(mode="json")), "seed")
        marks_by_sku[raw["sku"]] = marks
        item = to_item(
            {
                "PK": keys.merchant_pk(MERCHANT),
                "SK": keys.product_sk(raw["sku"]),
                "type": "product",
                "sku": raw["sku"],
                "name": raw["name"],
                **marks,
            }
        )
        table.put_item(item)
        items[(item["PK"]["S"], item["SK"]["S"])] = item
    return marks_by_sku, items


@contextlib.contextmanager
def reads_from_memory(items: dict[tuple[str, str], dict]):
    """Answer ``BatchGetItem`` from ``items`` as DynamoDB would (the projection applied, missing keys absent),
    through botocore's parser: the client's whole work is done, only the emulator's is skipped."""
    from botocore.awsrequest import AWSResponse
    from botocore.parsers import create_parser

    from vitrine import aws

    parser = create_parser("json")

    def answer(model, params, **_):
        if model.name != "BatchGetItem":
            return None
        request = json.loads(params["body"])["RequestItems"]
        responses = {}
        for table_name, wanted in request.items():
            names = wanted.get("ExpressionAttributeNames", {})
            projected = [names.get(name.strip(), name.strip()) for name in wanted["ProjectionExpression"].split(",")]
            found = (items.get((key["PK"]["S"], key["SK"]["S"])) for key in wanted["Keys"])
            responses[table_name] = [{n: item[n] for n in projected if n in item} for item in found if item]
        body = json.dumps({"Responses": responses, "UnprocessedKeys": {}}).encode()
        parsed = parser.parse({"body": body, "headers": {}, "status_code": 200}, model.output_shape)
        return AWSResponse("https://dynamodb", 200, {}, None), parsed

    events = aws.client("dynamodb").meta.events
    # On the service's event, not the operation's: botocore runs an operation's handlers first, and the bench's
    # timer (registered first on this event) must see the call start.
    events.register("before-call.dynamodb", answer, unique_id="bench-reads")
    try:
        yield
    finally:
        events.unregister("before-call.dynamodb", unique_id="bench-reads")


def end_to_end(products: list[dict], changed: set[str], key: str) -> dict:
    """The snapshot through the ERP API, SQS and the consumer; requests counted, time in DynamoDB apart."""
    from local_stack.function_code import load_handler, template_functions
    from local_stack.http_api_payload import HttpRequest, build_event
    from local_stack.routes import RouteTable
    from vitrine import aws
    from vitrine.repository import assortment, erp_jobs

    functions = {fn.logical_id: fn for fn in template_functions()}
    routes = RouteTable(route for fn in functions.values() for route in fn.routes)
    api = load_handler(functions["StockSyncApiFunction"])
    consumer = load_handler(functions["StockSyncIngestFunction"])
    batch_size = functions["StockSyncIngestFunction"].queues[0].batch_size
    queue_url = os.environ["ERP_INGEST_QUEUE_URL"]
    sqs, dynamodb = aws.client("sqs"), aws.client("dynamodb")

    calls: Counter[str] = Counter()
    spent = {"dynamodb": 0.0, "sqs": 0.0, "events": 0.0}
    started: list[float] = []

    def count(model, params, **_):
        calls[model.name] += 1
        if model.name == "BatchWriteItem":
            calls["written items"] += sum(len(requests) for requests in params["RequestItems"].values())

    def before_call(**_):
        started.append(time.perf_counter())

    def after_call(model, **_):
        spent[model.service_model.endpoint_prefix] += time.perf_counter() - started.pop()

    def post(items: list[dict]) -> str:
        match = routes.match("POST", "/erp/v1/products")
        headers = {"host": "127.0.0.1", "content-type": "application/json", "authorization": f"Bearer {key}"}
        body = json.dumps({"items": items}, ensure_ascii=False).encode()
        request = HttpRequest(method="POST", target=match.route.path, headers=list(headers.items()), body=body)
        event = build_event(
            request, match.route.route_key, {}, request_id=str(uuid.uuid4()), account_id="123456789012", api_id="bench"
        )
        response = api(event, BenchContext())
        if response["statusCode"] != 202:
            raise SystemExit(f"ingest failed: {response['statusCode']} {response['body'][:300]}")
        return json.loads(response["body"])["job_id"]

    def consume() -> int:
        messages = []
        while batch := sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", []):
            messages += batch
            for message in batch:
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
        for start in range(0, len(messages), batch_size):
            records = [
                {"messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"]}
                for m in messages[start : start + batch_size]
            ]
            outcome = consumer({"Records": records}, BenchContext())
            if outcome["batchItemFailures"]:
                raise SystemExit(f"the consumer failed records: {outcome}")
        return len(messages)

    requests = [products[start : start + REQUEST_ITEMS] for start in range(0, len(products), REQUEST_ITEMS)]
    post(requests[0][:1])  # warm: handlers imported, clients created, as warm Lambdas
    consume()
    dynamodb.meta.events.register("before-parameter-build.dynamodb", count)
    clients = {"dynamodb": dynamodb, "sqs": sqs, "events": aws.client("events")}
    for service, client in clients.items():
        # First, on the event the memory's answer listens to: that answer ends ``before-call`` for the rest.
        client.meta.events.register_first(f"before-call.{service}", before_call)
        client.meta.events.register(f"after-call.{service}", after_call)

    messages = 0
    baseline_seconds, baseline_items = 0.0, 0
    sync_seconds = 0.0
    job_ids = []
    for number, items in enumerate(requests):
        start = time.perf_counter()
        job_ids.append(post(items))
        messages += consume()
        sync_seconds += time.perf_counter() - start
        if number % BASELINE_EVERY == 0:
            before = dict(calls), spent["dynamodb"]
            start = time.perf_counter()
            assortment.synced_products(MERCHANT, [item["sku"] for item in items])
            baseline_seconds += time.perf_counter() - start
            baseline_items += len(items)
            # The baseline's own read is not the sync's: take it out of the counts and the DynamoDB time.
            calls.clear()
            calls.update(before[0])
            spent["dynamodb"] = before[1]
    dynamodb.meta.events.unregister("before-parameter-build.dynamodb", count)
    for service, client in clients.items():
        client.meta.events.unregister(f"before-call.{service}", before_call)
        client.meta.events.unregister(f"after-call.{service}", after_call)
    # Every product was checked, exactly the changed ones written: the jobs' counts and the table agree.
    counted = Counter()
    for job_id in job_ids:
        job = erp_jobs.get_job(MERCHANT, job_id)
        counted.update({name: job.get(name, 0) for name in erp_jobs.COUNTERS})
    expected = {"applied": len(changed), "unchanged": len(products) - len(changed), "stale": 0, "rejected": 0}
    if dict(counted) != expected:
        raise SystemExit(f"the jobs counted {dict(counted)}, not {expected}")
    renamed = sum(1 for sku in changed if assortment.get_product(MERCHANT, sku).name.endswith("(novo)"))
    if renamed != len(changed):
        raise SystemExit(f"only {renamed} of {len(changed)} changed products were written")
    return {
        "requests": len(requests),
        "messages": messages,
        "calls": dict(calls),
        "sync_seconds": sync_seconds,
        "dynamodb_seconds": spent["dynamodb"],
        "queue_and_bus_seconds": spent["sqs"] + spent["events"],
        "baseline_per_item": baseline_seconds / baseline_items,
    }


def render(args, cpu: dict[str, list[float]], e2e: dict, changed: int, seconds: float) -> str:
    skus = args.skus
    delta_cpu, baseline_cpu = statistics.median(cpu["delta"]), statistics.median(cpu["baseline"])
    calls = e2e["calls"]
    writes = {name: count for name, count in calls.items() if name in ("BatchWriteItem", "PutItem", "UpdateItem")}
    floor = math.ceil(changed / 25)
    sync = e2e["sync_seconds"]
    own = sync - e2e["dynamodb_seconds"] - e2e["queue_and_bus_seconds"]
    bare_read = e2e["baseline_per_item"] * skus
    load = os.getloadavg()[0]
    reads = ", ".join(f"{name} x{calls[name]}" for name in ("BatchGetItem", "GetItem", "Query") if calls.get(name))
    return "\n".join(
        [
            BEGIN,
            "## ERP sync (`bench/stock_sync.py`)",
            "",
            f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Machine: {platform.system()} {platform.machine()}, "
            f"{os.cpu_count()} cores (noisy, shared); load average {load:.2f} at the end. Python "
            f"{platform.python_version()}, the project venv; moto in-process (`mock_aws`). "
            f"The bench took {seconds:.0f} s.",
            f"- Command: `.venv/bin/python bench/stock_sync.py --skus {skus} --changed {args.changed} "
            f"--rounds {args.rounds}`",
            f"- A snapshot of {skus:,} products (3 variants, 2 classifiers, an image URL: ~{e2e['bytes_per_item']} "
            f"bytes of JSON each) already stored by a previous sync, sent again with {changed:,} of them "
            f"({args.changed:.0%}) renamed, as {e2e['requests']} requests of {REQUEST_ITEMS:,} to "
            "`POST /erp/v1/products`, through the ERP API's handler, SQS and the ingest consumer's handler.",
            "",
            "| measure | result | baseline / floor | ratio |",
            "|---|---|---|---|",
            f"| delta detection CPU (check + hash + compare), median of {args.rounds} | "
            f"{delta_cpu:.2f} s ({delta_cpu / skus * 1e6:.1f} µs/item) | JSON round trip of each item: "
            f"{baseline_cpu:.2f} s ({baseline_cpu / skus * 1e6:.1f} µs/item) | **{delta_cpu / baseline_cpu:.1f}x** |",
            f"| DynamoDB write requests for the items | BatchWriteItem x{writes.get('BatchWriteItem', 0)} "
            f"({calls.get('written items', 0):,} items) | ceil({changed:,} / 25) = {floor} | "
            f"**{writes.get('BatchWriteItem', 0) / floor:.1f}x** |",
            f"| job bookkeeping writes | PutItem x{writes.get('PutItem', 0)} (jobs), UpdateItem "
            f"x{writes.get('UpdateItem', 0)} (chunk counts) | 1 + 1 per request | |",
            f"| DynamoDB reads | {reads} | ceil({skus:,} / 100) = {math.ceil(skus / 100)} BatchGetItem | |",
            f"| SQS messages | {e2e['messages']} | {e2e['requests']} requests | |",
            f"| end to end, items/s | {skus / sync:,.0f} ({sync:.1f} s) | bare BatchGetItem of the same keys: "
            f"{skus / bare_read:,.0f} ({bare_read:.1f} s) | **{sync / bare_read:.2f}x** the time |",
            f"| of which in DynamoDB calls (reads from memory, the rest moto) | {e2e['dynamodb_seconds']:.1f} s | | |",
            f"| of which in SQS and EventBridge calls (moto) | {e2e['queue_and_bus_seconds']:.1f} s | | |",
            f"| of which Vitrine's code (ingest + consumer) | {own:.1f} s: {skus / own:,.0f} items/s | | |",
            "",
            "The delta check costs what pydantic's validation and one SHA-256 of each item's canonical JSON cost; it",
            "runs in the consumer, against hashes read with `BatchGetItem` (projection: keys, hash, job). Only the",
            f"{changed:,} changed products are written. Write requests sit above the floor because each SQS message",
            "(one per 1,000-item request here: items travel gzipped) is applied on its own, so a request with any",
            "change costs at least one `BatchWriteItem`; the floor would need the writes of several requests",
            "coalesced into one. Stock levels are not batched at all: each changed level is one conditional",
            "`UpdateItem` (its sequence check cannot ride in a `BatchWriteItem`), and a level whose sequence did not",
            "move costs no write. moto spends far longer per item than DynamoDB, so the end-to-end rate is a floor;",
            "the ratio to the bare read of the same keys is what carries over.",
            END,
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skus", type=int, default=100_000)
    parser.add_argument("--changed", type=float, default=0.01, help="share of the products renamed")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the CPU phase")
    parser.add_argument("--moto-reads", action="store_true", help="send the sync's reads to moto too (slow)")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    began = time.perf_counter()
    os.environ.update(ENVIRONMENT)

    from moto import mock_aws

    from local_stack.template import load_template
    from vitrine import aws
    from vitrine.auth.api_keys import issue_api_key

    products = snapshot_products(args.skus)
    changed = set(random.Random(7).sample([p["sku"] for p in products], round(args.skus * args.changed)))
    with mock_aws():
        aws.reset_clients()
        props = load_template()["Resources"]["Table"]["Properties"]
        aws.client("dynamodb").create_table(
            TableName=ENVIRONMENT["TABLE_NAME"],
            BillingMode=props["BillingMode"],
            AttributeDefinitions=props["AttributeDefinitions"],
            KeySchema=props["KeySchema"],
            GlobalSecondaryIndexes=props["GlobalSecondaryIndexes"],
        )
        aws.client("events").create_event_bus(Name=ENVIRONMENT["EVENT_BUS_NAME"])
        os.environ["ERP_INGEST_QUEUE_URL"] = aws.client("sqs").create_queue(QueueName="erp-ingest")["QueueUrl"]
        aws.reset_clients()
        # Before the seed: moto copies the whole table for a transaction (the key and its lookup are one).
        key = issue_api_key(MERCHANT, scopes=["erp"], name="bench")
        stored, items = seed_stored_state(products, ENVIRONMENT["TABLE_NAME"])
        resent = [{**p, "name": p["name"] + " (novo)"} if p["sku"] in changed else p for p in products]
        cpu = cpu_phase(resent, stored, args.rounds)
        with contextlib.nullcontext() if args.moto_reads else reads_from_memory(items):
            e2e = end_to_end(resent, changed, key)
        e2e["bytes_per_item"] = round(len(json.dumps(resent[:1000], ensure_ascii=False).encode()) / 1000)
    report = render(args, cpu, e2e, len(changed), time.perf_counter() - began)
    print(report)
    if not args.no_write:
        write_section("stock_sync", report)
    return 0


if __name__ == "__main__":
    sys.exit(main())

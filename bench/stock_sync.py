"""ERP sync benchmark: a 100,000-SKU snapshot with 1% changed, sent again through the ERP API and its consumer.

``.venv/bin/python bench/stock_sync.py`` (``--skus N``, ``--changed F``, ``--rounds R``, ``--no-write`` to only
print). In one process, under ``moto.mock_aws`` (table, ingest queue, bus, webhook queues and rule shaped by
infra/template.yaml, as the integration tests do):

1. **Delta detection CPU**: for every product of the snapshot, what the sync does to tell a change: check it
   (pydantic), hash its canonical JSON and compare with the stored hash, in CPU time (``time.process_time``).
   Baseline: one ``json.dumps`` + ``json.loads`` of each item, the least any ingest does with it. Both run
   alternately, ``--rounds`` times; ratio = median / median.
2. **Products end to end**: the snapshot stored as the previous sync left it (written straight into the
   emulator's table), then sent again twice, a different ``--changed`` share renamed each time, as requests of
   1,000 products to ``POST /erp/v1/products`` through the ERP API's handler, their messages taken off the
   queue and handed to the ingest consumer's handler in the template's batch size, as Lambda would. First each
   request's chunk alone (the consumer after every request: the baseline, how chunks were applied before they
   shared write streams), then together (the consumer once a batch of requests queued up). DynamoDB requests
   are counted with botocore's event hooks; write requests are set against the floor ceil(changed / 25).
   moto answers a read far slower than DynamoDB (~1.4 ms per item, in its own response serialiser: minutes
   for this snapshot), so the one request whose volume grows with the snapshot, ``BatchGetItem`` of the stored
   hashes, is answered from memory with what moto holds, through botocore's own hook and response parser (as
   ``bench/storefront.py`` does); everything else (auth, jobs, SQS, the writes, events) goes to moto.
   ``--moto-reads`` sends the reads to moto too. Baseline of time: a bare ``BatchGetItem`` of the same keys
   with the same projection, answered the same way (the read no delta detection can skip), alternated with
   every 5th request and scaled to the whole snapshot.
3. **Prices to a channel**: a price table of as many prices, sent again with ``--changed`` of them repriced
   (chunks together), with a webhook endpoint subscribed to the stock and price deltas: the bus's events go
   through the template's rule to the fan-out function, then the delivery function POSTs them to a receiver
   (``responses``: no socket) that verifies each signature. Counted: write requests against the floor,
   events, deliveries and POSTs against one per changed price, and the webhook side's writes.

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
# The price phase's merchant has no products: moto answers a Query by walking the whole partition, and the
# fan-out's Query of the merchant's endpoints would walk 100,000 products for each event.
PRICES_MERCHANT = "bench-prices"
PRICE_TABLE = "varejo"
RECEIVER = "https://canal.example.com/vitrine"
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


def seed_stored_prices(count: int, table_name: str) -> tuple[list[dict], dict[tuple[str, str], dict]]:
    """A price table of ``count`` prices as the previous sync left it, written into moto's table directly (as
    ``seed_stored_state``); the snapshot the ERP sends, and the stored items by key."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    from vitrine.erp import delta
    from vitrine.repository import keys
    from vitrine.repository.items import to_item

    table = dynamodb_backends[DEFAULT_ACCOUNT_ID][ENVIRONMENT["AWS_REGION"]].get_table(table_name)
    declared = to_item({"PK": keys.merchant_pk(PRICES_MERCHANT), "SK": keys.price_table_sk(PRICE_TABLE)})
    declared |= to_item({"type": "price_table", "table_id": PRICE_TABLE, "name": "Varejo", "default": True})
    table.put_item(declared)
    snapshot, items = [], {(declared["PK"]["S"], declared["SK"]["S"]): declared}
    for i in range(count):
        price = {"table_id": PRICE_TABLE, "sku": f"SKU{i:06d}", "price": 4990 + i % 5000}
        marks = delta.sync_marks(delta.content_hash({"price": price["price"]}), "seed")
        item = to_item(
            {"PK": keys.prices_pk(PRICES_MERCHANT, PRICE_TABLE), "SK": price["sku"], "type": "price"}
            | {"price": price["price"]}
            | marks
        )
        table.put_item(item)
        items[(item["PK"]["S"], item["SK"]["S"])] = item
        snapshot.append(price)
    return snapshot, items


class Stack:
    """The template's two functions of the ERP path (and the webhook ones, once a channel subscribes), their
    queues, and DynamoDB requests counted with botocore's hooks."""

    def __init__(self, key: str) -> None:
        from local_stack.function_code import load_handler, template_functions
        from local_stack.routes import RouteTable
        from vitrine import aws

        self.key = key
        self.functions = {fn.logical_id: fn for fn in template_functions()}
        self.routes = RouteTable(route for fn in self.functions.values() for route in fn.routes)
        self.load_handler = load_handler
        self.api = load_handler(self.functions["StockSyncApiFunction"])
        self.consumer = load_handler(self.functions["StockSyncIngestFunction"])
        self.batch_size = self.functions["StockSyncIngestFunction"].queues[0].batch_size
        self.sqs, self.dynamodb = aws.client("sqs"), aws.client("dynamodb")
        self.clients = {"dynamodb": self.dynamodb, "sqs": self.sqs, "events": aws.client("events")}
        self.calls: Counter[str] = Counter()
        self.spent = {"dynamodb": 0.0, "sqs": 0.0, "events": 0.0}
        self._started: list[float] = []

    def post(self, path: str, items: list[dict]) -> str:
        from local_stack.http_api_payload import HttpRequest, build_event

        match = self.routes.match("POST", path)
        headers = {"host": "127.0.0.1", "content-type": "application/json", "authorization": f"Bearer {self.key}"}
        body = json.dumps({"items": items}, ensure_ascii=False).encode()
        request = HttpRequest(method="POST", target=match.route.path, headers=list(headers.items()), body=body)
        event = build_event(
            request, match.route.route_key, {}, request_id=str(uuid.uuid4()), account_id="123456789012", api_id="bench"
        )
        response = self.api(event, BenchContext())
        if response["statusCode"] != 202:
            raise SystemExit(f"ingest failed: {response['statusCode']} {response['body'][:300]}")
        return json.loads(response["body"])["job_id"]

    def receive_all(self, queue_url: str) -> list[dict]:
        messages = []
        while batch := self.sqs.receive_message(
            QueueUrl=queue_url, MaxNumberOfMessages=10, MessageSystemAttributeNames=["ApproximateReceiveCount"]
        ).get("Messages", []):
            messages += batch
            for message in batch:
                self.sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
        return messages

    def run(self, handler, messages: list[dict], batch_size: int) -> None:
        """Hand ``messages`` to ``handler`` in Lambda batches of ``batch_size``, as its event source would."""
        for start in range(0, len(messages), batch_size):
            records = [
                {
                    "messageId": m["MessageId"],
                    "receiptHandle": m["ReceiptHandle"],
                    "body": m["Body"],
                    "attributes": m.get("Attributes", {}),
                }
                for m in messages[start : start + batch_size]
            ]
            outcome = handler({"Records": records}, BenchContext())
            if outcome["batchItemFailures"]:
                raise SystemExit(f"{handler.__module__} failed records: {outcome}")

    def consume(self) -> int:
        messages = self.receive_all(os.environ["ERP_INGEST_QUEUE_URL"])
        self.run(self.consumer, messages, self.batch_size)
        return len(messages)

    def _count(self, model, params, **_):
        self.calls[model.name] += 1
        if model.name == "BatchWriteItem":
            self.calls["written items"] += sum(len(requests) for requests in params["RequestItems"].values())

    def _before_call(self, **_):
        self._started.append(time.perf_counter())

    def _after_call(self, model, **_):
        self.spent[model.service_model.endpoint_prefix] += time.perf_counter() - self._started.pop()

    @contextlib.contextmanager
    def measured(self):
        """DynamoDB requests counted and time in each AWS service summed meanwhile (from zero)."""
        self.calls.clear()
        self.spent.update(dynamodb=0.0, sqs=0.0, events=0.0)
        self.dynamodb.meta.events.register("before-parameter-build.dynamodb", self._count)
        for service, client in self.clients.items():
            # First, on the event the memory's answer listens to: that answer ends ``before-call`` for the rest.
            client.meta.events.register_first(f"before-call.{service}", self._before_call)
            client.meta.events.register(f"after-call.{service}", self._after_call)
        try:
            yield
        finally:
            self.dynamodb.meta.events.unregister("before-parameter-build.dynamodb", self._count)
            for service, client in self.clients.items():
                client.meta.events.unregister(f"before-call.{service}", self._before_call)
                client.meta.events.unregister(f"after-call.{service}", self._after_call)


def end_to_end(stack: Stack, path: str, items: list[dict], *, together: bool, bare_read=None) -> tuple[dict, list[str]]:
    """The snapshot through the ERP API, SQS and the consumer in requests of 1,000; requests counted, time in
    AWS calls apart. ``together``: the consumer runs once the template's batch size of requests queued up (ten
    requests sent in a row, as a snapshot is), else after each request (each Lambda batch one chunk: how every
    chunk was applied before chunks shared write streams). ``bare_read``: the baseline read, every 5th request."""
    requests = [items[start : start + REQUEST_ITEMS] for start in range(0, len(items), REQUEST_ITEMS)]
    messages, sync_seconds, baseline_seconds, baseline_items, job_ids = 0, 0.0, 0.0, 0, []
    with stack.measured():
        for number, request in enumerate(requests):
            start = time.perf_counter()
            job_ids.append(stack.post(path, request))
            if not together or (number + 1) % stack.batch_size == 0 or number + 1 == len(requests):
                messages += stack.consume()
            sync_seconds += time.perf_counter() - start
            if bare_read is not None and number % BASELINE_EVERY == 0:
                before = dict(stack.calls), stack.spent["dynamodb"]
                start = time.perf_counter()
                bare_read(request)
                baseline_seconds += time.perf_counter() - start
                baseline_items += len(request)
                # The baseline's own read is not the sync's: take it out of the counts and the DynamoDB time.
                stack.calls.clear()
                stack.calls.update(before[0])
                stack.spent["dynamodb"] = before[1]
    return {
        "requests": len(requests),
        "messages": messages,
        "calls": dict(stack.calls),
        "sync_seconds": sync_seconds,
        "dynamodb_seconds": stack.spent["dynamodb"],
        "queue_and_bus_seconds": stack.spent["sqs"] + stack.spent["events"],
        "baseline_per_item": baseline_seconds / baseline_items if baseline_items else None,
    }, job_ids


def check_jobs(job_ids: list[str], total: int, changed: int, merchant_id: str = MERCHANT) -> None:
    """Every item was checked, exactly the changed ones applied: the jobs' counts say so."""
    from vitrine.repository import erp_jobs

    counted = Counter()
    for job_id in job_ids:
        job = erp_jobs.get_job(merchant_id, job_id)
        counted.update({name: job.get(name, 0) for name in erp_jobs.COUNTERS})
    expected = {"applied": changed, "unchanged": total - changed, "stale": 0, "rejected": 0}
    if dict(counted) != expected:
        raise SystemExit(f"the jobs counted {dict(counted)}, not {expected}")


def products_phase(
    stack: Stack, products: list[dict], samples: list[set[str]], memory: dict[tuple[str, str], dict]
) -> dict[str, dict]:
    """The product snapshot twice, a different share renamed each time: chunks alone, then together. The reads
    answered from ``memory`` see what the first run wrote (read back from moto between the runs)."""
    from vitrine.repository import assortment, keys

    results = {}
    stored_names = {p["sku"]: p["name"] for p in products}
    for mode, changed in zip(("alone", "together"), samples, strict=True):
        suffix = f" ({mode})"
        resent = [{**p, "name": p["name"] + suffix} if p["sku"] in changed else p for p in products]
        resent = [{**p, "name": stored_names[p["sku"]]} if p["sku"] not in changed else p for p in resent]
        e2e, job_ids = end_to_end(
            stack,
            "/erp/v1/products",
            resent,
            together=mode == "together",
            bare_read=lambda items: assortment.synced_products(MERCHANT, [item["sku"] for item in items]),
        )
        check_jobs(job_ids, len(products), len(changed))
        written = sum(1 for sku in changed if assortment.get_product(MERCHANT, sku).name.endswith(suffix))
        if written != len(changed):
            raise SystemExit(f"only {written} of {len(changed)} changed products were written")
        stored_names.update({sku: stored_names[sku] + suffix for sku in changed})
        for sku in changed:
            key = {"PK": {"S": keys.merchant_pk(MERCHANT)}, "SK": {"S": keys.product_sk(sku)}}
            item = stack.dynamodb.get_item(TableName=ENVIRONMENT["TABLE_NAME"], Key=key, ConsistentRead=True)["Item"]
            memory[(key["PK"]["S"], key["SK"]["S"])] = item
        e2e["changed"] = len(changed)
        results[mode] = e2e
    return results


def subscribe_channel(stack: Stack) -> tuple[dict[str, str], list]:
    """An endpoint of the merchant subscribed to the price and stock deltas, the template's bus rule to the
    fan-out queue, and a receiver (``responses``: no socket) that verifies each POST's signature."""
    import responses
    from standardwebhooks.webhooks import Webhook

    from local_stack.template import load_template
    from vitrine import aws
    from vitrine.webhooks.endpoints import NewWebhookEndpoint, create_endpoint

    resources = load_template()["Resources"]
    queues = {name: stack.sqs.create_queue(QueueName=f"bench-{name}")["QueueUrl"] for name in ("fan-out", "deliveries")}
    os.environ["OUTBOUND_WEBHOOK_QUEUE_URL"] = queues["deliveries"]
    variables = resources["OutboundWebhookDeliveryFunction"]["Properties"]["Environment"]["Variables"]
    os.environ["OUTBOUND_WEBHOOK_MAX_ATTEMPTS"] = variables["OUTBOUND_WEBHOOK_MAX_ATTEMPTS"]
    from vitrine.settings import get_settings

    get_settings.cache_clear()
    arn = stack.sqs.get_queue_attributes(QueueUrl=queues["fan-out"], AttributeNames=["QueueArn"])["Attributes"]
    events = aws.client("events")
    pattern = resources["OutboundWebhookEventsRule"]["Properties"]["EventPattern"]
    events.put_rule(Name="webhooks", EventBusName=ENVIRONMENT["EVENT_BUS_NAME"], EventPattern=json.dumps(pattern))
    events.put_targets(
        Rule="webhooks", EventBusName=ENVIRONMENT["EVENT_BUS_NAME"], Targets=[{"Id": "f", "Arn": arn["QueueArn"]}]
    )
    endpoint = create_endpoint(
        PRICES_MERCHANT, NewWebhookEndpoint(url=RECEIVER, event_types=["PricesChanged", "StockLevelsChanged"])
    )
    received: list = []

    def receive(request):
        received.append(Webhook(endpoint.secret).verify(request.body, dict(request.headers)))
        return 200, {}, ""

    mock = responses.RequestsMock(assert_all_requests_are_fired=False)
    mock.add_callback(responses.POST, RECEIVER, callback=receive)
    mock.start()
    return queues, received


def push_to_channel(stack: Stack, queues: dict[str, str]) -> dict:
    """The bus's events through the fan-out and delivery functions, in their template batch sizes."""
    fan_out_fn = stack.functions["OutboundWebhookFanOutFunction"]
    delivery_fn = stack.functions["OutboundWebhookDeliveryFunction"]
    fan_out = stack.load_handler(fan_out_fn)
    deliver = stack.load_handler(delivery_fn)
    start = time.perf_counter()
    with stack.measured():
        events = stack.receive_all(queues["fan-out"])
        stack.run(fan_out, events, fan_out_fn.queues[0].batch_size)
        deliveries = stack.receive_all(queues["deliveries"])
        stack.run(deliver, deliveries, delivery_fn.queues[0].batch_size)
    writes = sum(stack.calls.get(name, 0) for name in ("PutItem", "UpdateItem", "BatchWriteItem"))
    return {
        "events": len(events),
        "deliveries": len(deliveries),
        "writes": writes,
        "seconds": time.perf_counter() - start,
    }


def prices_phase(stack: Stack, snapshot: list[dict], changed: set[str], queues: dict[str, str], received: list) -> dict:
    from vitrine.repository import keys, table

    resent = [{**p, "price": p["price"] + 100} if p["sku"] in changed else p for p in snapshot]
    e2e, job_ids = end_to_end(stack, "/erp/v1/prices", resent, together=True)
    check_jobs(job_ids, len(snapshot), len(changed), PRICES_MERCHANT)
    e2e["changed"] = len(changed)
    e2e["push"] = push_to_channel(stack, queues)
    pushed = [(p["sku"], p["price"], p["previous_price"]) for event in received for p in event["data"]["prices"]]
    expected = sorted((p["sku"], p["price"] + 100, p["price"]) for p in snapshot if p["sku"] in changed)
    if sorted(pushed) != expected:
        raise SystemExit(f"the channel got {len(pushed)} prices, not the {len(changed)} changed, once each")
    pk = keys.prices_pk(PRICES_MERCHANT, PRICE_TABLE)
    if any(table.get(pk, sku)["price"] != price for sku, price, _ in expected):
        raise SystemExit("a changed price was not written")
    e2e["pushed"] = len(pushed)
    e2e["posts"] = len(received)
    return e2e


def render(args, cpu: dict[str, list[float]], products: dict[str, dict], prices: dict, seconds: float) -> str:
    skus = args.skus
    delta_cpu, baseline_cpu = statistics.median(cpu["delta"]), statistics.median(cpu["baseline"])
    alone, together = products["alone"], products["together"]
    changed = together["changed"]
    floor = math.ceil(changed / 25)

    def batch_writes(e2e: dict) -> int:
        return e2e["calls"].get("BatchWriteItem", 0)

    def bookkeeping(e2e: dict) -> str:
        return f"PutItem x{e2e['calls'].get('PutItem', 0)}, UpdateItem x{e2e['calls'].get('UpdateItem', 0)}"

    sync = together["sync_seconds"]
    own = sync - together["dynamodb_seconds"] - together["queue_and_bus_seconds"]
    bare_read = together["baseline_per_item"] * skus
    calls = together["calls"]
    reads = ", ".join(f"{name} x{calls[name]}" for name in ("BatchGetItem", "GetItem", "Query") if calls.get(name))
    price_floor = math.ceil(prices["changed"] / 25)
    push = prices["push"]
    load = os.getloadavg()[0]
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
            f"- Products: a snapshot of {skus:,} products (3 variants, 2 classifiers, an image URL: "
            f"~{together['bytes_per_item']} bytes of JSON each) already stored by a previous sync, sent again as "
            f"{together['requests']} requests of {REQUEST_ITEMS:,} to `POST /erp/v1/products` through the ERP API's "
            "handler, SQS and the ingest consumer's handler; twice, with a different "
            f"{changed:,} ({args.changed:.0%}) renamed each time: first with each chunk applied alone (the consumer "
            "run after every request, each Lambda batch one message: how every chunk was applied before, the "
            f"baseline), then with chunks applied together (the consumer run once {together['batch']} requests "
            "queued up, the template's `BatchSize`, as when a snapshot is sent in a row).",
            f"- Prices and a channel: a table of {skus:,} prices stored (another merchant, without products: moto "
            "walks a whole partition for the fan-out's Query of endpoints), sent again with "
            f"{prices['changed']:,} changed (chunks together), with one webhook endpoint subscribed to "
            "`PricesChanged` and `StockLevelsChanged`; the bus's events run through the template's rule, the "
            "fan-out and the delivery functions to a receiver (`responses`, no socket) that verifies each signature.",
            "",
            "| measure | result | baseline / floor | ratio |",
            "|---|---|---|---|",
            f"| delta detection CPU (check + hash + compare), median of {args.rounds} | "
            f"{delta_cpu:.2f} s ({delta_cpu / skus * 1e6:.1f} µs/item) | JSON round trip of each item: "
            f"{baseline_cpu:.2f} s ({baseline_cpu / skus * 1e6:.1f} µs/item) | **{delta_cpu / baseline_cpu:.1f}x** |",
            f"| product write requests, chunks applied alone (baseline) | BatchWriteItem x{batch_writes(alone)} "
            f"({alone['calls'].get('written items', 0):,} items) | ceil({changed:,} / 25) = {floor} | "
            f"{batch_writes(alone) / floor:.1f}x |",
            f"| product write requests, chunks applied together | BatchWriteItem x{batch_writes(together)} "
            f"({calls.get('written items', 0):,} items) | ceil({changed:,} / 25) = {floor} | "
            f"**{batch_writes(together) / floor:.1f}x** ({batch_writes(together) / batch_writes(alone):.2f}x the "
            "baseline) |",
            f"| job bookkeeping writes (both runs alike) | {bookkeeping(together)} | a job record per request, a "
            "count per chunk | not in the floor |",
            f"| price write requests, chunks together | BatchWriteItem x{prices['calls'].get('BatchWriteItem', 0)} "
            f"({prices['calls'].get('written items', 0):,} items); {bookkeeping(prices)} | "
            f"ceil({prices['changed']:,} / 25) = {price_floor} | "
            f"**{prices['calls'].get('BatchWriteItem', 0) / price_floor:.1f}x** |",
            f"| price deltas to the channel | {push['events']} events, {push['deliveries']} deliveries, "
            f"{prices['posts']} signed POSTs carrying {prices['pushed']:,} prices (each changed price once) | "
            f"one POST per changed price: {prices['changed']:,} | **{prices['posts'] / prices['changed']:.3f}x** "
            "the POSTs |",
            f"| webhook writes (fan-out record + queued mark, attempt) | {push['writes']} | "
            f"per changed price: {3 * prices['changed']:,} | {push['writes'] / (3 * prices['changed']):.3f}x |",
            f"| product reads (together) | {reads} | ceil({skus:,} / 100) = {math.ceil(skus / 100)} BatchGetItem | |",
            f"| SQS messages (together) | {together['messages']} | {together['requests']} requests | |",
            f"| products end to end (together), items/s | {skus / sync:,.0f} ({sync:.1f} s) | bare BatchGetItem "
            f"of the same keys: {skus / bare_read:,.0f} ({bare_read:.1f} s) | **{sync / bare_read:.2f}x** the time |",
            f"| products end to end (alone), items/s | {skus / alone['sync_seconds']:,.0f} "
            f"({alone['sync_seconds']:.1f} s) | | {alone['sync_seconds'] / sync:.2f}x the together run's time |",
            f"| of which in DynamoDB calls (reads from memory, the rest moto) | {together['dynamodb_seconds']:.1f} s "
            "| | |",
            f"| of which in SQS and EventBridge calls (moto) | {together['queue_and_bus_seconds']:.1f} s | | |",
            f"| of which Vitrine's code (ingest + consumer) | {own:.1f} s: {skus / own:,.0f} items/s | | |",
            f"| prices end to end, items/s | {skus / prices['sync_seconds']:,.0f} ({prices['sync_seconds']:.1f} s)"
            f"; the channel's push {push['seconds']:.1f} s (mostly moto's, untuned: not a figure of this bench) | | |",
            "",
            "The delta check costs what pydantic's validation and one SHA-256 of each item's canonical JSON cost; it",
            "runs in the consumer, against hashes read with `BatchGetItem` (projection: keys, hash, job, and for",
            "prices the price and the one it replaced). Only the changed items are written. Applied alone, each",
            "SQS message (one per 1,000-item request: items travel gzipped) with a change costs at least one",
            "`BatchWriteItem`; applied together, the product and price chunks of one Lambda batch share one stream of",
            "25-item writes, so ten requests with ten changes each cost 4 requests; each Lambda batch rounds up on",
            "its own (ten requests holding 104 changes cost 5), which is what is left above the floor. The floor",
            "counts item writes only: each request is still its own job, written once when accepted and counted",
            "once per chunk (a conditional `UpdateItem` that makes a redelivered chunk count once; the chunks of",
            "one job in one Lambda batch share it), the same in both runs. Stock",
            "levels are not batched at all: each changed level is one conditional `UpdateItem` (its sequence check",
            "cannot ride in a `BatchWriteItem`), and a level whose sequence did not move costs no write. Deltas go",
            "to channels one event per chunk with a change, carrying every changed item's values, so a subscribed",
            "endpoint gets one POST per chunk, and each POST costs the webhook side its three writes (delivery",
            "record, queued mark, attempt), instead of one of each per changed item. moto spends far longer per",
            "item than DynamoDB, so the end-to-end rates are floors; ratios within the run are what carries over.",
            END,
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skus", type=int, default=100_000)
    parser.add_argument("--changed", type=float, default=0.01, help="share of the items changed")
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
    share = round(args.skus * args.changed)
    sample = random.Random(7).sample([p["sku"] for p in products], 3 * share)
    samples = [set(sample[:share]), set(sample[share : 2 * share])]
    price_changes = set(sample[2 * share :])
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
        prices_key = issue_api_key(PRICES_MERCHANT, scopes=["erp"], name="bench")
        stored, items = seed_stored_state(products, ENVIRONMENT["TABLE_NAME"])
        price_snapshot, price_items = seed_stored_prices(args.skus, ENVIRONMENT["TABLE_NAME"])
        items |= price_items
        resent = [{**p, "name": p["name"] + " (novo)"} if p["sku"] in samples[0] else p for p in products]
        cpu = cpu_phase(resent, stored, args.rounds)
        stack = Stack(key)
        with contextlib.nullcontext() if args.moto_reads else reads_from_memory(items):
            stack.post("/erp/v1/products", products[:1])  # warm: handlers imported, clients created, as warm Lambdas
            stack.consume()
            by_mode = products_phase(stack, products, samples, items)
            queues, received = subscribe_channel(stack)
            stack.key = prices_key
            prices = prices_phase(stack, price_snapshot, price_changes, queues, received)
        by_mode["together"]["bytes_per_item"] = round(
            len(json.dumps(resent[:1000], ensure_ascii=False).encode()) / 1000
        )
        by_mode["together"]["batch"] = stack.batch_size
    report = render(args, cpu, by_mode, prices, time.perf_counter() - began)
    print(report)
    if not args.no_write:
        write_section("stock_sync", report)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The ERP sync bench's phases: the delta check's CPU, the product snapshot end to end (chunks alone, then
together), a stock snapshot's counts, and the price snapshot through a subscribed channel; each checks what it
wrote."""

import json
import os
import time
from collections import Counter

from stock_sync_data import (
    BASELINE_EVERY,
    ENVIRONMENT,
    MERCHANT,
    PRICE_TABLE,
    PRICES_MERCHANT,
    RECEIVER,
    REQUEST_ITEMS,
    STOCK_MERCHANT,
    STOCK_STORE,
)
from stock_sync_stack import Stack


def cpu_phase(products: list[dict], stored: dict[str, dict], rounds: int) -> dict[str, list[float]]:
    """CPU seconds of the delta check and of the JSON round-trip baseline, alternated."""
    from vitrine.erp import delta
    from vitrine.erp.product_models import ErpProduct

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


def stock_phase(stack: Stack, snapshot: list[dict], changed: set[str]) -> dict:
    """The store's counts sent again, ``changed`` of them moved (a sale: one less, the next sequence), chunks
    together: what each chunk reads (the stored levels, the variant index) and writes (the moved levels)."""
    from vitrine.repository import keys, table

    resent = [{**lv, "on_hand": lv["on_hand"] - 1, "sequence": 2} if lv["sku"] in changed else lv for lv in snapshot]
    e2e, job_ids = end_to_end(stack, "/erp/v1/stock", resent, together=True)
    check_jobs(job_ids, len(snapshot), len(changed), STOCK_MERCHANT)
    # GetItem: moto's own answer (the memory answers BatchGetItem with what was seeded).
    if any(table.get(keys.stock_pk(STOCK_MERCHANT, STOCK_STORE), sku)["sequence"] != 2 for sku in changed):
        raise SystemExit("a moved stock level was not written")
    e2e["changed"] = len(changed)
    e2e["levels"] = len(snapshot)
    return e2e


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

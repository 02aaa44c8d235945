"""The ERP sync bench's report: its section of ``bench/RESULTS.md``, the figures set against their floors."""

import math
import os
import platform
import statistics
from datetime import UTC, datetime

from bench_results import markers
from stock_sync_data import REQUEST_ITEMS

BEGIN, END = markers("stock_sync")


def render(
    args, cpu: dict[str, list[float]], products: dict[str, dict], counts: dict, prices: dict, seconds: float
) -> str:
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
    stock_calls = counts["calls"]
    stock_reads = ", ".join(
        f"{name} x{stock_calls[name]}" for name in ("BatchGetItem", "Query") if stock_calls.get(name)
    )
    # The stored levels' own read, 100 keys a request per chunk: what a count costs without the variant index.
    from vitrine.erp.jobs import CHUNK_ITEMS
    from vitrine.erp.models import BatchKind

    chunk = CHUNK_ITEMS[BatchKind.STOCK]
    level_reads = math.ceil(counts["levels"] / chunk) * math.ceil(chunk / 100)
    stock_writes = stock_calls.get("UpdateItem", 0) + stock_calls.get("PutItem", 0)
    stock_floor = counts["changed"] + 2 * counts["requests"]
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
            f"- Stock: one store's {counts['levels']:,} levels stored (another merchant, holding the variant index "
            "of their SKUs as a products sync leaves it), sent again as "
            f"{counts['requests']} requests to `POST /erp/v1/stock` with {counts['changed']:,} of them moved "
            "(chunks together): what each 500-level chunk reads (the stored levels, the variant index that tells "
            "a merchant's SKU from an unknown one) and writes.",
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
            f"| stock reads, chunks together ({counts['levels']:,} levels, {counts['requests']} requests) | "
            f"{stock_reads} | the stored levels alone: BatchGetItem x{level_reads} | "
            f"**{stock_calls.get('BatchGetItem', 0) / level_reads:.1f}x** |",
            f"| stock write requests ({counts['changed']:,} levels moved) | UpdateItem "
            f"x{stock_calls.get('UpdateItem', 0)}, PutItem x{stock_calls.get('PutItem', 0)} | one per moved level, "
            f"and per request its job and one count: {stock_floor} | {stock_writes / stock_floor:.2f}x |",
            f"| stock end to end, levels/s | {counts['levels'] / counts['sync_seconds']:,.0f} "
            f"({counts['sync_seconds']:.1f} s) | | |",
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
            "cannot ride in a `BatchWriteItem`), and a level whose sequence did not move costs no write. What a",
            "stock chunk reads is the stored levels and the variant index (a count for a SKU that is no variant of",
            "the merchant's is rejected `unknown_sku`), each one `BatchGetItem` per 100 SKUs, and its stores (a",
            "Query). Products write their variants' index items only when their grid changes, in their own",
            "`BatchWriteItem` requests, so a renamed product costs the index nothing. Deltas go",
            "to channels one event per chunk with a change, carrying every changed item's values, so a subscribed",
            "endpoint gets one POST per chunk, and each POST costs the webhook side its three writes (delivery",
            "record, queued mark, attempt), instead of one of each per changed item. moto spends far longer per",
            "item than DynamoDB, so the end-to-end rates are floors; ratios within the run are what carries over.",
            END,
        ]
    )

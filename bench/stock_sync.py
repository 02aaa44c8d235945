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
3. **Stock counts**: one store's 10,000 levels stored, sent again with ``--changed`` of them moved, chunks
   together: the DynamoDB requests each chunk makes (reading the stored levels and the variant index that tells a
   merchant's SKU from an unknown one, writing the moved levels) against the reads of the stored levels alone.
4. **Prices to a channel**: a price table of as many prices, sent again with ``--changed`` of them repriced
   (chunks together), with a webhook endpoint subscribed to the stock and price deltas: the bus's events go
   through the template's rule to the fan-out function, then the delivery function POSTs them to a receiver
   (``responses``: no socket) that verifies each signature. Counted: write requests against the floor,
   events, deliveries and POSTs against one per changed price, and the webhook side's writes.

The results replace the stock_sync section of ``bench/RESULTS.md`` (between its markers); other sections are kept.
The data and seeding are in ``stock_sync_data.py``, the handlers' harness in ``stock_sync_stack.py``, the phases in
``stock_sync_phases.py``, the report in ``stock_sync_report.py``.
"""

import argparse
import contextlib
import json
import os
import random
import sys
import time

from bench_env import create_table_and_bus
from bench_results import write_section
from stock_sync_data import (
    ENVIRONMENT,
    MERCHANT,
    PRICES_MERCHANT,
    STOCK_LEVELS,
    STOCK_MERCHANT,
    reads_from_memory,
    seed_stored_prices,
    seed_stored_state,
    seed_stored_stock,
    snapshot_products,
)
from stock_sync_phases import cpu_phase, prices_phase, products_phase, stock_phase, subscribe_channel
from stock_sync_report import render
from stock_sync_stack import Stack


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

    from vitrine import aws
    from vitrine.auth.api_keys import issue_api_key

    products = snapshot_products(args.skus)
    share = round(args.skus * args.changed)
    sample = random.Random(7).sample([p["sku"] for p in products], 3 * share)
    samples = [set(sample[:share]), set(sample[share : 2 * share])]
    price_changes = set(sample[2 * share :])
    with mock_aws():
        create_table_and_bus(ENVIRONMENT)
        os.environ["ERP_INGEST_QUEUE_URL"] = aws.client("sqs").create_queue(QueueName="erp-ingest")["QueueUrl"]
        aws.reset_clients()
        # Before the seed: moto copies the whole table for a transaction (the key and its lookup are one).
        key = issue_api_key(MERCHANT, scopes=["erp"], name="bench")
        prices_key = issue_api_key(PRICES_MERCHANT, scopes=["erp"], name="bench")
        stock_key = issue_api_key(STOCK_MERCHANT, scopes=["erp"], name="bench")
        stored, items = seed_stored_state(products, ENVIRONMENT["TABLE_NAME"])
        price_snapshot, price_items = seed_stored_prices(args.skus, ENVIRONMENT["TABLE_NAME"])
        stock_snapshot, stock_items = seed_stored_stock(STOCK_LEVELS, ENVIRONMENT["TABLE_NAME"])
        items |= price_items | stock_items
        stock_changes = set(
            random.Random(11).sample([lv["sku"] for lv in stock_snapshot], round(STOCK_LEVELS * args.changed))
        )
        resent = [{**p, "name": p["name"] + " (novo)"} if p["sku"] in samples[0] else p for p in products]
        cpu = cpu_phase(resent, stored, args.rounds)
        stack = Stack(key)
        with contextlib.nullcontext() if args.moto_reads else reads_from_memory(items):
            stack.post("/erp/v1/products", products[:1])  # warm: handlers imported, clients created, as warm Lambdas
            stack.consume()
            by_mode = products_phase(stack, products, samples, items)
            stack.key = stock_key
            counts = stock_phase(stack, stock_snapshot, stock_changes)
            queues, received = subscribe_channel(stack)
            stack.key = prices_key
            prices = prices_phase(stack, price_snapshot, price_changes, queues, received)
        by_mode["together"]["bytes_per_item"] = round(
            len(json.dumps(resent[:1000], ensure_ascii=False).encode()) / 1000
        )
        by_mode["together"]["batch"] = stack.batch_size
    report = render(args, cpu, by_mode, counts, prices, time.perf_counter() - began)
    print(report)
    if not args.no_write:
        write_section("stock_sync", report)
    return 0


if __name__ == "__main__":
    sys.exit(main())

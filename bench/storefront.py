"""Storefront benchmark: the weight of the catalog page a share link opens, and what a view costs as the catalog
grows, before (every view computed from the merchant's assortment, as main did before the read model) and after
(views read the catalog's read model, issue 15).

``.venv/bin/python bench/storefront.py`` (``--sizes 500,5000,50000`` for the catalogs measured, default 500 and
5,000; ``--runs N`` for more rounds; ``--no-write`` to only print). In one process, under ``moto.mock_aws``
(in-process DynamoDB, resources shaped by infra/template.yaml, as the integration tests do), through the
catalog_api handler with the local stack's own route table and payload v2 events:

1. **Weight**: the demo merchant (``local_stack.seed``) and ``GET /c/demo``: bytes of the HTML before images
   (target: under 50 KB uncompressed), and the page of each benched catalog.
2. **Per view**, for each size (products of 3 variants, stock in 2 stores, every product in one published
   catalog): ``GET /c/bench`` and ``GET /api/catalogs/bench`` against ``GET /health``, alternated round by round;
   ratio = median(view) / median(/health). Every DynamoDB answer is recorded once from moto and replayed from
   memory through botocore's own parser (moto takes seconds to answer the reads "before" would make, which would
   measure moto, not the handler); DynamoDB requests and response bytes are counted per view. "Before" is the
   view with no read model built: the live path, main's code before issue 15. "After" is the read model's.
3. **The read model's own cost**: a full rebuild's time against moto, its DynamoDB requests, its own time (run
   again with moto's answers replayed from memory) and the peak of Python memory it allocates (``tracemalloc``
   over the replayed run, so none of moto's allocations are in it: ``rebuild_cost``), and the items and bytes one
   changed SKU writes (a count that hides a product, through the consumer's use case).

moto's in-process DynamoDB is run with three shortcuts (``moto_speed.py``): without them a Query walks every item
of the table (reading a partition page by page grew with the square of the catalog) and a transaction deep-copies
the whole table, so 50,000 products took hours.

The results replace the storefront section of ``bench/RESULTS.md`` (between its markers); other sections are kept.
"""

import argparse
import contextlib
import io
import json
import logging
import os
import platform
import statistics
import sys
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path

from bench_env import answer_dynamodb, create_table_and_bus, http_event, in_process_environment
from bench_results import RESULTS, markers, write_section
from moto_speed import faster_moto

from local_stack.lambda_context import LambdaContext

ROOT = Path(__file__).resolve().parents[1]
BEGIN, END = markers("storefront")
BUDGET_BYTES = 50 * 1000
SIZES = ("P", "M", "G")
BENCH_MERCHANT, BENCH_SLUG = "bench-merchant", "bench"
ENVIRONMENT = in_process_environment("catalog_api", IMAGES_BUCKET="vitrine-bench-images")


def catalog_api_context() -> LambdaContext:
    return LambdaContext(
        function_name="vitrine-bench-CatalogApiFunction",
        memory_limit_in_mb=1024,
        log_group_name="/aws/lambda/vitrine-bench",
        log_stream_name="bench",
    )


class Handler:
    """The catalog_api handler, called with the event API Gateway would send for a GET."""

    def __init__(self) -> None:
        from local_stack.function_code import import_handler_module, template_functions
        from local_stack.routes import RouteTable

        functions = {fn.logical_id: fn for fn in template_functions()}
        function = functions["CatalogApiFunction"]
        self.routes = RouteTable(function.routes)
        self.handler = getattr(import_handler_module(function), function.function_name)

    def get(self, path: str) -> dict:
        event = http_event(self.routes, "GET", path, {"host": "vitrine.example.com"})
        # Powertools Metrics prints its EMF line to stdout at every invocation: the same cost for every route.
        with contextlib.redirect_stdout(io.StringIO()):
            response = self.handler(event, catalog_api_context())
        assert response["statusCode"] == 200, (path, response["statusCode"], response["body"][:300])
        return response


class RecordedDynamoDB:
    """DynamoDB answers recorded once from moto, then replayed from memory (see the module docstring)."""

    def __init__(self) -> None:
        self.bodies: dict[str, bytes] = {}

    @staticmethod
    def _key(model, params) -> str:
        body = params.get("body") or b""
        return model.name + " " + (body.decode() if isinstance(body, bytes) else str(body))

    @contextlib.contextmanager
    def recording(self):
        from vitrine import aws

        def before(model, params, context, **_kwargs):
            context["bench_key"] = self._key(model, params)

        def after(http_response, context, **_kwargs):
            self.bodies[context["bench_key"]] = http_response.content

        events = aws.client("dynamodb").meta.events
        events.register("before-call.dynamodb.*", before, unique_id="bench-record-before")
        events.register("after-call.dynamodb.*", after, unique_id="bench-record-after")
        try:
            yield
        finally:
            events.unregister("before-call.dynamodb.*", unique_id="bench-record-before")
            events.unregister("after-call.dynamodb.*", unique_id="bench-record-after")

    def recorded(self, model, params) -> bytes:
        return self.bodies[self._key(model, params)]  # a request never recorded is a bench bug: KeyError

    def replaying(self):
        """Every DynamoDB request answered from memory with its recorded response."""
        return answer_dynamodb(self.recorded, "before-call.dynamodb.*", "bench-replay")


def create_resources() -> None:
    from vitrine import aws

    create_table_and_bus(ENVIRONMENT)
    aws.client("s3").create_bucket(Bucket=ENVIRONMENT["IMAGES_BUCKET"])


def seed_catalog(products: int) -> float:
    """A merchant with ``products`` products (3 variants, stock in 2 stores) in one published catalog, written in
    ``BatchWriteItem`` requests (as an ERP sync writes them); returns the seconds it took."""
    from vitrine.catalogs.models import (
        Catalog,
        CatalogSelection,
        CatalogStatus,
        FulfilmentKind,
        Image,
        Product,
        Store,
        Variant,
    )
    from vitrine.repository import catalogs, keys, stores, table
    from vitrine.repository.items import model_item

    started = time.perf_counter()
    stores.put_store(
        BENCH_MERCHANT,
        Store(code="0001", name="Loja Centro", city="São Paulo", fulfilment=[FulfilmentKind.PICKUP]),
    )
    stores.put_store(
        BENCH_MERCHANT, Store(code="9900", name="Online", online=True, fulfilment=[FulfilmentKind.DELIVERY])
    )
    families = ["Camisetas", "Calças", "Tênis", "Bonés", "Meias"]
    pk = keys.merchant_pk(BENCH_MERCHANT)
    batch: list[dict] = []
    for n in range(products):
        sku = f"B{n:05d}"
        variants = [Variant(sku=f"{sku}-{size}", size=size, colour="Preto") for size in SIZES]
        product = Product(
            sku=sku,
            name=f"Produto de teste número {n}",
            brand="Marca",
            classifiers=["Loja", families[n % len(families)]],
            variants=variants,
            images=[Image(key=f"merchants/{BENCH_MERCHANT}/products/{sku}.jpg", width=600, height=600)],
        )
        batch.append(
            model_item(product, pk=pk, sk=keys.product_sk(sku), item_type="product")
            | {"indexed_variants": [v.sku for v in variants]}
        )
        batch += [{"PK": pk, "SK": keys.variant_sk(v.sku), "type": "variant", "product_sku": sku} for v in variants]
        for index, variant in enumerate(variants):
            for store in ("0001", "9900"):
                units = (n + index) % 7
                batch.append(
                    {
                        "PK": keys.stock_pk(BENCH_MERCHANT, store),
                        "SK": variant.sku,
                        "type": "stock",
                        "store_code": store,
                        "on_hand": units,
                        "reserved": 0,
                        "available": units,
                        "sequence": 1,
                    }
                )
        batch.append({"PK": keys.prices_pk(BENCH_MERCHANT, "varejo"), "SK": sku, "type": "price", "price": 1990 + n})
        if len(batch) >= 2500:
            table.batch_put(batch)
            batch = []
    table.batch_put(batch)
    catalogs.create_catalog(
        Catalog(
            catalog_id="cat-bench",
            merchant_id=BENCH_MERCHANT,
            slug=BENCH_SLUG,
            title=f"Catálogo de {products:,} produtos",
            description="Benchmark",
            status=CatalogStatus.PUBLISHED,
            price_table_id="varejo",
            store_codes=["0001", "9900"],
            selection=CatalogSelection(all_active_online=True),
        )
    )
    return time.perf_counter() - started


def drop_catalog() -> None:
    """Empty the table between sizes (a fresh table: moto's queries slow down with every item it holds)."""
    from vitrine import aws

    aws.client("dynamodb").delete_table(TableName=ENVIRONMENT["TABLE_NAME"])
    aws.client("events").delete_event_bus(Name=ENVIRONMENT["EVENT_BUS_NAME"])
    create_table_and_bus(ENVIRONMENT)


def weigh_demo_page(handler: Handler) -> int:
    from local_stack.seed import seed_demo

    seed_demo({})
    return len(handler.get("/c/demo")["body"].encode())


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))]


PATHS = {"health": "/health", "page": f"/c/{BENCH_SLUG}", "json": f"/api/catalogs/{BENCH_SLUG}"}


def measure(handler: Handler, runs: int, paths: dict[str, str] = PATHS) -> dict[str, list[float]]:
    """Milliseconds per call of each path, alternated round by round (in a rotating order) after one warm-up."""
    for path in paths.values():
        handler.get(path)
    samples: dict[str, list[float]] = {name: [] for name in paths}
    names = list(paths)
    for round_number in range(runs):
        turn = round_number % len(names)
        for name in names[turn:] + names[:turn]:
            started = time.perf_counter()
            handler.get(paths[name])
            samples[name].append((time.perf_counter() - started) * 1000)
    return samples


@contextlib.contextmanager
def counted_reads():
    """DynamoDB requests and response bytes of the block (from the recorded answers while replaying)."""
    from vitrine import aws

    seen = {"requests": 0, "bytes": 0}

    def count(http_response, **_kwargs):
        seen["requests"] += 1
        seen["bytes"] += len(http_response.content or b"")

    events = aws.client("dynamodb").meta.events
    events.register("after-call.dynamodb.*", count, unique_id="bench-count")
    try:
        yield seen
    finally:
        events.unregister("after-call.dynamodb.*", unique_id="bench-count")


def view_cost(handler: Handler, path: str) -> dict:
    with counted_reads() as seen:
        body = handler.get(path)["body"]
    return {**seen, "page_bytes": len(body.encode())}


def measure_views(handler: Handler, runs: int) -> dict:
    """Record the views' DynamoDB answers from moto, then time them replayed; with each view's request count."""
    recorded = RecordedDynamoDB()
    with recorded.recording():
        costs = {name: view_cost(handler, path) for name, path in PATHS.items() if name != "health"}
        handler.get(PATHS["health"])
    with recorded.replaying():
        samples = measure(handler, runs)
    med = {name: statistics.median(values) for name, values in samples.items()}
    return {
        "median": med,
        "p90": {name: percentile(values, 0.9) for name, values in samples.items()},
        "ratio": {name: med[name] / med["health"] for name in ("page", "json")},
        "costs": costs,
    }


def rebuild_cost() -> dict:
    """A full rebuild: against moto (timed, its DynamoDB requests counted and recorded), then twice more answered
    from those recorded answers (the same requests: the rebuild is deterministic), once timed (the client's own
    time: the rebuild's code and botocore's, no emulator) and once under ``tracemalloc`` (its peak: the answers
    were in memory before tracing began, so moto's copies of the table and of what was written are not in it)."""
    import tracemalloc

    from vitrine.catalogs.read_model_updates import rebuild_view
    from vitrine.repository import catalogs

    catalog = catalogs.get_catalog(BENCH_MERCHANT, "cat-bench")
    recorded = RecordedDynamoDB()
    with recorded.recording(), counted_operations() as operations:
        started = time.perf_counter()
        outcome = rebuild_view(catalog)
        seconds = time.perf_counter() - started
    with recorded.replaying():
        started = time.perf_counter()
        rebuild_view(catalog)
        client_seconds = time.perf_counter() - started
        tracemalloc.start()
        rebuild_view(catalog)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return {
        "seconds": seconds,
        "client_seconds": client_seconds,
        "operations": operations,
        "peak_mb": peak / 1e6,
        "pages": outcome.pages,
        "products": outcome.products,
    }


@contextlib.contextmanager
def counted_operations():
    """DynamoDB requests of the block, by operation."""
    from vitrine import aws

    seen: dict[str, int] = {}

    def count(model, **_kwargs):
        seen[model.name] = seen.get(model.name, 0) + 1

    events = aws.client("dynamodb").meta.events
    events.register("before-call.dynamodb.*", count, unique_id="bench-operations")
    try:
        yield seen
    finally:
        events.unregister("before-call.dynamodb.*", unique_id="bench-operations")


def item_bytes(operation: dict) -> int:
    """An item's size as DynamoDB bills it: each attribute's name and value (a Delete: its key)."""
    ((_, request),) = operation.items()
    item = request.get("Item") or request.get("Key") or {}

    def size(value: dict) -> int:
        ((kind, raw),) = value.items()
        if kind == "B":
            return len(raw)
        if kind in ("S", "N"):
            return len(raw.encode())
        return len(json.dumps(raw, default=str).encode())

    return sum(len(name.encode()) + size(value) for name, value in item.items())


def change_cost() -> dict:
    """What one changed SKU writes: a count that sells out a shown product's variants online and at the counter
    (it leaves its page's shown products and the search), and then one that only changes its units."""
    from vitrine import aws
    from vitrine.catalogs.read_model_events import apply_event
    from vitrine.catalogs.read_model_updates import refresh_products
    from vitrine.repository import catalogs, keys, table

    catalog = catalogs.get_catalog(BENCH_MERCHANT, "cat-bench")
    writes: list[list[dict]] = []

    def record(params, **_kwargs):
        writes.append(params["TransactItems"])

    def apply(units: int) -> dict:
        for size in SIZES:
            for store in ("0001", "9900"):
                table.put(
                    {
                        "PK": keys.stock_pk(BENCH_MERCHANT, store),
                        "SK": f"B00101-{size}",
                        "type": "stock",
                        "store_code": store,
                        "on_hand": units,
                        "reserved": 0,
                        "available": units,
                        "sequence": 2,
                    }
                )
        writes.clear()
        refresh_products(catalog, ["B00101"])
        (items,) = writes
        sizes = [item_bytes(op) for op in items]
        return {"items": len(items), "bytes": sum(sizes), "wcu": sum(-(-size // 1024) for size in sizes) * 2}

    events = aws.client("dynamodb").meta.events
    events.register("before-parameter-build.dynamodb.TransactWriteItems", record, unique_id="bench-writes")
    try:
        hidden = apply(0)
        shown = apply(5)
        shown_again = apply(4)
    finally:
        events.unregister("before-parameter-build.dynamodb.TransactWriteItems", unique_id="bench-writes")
    assert apply_event  # the consumer's entry point: refresh_products is what it calls for a stock event
    return {"hidden": hidden, "shown": shown, "units": shown_again}


def bench_size(handler: Handler, products: int, runs: int, *, before: bool) -> dict:
    seed_seconds = seed_catalog(products)
    result: dict = {"products": products, "seed_seconds": seed_seconds}
    if before:
        started = time.perf_counter()
        result["before"] = measure_views(handler, runs)
        result["before_seconds"] = time.perf_counter() - started
    result["rebuild"] = rebuild_cost()
    result["after"] = measure_views(handler, runs)
    result["change"] = change_cost()
    drop_catalog()
    return result


def report(demo_bytes: int, results: list[dict], args, command: str, seconds: float) -> str:
    load = os.getloadavg()
    lines = [
        BEGIN,
        "## Storefront: the page, and what a view costs as the catalog grows (`bench/storefront.py`)",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Machine: {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} cores (noisy shared machine); load average {load[0]:.2f} at the end. "
        f"Python {platform.python_version()}, the project venv.",
        f"- Command: `{command}` (in `make bench`: `$(PY) bench/storefront.py`). In-process handler calls under "
        f"`moto.mock_aws`; DynamoDB answers recorded from moto once and replayed from memory through botocore's "
        f"parser; {args.runs} measured rounds per view after a warm-up. The bench took {seconds:.0f} s.",
        f"- Catalogs: N products of {len(SIZES)} variants, stock in 2 stores (one delivers, one is for pickup), "
        'every product in one published catalog. "Before": no read model (the live path, main before issue 15: '
        'every view reads every product, price and stock level). "After": the read model.',
        "",
        f"**`GET /c/demo` before images: {demo_bytes:,} bytes ({demo_bytes / 1000:.1f} KB) — target < 50 KB: "
        f"{'yes' if demo_bytes < BUDGET_BYTES else '**no**'}.**",
        "",
        "| products | view | ratio to /health, before | after | DynamoDB requests, before | after | bytes read, "
        "before | after | page bytes, after |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        after = result["after"]
        before = result.get("before")
        for name, label in (("page", "`/c/bench`"), ("json", "`/api/catalogs/bench`")):
            b_ratio = f"{before['ratio'][name]:.0f}x" if before else "not run"
            b_req = f"{before['costs'][name]['requests']:,}" if before else "—"
            b_bytes = f"{before['costs'][name]['bytes']:,}" if before else "—"
            a = after["costs"][name]
            lines.append(
                f"| {result['products']:,} | {label} | {b_ratio} | {after['ratio'][name]:.1f}x | {b_req} | "
                f"{a['requests']} | {b_bytes} | {a['bytes']:,} | {a['page_bytes']:,} |"
            )
    small, large = results[0], results[-1]
    flat = large["after"]["ratio"]["page"] / small["after"]["ratio"]["page"]
    most_requests = max(r["after"]["costs"][n]["requests"] for r in results for n in ("page", "json"))
    heaviest = max(r["after"]["costs"]["page"]["page_bytes"] for r in results)
    lines += [
        "",
        f"Targets: the ratio at {large['products']:,} products within 1.5x of the ratio at {small['products']:,}: "
        f"**{flat:.2f}x** ({'met' if flat <= 1.5 else 'not met'}); at most 2 DynamoDB requests per view: "
        f"**{most_requests}** ({'met' if most_requests <= 2 else 'not met'}); the page under 50 KB at every size: "
        f"**{heaviest:,} bytes at most** ({'met' if heaviest < BUDGET_BYTES else 'not met'}).",
        "",
        "Median handler time (ms, replayed DynamoDB), after: "
        + "; ".join(
            f"{r['products']:,}: /health {r['after']['median']['health']:.2f}, page {r['after']['median']['page']:.2f}"
            f" (p90 {r['after']['p90']['page']:.2f}), JSON {r['after']['median']['json']:.2f}"
            for r in results
        )
        + ". Before: "
        + "; ".join(
            f"{r['products']:,}: page {r['before']['median']['page']:.0f}, JSON {r['before']['median']['json']:.0f}"
            for r in results
            if "before" in r
        )
        + ".",
        "",
        "**The read model's own cost.**",
        "",
        *rebuild_lines(results),
        END,
    ]
    return "\n".join(lines) + "\n"


# What a DynamoDB request of the rebuild's (a BatchGetItem of up to 100 keys, a BatchWriteItem of 25 items, a Query
# page) is taken to take in AWS from a Lambda in the table's region: single-digit milliseconds for one item, more
# for a batch; the rebuild makes its requests one after another.
DYNAMODB_MS = 10
CONSUMER_TIMEOUT_S = 300  # CatalogViewFunction's Timeout in infra/template.yaml
CONSUMER_MEMORY_MB = 512  # and its MemorySize


def rebuild_lines(results: list[dict]) -> list[str]:
    lines = [
        "| products | pages | full rebuild against moto | the rebuild's own time (answers from memory) | "
        "DynamoDB requests | estimate in AWS: own time + requests at 10 ms | peak Python memory of the rebuild |",
        "|---:|---:|---:|---:|---|---:|---:|",
    ]
    for r in results:
        b = r["rebuild"]
        requests = sum(b["operations"].values())
        by_operation = ", ".join(f"{name} {n:,}" for name, n in sorted(b["operations"].items(), key=lambda x: -x[1]))
        estimate = b["client_seconds"] + requests * DYNAMODB_MS / 1000
        lines.append(
            f"| {r['products']:,} | {b['pages']:,} | {b['seconds']:.1f} s | {b['client_seconds']:.1f} s | "
            f"{requests:,} ({by_operation}) | {estimate:.0f} s | {b['peak_mb']:.1f} MB |"
        )
    largest = results[-1]["rebuild"]
    estimate = largest["client_seconds"] + sum(largest["operations"].values()) * DYNAMODB_MS / 1000
    bounded = estimate < CONSUMER_TIMEOUT_S and largest["peak_mb"] < CONSUMER_MEMORY_MB / 2
    lines += [
        "",
        f"Bounded for the consumer ({CONSUMER_TIMEOUT_S}-s timeout, {CONSUMER_MEMORY_MB} MB) at "
        f"{results[-1]['products']:,} products: **{'yes' if bounded else 'no'}** (~{estimate:.0f} s, "
        f"{largest['peak_mb']:.0f} MB of Python objects at the peak). The rebuild against moto runs with the "
        "bench's three shortcuts through moto (`bench/moto_speed.py`: a Query starts from its own partition, item "
        "answers are dumped as JSON, a transaction's rollback copy is of the items it names; moto's answers are "
        "unchanged, a unit test compares them). The rebuild's own "
        "time is the same rebuild run again with every DynamoDB request answered from the first run's recorded "
        "answers (the same requests: it is deterministic), parsed by botocore: our code and the client's, no "
        "emulator. The peak is a third run, answered the same way, under `tracemalloc`: the recorded answers were "
        "in memory before tracing began, so the peak holds what the rebuild and botocore allocate (each offered "
        "product's position key and search record, a page of products and their stock at a time, the parsed "
        "answers in flight), and none of moto's copies of the table.",
        "",
        "| products | one SKU that leaves the page: items / bytes / WCU | one that comes back | "
        "one whose units change |",
        "|---:|---|---|---|",
    ]
    for r in results:
        c = r["change"]
        cell = lambda w: f"{w['items']} / {w['bytes']:,} / {w['wcu']}"  # noqa: E731
        lines.append(f"| {r['products']:,} | {cell(c['hidden'])} | {cell(c['shown'])} | {cell(c['units'])} |")
    lines += [
        "",
        "A change writes one transaction: the head (the version, count, facets and the first page), the product's "
        "page (the head itself for the first page), its `ITEM#` and, when it enters or leaves what a search finds, "
        "its search shard; WCU counts a transactional write's 2 units per KB of each item.",
    ]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="measured rounds per view (default 30)")
    parser.add_argument("--sizes", default="500,5000", help="catalog sizes, comma-separated (default 500,5000)")
    parser.add_argument(
        "--before-up-to", type=int, default=5000, help="measure the live path (before) up to this size (default 5000)"
    )
    parser.add_argument("--no-write", action="store_true", help="print the results, leave bench/RESULTS.md alone")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    started = time.perf_counter()
    # As in Lambda, the environment exists before the handler is imported; no real AWS endpoint is reachable.
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
        os.environ.pop(name, None)
    os.environ.update(ENVIRONMENT)
    sys.path.insert(0, str(ROOT / "infra"))
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    logging.getLogger().setLevel(logging.WARNING)
    os.environ["POWERTOOLS_LOG_LEVEL"] = "WARNING"
    from moto import mock_aws

    with mock_aws(), faster_moto():
        create_resources()
        handler = Handler()
        demo_bytes = weigh_demo_page(handler)
        drop_catalog()
        results = []
        for size in sizes:
            results.append(bench_size(handler, size, args.runs, before=size <= args.before_up_to))
            print(f"{size:,} products done in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    options = [f"--runs={args.runs}"] if args.runs != 30 else []
    options += [f"--sizes={args.sizes}"] if args.sizes != "500,5000" else []
    options += [f"--before-up-to={args.before_up_to}"] if args.before_up_to != 5000 else []
    command = " ".join([".venv/bin/python bench/storefront.py", *options])
    section = report(demo_bytes, results, args, command, time.perf_counter() - started)
    print(section)
    if not args.no_write:
        write_section("storefront", section)
        print(f"written to {RESULTS.relative_to(ROOT)}")
    ok = demo_bytes < BUDGET_BYTES and all(r["after"]["costs"]["page"]["page_bytes"] < BUDGET_BYTES for r in results)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""The cost bench's report: US$ per 1,000 orders by service and scenario, where the write units go, the floor a
journey cannot go under, and the section of ``bench/RESULTS.md`` that holds them."""

import argparse
from datetime import UTC, datetime

import cost_prices as price
from bench_results import markers
from cost_meter import Usage

BEGIN, END = markers("cost")
MINUTES_A_MONTH = 30 * 24 * 60
VIEWS = ("view", "view (CDN)")
GB = 2**30  # AWS bills transfer by the binary gigabyte


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
        "data out": usage.bytes_out / GB * price.DATA_TRANSFER_OUT_GB,
    }


def with_views(per_order: Usage, view: Usage, views: int, hit_rate: float | None) -> tuple[Usage, float]:
    """An order's usage with ``views`` catalog views, and what CloudFront charges for them. ``hit_rate`` None: no
    CDN (every view is the origin's). Otherwise ``view`` is a view through the CDN: each costs the edge its requests
    and bytes, the misses (``1 - hit_rate``) the origin's work as well (origin to CloudFront transfer is free)."""
    total = Usage()
    total.add(per_order)
    if hit_rate is None:
        total.add(view.scaled(views))
        return total, 0.0
    total.add(view.scaled(views * (1 - hit_rate)))
    edge = view.edge_requests * price.CLOUDFRONT_REQUEST + view.edge_bytes / GB * price.CLOUDFRONT_TRANSFER_GB
    return total, views * edge


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


# What one order cannot do without while it works as it does (an outbox, a journal, a ledger, signed webhooks to
# the merchant, the ERP's pull protocol), each counted at its least: (service, count, unit price, what).
FLOOR = (
    (
        "HTTP API",
        9,
        price.HTTP_API_REQUEST,
        "the quote, the checkout, one look at the order page, one gateway notification (pagar.me set to send "
        "charge.paid alone), the ERP's feed poll, its ack and its three reports",
    ),
    (
        "Lambda requests",
        14,
        price.LAMBDA_REQUEST,
        "those 9, and one batch of each consumer (webhook, journal, fan-out, delivery, catalog views)",
    ),
    (
        "Lambda GB-s",
        6 * price.EXTERNAL_CALL_WAIT_MS / 1000 * 128 / 1024,
        price.LAMBDA_GB_SECOND,
        "the waits on calls out of AWS: the charge created, read back once, four POSTs to the merchant; at 128 MB",
    ),
    (
        "SQS",
        22,
        price.SQS_REQUEST,
        "the webhook queued, 4 events to 2 bus targets (journal, fan-out) and the reservation to 2 (journal, catalog "
        "views), the deliveries queued (one batch), a receive and a delete for each of the 5 consumers' batches",
    ),
    (
        "EventBridge",
        5,
        price.EVENTBRIDGE_EVENT,
        "paid, invoiced, dispatched, delivered, and the checkout's reservation (a page shows what is left: the "
        "read model's consumer must hear of it)",
    ),
    (
        "DynamoDB writes",
        53,
        price.DYNAMODB_WRITE_UNIT,
        "a 1 KB order and no index: placed with its stock, code and idempotency key in one transaction (8), four "
        "moves each with its outbox event (16) and the outbox deletes (4), the stock consumed (2), 3 ledger entries "
        "(6), the ERP feed pointer and its ack (3), the inbox (1), the journal (5), 4 deliveries written twice (8); "
        "the catalog's view none (a reservation that leaves more than an order can buy changes nothing shown)",
    ),
    (
        "DynamoDB reads",
        28,
        price.DYNAMODB_READ_UNIT,
        "the checkout's catalog, prices and stock, each move's read "
        "of the order, the page, each delivery's record and endpoint, the feed; the catalog views consumer's "
        "variant index, catalogs and stores (eventually consistent), and the view's head, bounds and item, the "
        "product, its price and one stock level (consistent: 8 together)",
    ),
)


def floor_lines() -> list[str]:
    lines = ["| service | least per order | US$ per 1,000 orders | what |", "|---|---|---|---|"]
    total = 0.0
    for service, count, unit, what in FLOOR:
        total += count * unit * 1000
        lines.append(f"| {service} | {count:g} | {count * unit * 1000:.4f} | {what} |")
    lines.append(f"| **floor** | | **{total:.4f}** | |")
    return lines


def _steps_table(steps: dict[str, Usage]) -> list[str]:
    lines = [
        "| step | invocations | AWS requests | DynamoDB RRU | DynamoDB WRU | est. GB-s |",
        "|---|---|---|---|---|---|",
    ]
    for step, usage in sorted(steps.items(), key=lambda kv: kv[0] in VIEWS):
        aws_requests = sum(n for (service, _), n in usage.requests.items() if service != "apigateway")
        label = {"view": "view (one, no CDN)", "view (CDN)": "view (one, through the CDN, a miss)"}.get(step, step)
        lines.append(
            f"| {label} | {usage.invocations} | {aws_requests:.1f} | {usage.read_units:.1f} | "
            f"{usage.write_units:.1f} | {usage.gb_seconds:.4f} |"
        )
    return lines


def _writes_table(steps: dict[str, Usage], per_order: Usage) -> list[str]:
    lines = ["| item | write | writes | mean size (B) | WRU | by |", "|---|---|---|---|---|---|"]
    for (kind, operation), units in sorted(per_order.writes_by_kind.items(), key=lambda kv: -kv[1]):
        writers = sorted(s for s, u in steps.items() if s not in VIEWS and u.writes_by_kind[(kind, operation)])
        count = per_order.writes_count[(kind, operation)]
        size = per_order.bytes_written[(kind, operation)] / count if count else 0
        lines.append(f"| {kind} | {operation} | {count:.1f} | {size:.0f} | {units:.1f} | {', '.join(writers)} |")
    return lines


def render(args: argparse.Namespace, steps: dict[str, Usage], seconds: float) -> str:
    per_order = Usage()
    for step, usage in steps.items():
        if step not in VIEWS:
            per_order.add(usage)
    view, through_cdn = steps["view"], steps["view (CDN)"]
    lines = [
        BEGIN,
        "## Cost per 1,000 orders",
        "",
        f"`.venv/bin/python bench/cost.py --orders {args.orders} --views {args.views} --polls {args.polls} "
        f"--hit-rate {args.hit_rate}` ({datetime.now(UTC):%Y-%m-%d}, {seconds:.0f} s; list prices of "
        "`bench/cost_prices.py`, us-east-1, no free tier). One order: quote, Pix checkout, the order page polled "
        f"{args.polls} times, the gateway's webhooks, the ERP's feed poll, ack and three reports, the journal, the "
        "outbound fan-out and deliveries, and the catalog views consumer (`CatalogViewFunction`) of the checkout's "
        "reservation (`StockReserved`). A view: the catalog page, its script and each image of its first page, "
        "for a shopper new to the shop.",
        "",
        "Per order (what the journey asked of AWS):",
        "",
        *_steps_table(steps),
        "",
        "Where the write units go, per order (item kind as `keys.py` names it, the size the write was billed at: "
        "the larger of before and after):",
        "",
        *_writes_table(steps, per_order),
        "",
        "US$ per 1,000 orders, by service:",
        "",
    ]
    scenarios = [
        ("no views", 0, None),
        (f"{args.views} views, no CDN", args.views, None),
        (f"{args.views} views, CDN hit rate {args.hit_rate:.0%}", args.views, args.hit_rate),
    ]
    services = list(dollars(per_order))
    lines += ["| scenario | " + " | ".join(services) + " | CloudFront | total |", "|---" * (len(services) + 3) + "|"]
    for label, views, hit_rate in scenarios:
        usage, edge = with_views(per_order, through_cdn if hit_rate is not None else view, views, hit_rate)
        cost = {k: v * 1000 for k, v in dollars(usage).items()}
        total = sum(cost.values()) + edge * 1000
        lines.append(
            f"| {label} | " + " | ".join(f"{cost[s]:.4f}" for s in services) + f" | {edge * 1000:.4f} | "
            f"**{total:.4f}** |"
        )
    lines += [
        "",
        f"A view without the CDN: {view.invocations} Lambda invocations (the page, its script, an `/img/` redirect "
        f"per image), {view.bytes_out / 1024:.0f} KB sent (page and script gzipped, images as stored: the demo's are "
        f"drawn, lighter than photos). Through the CDN: {through_cdn.edge_requests:.0f} CloudFront requests and "
        f"{through_cdn.edge_bytes / 1024:.0f} KB, the origin's {through_cdn.invocations} invocations and "
        f"{through_cdn.count('s3'):.0f} S3 GETs on a miss only; images are at their lasting address, no redirect.",
        "",
        "The floor: what one order cannot do without while it works as it does, each at its least, priced "
        "(`cost_report.FLOOR`):",
        "",
        *floor_lines(),
        "",
        "What a deployment pays a month whatever its orders (US$):",
        "",
        *[f"- {what}: {cost:.2f}" for what, cost in fixed_monthly().items()],
    ]
    operations = sorted(per_order.requests.items(), key=lambda kv: -kv[1])
    lines += [
        "",
        "AWS requests per order, by operation: " + ", ".join(f"{s} {op} {n:.1f}" for (s, op), n in operations),
        "",
        "Lambda durations are estimates (this thread's CPU time scaled to each function's CPU share, plus a wait per "
        "AWS request and per outbound call: `bench/cost_prices.py`), DynamoDB units are computed from item sizes "
        "read before and after each write (`bench/cost_meter.py`).",
        END,
    ]
    return "\n".join(lines) + "\n"

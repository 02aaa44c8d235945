"""What the product's fixed stack costs a cold start before any of Vitrine's code: Powertools, pydantic (its import,
one model's class and first validation) and Jinja2 (its import, an autoescaping environment and one render), each
added to what every floor of ``bench/cold_start.py`` does first (``import boto3`` and two clients).

``bench/cold_start.py`` holds every function to 1.3x of a plain-SDK floor. A function whose floor is small (a page
of a few reads, the console's ~380 ms) has ~110 ms for everything above the SDK; this bench measures how much of
that the stack the product fixes (``README``: pydantic v2, Powertools, a template engine that escapes by default)
takes on its own, in the same run as its baseline.

Each run is a fresh ``python`` (the cold start bench's interpreter: ``.venv-lambda``, the layer's pins), the variants
alternated and rotated; wall = spawn to exit, CPU = the child's own. Nothing touches the network: the clients are
created, never called.

    .venv/bin/python bench/stack_floor.py --runs 21
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime

from bench_results import write_section
from cold_start_measure import LAMBDA_PYTHON

SDK = """
import boto3
boto3.client("dynamodb")
boto3.client("ssm")
"""
POWERTOOLS = """
from aws_lambda_powertools import Logger, Metrics
Logger(service="bench")
Metrics(namespace="bench", service="bench")
"""
# A model shaped like a slice of an order: constrained ints, an aware datetime, an enum, a nested list.
PYDANTIC = """
from enum import StrEnum
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
class Status(StrEnum):
    PAID = "paid"
class Line(BaseModel):
    model_config = ConfigDict(frozen=True)
    sku: str = Field(min_length=1, max_length=60)
    quantity: int = Field(ge=1)
    unit_price_cents: int = Field(ge=0)
class Order(BaseModel):
    model_config = ConfigDict(frozen=True)
    order_id: str = Field(pattern="^[0-9a-f]{32}$")
    status: Status
    created_at: AwareDatetime
    lines: list[Line]
Order.model_validate({"order_id": "0" * 32, "status": "paid", "created_at": "2026-12-01T12:00:00Z",
                      "lines": [{"sku": "A-1", "quantity": 2, "unit_price_cents": 1990}]})
"""
JINJA2 = """
from jinja2 import Environment, select_autoescape
page = Environment(autoescape=select_autoescape(default=True, default_for_string=True)).from_string(
    "<h1>Pedido {{ code }}</h1><ul>{% for line in lines %}<li>{{ line }}</li>{% endfor %}</ul>")
assert "&lt;b&gt;" in page.render(code="<b>", lines=["Cimento x 2"])
"""
VARIANTS = {
    "sdk": SDK,
    "sdk + Powertools": SDK + POWERTOOLS,
    "sdk + pydantic": SDK + PYDANTIC,
    "sdk + Jinja2": SDK + JINJA2,
    "sdk + all three": SDK + POWERTOOLS + PYDANTIC + JINJA2,
}
CPU = "\nimport resource\nr = resource.getrusage(resource.RUSAGE_SELF)\nprint((r.ru_utime + r.ru_stime) * 1000)\n"
ENVIRONMENT = {
    "PATH": os.environ.get("PATH", ""),
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "POWERTOOLS_METRICS_NAMESPACE": "bench",
}


def run(code: str) -> tuple[float, float]:
    """(wall ms, CPU ms) of one fresh interpreter running ``code``."""
    began = time.perf_counter()
    done = subprocess.run(
        [str(LAMBDA_PYTHON), "-c", code + CPU], capture_output=True, text=True, env=ENVIRONMENT, check=False
    )
    wall = (time.perf_counter() - began) * 1000
    if done.returncode != 0:
        raise SystemExit(f"a variant failed:\n{done.stderr}")
    return wall, float(done.stdout.strip().splitlines()[-1])


def quartiles(values: list[float]) -> tuple[float, float]:
    q = statistics.quantiles(values, n=4)
    return q[0], q[2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=21, help="runs per variant (>= 7)")
    parser.add_argument("--no-write", action="store_true", help="print only, leave bench/RESULTS.md alone")
    args = parser.parse_args(argv)
    if args.runs < 7:
        parser.error("--runs must be >= 7")
    names = list(VARIANTS)
    load_start = os.getloadavg()[0]
    began = time.monotonic()
    for name in names:  # one warm-up each: the page cache, the .pyc files
        run(VARIANTS[name])
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
    for i in range(args.runs):
        for name in names[i % len(names) :] + names[: i % len(names)]:
            samples[name].append(run(VARIANTS[name]))
    base_wall = statistics.median(wall for wall, _ in samples["sdk"])
    base_cpu = statistics.median(cpu for _, cpu in samples["sdk"])
    rows = []
    for name in names:
        wall = statistics.median(w for w, _ in samples[name])
        cpu = statistics.median(c for _, c in samples[name])
        per_round = [w / b for (w, _), (b, _) in zip(samples[name], samples["sdk"], strict=True)]
        low, high = quartiles(per_round)
        rows.append(
            f"| {name} | {wall:.0f} | {wall - base_wall:+.0f} | {cpu:.0f} | {cpu - base_cpu:+.0f} | "
            f"**{wall / base_wall:.2f}x** | {low:.2f}-{high:.2f} |"
        )
        print(rows[-1], flush=True)
    command = "`.venv/bin/python bench/stack_floor.py" + "".join(f" {a}" for a in (argv or sys.argv[1:])) + "`"
    section = "\n".join(
        [
            "<!-- stack_floor:begin -->",
            "## What the fixed stack costs a cold start (`bench/stack_floor.py`)",
            "",
            f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; load average {load_start:.2f} at start, "
            f"{os.getloadavg()[0]:.2f} at the end; {args.runs} runs per variant, alternated; "
            f"{time.monotonic() - began:.0f} s.",
            f"- Command: {command}",
            "",
            "Fresh interpreters on `.venv-lambda` (the layer's pins, as the cold start bench's children). `sdk` "
            "is what every cold start floor does before its first call (`import boto3`, a DynamoDB and an SSM "
            "client); each variant adds the named part of the stack the product fixes, used once: Powertools' "
            "Logger and Metrics, pydantic's import with one order-shaped model built and validated, Jinja2's "
            "import with an autoescaping environment and one render. Ratio = median wall / `sdk`'s median wall "
            "(spread: IQR of the per-round ratios).",
            "",
            "| variant | wall ms | added | CPU ms | added | **ratio to sdk** | spread |",
            "|---|---:|---:|---:|---:|---:|:---:|",
            *rows,
            "<!-- stack_floor:end -->",
        ]
    )
    if not args.no_write:
        write_section("stack_floor", section)
        print("written to bench/RESULTS.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())

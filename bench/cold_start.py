"""Cold-start benchmark: every function's first invocation in a fresh process, against a plain-SDK floor.

``make bench`` (``.venv/bin/python bench/cold_start.py``; ``make bench BENCH_ARGS=--runs=15`` for more runs)
starts the emulator, deploys the template into it (``local_stack.deploy``), seeds the demo merchant, then for
each function runs, alternately and in a rotating order, N cold starts (default 11) of three variants, each a
fresh ``python`` process with the function's own environment from the template (``bench/floors/_runner.py``):

- ``vitrine``: the function's handler, serving one real event of its main path against the emulator (and, for
  the webhook delivery, a receiver on loopback that the bench runs: it checks the signature and answers 200);
- ``boto3`` (the floor, as the issue defines it): a ~15-line handler in ``bench/floors/`` that imports boto3,
  creates its client(s) at module level and makes the same AWS calls, returning a response of the same shape;
- ``botocore``: the same floor on botocore alone, as the core uses it (``vitrine.aws``): what is left once
  boto3 is gone.

Each sample is the time from just before the parent spawns the child to just after the handler returned
(interpreter start + imports + init + first invocation; teardown excluded). One unmeasured warm-up run per
variant comes first (bytecode caches, page cache); it also records the variant's AWS calls, and a floor that
does not make the same calls as the function aborts the bench. Every response is checked (a failure aborts the
bench) and every write is read back afterwards, so each run did the full path: fresh webhook/event ids and
scheduled times, never a dedupe short-cut. The ratio is median(vitrine) / median(floor); the target is <= 1.3x
the boto3 floor. For a function over the target, one ``python -X importtime`` run of its handler (and one of
its botocore floor, subtracted) lists what its imports cost. The results replace the cold-start section of
``bench/RESULTS.md`` (between its markers); other sections are kept.
"""

import argparse
import base64
import hashlib
import hmac
import json
import math
import os
import platform
import secrets
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from bench_results import RESULTS, markers, write_section

ROOT = Path(__file__).resolve().parents[1]
FLOORS = ROOT / "bench" / "floors"
RUNNER = FLOORS / "_runner.py"
BEGIN, END = markers("cold_start")
TARGET = 1.3
VARIANTS = ("vitrine", "boto3", "botocore")
# What a child inherits from this process (as local_stack.workers does); the rest is the function's environment.
INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "PYTHONPATH", "VIRTUAL_ENV", "TMPDIR")
CHILD_TIMEOUT_SECONDS = 60
IMPORTTIME_TOP = 12
FUNCTIONS = (
    "CatalogApiFunction",
    "OrderWebhookFunction",
    "OrderWebhookConsumerFunction",
    "EventJournalFunction",
    "OutboundWebhookFanOutFunction",
    "OutboundWebhookDeliveryFunction",
    "StockSyncFunction",
    "StockSyncApiFunction",
    "StockSyncIngestFunction",
    "PayoutFunction",
)
# Functions of the template this bench has no case (and floor) for yet, and why; each is named in the results.
NOT_MEASURED = {
    "ErpOrdersApiFunction": "the ERP order feed and reports arrived at the end of the session; its case is next",
}


class BenchError(RuntimeError):
    pass


@dataclass
class Run:
    """One event to serve: the event, and the item its run must have written (read back afterwards)."""

    event: dict[str, Any]
    written: tuple[str, str] | None = None
    status: str | None = None  # the written item's expected ``status`` attribute, when it has one
    also: Callable[[dict[str, Any]], str | None] | None = None  # any further check of the item read back


@dataclass
class Case:
    function: str
    floor: str
    path: str
    make_run: Callable[[int], Run]
    check: Callable[[Any], str | None]
    samples: dict[str, list[dict[str, float]]] = field(default_factory=lambda: {v: [] for v in VARIANTS})
    calls: str = ""  # the AWS calls of the main path, as counted in the warm-up runs
    imports: list[tuple[str, float]] = field(default_factory=list)  # (indented module, cumulative ms)
    exclusive: list[tuple[str, float]] = field(default_factory=list)  # (package, self ms) the floor never imports

    def median(self, variant: str, key: str = "total_ms") -> float:
        return statistics.median(s[key] for s in self.samples[variant])

    def p90(self, variant: str) -> float:
        ordered = sorted(s["total_ms"] for s in self.samples[variant])
        return ordered[math.ceil(0.9 * len(ordered)) - 1]  # nearest rank

    def ratio(self, floor: str = "boto3") -> float:
        return self.median("vitrine") / self.median(floor)

    def paired_quartiles(self, floor: str = "boto3") -> tuple[float, float]:
        """Q1 and Q3 of vitrine / floor within each round (runs next to each other share the machine's load)."""
        ratios = [
            v["total_ms"] / f["total_ms"] for v, f in zip(self.samples["vitrine"], self.samples[floor], strict=True)
        ]
        q1, _median, q3 = statistics.quantiles(ratios, n=4)
        return q1, q3


# ---------------------------------------------------------------- events and checks


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _http_status(expected: int) -> Callable[[Any], str | None]:
    def check(response: Any) -> str | None:
        if not isinstance(response, dict) or response.get("statusCode") != expected:
            return f"expected statusCode {expected}, got {str(response)[:300]}"
        return None

    return check


def _catalog_check(response: Any) -> str | None:
    problem = _http_status(200)(response)
    if problem is None and not json.loads(response["body"]).get("product_count"):
        problem = f"the catalog came back without products: {response['body'][:300]}"
    return problem


def _webhook_check(response: Any) -> str | None:
    problem = _http_status(202)(response)
    if problem is None and not json.loads(response["body"]).get("message_id"):
        problem = f"no SQS message id in {response['body'][:300]}"
    return problem


def _batch_check(response: Any) -> str | None:
    if response != {"batchItemFailures": []}:
        return f"expected no batch item failures, got {str(response)[:300]}"
    return None


def _job_check(response: Any) -> str | None:
    problem = _http_status(202)(response)
    if problem is None and json.loads(response["body"]).get("queued") != 1:
        problem = f"the stock count was not queued: {response['body'][:300]}"
    return problem


def _schedule_check(job: str) -> Callable[[Any], str | None]:
    def check(response: Any) -> str | None:
        if not isinstance(response, dict) or response.get("job") != job or "skipped" in response:
            return f"expected a completed run of {job}, got {str(response)[:300]}"
        return None

    return check


def _attributes(**expected: dict[str, str] | None) -> Callable[[dict[str, Any]], str | None]:
    """A check that the item read back has these attributes (in DynamoDB's JSON); ``None``: any string."""

    def check(item: dict[str, Any]) -> str | None:
        for name, value in expected.items():
            found = item.get(name)
            matches = found == value if value is not None else bool(found and "S" in found)
            if not matches:
                return f"its {name} is {found}, not {value or 'a string'}"
        return None

    return check


class Receiver:
    """A merchant's webhook endpoint on 127.0.0.1: it answers 200 to a POST whose Standard Webhooks signature
    verifies with ``secret`` (401 otherwise) and keeps the ``webhook-id`` of every POST it acknowledged."""

    def __init__(self) -> None:
        self.secret = ""
        self.acknowledged: set[str] = set()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                status = 200 if receiver.verifies(self.headers, body) else 401
                if status == 200:
                    receiver.acknowledged.add(self.headers["webhook-id"])
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhooks/vitrine"
        self.thread = threading.Thread(target=self.server.serve_forever, name="bench-receiver", daemon=True)
        self.thread.start()

    def verifies(self, headers: Any, body: bytes) -> bool:
        webhook_id, timestamp = headers.get("webhook-id", ""), headers.get("webhook-timestamp", "0")
        if not self.secret or not webhook_id or abs(time.time() - int(timestamp)) > 300:
            return False
        key = base64.b64decode(self.secret.removeprefix("whsec_"))
        digest = hmac.new(key, f"{webhook_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
        return f"v1,{base64.b64encode(digest).decode()}" in headers.get("webhook-signature", "").split()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def build_cases(stack: Any, seed: Any, receiver: Receiver) -> list[Case]:
    from local_stack.http_api_payload import HttpRequest, build_event, new_request_id
    from local_stack.pollers import lambda_sqs_event
    from vitrine.erp.jobs import pack
    from vitrine.events.envelope import CatalogPublished, OrderPaid, new_event
    from vitrine.repository import keys
    from vitrine.repository import webhook_endpoints as webhook_repository
    from vitrine.webhooks.deliveries import delivery_id
    from vitrine.webhooks.delivery_queue import DeliveryMessage
    from vitrine.webhooks.endpoints import NewWebhookEndpoint, create_endpoint

    account, region = stack.account_id, stack.region

    def http_event(method: str, target: str, route_key: str, params: dict[str, str], headers=(), body=b""):
        request = HttpRequest(
            method=method,
            target=target,
            headers=[("host", "127.0.0.1:3000"), ("user-agent", "vitrine-bench/1"), *headers],
            body=body,
        )
        return build_event(request, route_key, params, new_request_id(), account, "local")

    def sqs_event(queue: str, body: str) -> dict[str, Any]:
        now_ms = str(int(time.time() * 1000))
        message = {
            "MessageId": str(uuid.uuid4()),
            "ReceiptHandle": secrets.token_urlsafe(48),
            "Body": body,
            "Attributes": {
                "ApproximateReceiveCount": "1",
                "SentTimestamp": now_ms,
                "SenderId": account,
                "ApproximateFirstReceiveTimestamp": now_ms,
            },
            "MD5OfBody": hashlib.md5(body.encode(), usedforsecurity=False).hexdigest(),
        }
        return lambda_sqs_event([message], stack.queues[queue].arn, region)

    def catalog(n: int) -> Run:
        return Run(http_event("GET", "/api/catalogs/demo", "GET /api/catalogs/{slug}", {"slug": "demo"}))

    basic = base64.b64encode(stack.webhook_credentials.basic.encode()).decode()

    def webhook(n: int) -> Run:
        body = json.dumps({"id": f"hook_bench_{n}_{uuid.uuid4().hex[:12]}", "type": "charge.paid", "data": {}})
        headers = [("content-type", "application/json"), ("authorization", f"Basic {basic}")]
        return Run(http_event("POST", "/webhooks/gateway", "POST /webhooks/gateway", {}, headers, body.encode()))

    def consumer(n: int) -> Run:
        hook_id = f"hook_bench_{n}_{uuid.uuid4().hex[:12]}"
        # A notification naming no charge: the consumer's own path (inbox check and record) without a gateway call,
        # which bench/webhooks.py measures with the sandbox gateway.
        notification = {"id": hook_id, "type": "order.created", "data": {"id": f"or_{n}", "amount": 4990}}
        queued = {
            "provider": "pagarme",
            "received_at": _now_iso(),
            "headers": {"content-type": "application/json"},
            "body": json.dumps(notification),
        }
        event = sqs_event("GatewayWebhookQueue", json.dumps(queued))
        return Run(event, written=(f"WEBHOOK#pagarme#{hook_id}", "WEBHOOK"))

    def bus_event(envelope: dict[str, Any], source: str) -> str:
        return json.dumps(
            {
                "version": "0",
                "id": str(uuid.uuid4()),
                "detail-type": envelope["type"],
                "source": source,
                "account": account,
                "time": _now_iso()[:19] + "Z",
                "region": region,
                "resources": [],
                "detail": envelope,
            }
        )

    def journal(n: int) -> Run:
        data = CatalogPublished(catalog_id="cat-demo", slug="demo", title="Loja Demo Vitrine")
        envelope = new_event("demo-merchant", data).model_dump(mode="json")
        event = sqs_event("EventJournalQueue", bus_event(envelope, "vitrine.catalog_api"))
        return Run(event, written=("M#demo-merchant#EVENTS", f"{envelope['occurred_at']}#{envelope['id']}"))

    # The demo merchant's one webhook endpoint, subscribed to OrderPaid: the bench's receiver on loopback.
    endpoint = create_endpoint(
        seed.merchant_id,
        NewWebhookEndpoint(url=receiver.url, event_types=["OrderPaid"], description="bench receiver"),
    )
    receiver.secret = endpoint.secret

    def order_paid(n: int) -> Any:
        # A fresh event per run: a new delivery id, so no run finds its delivery recorded or sent already.
        data = OrderPaid(
            order_id=f"ord_bench_{n}_{uuid.uuid4().hex[:8]}",
            version=2,
            previous_status="pending_payment",
            reason="charge_paid",
            amount=4990,
            method="pix",
            installments=1,
        )
        return new_event(seed.merchant_id, data)

    def delivery_key(event_id: str) -> tuple[str, str]:
        delivery = delivery_id(event_id, endpoint.endpoint_id)
        return keys.webhook_delivery_pk(seed.merchant_id, delivery), keys.webhook_delivery_sk()

    def fan_out(n: int) -> Run:
        envelope = order_paid(n)
        event = sqs_event("OutboundWebhookFanOutQueue", bus_event(envelope.model_dump(mode="json"), "vitrine.orders"))
        # Recorded, then marked queued once its message is on the delivery queue.
        return Run(event, written=delivery_key(envelope.id), status="pending", also=_attributes(queued_at=None))

    def delivery(n: int) -> Run:
        envelope = order_paid(n)
        message = DeliveryMessage(
            merchant_id=seed.merchant_id, delivery_id=delivery_id(envelope.id, endpoint.endpoint_id), generation=1
        )
        now = _now_iso()
        # The delivery its fan-out would have recorded and queued, so the run POSTs it as in production.
        webhook_repository.add_delivery(
            {
                "merchant_id": seed.merchant_id,
                "delivery_id": message.delivery_id,
                "endpoint_id": endpoint.endpoint_id,
                "event_id": envelope.id,
                "event_type": envelope.type,
                "payload": envelope.model_dump_json(),
                "status": "pending",
                "attempts": 0,
                "generation": 1,
                "queued_at": now,
                "created_at": now,
            },
            int(time.time()) + webhook_repository.DELIVERY_RETENTION_SECONDS,
        )
        event = sqs_event("OutboundWebhookQueue", message.model_dump_json())

        def posted(item: dict[str, Any]) -> str | None:
            if message.delivery_id not in receiver.acknowledged:
                return "the receiver never acknowledged it"
            return _attributes(attempts={"N": "1"}, last_status_code={"N": "200"}, succeeded_at=None)(item)

        return Run(event, written=delivery_key(envelope.id), status="succeeded", also=posted)

    def stock_count(n: int) -> dict[str, Any]:
        # A level of its own per run: every run writes a new count.
        return {"store_code": "9900", "sku": f"BENCH-{n}", "on_hand": 5, "sequence": 1}

    def erp_batch(n: int) -> Run:
        headers = [("content-type", "application/json"), ("authorization", f"Bearer {seed.api_key}")]
        body = json.dumps({"items": [stock_count(n)]}).encode()
        return Run(http_event("POST", "/erp/v1/stock", "POST /erp/v1/stock", {}, headers, body))

    def erp_chunk(n: int) -> Run:
        job_id = uuid.uuid4().hex
        # The job its API call would have recorded, so the chunk's count lands on it as in production.
        stack.client("dynamodb").put_item(
            TableName=stack.table_name,
            Item={
                "PK": {"S": keys.merchant_pk(seed.merchant_id)},
                "SK": {"S": keys.job_sk(job_id)},
                "total": {"N": "1"},
                "chunks": {"N": "1"},
            },
        )
        chunk = {
            "merchant_id": seed.merchant_id,
            "job_id": job_id,
            "kind": "stock",
            "chunk": 0,
            "expires_at": int(time.time()) + 86400,
            "items_gz": pack([{"index": 0, "item": stock_count(n)}]),
        }
        event = sqs_event("ErpIngestQueue", json.dumps(chunk))
        return Run(event, written=(keys.stock_pk(seed.merchant_id, "9900"), f"BENCH-{n}"))

    # Every run claims a scheduled time of its own (minutes back from now), so no run finds one already done.
    base = datetime.now(UTC).replace(second=0, microsecond=0)

    def schedule(job: str) -> Callable[[int], Run]:
        def make(n: int) -> Run:
            at = (base - timedelta(minutes=n)).strftime("%Y-%m-%dT%H:%M:%SZ")
            return Run({"job": job, "scheduled_time": at}, written=(f"SCHEDULE#{job}", f"RUN#{at}"), status="completed")

        return make

    cases = [
        Case("CatalogApiFunction", "catalog_api", "GET /api/catalogs/demo", catalog, _catalog_check),
        Case(
            "OrderWebhookFunction",
            "order_webhook",
            "POST /webhooks/gateway (Basic auth)",
            webhook,
            _webhook_check,
        ),
        Case(
            "OrderWebhookConsumerFunction",
            "order_webhook_consumer",
            "SQS batch of 1 queued webhook",
            consumer,
            _batch_check,
        ),
        Case(
            "EventJournalFunction",
            "event_journal",
            "SQS batch of 1 EventBridge event",
            journal,
            _batch_check,
        ),
        Case(
            "OutboundWebhookFanOutFunction",
            "outbound_webhook_fan_out",
            "SQS batch of 1 OrderPaid event, 1 subscribed endpoint",
            fan_out,
            _batch_check,
        ),
        Case(
            "OutboundWebhookDeliveryFunction",
            "outbound_webhook_delivery",
            "SQS batch of 1 delivery, POSTed signed to a loopback receiver (200)",
            delivery,
            _batch_check,
        ),
        Case(
            "StockSyncFunction",
            "schedule",
            # The claim and completion every job pays; the sweeper's own queries grow with its backlog.
            "schedule sync_erp_connectors",
            schedule("sync_erp_connectors"),
            _schedule_check("sync_erp_connectors"),
        ),
        Case("StockSyncApiFunction", "erp_api", "POST /erp/v1/stock (1 count)", erp_batch, _job_check),
        Case(
            "StockSyncIngestFunction",
            "erp_ingest",
            "SQS batch of 1 chunk of 1 stock count",
            erp_chunk,
            _batch_check,
        ),
        Case(
            "PayoutFunction",
            "schedule",
            "schedule run_due_payouts",
            schedule("run_due_payouts"),
            _schedule_check("run_due_payouts"),
        ),
    ]
    assert tuple(case.function for case in cases) == FUNCTIONS
    missing = set(FUNCTIONS) - set(stack.functions)
    if missing or set(stack.functions) - set(FUNCTIONS) - set(NOT_MEASURED):
        # A function added to (or renamed in) the template needs a case and a floor here.
        raise BenchError(f"the template's functions {sorted(stack.functions)} differ from the bench's {FUNCTIONS}")
    return cases


# ---------------------------------------------------------------- children


class Bench:
    def __init__(self, stack: Any, workdir: Path) -> None:
        self.stack = stack
        self.workdir = workdir
        self.counter = 0

    def run(
        self, case: Case, variant: str, importtime: bool = False, count_calls: bool = False
    ) -> tuple[dict[str, Any], Run]:
        """One cold start of ``variant`` serving a fresh event of ``case``; its timings and response."""
        function = self.stack.functions[case.function]
        if variant == "vitrine":
            task_root, handler = Path(function.spec.code_dir), function.spec.handler
        else:
            task_root, handler = FLOORS, f"{case.floor}_{variant}.handler"
        self.counter += 1
        run = case.make_run(self.counter)
        request_file = self.workdir / f"{self.counter}.request.json"
        result_file = self.workdir / f"{self.counter}.result.json"
        request = {"event": run.event, "invoked_function_arn": function.arn, "timeout_ms": function.spec.timeout * 1000}
        request_file.write_text(json.dumps(request))
        environment = {name: os.environ[name] for name in INHERITED if name in os.environ}
        environment.update(function.environment)
        environment.update(
            LAMBDA_TASK_ROOT=str(task_root),
            _HANDLER=handler,
            AWS_LAMBDA_LOG_STREAM_NAME=f"{datetime.now(UTC):%Y/%m/%d}/[$LATEST]{uuid.uuid4().hex}",
            PYTHONUNBUFFERED="1",
        )
        argv = [sys.executable, *(["-X", "importtime"] if importtime else []), str(RUNNER)]
        argv += [str(task_root), handler, str(request_file), str(result_file)]
        flags = ["--count-calls"] if count_calls else []
        started = time.monotonic_ns()
        try:
            child = subprocess.run(
                [*argv, str(started), *flags],
                cwd=task_root,
                env=environment,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,  # the function's log (Powertools JSON lines)
                stderr=subprocess.PIPE,
                timeout=CHILD_TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:  # subprocess.run has killed and reaped it
            raise BenchError(f"{case.function} ({variant}) did not finish in {CHILD_TIMEOUT_SECONDS} s") from exc
        stderr = child.stderr.decode(errors="replace")
        if child.returncode != 0 or not result_file.exists():
            tail = "\n".join(stderr.splitlines()[-30:])
            raise BenchError(f"{case.function} ({variant}) exited with {child.returncode}:\n{tail}")
        result = json.loads(result_file.read_text())
        problem = case.check(result["response"])
        if problem:
            raise BenchError(f"{case.function} ({variant}) did not succeed: {problem}")
        if importtime:
            result["importtime"] = stderr
        return result, run

    def verify(self, case: Case, runs: list[Run]) -> None:
        """Read back what each run wrote: proof that every run did its main path's writes."""
        ddb = self.stack.client("dynamodb")
        for run in runs:
            if run.written is None:
                continue
            pk, sk = run.written
            item = ddb.get_item(TableName=self.stack.table_name, Key={"PK": {"S": pk}, "SK": {"S": sk}}).get("Item")
            if item is None:
                raise BenchError(f"{case.function}: a run reported success but {pk} / {sk} is not in the table")
            if run.status and item.get("status", {}).get("S") != run.status:
                raise BenchError(f"{case.function}: {pk} / {sk} has status {item.get('status')}, not {run.status}")
            if run.also and (problem := run.also(item)):
                raise BenchError(f"{case.function}: {pk} / {sk}: {problem}")

    def measure(self, case: Case, runs: int) -> None:
        # Warm-up, not measured; it also records each variant's AWS calls: a floor must make the same ones.
        calls = {variant: self.run(case, variant, count_calls=True)[0]["calls"] for variant in VARIANTS}
        for variant in VARIANTS[1:]:
            if sorted(calls[variant]) != sorted(calls["vitrine"]):
                raise BenchError(
                    f"{case.function}: the {variant} floor (bench/floors/{case.floor}_{variant}.py) makes "
                    f"{calls[variant]}, the function makes {calls['vitrine']}: update the floor"
                )
        counts: dict[str, int] = {}
        for call in calls["vitrine"]:
            counts[call] = counts.get(call, 0) + 1
        case.calls = ", ".join(call.replace(":", ".") + (f" x{n}" if n > 1 else "") for call, n in counts.items())
        done: list[Run] = []
        for i in range(runs):
            # Alternate, rotating the order so no variant always goes first after another.
            for variant in VARIANTS[i % len(VARIANTS) :] + VARIANTS[: i % len(VARIANTS)]:
                result, run = self.run(case, variant)
                case.samples[variant].append({k: v for k, v in result.items() if k.endswith("_ms")})
                done.append(run)
        self.verify(case, done)

    def import_profile(self, case: Case) -> None:
        """One ``-X importtime`` run of the handler, and one of the botocore floor to subtract what both import."""
        vitrine = parse_importtime(self.run(case, "vitrine", importtime=True)[0]["importtime"])
        floor = parse_importtime(self.run(case, "botocore", importtime=True)[0]["importtime"])
        ranked = sorted(vitrine, key=lambda m: vitrine[m][1], reverse=True)
        case.imports = [(vitrine[m][2], vitrine[m][1]) for m in ranked[:IMPORTTIME_TOP]]
        packages: dict[str, float] = {}
        for module, (self_ms, _cumulative, _indented) in vitrine.items():
            if module not in floor:
                packages[module.split(".")[0]] = packages.get(module.split(".")[0], 0.0) + self_ms
        case.exclusive = sorted(packages.items(), key=lambda p: p[1], reverse=True)


def parse_importtime(stderr: str) -> dict[str, tuple[float, float, str]]:
    """``-X importtime`` output as module -> (self ms, cumulative ms, name indented as nested)."""
    modules = {}
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        self_us, cumulative_us, name = line[len("import time:") :].split("|", 2)
        modules[name.strip()] = (int(self_us) / 1000, int(cumulative_us) / 1000, name.rstrip()[1:])
    return modules


# ---------------------------------------------------------------- report


def command_line(argv: list[str]) -> str:
    python = os.path.relpath(sys.executable, ROOT) if sys.executable.startswith(str(ROOT)) else sys.executable
    command = shlex.join([python, "bench/cold_start.py", *argv])
    if not os.environ.get("MAKELEVEL"):
        return f"`{command}`"
    make = f"make bench BENCH_ARGS={shlex.quote(shlex.join(argv))}" if argv else "make bench"
    return f"`{make}` (runs `{command}`)"


def report(cases: list[Case], runs: int, argv: list[str], load: tuple[float, float], seconds: float) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    machine = f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores (noisy shared machine)"
    lines = [
        BEGIN,
        "## Cold start (`bench/cold_start.py`)",
        "",
        f"- Date: {when}. Machine: {machine}; load average {load[0]:.2f} at start, {load[1]:.2f} at the end.",
        f"- Python {platform.python_version()}, the project venv. N = {runs} measured runs per variant per "
        f"function, alternated, after one warm-up run each; the bench took {seconds:.0f} s.",
        f"- Command: {command_line(argv)}",
        f"- Target: every function <= {TARGET}x the boto3 floor (median / median).",
        "",
        "Milliseconds from spawning a fresh `python` to the first invocation's return (interpreter start, "
        "imports, init and one real event of the main path against the emulator); p90 is nearest-rank (with "
        "N < 10, the slowest run). Ratio = median(Vitrine) / median(floor); the spread is the interquartile "
        "range of the per-round ratios (Vitrine / boto3 floor of the same round): the machine's noise.",
        "",
        "| Function | Main path: its AWS calls | Vitrine median / p90 | boto3 floor median / p90 | **Ratio** | Spread "
        "| botocore floor median / p90 | Ratio vs botocore | <= 1.3x |",
        "|---|---|---:|---:|---:|:---:|---:|---:|:---:|",
    ]
    for case in cases:
        ratio = case.ratio()
        q1, q3 = case.paired_quartiles()
        lines.append(
            f"| {case.function} | {case.path}: {case.calls} "
            f"| {case.median('vitrine'):.0f} / {case.p90('vitrine'):.0f} "
            f"| {case.median('boto3'):.0f} / {case.p90('boto3'):.0f} | **{ratio:.2f}x** | {q1:.2f}-{q3:.2f} "
            f"| {case.median('botocore'):.0f} / {case.p90('botocore'):.0f} | {case.ratio('botocore'):.2f}x "
            f"| {'yes' if ratio <= TARGET else '**no**'} |"
        )
    lines += [
        "",
        "Where the time goes (medians, ms): start = interpreter + the bench's runner (the same for every "
        "variant); init = importing the handler module (module-level work included); invoke = the first "
        "invocation (clients created at first use included); CPU = the child's CPU time up to the handler's "
        "return (close to the wall time except where the emulator works for long, as for the catalog's queries). "
        "Vitrine creates its clients at first use (`vitrine.aws`), so botocore's import and the client's creation "
        "(~150-200 ms, the same work as the floors') fall in its invoke, where the floors pay them at import, in "
        "init: compare the totals, not the phases.",
        "",
        "| Function | Vitrine start / init / invoke (CPU) | boto3 floor | botocore floor |",
        "|---|---:|---:|---:|",
    ]
    for case in cases:
        cells = [
            " / ".join(f"{case.median(v, k):.0f}" for k in ("start_ms", "init_ms", "invoke_ms"))
            + f" ({case.median(v, 'cpu_ms'):.0f})"
            for v in VARIANTS
        ]
        lines.append(f"| {case.function} | {' | '.join(cells)} |")
    over = [case for case in cases if case.imports]
    if over:
        lines += [
            "",
            f"Imports of the functions over {TARGET}x: one `python -X importtime` run of the handler (first "
            "invocation included). Cumulative ms of its largest imports (indentation is nesting; a module shared "
            "with botocore counts where it was first imported), then the self ms of every module the botocore "
            "floor never imports, by package: what the handler really adds.",
        ]
        for case in over:
            total = sum(ms for _package, ms in case.exclusive)
            exclusive = ", ".join(f"{package} {ms:.0f}" for package, ms in case.exclusive if ms >= 1)
            lines += ["", f"{case.function} ({case.ratio():.2f}x):", "", "```"]
            lines += [f"{ms:8.1f}  {name}" for name, ms in case.imports]
            lines += ["```", "", f"Not imported by the botocore floor: {total:.0f} ms of self time ({exclusive})."]
    lines += [
        "",
        "Floors: `bench/floors/<function>_boto3.py` (the issue's floor: `import boto3`, clients at module level, "
        "the same AWS calls, a response of the same shape) and `<function>_botocore.py` (the same on botocore "
        "alone, as `vitrine.aws` uses it). Every response is checked and every write read back, so every run "
        "did its full path.",
        *(f"Not measured: {function} ({why})." for function, why in NOT_MEASURED.items()),
        END,
    ]
    return "\n".join(lines) + "\n"


def print_table(cases: list[Case]) -> None:
    print(f"{'function':30} {'vitrine':>8} {'boto3':>8} {'ratio':>6} {'botocore':>9} {'ratio':>6}")
    for case in cases:
        print(
            f"{case.function:30} {case.median('vitrine'):8.0f} {case.median('boto3'):8.0f} {case.ratio():5.2f}x "
            f"{case.median('botocore'):9.0f} {case.ratio('botocore'):5.2f}x"
        )


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=11, help="measured runs per variant per function (>= 7)")
    parser.add_argument("--only", action="append", metavar="LOGICAL_ID", help="bench only these functions")
    parser.add_argument("--no-write", action="store_true", help="print the results, leave bench/RESULTS.md alone")
    parser.add_argument("--no-importtime", action="store_true", help="skip the -X importtime run of slow functions")
    parser.add_argument("--samples", type=Path, metavar="FILE", help="also write every run's timings here (JSON)")
    args = parser.parse_args(argv)
    if args.runs < 7 and not args.no_write:
        parser.error("--runs must be >= 7 for results that are written (use --no-write to try fewer)")
    if args.only and set(args.only) - set(FUNCTIONS):
        parser.error(f"unknown function(s) {sorted(set(args.only) - set(FUNCTIONS))}; the functions: {FUNCTIONS}")

    from local_stack.deploy import deploy
    from local_stack.emulator import start_emulator
    from local_stack.seed import seed_demo

    began = time.monotonic()
    load_start = os.getloadavg()[0]
    emulator = start_emulator()
    receiver = Receiver()
    try:
        stack = deploy(emulator.url)
        seed = seed_demo(stack.functions["CatalogApiFunction"].environment)
        cases = build_cases(stack, seed, receiver)
        if args.only:
            cases = [case for case in cases if case.function in args.only]
        print(f"emulator ready, stack deployed and seeded in {time.monotonic() - began:.1f} s", flush=True)
        with tempfile.TemporaryDirectory(prefix="vitrine-bench-") as workdir:
            bench = Bench(stack, Path(workdir))
            for case in cases:
                bench.measure(case, args.runs)
                print(
                    f"{case.function}: vitrine {case.median('vitrine'):.0f} ms, boto3 floor "
                    f"{case.median('boto3'):.0f} ms ({case.ratio():.2f}x), botocore floor "
                    f"{case.median('botocore'):.0f} ms ({case.ratio('botocore'):.2f}x)",
                    flush=True,
                )
                if case.ratio() > TARGET and not args.no_importtime:
                    bench.import_profile(case)
    except BenchError as exc:
        print(f"bench aborted: {exc}", file=sys.stderr)
        return 1
    finally:
        receiver.close()
        emulator.stop()
    load_end = os.getloadavg()[0]
    section = report(cases, args.runs, argv, (load_start, load_end), time.monotonic() - began)
    if args.samples:
        args.samples.write_text(json.dumps({case.function: case.samples for case in cases}, indent=1))
    print()
    print_table(cases)
    if args.no_write:
        print(section)
    else:
        write_section("cold_start", section)
        print(f"\nwritten to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

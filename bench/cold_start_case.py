"""What the cold-start bench measures: the functions, the three variants, one case per function (the events it
serves, the check of its answers, the samples it collected) and the checks its answers and writes must pass."""

import json
import math
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TARGET = 1.3
VARIANTS = ("vitrine", "boto3", "botocore")
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
    "ErpOrdersApiFunction",
    "PayoutFunction",
    "CatalogViewFunction",
    "MerchantPayoutFunction",
    "NotifierFunction",
    "LoyaltyFunction",
    "MessagingWebhookFunction",
    "OperatorFunction",
    "ConsoleFunction",
)
# Functions of the template this bench has no case (and floor) for yet, and why; each is named in the results.
NOT_MEASURED: dict[str, str] = {}


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


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def http_status(expected: int) -> Callable[[Any], str | None]:
    def check(response: Any) -> str | None:
        if not isinstance(response, dict) or response.get("statusCode") != expected:
            return f"expected statusCode {expected}, got {str(response)[:300]}"
        return None

    return check


def catalog_check(response: Any) -> str | None:
    problem = http_status(200)(response)
    if problem is None and not json.loads(response["body"]).get("product_count"):
        problem = f"the catalog came back without products: {response['body'][:300]}"
    return problem


def webhook_check(response: Any) -> str | None:
    problem = http_status(202)(response)
    if problem is None and not json.loads(response["body"]).get("message_id"):
        problem = f"no SQS message id in {response['body'][:300]}"
    return problem


def feed_check(response: Any) -> str | None:
    problem = http_status(200)(response)
    if problem is None and not isinstance(json.loads(response["body"]).get("orders"), list):
        problem = f"no list of orders in {response['body'][:300]}"
    return problem


def batch_check(response: Any) -> str | None:
    if response != {"batchItemFailures": []}:
        return f"expected no batch item failures, got {str(response)[:300]}"
    return None


def job_check(response: Any) -> str | None:
    problem = http_status(202)(response)
    if problem is None and json.loads(response["body"]).get("queued") != 1:
        problem = f"the stock count was not queued: {response['body'][:300]}"
    return problem


def schedule_check(job: str) -> Callable[[Any], str | None]:
    def check(response: Any) -> str | None:
        if not isinstance(response, dict) or response.get("job") != job or "skipped" in response:
            return f"expected a completed run of {job}, got {str(response)[:300]}"
        return None

    return check


def attributes(**expected: dict[str, str] | None) -> Callable[[dict[str, Any]], str | None]:
    """A check that the item read back has these attributes (in DynamoDB's JSON); ``None``: any string."""

    def check(item: dict[str, Any]) -> str | None:
        for name, value in expected.items():
            found = item.get(name)
            matches = found == value if value is not None else bool(found and "S" in found)
            if not matches:
                return f"its {name} is {found}, not {value or 'a string'}"
        return None

    return check


def operator_check(merchant_id: str) -> Callable[[Any], str | None]:
    def check(response: Any) -> str | None:
        problem = http_status(200)(response)
        if problem is None:
            body = json.loads(response["body"])
            if body.get("merchant", {}).get("merchant_id") != merchant_id or not body.get("owner", {}).get("email"):
                problem = f"not the merchant {merchant_id} with its owner: {response['body'][:300]}"
        return problem

    return check

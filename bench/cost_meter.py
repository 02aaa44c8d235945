"""What the handlers ask of AWS, counted the way AWS bills it: requests by service and operation (botocore's event
hooks on the handlers' own session), EventBridge events by entry, and DynamoDB on-demand read and write request
units from the size of each item read or written (the emulator's ConsumedCapacity is not DynamoDB's).

DynamoDB's rules (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html):
a read is one unit per 4 KB of the item (half for an eventually consistent read, double inside a transaction; a
Query sums its items before rounding; a missing item still costs the minimum), a write one unit per 1 KB (double
inside a transaction) of the larger of the item before and after the write, and every index the item is in,
before or after, costs the write again, twice when the item's key in that index changed (a delete and a put).
So the meter reads each written item before and after its write, with a client it does not count. A write whose
condition fails is charged the item's size in the table alone; a transaction's ``ConditionCheck`` the item's
size, transactional. BatchWriteItem's unprocessed items are charged as if written (the bench never sees any).
"""

import math
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


def attribute_size(value: dict[str, Any]) -> int:
    """Bytes DynamoDB counts for one typed attribute value (``{"S": "x"}``)."""
    ((kind, inner),) = value.items()
    if kind == "S":
        return len(inner.encode())
    if kind == "N":
        digits = str(Decimal(inner)).lstrip("-").replace(".", "").lstrip("0") or "0"
        return math.ceil(len(digits) / 2) + 1
    if kind == "B":
        return len(inner)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind in ("SS", "NS", "BS"):
        return sum(attribute_size({kind[0]: member}) for member in inner)
    if kind == "L":
        return 3 + sum(attribute_size(member) + 1 for member in inner)
    if kind == "M":
        return 3 + sum(len(name.encode()) + attribute_size(member) + 1 for name, member in inner.items())
    raise ValueError(f"unknown DynamoDB type {kind}")


def item_size(item: dict[str, Any]) -> int:
    return sum(len(name.encode()) + attribute_size(value) for name, value in item.items())


def item_kind(key: dict[str, Any]) -> str:
    """The kind of item a key names, its ids left out (``keys.py``'s table): ``M#<mid>#WEBHOOKDELIVERY#<id>`` /
    ``DELIVERY`` is ``WEBHOOKDELIVERY``, ``M#<mid>`` / ``ORDER#<id>`` is ``ORDER``, ``WEBHOOK#pagarme#<id>`` is
    ``WEBHOOK``."""
    pk, sk = key.get("PK", {}).get("S", ""), key.get("SK", {}).get("S", "")
    parts = pk.split("#")
    if parts[0] == "M" and len(parts) > 2:
        return parts[2]
    if parts[0] == "M":
        return sk.split("#")[0]
    return parts[0]


def _units(size: int, per: int) -> int:
    return max(1, math.ceil(size / per))


@dataclass
class Usage:
    """One function's (or one step's) requests and DynamoDB units."""

    requests: Counter = field(default_factory=Counter)  # (service, operation) -> requests billed
    read_units: float = 0.0
    write_units: float = 0.0
    invocations: int = 0
    gb_seconds: float = 0.0  # Lambda duration times memory, estimated (``cost.py``)
    external_calls: int = 0
    bytes_out: float = 0.0  # sent to the internet by the origin itself (API Gateway, S3)
    edge_requests: float = 0.0  # CloudFront's requests (a view through the CDN)
    edge_bytes: float = 0.0  # and the bytes it sends
    writes_by_kind: Counter = field(default_factory=Counter)  # (item kind, operation) -> write units
    writes_count: Counter = field(default_factory=Counter)  # (item kind, operation) -> items written
    bytes_written: Counter = field(default_factory=Counter)  # (item kind, operation) -> their bytes

    def add(self, other: "Usage") -> None:
        self.requests.update(other.requests)
        self.read_units += other.read_units
        self.write_units += other.write_units
        self.invocations += other.invocations
        self.gb_seconds += other.gb_seconds
        self.external_calls += other.external_calls
        self.bytes_out += other.bytes_out
        self.edge_requests += other.edge_requests
        self.edge_bytes += other.edge_bytes
        self.writes_by_kind.update(other.writes_by_kind)
        self.writes_count.update(other.writes_count)
        self.bytes_written.update(other.bytes_written)

    def scaled(self, factor: float) -> "Usage":
        return Usage(
            Counter({k: v * factor for k, v in self.requests.items()}),
            self.read_units * factor,
            self.write_units * factor,
            round(self.invocations * factor),
            self.gb_seconds * factor,
            round(self.external_calls * factor),
            self.bytes_out * factor,
            self.edge_requests * factor,
            self.edge_bytes * factor,
            Counter({k: v * factor for k, v in self.writes_by_kind.items()}),
            Counter({k: v * factor for k, v in self.writes_count.items()}),
            Counter({k: v * factor for k, v in self.bytes_written.items()}),
        )

    def count(self, service: str) -> float:
        return sum(n for (s, _), n in self.requests.items() if s == service)


class AwsMeter:
    """Installed on a botocore session; charges every request to the bucket named by ``charge_to``.

    ``indexes`` maps each global secondary index to its key attributes (an item carrying them all is written to
    the index as well: every index of the template projects ALL). ``reader`` is a DynamoDB client on a session of
    its own, which the meter does not count: it reads each written item before and after the write."""

    def __init__(self, indexes: dict[str, list[str]], reader: Any) -> None:
        self.indexes = indexes
        self.reader = reader
        self.usage: dict[str, Usage] = defaultdict(Usage)
        self.charge_to = "unattributed"
        self.own_cpu_seconds = 0.0

    def install(self, session: Any) -> None:
        session.register("before-parameter-build", self._before_call)
        session.register("after-call", self._after_call)

    # ---- hooks
    def _before_call(self, model: Any, params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        if context.get("is_presign_request"):  # a signed URL is computed here, not a request
            return
        context["metered_params"] = params
        service = model.service_model.service_name
        usage = self.usage[self.charge_to]
        if service == "events" and model.name == "PutEvents":
            usage.requests[(service, "PutEvents entries")] += len(params.get("Entries", []))
        else:
            usage.requests[(service, model.name)] += 1
        if service == "dynamodb":
            context["metered_writes"] = [
                (*write, self._read(write[0], write[1])) for write in _writes(model.name, params)
            ]

    def _after_call(self, model: Any, parsed: Any = None, context: dict[str, Any] | None = None, **_: Any) -> None:
        if model.service_model.service_name != "dynamodb" or not isinstance(parsed, dict):
            return
        context = context or {}
        usage = self.usage[self.charge_to]
        failed = "Error" in parsed
        for table, key, item, factor, operation, old in context.get("metered_writes", []):
            if failed:  # a refused condition still costs the write of the item as it is, in the table alone
                self._charge(usage, key, operation + ", refused", _units(item_size(old or {}), 1024) * factor, 0)
                continue
            if operation.startswith("Delete"):
                new = None
            elif operation.startswith("ConditionCheck"):
                new = old
            else:  # an update sends only the change: the item as it is now
                new = item if item is not None else self._read(table, key)
            self._charge_write(usage, key, operation, factor, old, new)
        if not failed:
            self._reads(usage, model.name, context.get("metered_params", {}), parsed)

    def _read(self, table: str, key: dict[str, Any]) -> dict[str, Any] | None:
        started = time.thread_time()
        try:
            return self.reader.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")
        finally:  # the meter's own reads are not the function's time
            self.own_cpu_seconds += time.thread_time() - started

    # ---- DynamoDB units
    def _charge_write(
        self,
        usage: Usage,
        key: dict[str, Any],
        operation: str,
        factor: float,
        old: dict[str, Any] | None,
        new: dict[str, Any] | None,
    ) -> None:
        """The larger of the item before and after, per started KB (``factor`` for a transaction's 2), and for
        each index it is in before or after once more, twice when its key there changed (a delete and a put);
        a condition check writes nothing to the indexes."""
        size = max(item_size(old or {}), item_size(new or {}))
        units = _units(size, 1024)
        copies = 0
        for names in self.indexes.values() if not operation.startswith("ConditionCheck") else ():
            before = old is not None and all(n in old for n in names)
            after = new is not None and all(n in new for n in names)
            if before and after:
                copies += 2 if any(old[n] != new[n] for n in names) else 1
            elif before or after:
                copies += 1
        self._charge(usage, key, operation, units * (factor + copies), size)

    @staticmethod
    def _charge(usage: Usage, key: dict[str, Any], operation: str, units: float, size: int) -> None:
        usage.write_units += units
        usage.writes_by_kind[(item_kind(key), operation)] += units
        usage.writes_count[(item_kind(key), operation)] += 1
        usage.bytes_written[(item_kind(key), operation)] += size

    def _reads(self, usage: Usage, operation: str, params: dict[str, Any], parsed: dict[str, Any]) -> None:
        half = 1.0 if params.get("ConsistentRead") else 0.5
        if operation == "GetItem":
            usage.read_units += _units(item_size(parsed.get("Item", {})), 4096) * half
        elif operation == "BatchGetItem":
            for table, asked in params["RequestItems"].items():
                factor = 1.0 if asked.get("ConsistentRead") else 0.5
                found = parsed.get("Responses", {}).get(table, [])
                missing = (
                    len(asked["Keys"])
                    - len(found)
                    - len(parsed.get("UnprocessedKeys", {}).get(table, {}).get("Keys", []))
                )
                usage.read_units += (sum(_units(item_size(i), 4096) for i in found) + max(missing, 0)) * factor
        elif operation in ("Query", "Scan"):
            items = parsed.get("Items", [])
            size = sum(item_size(i) for i in items)
            scanned, returned = parsed.get("ScannedCount", len(items)), max(len(items), 1)
            usage.read_units += _units(size * max(scanned, 1) / returned, 4096) * half
        elif operation == "TransactGetItems":
            for response in parsed.get("Responses", []):
                usage.read_units += _units(item_size(response.get("Item", {})), 4096) * 2


def _key(item: dict[str, Any]) -> dict[str, Any]:
    return {"PK": item["PK"], "SK": item["SK"]}


def _writes(operation: str, params: dict[str, Any]) -> list[tuple[str, dict[str, Any], Any, float, str]]:
    """The items a DynamoDB request writes: (table, key, the new item when the request carries it, factor, label)."""
    if operation == "PutItem":
        return [(params["TableName"], _key(params["Item"]), params["Item"], 1, "Put")]
    if operation == "UpdateItem":
        return [(params["TableName"], params["Key"], None, 1, "Update")]
    if operation == "DeleteItem":
        return [(params["TableName"], params["Key"], None, 1, "Delete")]
    writes: list[tuple[str, dict[str, Any], Any, float, str]] = []
    if operation == "BatchWriteItem":
        for table, requests in params["RequestItems"].items():
            for request in requests:
                if "PutRequest" in request:
                    item = request["PutRequest"]["Item"]
                    writes.append((table, _key(item), item, 1, "Put"))
                else:
                    writes.append((table, request["DeleteRequest"]["Key"], None, 1, "Delete"))
    elif operation == "TransactWriteItems":
        for action in params["TransactItems"]:
            ((kind, inner),) = action.items()
            item = inner.get("Item")
            writes.append((inner["TableName"], _key(item) if item else inner["Key"], item, 2, f"{kind} (transaction)"))
    return writes

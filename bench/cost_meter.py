"""What the handlers ask of AWS, counted the way AWS bills it: requests by service and operation (botocore's event
hooks on the handlers' own session), EventBridge events by entry, and DynamoDB on-demand read and write request
units from the size of each item read or written (the emulator's ConsumedCapacity is not DynamoDB's).

DynamoDB's rules (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html):
a read is one unit per 4 KB of the item (half for an eventually consistent read, double inside a transaction; a
Query sums its items before rounding; a missing item still costs the minimum), a write one unit per 1 KB (double
inside a transaction), and every index an item is written to costs the write again. Where the client cannot see
the size (an ``UpdateItem`` sends only the change), the item is read back at the end of the run, unmetered, and
its final size used: an item that grew over the journey is charged its final size on every update, so the figure
leans high. A transaction's ``ConditionCheck`` is charged as a transactional write of 1 KB (high as well).
"""

import math
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
            Counter({k: v * factor for k, v in self.writes_by_kind.items()}),
            Counter({k: v * factor for k, v in self.writes_count.items()}),
            Counter({k: v * factor for k, v in self.bytes_written.items()}),
        )

    def count(self, service: str) -> float:
        return sum(n for (s, _), n in self.requests.items() if s == service)


class AwsMeter:
    """Installed on a botocore session; charges every request to the bucket named by ``charge_to``.

    ``indexes`` maps each global secondary index to its key attributes (an item carrying them all is written to
    the index as well: every index of the template projects ALL)."""

    def __init__(self, indexes: dict[str, list[str]]) -> None:
        self.indexes = indexes
        self.usage: dict[str, Usage] = defaultdict(Usage)
        self.charge_to = "unattributed"
        # Updates whose size is known only at the end: (bucket, key, factor, operation).
        self._updates: list[tuple[str, dict[str, Any], float, str]] = []

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
            self._writes(usage, model.name, params)

    def _after_call(self, model: Any, parsed: Any = None, context: dict[str, Any] | None = None, **_: Any) -> None:
        if model.service_model.service_name != "dynamodb" or not isinstance(parsed, dict) or "Error" in parsed:
            return
        self._reads(self.usage[self.charge_to], model.name, (context or {}).get("metered_params", {}), parsed)

    # ---- DynamoDB units
    def _index_copies(self, item: dict[str, Any]) -> int:
        return sum(all(k in item for k in keys) for keys in self.indexes.values())

    def _write_item(self, usage: Usage, item: dict[str, Any], factor: float, operation: str) -> None:
        size = item_size(item)
        self._charge(usage, item, operation, _units(size, 1024) * (factor + self._index_copies(item)), size)

    @staticmethod
    def _charge(usage: Usage, key: dict[str, Any], operation: str, units: float, size: int = 0) -> None:
        usage.write_units += units
        usage.writes_by_kind[(item_kind(key), operation)] += units
        usage.writes_count[(item_kind(key), operation)] += 1
        usage.bytes_written[(item_kind(key), operation)] += size

    def _writes(self, usage: Usage, operation: str, params: dict[str, Any]) -> None:
        if operation == "PutItem":
            self._write_item(usage, params["Item"], 1, "Put")
        elif operation == "UpdateItem":
            self._updates.append((self.charge_to, params["Key"], 1, "Update"))
        elif operation == "DeleteItem":
            self._charge(usage, params["Key"], "Delete", 1)
        elif operation == "BatchWriteItem":
            for requests in params["RequestItems"].values():
                for request in requests:
                    if "PutRequest" in request:
                        self._write_item(usage, request["PutRequest"]["Item"], 1, "Put")
                    else:
                        self._charge(usage, request["DeleteRequest"]["Key"], "Delete", 1)
        elif operation == "TransactWriteItems":
            for action in params["TransactItems"]:
                if "Put" in action:
                    self._write_item(usage, action["Put"]["Item"], 2, "Put (transaction)")
                elif "Update" in action:
                    self._updates.append((self.charge_to, action["Update"]["Key"], 2, "Update (transaction)"))
                else:  # Delete, ConditionCheck
                    ((kind, inner),) = action.items()
                    self._charge(usage, inner["Key"], f"{kind} (transaction)", 2)

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

    def settle(self, client: Any, table: str) -> None:
        """Charge the updates their item's size now, read with ``client`` (a client the meter does not count)."""
        for bucket, key, factor, operation in self._updates:
            item = client.get_item(TableName=table, Key=key).get("Item") or key
            self._write_item(self.usage[bucket], item, factor, operation)
        self._updates.clear()

"""Two shortcuts through moto's in-process DynamoDB that change its cost, not its answers.

Found with a profile (``cProfile``) of the 10,000-row snapshot tests of ``tests/integration/test_erp_ingest.py``:

1. **Answers serialised field by field.** moto 5.2 serialises every DynamoDB answer through its generic
   shape-walking serializer: ~20 Python calls per attribute, 75 s of the price snapshot test's 145 s. The answers of
   the item operations in ``FAST_OPERATIONS`` are already in DynamoDB's JSON shape (moto's ``DynamoResult`` holds
   them as plain dicts, binary values as bytes), so they are dumped with moto's own ``DynamoJsonEncoder`` (bytes as
   base64, as the serializer writes them), as moto did before 5.x.
2. **A table Query sorts the whole table.** moto's ``Table.query`` (no index) takes ``all_items()`` (every item of
   every partition, sorted), keeps the queried partition's and sorts those by the sort key: ~1.8 s per Query in a
   table of 20,000 items (147 s of the stock snapshot test's 190 s). Here, for that Query only, ``all_items()``
   hands it the queried partition's items; moto's own code then does everything else (the same filter and sort,
   the start key, limits, conditions, projections), so it returns the same items in the same order.

The same ideas as ``bench/moto_speed.py``'s first two shortcuts, kept free of shared state so threads may use them
(the queried partition is a thread-local hint). Errors, index queries, scans, control-plane operations and every
other service go through moto unchanged.

``VITRINE_FAST_MOTO=off`` leaves moto as it is (to measure, or to rule the shortcuts out); ``verify`` also runs
moto's own way for each shortcut and fails on any difference (in the answer as botocore parses it; in the items,
counts and last key of a Query); ``tests/unit/test_fast_moto.py`` checks a sample of operations the same way on every
run.
"""

import contextlib
import inspect
import json
import os
import threading
from collections.abc import Iterator

FAST_OPERATIONS = frozenset(
    {
        "GetItem",
        "PutItem",
        "UpdateItem",
        "DeleteItem",
        "BatchGetItem",
        "BatchWriteItem",
        "Query",
        "Scan",
        "TransactGetItems",
        "TransactWriteItems",
    }
)

_queried = threading.local()
_installed = contextlib.ExitStack()


def _parsed(body: str, context) -> dict:
    """What botocore reads from an answer (moto's extra keys, such as DeleteItem's ``ConsumedCapacityUnits``, are
    dropped by its serializer and ignored by botocore alike)."""
    from botocore.parsers import create_parser

    response = {"body": (body or "{}").encode(), "headers": {}, "status_code": 200}
    parsed = create_parser("json").parse(response, context.operation_model.output_shape)
    parsed.pop("ResponseMetadata", None)
    return parsed


def _query_outcome(outcome) -> tuple:
    items, scanned, last_key = outcome
    return [item.to_json() for item in items], scanned, last_key


@contextlib.contextmanager
def fast_dynamodb(*, verify: bool | None = None) -> Iterator[None]:
    """Both shortcuts while the block runs (``mock_aws`` may be active or not)."""
    from moto.core.responses import ActionResult
    from moto.dynamodb.models.table import Table
    from moto.dynamodb.models.utilities import DynamoJsonEncoder
    from moto.dynamodb.responses import DynamoResult

    if os.environ.get("VITRINE_FAST_MOTO") == "off":
        yield
        return
    verify = os.environ.get("VITRINE_FAST_MOTO") == "verify" if verify is None else verify
    original_execute, original_query, original_all_items = ActionResult.execute_result, Table.query, Table.all_items
    query_signature = inspect.signature(original_query)

    def execute_result(self, context):
        if (
            type(self) is not DynamoResult
            or not isinstance(self.result, dict)
            or context.service_model.service_name != "dynamodb"
            or context.operation_model.name not in FAST_OPERATIONS
        ):
            return original_execute(self, context)
        body = json.dumps(self.result, cls=DynamoJsonEncoder)
        if verify:
            status, _, slow = original_execute(self, context)
            assert status == 200, (context.operation_model.name, status)
            fast, moto = _parsed(body, context), _parsed(slow, context)
            assert fast == moto, (context.operation_model.name, fast, moto)
        return 200, {"Content-Type": "application/x-amz-json-1.0"}, body

    def all_items(self):
        hint = getattr(_queried, "partition", None)
        if hint is None or hint[0] is not self:
            return original_all_items(self)
        partition = self.items.get(hint[1])
        return list(partition.values()) if partition else []

    def query(self, *args, **kwargs):
        arguments = query_signature.bind(self, *args, **kwargs).arguments
        hash_key = arguments.get("hash_key")
        if arguments.get("index_name") or hash_key is None or not self.range_key_attr:
            return original_query(self, *args, **kwargs)
        _queried.partition = (self, hash_key)
        try:
            outcome = original_query(self, *args, **kwargs)
        finally:
            _queried.partition = None
        if verify:
            assert _query_outcome(outcome) == _query_outcome(original_query(self, *args, **kwargs))
        return outcome

    ActionResult.execute_result, Table.query, Table.all_items = execute_result, query, all_items
    try:
        yield
    finally:
        ActionResult.execute_result, Table.query, Table.all_items = original_execute, original_query, original_all_items


def install() -> None:
    """Both shortcuts for the rest of the process: the local stack's emulator calls this when a test run names this
    file in ``LOCAL_STACK_EMULATOR_SHORTCUTS`` (``tests/e2e/stack_harness.py``); it serves DynamoDB one request at a
    time (``local_stack.emulator.serialize_dynamodb``)."""
    _installed.enter_context(fast_dynamodb())

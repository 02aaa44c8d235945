"""Shortcuts through moto's DynamoDB (and, for the local stack's emulator, its server) that change its cost, not its
answers.

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
3. **A Query's key condition is checked after each item's size.** For every item of the partition, moto's
   ``Table.query`` computes the item's size (attribute by attribute, for the 1 MB page limit) before it checks the
   sort key condition: ~1 s per ``begins_with`` Query of a partition of 10,000 items that matches a handful (a
   merchant's stores beside its 10,000 variants; 82 s of the 10,000-level stock snapshot test's 224 s in a profile;
   the local stack's emulator, whose demo partition holds ~440 items, spends most of the schemathesis test's CPU
   there). Here the partition handed to that Query holds only the items its sort key condition keeps, checked by
   moto's own ``compare``; moto then runs as before. Its answer can differ from moto's own in two cases only, and
   there the Query runs moto's way again: when the page is full (``Limit``) and no kept item follows (moto answers a
   ``LastEvaluatedKey`` when a dropped item follows), and when the kept items weigh more than 1 MB less the largest
   item (400 KB; a dropped item could then end moto's page on size).

The first two are the same ideas as ``bench/moto_speed.py``'s first two shortcuts, kept free of shared state so
threads may use them (the queried partition and its condition are a thread-local hint). Errors, index queries, scans,
control-plane operations and every other service go through moto unchanged.

``VITRINE_FAST_MOTO=off`` leaves moto as it is (to measure, or to rule the shortcuts out); ``verify`` also runs
moto's own way for each shortcut and fails on any difference (in the answer as botocore parses it; in the items,
counts and last key of a Query); ``tests/unit/test_fast_moto.py`` checks a sample of operations the same way on every
run.
"""

import contextlib
import functools
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

# The largest item DynamoDB (and moto) stores.
MAX_ITEM_SIZE = 400_000

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


def _heavier(items) -> bool:
    """Whether ``items`` weigh more than a page's 1 MB less the largest item (sizes summed only as far as needed)."""
    from moto.dynamodb.models.table import RESULT_SIZE_LIMIT

    total = 0
    for item in items:
        total += item.size()
        if total > RESULT_SIZE_LIMIT - MAX_ITEM_SIZE:
            return True
    return False


@contextlib.contextmanager
def fast_dynamodb(*, verify: bool | None = None) -> Iterator[None]:
    """The shortcuts while the block runs (``mock_aws`` may be active or not)."""
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
        items = list(partition.values()) if partition else []
        keeps = hint[2]
        if keeps is None:
            return items
        kept = [item for item in items if keeps(item)]
        _queried.dropped = len(items) - len(kept)
        _queried.kept = kept
        return kept

    def sort_key_condition(arguments):
        """What moto's Query loop keeps of a table's items by the sort key condition (its own ``compare``), or None
        when there is no such condition or moto filters otherwise (legacy ``QueryFilter``)."""
        comparison, values = arguments.get("range_comparison"), arguments.get("range_objs")
        if not comparison or arguments.get("filter_kwargs"):
            return None
        conditions = arguments.get("range_key_conditions")
        name = conditions[-1][0] if conditions else None
        if name:
            return lambda item: bool(item.attrs.get(name)) and item.attrs[name].compare(comparison, values)
        return lambda item: item.range_key.compare(comparison, values)

    def partition_query(self, hash_key, keeps, args, kwargs):
        _queried.partition, _queried.dropped, _queried.kept = (self, hash_key, keeps), 0, []
        try:
            return original_query(self, *args, **kwargs), _queried.dropped, _queried.kept
        finally:
            _queried.partition, _queried.kept = None, []

    def query(self, *args, **kwargs):
        arguments = query_signature.bind(self, *args, **kwargs).arguments
        hash_key = arguments.get("hash_key")
        if arguments.get("index_name") or hash_key is None or not self.range_key_attr:
            return original_query(self, *args, **kwargs)
        keeps = sort_key_condition(arguments)
        outcome, dropped, kept = partition_query(self, hash_key, keeps, args, kwargs)
        # The page full (its count before any filter: moto's scanned count) with no key to go on from, or kept items
        # heavy enough that a dropped one could have ended the page on size: moto's own way.
        if dropped and ((outcome[1] == arguments.get("limit") and outcome[2] is None) or _heavier(kept)):
            outcome, _, _ = partition_query(self, hash_key, None, args, kwargs)
        if verify:
            assert _query_outcome(outcome) == _query_outcome(original_query(self, *args, **kwargs))
        return outcome

    ActionResult.execute_result, Table.query, Table.all_items = execute_result, query, all_items
    try:
        yield
    finally:
        ActionResult.execute_result, Table.query, Table.all_items = original_execute, original_query, original_all_items


@contextlib.contextmanager
def moto_modules_listed_once() -> Iterator[None]:
    """The moto server's list of its service packages read once, not at every request.

    moto's server (``DomainDispatcherApplication.get_backend_for_host``) asks ``moto.backends.list_of_moto_modules()``
    at every request whether the request's host names a service package: a ``listdir`` of moto's package and an
    ``isdir`` for each of its ~200 entries, the emulator's costliest step in a sampled profile of the schemathesis
    test (twice what its DynamoDB work took). moto's installed package does not change while the server runs, so the
    list is the same at every request: read once here, with moto's own function."""
    from moto import backends

    original = backends.list_of_moto_modules
    modules = tuple(original())
    backends.list_of_moto_modules = lambda: iter(modules)
    try:
        yield
    finally:
        backends.list_of_moto_modules = original


@contextlib.contextmanager
def jsonpaths_parsed_once() -> Iterator[None]:
    """A JSONPath parsed once per process, not at every use.

    moto's EventBridge turns an event into what each rule's target receives (``EventTemplateParser.parse``) through
    8 JSONPaths (``$.account``, ``$.detail``, ...), each by ``jsonpath_ng.ext.parse``, which builds a new PLY parser
    (its tables loaded again) and parses the path: at every target of every event put, ~7% of the local stack's
    emulator in a sampled profile of the schemathesis test. A parsed ``JSONPath`` is a tree that ``find`` only reads,
    so the tree of a path is the same at every use: ``jsonpath_ng``'s own parse, its result remembered by path."""
    import jsonpath_ng.ext

    original = jsonpath_ng.ext.parse
    jsonpath_ng.ext.parse = functools.cache(original)
    try:
        yield
    finally:
        jsonpath_ng.ext.parse = original


def install() -> None:
    """The shortcuts for the rest of the process: the local stack's emulator calls this when a test run names this
    file in ``LOCAL_STACK_EMULATOR_SHORTCUTS`` (``tests/e2e/stack_harness.py``); it serves DynamoDB one request at a
    time (``local_stack.emulator.serialize_dynamodb``); the server's list of moto's services read once; each JSONPath
    parsed once."""
    _installed.enter_context(fast_dynamodb())
    if os.environ.get("VITRINE_FAST_MOTO") != "off":
        _installed.enter_context(moto_modules_listed_once())
        _installed.enter_context(jsonpaths_parsed_once())

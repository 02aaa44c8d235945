"""Two shortcuts through moto's in-process DynamoDB, for the benches that store tens of thousands of products
(``storefront.py`` at 50,000): moto's own cost, not DynamoDB's and not ours, grows faster than the data.

Found with a profile of a rebuild (``cProfile``, 1,000 and 3,000 products; see the storefront section of
``bench/RESULTS.md``):

1. **Query walks the whole table.** moto 5.2's ``Table.query`` looks at every item of every partition to find the
   queried one, sorts the partition, then walks it from its start to the ``ExclusiveStartKey``, comparing typed
   values. Reading a partition page by page therefore costs (pages x items in the table): the rebuild's pages of
   products, prices and view keys at 50,000 products are ~150 Queries over a table of ~600,000 items. DynamoDB
   finds a page by the key, in time of the page. Here a table Query (not an index's) with a key condition starts
   from its own partition's keys, sorted once until the next write, cut at the start key by bisection and, for a
   ``begins_with`` or no sort-key condition read forward, to ``Limit + 1`` items; moto's own code then does the
   rest (conditions, the 1 MB limit, the last evaluated key, projections) on those items, so the answers are the
   ones moto gives.
2. **Responses serialised field by field.** moto 5.2 serialises every DynamoDB answer through its generic
   shape-walking serializer: ~20 Python calls per attribute, 60% of the rebuild's time at 1,000 products. For the
   item operations named in ``FAST_OPERATIONS`` the answer (already in DynamoDB's JSON shape) is dumped with
   moto's own ``DynamoJsonEncoder``, as moto did before 5.x; a test (``tests/unit/test_bench_moto_speed.py``)
   checks that botocore parses the same thing from both.

3. **A transaction copies the whole table.** moto 5.2's ``transact_write_items`` deep-copies every table a
   transaction names, once per action, to roll back on a failure: three copies of 600,000 items for one product's
   change at 50,000 products (minutes each). Here the copy is of the table's partition maps (the items shared) with
   the items the transaction names deep-copied: a rollback restores what moto's would (a put or delete replaces a
   map entry; an update changes only a named item).

Errors, index queries and every other operation go through moto unchanged.
"""

import bisect
import contextlib
import copy
import json
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

FAST_OPERATIONS = frozenset({"GetItem", "PutItem", "DeleteItem", "BatchGetItem", "BatchWriteItem", "Query"})


@contextlib.contextmanager
def faster_moto() -> Iterator[None]:
    """Both shortcuts while the block runs (moto must be imported; ``mock_aws`` may be active or not)."""
    from moto.core.responses import ActionResult
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table
    from moto.dynamodb.models.utilities import DynamoJsonEncoder

    original_query, original_put, original_delete = Table.query, Table.put_item, Table.delete_item
    original_execute = ActionResult.execute_result
    original_transact = DynamoDBBackend.transact_write_items
    generation = [0]
    sorted_keys: dict[tuple[int, Any], tuple[int, list, list]] = {}

    def put_item(self, *args, **kwargs):
        generation[0] += 1
        return original_put(self, *args, **kwargs)

    def delete_item(self, *args, **kwargs):
        generation[0] += 1
        return original_delete(self, *args, **kwargs)

    def partition_keys(table, hash_key) -> tuple[list, list]:
        cached = sorted_keys.get((id(table), hash_key))
        if cached is None or cached[0] != generation[0]:
            keys = sorted(table.items.get(hash_key, {}), key=lambda key: key.cast_value)
            cached = (generation[0], keys, [key.cast_value for key in keys])
            sorted_keys[(id(table), hash_key)] = cached
        return cached[1], cached[2]

    def query(
        self, hash_key, range_comparison, range_objs, limit, exclusive_start_key, scan_index_forward, *args, **kwargs
    ):
        index_name = args[1] if len(args) > 1 else kwargs.get("index_name")
        filtered = set(kwargs) - {"index_name", "hash_key_conditions", "range_key_conditions"}
        if index_name or hash_key is None or not self.range_key_attr or filtered:
            return original_query(
                self,
                hash_key,
                range_comparison,
                range_objs,
                limit,
                exclusive_start_key,
                scan_index_forward,
                *args,
                **kwargs,
            )
        keys, values = partition_keys(self, hash_key)
        start, end = 0, len(keys)
        comparison = str(range_comparison or "").upper()
        if exclusive_start_key and scan_index_forward is not False:
            start = bisect.bisect_right(values, DynamoType(exclusive_start_key[self.range_key_attr]).cast_value)
        elif exclusive_start_key:
            end = bisect.bisect_left(values, DynamoType(exclusive_start_key[self.range_key_attr]).cast_value)
        if comparison == "BEGINS_WITH" and scan_index_forward is not False:
            prefix = range_objs[0].cast_value
            start = max(start, bisect.bisect_left(values, prefix))
            end = min(end, bisect.bisect_left(values, prefix + "\U0010ffff"))
        if comparison in ("", "BEGINS_WITH") and scan_index_forward is not False and limit:
            end = min(end, start + int(limit) + 1)
        partition = self.items.get(hash_key, {})
        candidates = [partition[key] for key in keys[start:end] if key in partition]
        self.all_items = lambda: candidates  # the instance's, for this call only (the bench runs one thread)
        try:
            return original_query(
                self, hash_key, range_comparison, range_objs, limit, None, scan_index_forward, *args, **kwargs
            )
        finally:
            del self.all_items

    def execute_result(self, context):
        operation = str(context.operation_model.name)
        if context.service_model.service_name != "dynamodb" or operation not in FAST_OPERATIONS:
            return original_execute(self, context)
        if not isinstance(self.result, dict):
            return original_execute(self, context)
        body = json.dumps(self.result, cls=DynamoJsonEncoder)
        return 200, {"Content-Type": "application/x-amz-json-1.0"}, body

    def transact_write_items(self, transact_items):
        named: dict[str, set] = {}
        for action in transact_items:
            (op,) = action.values()
            table = self.tables.get(op.get("TableName"))
            if table is None or not table.range_key_attr:
                continue
            attrs = op.get("Key") or op.get("Item") or {}
            if table.hash_key_attr in attrs and table.range_key_attr in attrs:
                key = (DynamoType(attrs[table.hash_key_attr]), DynamoType(attrs[table.range_key_attr]))
                named.setdefault(table.name, set()).add(key)
        deepcopy = copy.deepcopy

        def snapshot(value, memo=None):
            if not isinstance(value, Table) or not value.range_key_attr:
                return deepcopy(value, memo)
            clone = copy.copy(value)
            clone.items = defaultdict(dict, {hash_key: dict(part) for hash_key, part in value.items.items()})
            for hash_key, range_key in named.get(value.name, ()):
                if range_key in clone.items.get(hash_key, {}):
                    clone.items[hash_key][range_key] = deepcopy(clone.items[hash_key][range_key])
            return clone

        copy.deepcopy = snapshot  # moto's module calls copy.deepcopy; the bench runs one thread
        try:
            return original_transact(self, transact_items)
        finally:
            copy.deepcopy = deepcopy

    Table.query, Table.put_item, Table.delete_item = query, put_item, delete_item
    ActionResult.execute_result = execute_result
    DynamoDBBackend.transact_write_items = transact_write_items
    try:
        yield
    finally:
        Table.query, Table.put_item, Table.delete_item = original_query, original_put, original_delete
        ActionResult.execute_result = original_execute
        DynamoDBBackend.transact_write_items = original_transact

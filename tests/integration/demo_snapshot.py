"""The demo merchant of ``make dev`` (``local_stack.seed.seed_demo({})``) seeded once per test process, then restored
into each test's fresh moto stack: the same items and images as a seed, at a fraction of its cost.

A seed costs 3-7 s (the Pillow-drawn images, ~440 items through the repository, four password hashes); ~30 tests
start from it. ``seeded_demo()`` seeds for real the first time it is called in a process (for one password
derivation: the real scrypt, or a test's cheap stand-in, which stores other hashes), into that test's own fresh
stack, and keeps what the seed wrote: the table's items (moto's own objects, deep-copied, as moto restores a table
from a backup), the bucket's objects (body, content type, cache control, metadata) and the ``DemoSeed`` it returned.
A later call restores exactly those into its own fresh stack: the table's items by moto's backend directly, the
objects by ``PutObject``. Each test still starts from exactly the seeded state and its writes stay its own: the
snapshot is never written to, every restore is a fresh deep copy.

The seed writes nothing else (no queue message, parameter or rule; the event it publishes finds no rule on a fresh
bus and goes nowhere): ``tests/integration/test_demo_snapshot.py`` checks that, and that a restored table and bucket
are the seeded ones item for item. When the stack is not fresh (an item, an object or a bus rule already there), the
seed runs for real: a restore would not merge as the seed's writes do.

``VITRINE_DEMO_SNAPSHOT=off`` seeds for real every time (to measure, or to rule the snapshot out). The tests whose
subject is the seed itself (``test_the_demo_seed_*``) still call ``seed_demo``.
"""

import copy
import os
from dataclasses import dataclass
from typing import Any

from local_stack.seed import DemoSeed, apply_environment, seed_demo
from vitrine import aws
from vitrine.auth import passwords
from vitrine.settings import get_settings


@dataclass(frozen=True)
class DemoSnapshot:
    seed: DemoSeed
    items: Any  # moto's Table.items: {hash key: {range key: Item}}
    objects: tuple[dict[str, Any], ...]


_snapshots: dict[Any, DemoSnapshot] = {}


def _table():
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    settings = get_settings()
    return dynamodb_backends[DEFAULT_ACCOUNT_ID][settings.aws_region].get_table(settings.require("table_name"))


def bucket_objects() -> tuple[dict[str, Any], ...]:
    """Every object of the images bucket with what a reader of it gets back."""
    s3, bucket = aws.client("s3"), get_settings().require("images_bucket")
    objects = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for listed in page.get("Contents", []):
            got = s3.get_object(Bucket=bucket, Key=listed["Key"])
            objects.append(
                {
                    "Key": listed["Key"],
                    "Body": got["Body"].read(),
                    "ContentType": got["ContentType"],
                    "CacheControl": got.get("CacheControl"),
                    "Metadata": got["Metadata"],
                }
            )
    return tuple(objects)


def _fresh() -> bool:
    settings = get_settings()
    if any(_table().items.values()):
        return False
    if aws.client("s3").list_objects_v2(Bucket=settings.require("images_bucket"), MaxKeys=1).get("KeyCount"):
        return False
    return not aws.client("events").list_rules(EventBusName=settings.require("event_bus_name"))["Rules"]


def take_snapshot() -> DemoSnapshot:
    """``seed_demo({})`` into this (fresh) stack, and what it wrote."""
    seed = seed_demo({})
    return DemoSnapshot(seed, copy.deepcopy(_table().items), bucket_objects())


def restore(snapshot: DemoSnapshot) -> DemoSeed:
    """Write ``snapshot`` into this (fresh) stack as its seed wrote it; this process's clients as a seed leaves them."""
    apply_environment({})
    _table().items.update(copy.deepcopy(snapshot.items))
    s3, bucket = aws.client("s3"), get_settings().require("images_bucket")
    for stored in snapshot.objects:
        extra = {"CacheControl": stored["CacheControl"]} if stored["CacheControl"] is not None else {}
        s3.put_object(
            Bucket=bucket,
            Key=stored["Key"],
            Body=stored["Body"],
            ContentType=stored["ContentType"],
            Metadata=stored["Metadata"],
            **extra,
        )
    return snapshot.seed


def seeded_demo() -> DemoSeed:
    """The state ``seed_demo({})`` leaves in this test's fresh stack (call it where the test called the seed)."""
    # A test's cheap stand-in for scrypt stores other hashes than the real one: a snapshot per derivation (the
    # modules' stand-ins are the same lambda, the same code: they share one).
    code = passwords._derive.__code__
    derivation = (code.co_code, code.co_consts, code.co_names)
    if os.environ.get("VITRINE_DEMO_SNAPSHOT") == "off" or not _fresh():
        return seed_demo({})
    if derivation not in _snapshots:
        _snapshots[derivation] = take_snapshot()
        return _snapshots[derivation].seed
    return restore(_snapshots[derivation])

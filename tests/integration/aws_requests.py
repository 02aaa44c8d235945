"""What a block of code asks of DynamoDB, counted by botocore's ``before-call`` hook (one call per API request)."""

from collections.abc import Iterator
from contextlib import contextmanager

from vitrine import aws


@contextmanager
def dynamodb_requests() -> Iterator[list[str]]:
    """The DynamoDB operations made inside the ``with`` block, in order (``GetItem``, ``Query``, ...)."""
    names: list[str] = []

    def count(model, **_):
        names.append(model.name)

    events = aws.client("dynamodb").meta.events
    events.register("before-call.dynamodb", count)
    try:
        yield names
    finally:
        events.unregister("before-call.dynamodb", count)

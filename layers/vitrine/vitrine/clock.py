"""Vitrine's "now" for money and its days: the machine's clock in AWS; in the local stack, a clock that
``vitrine-local fire <schedule> --as-of`` moves forward, as payment providers' test clocks do, so a demo pays out a
sale "days later" minutes after it was made.

In AWS nothing sets ``VITRINE_LOCAL_CLOCK_FILE`` (``tests/unit/test_template.py`` pins it), so ``now()`` is
``datetime.now(UTC)``. The local stack points it at a file holding ``{"offset_seconds": n}``; each function process
reads it again when it changes (by its mtime), so moving it moves every function at once.

What follows it: the moment an order's money moves (a capture, a refund, a chargeback: the ledger's booking days
and the order's history), and the day the payout side calls today (a run is never ahead of it; receivables,
anticipation, the next payout day). What does not: reservations, sessions, tokens and every expiry, which stay on
the machine's clock. Only forward: a clock moved back would book entries behind the payout cursor.
"""

import json
import os
from datetime import UTC, datetime, timedelta

CLOCK_FILE_VARIABLE = "VITRINE_LOCAL_CLOCK_FILE"
_read: tuple[str, float, timedelta] | None = None


def now() -> datetime:
    moment = datetime.now(UTC)
    path = os.environ.get(CLOCK_FILE_VARIABLE)
    return moment + _offset(path) if path else moment


def _offset(path: str) -> timedelta:
    global _read
    try:
        mtime = os.stat(path).st_mtime
    except FileNotFoundError:
        return timedelta(0)
    if _read is None or _read[:2] != (path, mtime):
        with open(path, encoding="utf-8") as file:
            _read = (path, mtime, timedelta(seconds=float(json.load(file)["offset_seconds"])))
    return _read[2]

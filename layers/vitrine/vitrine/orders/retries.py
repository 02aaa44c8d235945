"""Trying a write again when it lost a race: the jittered pause the checkout and the order lifecycle share.

Writers of the same items (two checkouts of the last units, the webhook and the ERP moving one order) collide
rarely and briefly: a short random pause, longer with each try, lets them through one after the other.
"""

import random
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def retry_on_conflict(
    attempt: Callable[[], T], *, conflict: type[Exception], retries: int, pause: tuple[float, float]
) -> T:
    """``attempt()``, run again up to ``retries`` more times while it raises ``conflict``; the last one is raised.

    Before try ``n + 2`` it sleeps a random ``pause`` (seconds, from-to) times ``n + 1``.
    """
    for tried in range(retries):
        try:
            return attempt()
        except conflict:
            time.sleep(random.uniform(*pause) * (tried + 1))  # noqa: S311 - jitter, not security
    return attempt()

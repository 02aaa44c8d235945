"""Waiting in tests for something another thread or process does: poll a condition until it holds or time runs out.

Importable by name from every test folder: pytest puts tests/ (the folder of the root conftest.py) on ``sys.path``.
"""

import time
from collections.abc import Callable
from typing import Any


def wait_until(condition: Callable[[], Any], timeout: float, interval: float = 0.25, message: str = "condition") -> Any:
    """The first truthy value of ``condition()``, asked every ``interval`` seconds; fails the test after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{message} not met within {timeout} s")
        time.sleep(interval)

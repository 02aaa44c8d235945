"""The conflict retry the checkout and the order lifecycle share: same tries, growing jitter, the last conflict out."""

import pytest

from vitrine.orders import retries
from vitrine.orders.retries import retry_on_conflict


class Conflicted(Exception):
    pass


@pytest.fixture
def pauses(monkeypatch):
    slept: list[float] = []
    monkeypatch.setattr(retries.time, "sleep", slept.append)
    monkeypatch.setattr(retries.random, "uniform", lambda low, high: high)
    return slept


def flaky(conflicts: int, outcome="written"):
    """An attempt that loses ``conflicts`` races, then succeeds; ``calls`` counts the tries."""
    calls = []

    def attempt():
        calls.append(1)
        if len(calls) <= conflicts:
            raise Conflicted
        return outcome

    return attempt, calls


def test_an_attempt_that_loses_races_is_tried_again_after_a_pause_growing_each_time(pauses):
    attempt, calls = flaky(2)
    assert retry_on_conflict(attempt, conflict=Conflicted, retries=3, pause=(0.01, 0.05)) == "written"
    assert len(calls) == 3
    assert pauses == [0.05, 0.1]


def test_after_every_retry_the_last_conflict_is_raised(pauses):
    attempt, calls = flaky(10)
    with pytest.raises(Conflicted):
        retry_on_conflict(attempt, conflict=Conflicted, retries=4, pause=(0.005, 0.02))
    assert len(calls) == 5 and len(pauses) == 4


def test_any_other_error_is_not_retried(pauses):
    def attempt():
        raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        retry_on_conflict(attempt, conflict=Conflicted, retries=3, pause=(0.01, 0.05))
    assert pauses == []

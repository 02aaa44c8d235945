"""Sign-in throttling: failed password sign-ins are counted per client address and per login, and past a number of
them the next attempt is refused with a 429 and ``Retry-After`` before any password is hashed.

One function, ``attempt_sign_in(merchant_id, kind, login, address, verify)``, for every kind of person that signs
in with a password (sellers and B2B customers now; staff, issue 17, call it with their own ``kind``). ``verify`` is
the caller's check of the credentials (the scrypt); it runs only when neither counter is locked, and what it returns
(``None``: refused) is returned.

Policy (``BY_ADDRESS``, ``BY_LOGIN``):

- per client address (the merchant's, ``requestContext.http.sourceIp``; never ``X-Forwarded-For``, which the
  client writes; an IPv6 address counts by its /64, which one client usually holds whole): 5 failures are free,
  the 5th locks the address for 30 s, and each further failure doubles the lock, up to 15 minutes. It is the
  first and strict limit, and it binds only whoever guesses from that address;
- per login (the merchant's, per kind of person): 20 failures are free, then 30 s doubling up to 5 minutes. It
  holds guessing spread over many addresses, and stays short because a stranger can trip it: they can delay the
  real person by at most 5 minutes per failure, never lock them out for long;
- a counter is forgotten an hour after its last failure (``FORGET_AFTER_SECONDS``, also the item's TTL);
- a successful sign-in clears both counters it used (the login's and that address's).

Unknown logins are counted exactly as known ones (the counters key on what was typed, hashed), and a throttled
attempt reads nothing of the person, so neither the 401s nor the 429s tell whether a login exists; ``verify``
keeps running its dummy scrypt for unknown logins, so the timing of a 401 does not either.

Concurrency: an attempt is counted as a failure *before* ``verify`` runs (read both counters, then write both in a
transaction conditional on what was read), so N concurrent guesses cannot all pass a count of 4; a success then
clears them. An attempt that keeps losing that race to others is answered as throttled. A throttled attempt is not
counted as a failure: it costs nothing and cannot push the lock further. Each attempt that is checked costs one
consistent ``BatchGetItem`` (2 reads) and one ``TransactWriteItems`` (2 items); a success adds one delete of both.

Metrics (CloudWatch EMF, namespace ``POWERTOOLS_METRICS_NAMESPACE``): ``SignInFailed`` and ``SignInThrottled``,
each with the dimension ``PersonKind`` (``seller``, ``customer``).

``clock`` is the time source (epoch seconds); tests replace it to move past a lock.
"""

import ipaddress
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from vitrine.errors import VitrineError
from vitrine.repository import sign_in_throttle as counters

T = TypeVar("T")

FORGET_AFTER_SECONDS = 60 * 60
_RACE_ROUNDS = 3

clock: Callable[[], float] = time.time


@dataclass(frozen=True)
class Limit:
    free_failures: int
    first_lock_seconds: int
    max_lock_seconds: int

    def lock_seconds(self, failures: int) -> int:
        """How long ``failures`` in a row lock the counter, from the last one (0: not locked)."""
        if failures < self.free_failures:
            return 0
        doublings = min(failures - self.free_failures, 32)
        return min(self.first_lock_seconds * 2**doublings, self.max_lock_seconds)


BY_ADDRESS = Limit(free_failures=5, first_lock_seconds=30, max_lock_seconds=15 * 60)
BY_LOGIN = Limit(free_failures=20, first_lock_seconds=30, max_lock_seconds=5 * 60)


class TooManyAttempts(VitrineError, status=429, code="too_many_attempts"):
    def __init__(self, retry_after: int) -> None:
        super().__init__(
            f"too many sign-in attempts; try again in {retry_after} s", headers={"Retry-After": str(retry_after)}
        )
        self.retry_after = retry_after


def client_address(source_ip: str) -> str:
    """The address a client is counted by: IPv4 as is (also inside IPv6), IPv6 by its /64."""
    try:
        address = ipaddress.ip_address(source_ip)
    except ValueError:
        return "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{address}/64", strict=False))
    return str(address)


def attempt_sign_in(merchant_id: str, kind: str, login: str, address: str, verify: Callable[[], T | None]) -> T | None:
    """Run ``verify`` unless the address or the login is locked (``TooManyAttempts``); ``None`` when it refused.

    ``login`` as compared (normalised); ``address`` the request's source IP."""
    limits = {
        counters.address_pk(merchant_id, client_address(address)): BY_ADDRESS,
        counters.login_pk(merchant_id, kind, login): BY_LOGIN,
    }
    _count_failure_up_front(limits, kind)
    result = verify()
    if result is None:
        _emit("SignInFailed", kind)
        return None
    counters.clear_counters(list(limits))
    return result


def clear_login(merchant_id: str, kind: str, login: str) -> None:
    """Forget a login's failures (its lock with them): the owner lifting a member's lock. Addresses stay counted."""
    counters.clear_counters([counters.login_pk(merchant_id, kind, login)])


def _count_failure_up_front(limits: dict[str, Limit], kind: str) -> None:
    for _ in range(_RACE_ROUNDS):
        now = clock()
        stored = counters.read_counters(list(limits))
        live = {pk: item for pk, item in stored.items() if item.get("expires_at", 0) > now}
        locked_until = max((item.get("locked_until", 0) for item in live.values()), default=0)
        if locked_until > now:
            _emit("SignInThrottled", kind)
            raise TooManyAttempts(max(1, math.ceil(locked_until - now)))
        writes = []
        for pk, limit in limits.items():
            failures = live.get(pk, {}).get("failures", 0) + 1
            values = {"failures": failures, "expires_at": math.ceil(now) + FORGET_AFTER_SECONDS}
            if lock := limit.lock_seconds(failures):
                # Whole seconds (the table stores no floats), rounded down so Retry-After never exceeds the lock.
                values["locked_until"] = math.floor(now) + lock
            writes.append((pk, stored[pk]["failures"] if pk in stored else None, values))
        if counters.write_counters(writes):
            return
    # Others kept counting the same login or address between this attempt's read and write: a burst.
    _emit("SignInThrottled", kind)
    raise TooManyAttempts(1)


def _emit(metric: str, kind: str) -> None:
    from aws_lambda_powertools.metrics import MetricUnit, single_metric

    with single_metric(name=metric, unit=MetricUnit.Count, value=1) as emitted:
        emitted.add_dimension(name="PersonKind", value=kind)

"""The sandbox gateway's webhook sender: pagar.me's webhooks, with the controls a test needs to misbehave them.

Webhooks: every event is appended to ``SandboxGateway.events`` in pagar.me's webhook body
(``{"id": "hook_...", "account": {"id", "name"}, "type", "created_at", "data": <charge or order>}``) and POSTed
to each target with the target's HTTP Basic user and password, as pagar.me's webhooks are configured, from one
background thread (so, unless told otherwise, in the order they happened). A non-2xx answer or a failed
connection is tried again after each delay of ``webhook_retry_delays`` (default 1, 2, 5, 10 and 30 s); after the
last one the delivery stays ``failed`` in the deliveries route. Controls, for tests and people:

======================================  ===========================================================================
``POST /sandbox/webhooks/targets``      ``{"url", "username", "password"}``: deliver every later event there too
                                        (or ``SandboxGateway(webhook_targets=...)``, or ``--webhook-url`` etc.)
``GET /sandbox/webhooks/deliveries``    targets, holding or not, held event ids, every delivery and its attempts
``POST /sandbox/events/{id}/resend``    send that event again: a duplicate, same ``hook_`` id; ``{"times": n}``
``POST /sandbox/webhooks/hold``         keep new events back instead of sending them
``POST /sandbox/webhooks/release``      send the held events, ``{"order": "original"|"reversed"|"shuffled",
                                        "times": n}`` (each n times); answers the event ids in sending order
======================================  ===========================================================================
"""

import dataclasses
import heapq
import itertools
import json
import logging
import random
import threading
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import requests

from local_stack.sandbox_gateway.formats import iso_instant, new_id, now_utc

log = logging.getLogger("local_stack.sandbox_gateway")

DEFAULT_WEBHOOK_RETRY_DELAYS = (1.0, 2.0, 5.0, 10.0, 30.0)
WEBHOOK_TIMEOUT_SECONDS = 10.0
MAX_WEBHOOK_REPEATS = 10


@dataclass(frozen=True)
class WebhookTarget:
    """Where events go, with the HTTP Basic credentials the receiver expects (pagar.me's webhook settings)."""

    url: str
    username: str
    password: str = dataclasses.field(repr=False)

    def __post_init__(self) -> None:
        if urllib.parse.urlsplit(self.url).scheme not in ("http", "https"):
            raise ValueError(f"a webhook target is an http(s) URL, not {self.url!r}")

    def view(self) -> dict[str, str]:
        return {"url": self.url, "username": self.username}


@dataclass
class _Delivery:
    """One event on its way to one target: its attempts so far and what became of it."""

    id: str
    event: dict[str, Any]
    target: WebhookTarget
    status: str = "pending"
    attempts: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    next_attempt_at: float | None = None

    def view(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "event_id": self.event["id"],
            "event_type": self.event["type"],
            "url": self.target.url,
            "status": self.status,
            "attempts": list(self.attempts),
            "next_attempt_in": (
                None if self.next_attempt_at is None else round(max(0.0, self.next_attempt_at - time.monotonic()), 3)
            ),
        }


class WebhookSender:
    """Delivers events to every target from one background thread: first attempt at once, then one more after each
    of ``retry_delays`` while the target answers non-2xx or cannot be reached; a delivery that runs out of
    attempts stays ``failed``. Holding keeps new events back until ``release``."""

    def __init__(self, retry_delays: Sequence[float], timeout: float) -> None:
        self.retry_delays = tuple(float(delay) for delay in retry_delays)
        self.timeout = timeout
        self._targets: list[WebhookTarget] = []
        self._deliveries: list[_Delivery] = []
        self._due: list[tuple[float, int, _Delivery]] = []
        self._held: list[dict[str, Any]] | None = None
        self._sequence = itertools.count()
        self._condition = threading.Condition()
        self._stopping = False
        self._thread = threading.Thread(target=self._deliver_forever, name="sandbox-webhooks", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        with self._condition:
            self._stopping = True
            self._condition.notify_all()
        self._thread.join(timeout=self.timeout + 1)

    def add_target(self, target: WebhookTarget) -> WebhookTarget:
        with self._condition:
            self._targets.append(target)
        return target

    def publish(self, event: dict[str, Any]) -> None:
        with self._condition:
            if self._held is not None:
                self._held.append(event)
            else:
                self._queue([event])

    def send(self, event: dict[str, Any], times: int = 1) -> list[dict[str, Any]]:
        """Queue ``event`` ``times`` more times for every target, held or not; the new deliveries."""
        with self._condition:
            return [delivery.view() for delivery in self._queue([event] * times)]

    def hold(self) -> None:
        with self._condition:
            if self._held is None:
                self._held = []

    def release(self, order: str = "original", times: int = 1) -> list[str]:
        """Send the held events (each ``times`` times) in ``order``, stop holding; the event ids as queued."""
        with self._condition:
            held, self._held = self._held or [], None
            if order == "reversed":
                batch = held[::-1] * times
            else:
                batch = held * times
                if order == "shuffled":
                    random.shuffle(batch)
            self._queue(batch)
            return [event["id"] for event in batch]

    def status(self) -> dict[str, Any]:
        with self._condition:
            return {
                "targets": [target.view() for target in self._targets],
                "retry_delays": list(self.retry_delays),
                "holding": self._held is not None,
                "held": [event["id"] for event in self._held or []],
                "deliveries": [delivery.view() for delivery in self._deliveries],
            }

    def _queue(self, events: list[dict[str, Any]]) -> list[_Delivery]:
        """Under the condition: one delivery per event and target, due now, in this order."""
        queued = []
        now = time.monotonic()
        for event in events:
            for target in self._targets:
                delivery = _Delivery(new_id("dlv_"), event, target, next_attempt_at=now)
                self._deliveries.append(delivery)
                heapq.heappush(self._due, (now, next(self._sequence), delivery))
                queued.append(delivery)
        self._condition.notify_all()
        return queued

    def _deliver_forever(self) -> None:
        while True:
            with self._condition:
                while not self._stopping and (not self._due or self._due[0][0] > time.monotonic()):
                    self._condition.wait(self._due[0][0] - time.monotonic() if self._due else None)
                if self._stopping:
                    return
                _, _, delivery = heapq.heappop(self._due)
            attempt = self._attempt(delivery)
            with self._condition:
                delivery.attempts.append(attempt)
                retries_done = len(delivery.attempts) - 1
                if 200 <= attempt.get("status", 0) < 300:
                    delivery.status, delivery.next_attempt_at = "delivered", None
                elif retries_done < len(self.retry_delays):
                    delivery.next_attempt_at = time.monotonic() + self.retry_delays[retries_done]
                    heapq.heappush(self._due, (delivery.next_attempt_at, next(self._sequence), delivery))
                else:
                    delivery.status, delivery.next_attempt_at = "failed", None
                    log.warning(
                        "webhook %s to %s failed after %d attempts",
                        delivery.event["id"],
                        delivery.target.url,
                        len(delivery.attempts),
                    )

    def _attempt(self, delivery: _Delivery) -> dict[str, Any]:
        at = iso_instant(now_utc())
        try:
            response = requests.post(
                delivery.target.url,
                data=json.dumps(delivery.event, ensure_ascii=False).encode(),
                headers={"Content-Type": "application/json", "User-Agent": "vitrine-sandbox-gateway"},
                auth=(delivery.target.username, delivery.target.password),
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            return {"at": at, "error": type(exc).__name__}
        return {"at": at, "status": response.status_code, "response": response.text[:200]}

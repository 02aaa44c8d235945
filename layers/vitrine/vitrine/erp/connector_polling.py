"""Polling ERP connectors: the ``sync_erp_connectors`` schedule's work (contract in ``docs/erp-connector.md``).

A run reads the connectors due by its time from the due index (``repository.erp_connectors.due_connectors``) and
polls them side by side (``CONCURRENT_POLLS``), so a slow or failing ERP holds one worker, not the others. Each is
first claimed with a conditional update, so two overlapping runs never poll one connector twice. A poll reads
its resources in order (products, prices, stock), page by page while the ERP says ``has_more``, and feeds each
page into the same job pipeline as the push API (``vitrine.erp.jobs.start_job``): the same item checks and
per-item results, content hashes and stale stock rules, the same change events. A page's ``next_cursor`` is
stored only after its items are queued, so a crash re-reads the page (a no-op for what was applied).

Bounds: a run starts no poll after ``RUN_BUDGET_SECONDS`` and a poll reads at most ``PAGES_PER_POLL`` pages; what
is left is read by the next run (the connector stays due), so the function ends inside its timeout.

Failures (the ERP unreachable, 5xx after retries, 401, a read timeout, an answer that is not a page, a page with
no valid item) stop that connector's poll at once, without moving the failing resource's cursor; they are
recorded (``last_error``, ``consecutive_failures``) and the next poll waits longer each time: the interval times
2^(failures - 1), at most ``MAX_BACKOFF_MINUTES``. A page with some valid items is not a failure: its bad items
are rejected in its job's report, the rest applied. A poll whose connector was changed or deleted meanwhile
stops quietly and stores nothing more.
"""

import logging
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from vitrine.erp import jobs
from vitrine.erp.connector import RESOURCE_ORDER, ConnectorStatus, effective_interval
from vitrine.erp.connector_http import ConnectorFailure, fetch_page
from vitrine.erp.models import BatchKind
from vitrine.errors import DependencyUnavailable, InvalidInput
from vitrine.repository import erp_connectors as repository

logger = logging.getLogger(__name__)

RESOURCE_KINDS = {"products": BatchKind.PRODUCTS, "prices": BatchKind.PRICES, "stock": BatchKind.STOCK}
# StockSyncFunction's timeout is 60 s: no poll starts after 40 s, and a page takes at most ~12 s (connect
# timeouts with retries, or one read timeout), so the last ones end in time.
RUN_BUDGET_SECONDS = 40.0
# Longer than the function's timeout: a claim outlives any run that can still be polling with it.
LEASE_SECONDS = 300
CONNECTORS_PER_RUN = 400
CONCURRENT_POLLS = 8
PAGES_PER_POLL = 20
MAX_BACKOFF_MINUTES = 60
_ERROR_CHARS = 500
_REJECTION_DETAILS = 5


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class PollOutcome:
    merchant_id: str
    polled: bool = False  # False: not claimed (another run has it, it changed, or the run's budget was spent)
    status: ConnectorStatus | None = None
    pages: int = 0
    items: int = 0
    job_ids: list[str] = field(default_factory=list)
    more: bool = False  # stopped by a bound with pages left: due again at once
    lost_claim: bool = False
    error: str | None = None


def poll_due_connectors(
    now: datetime, *, budget_seconds: float = RUN_BUDGET_SECONDS, clock: Callable[[], float] = time.monotonic
) -> dict[str, int]:
    """Poll every connector due by ``now`` (see the module docstring); what the run did, in counts."""
    deadline = clock() + budget_seconds
    due = repository.due_connectors(_iso(now), limit=CONNECTORS_PER_RUN)
    outcomes: list[PollOutcome] = []
    crashed: list[BaseException] = []
    if due:
        with ThreadPoolExecutor(max_workers=min(CONCURRENT_POLLS, len(due))) as pool:
            futures = [pool.submit(poll_connector, mid, seen, now, deadline, clock) for mid, seen in due]
            for future in futures:
                try:
                    outcomes.append(future.result())
                except Exception as exc:  # logged here, re-raised once every poll has finished
                    logger.exception("ERP connector poll crashed")
                    crashed.append(exc)
    if crashed:
        # The run fails (an error the alarms see); the crashed connectors stay claimed until their lease ends.
        raise crashed[0]
    polled = [outcome for outcome in outcomes if outcome.polled]
    return {
        "connectors_due": len(due),
        "connectors_polled": len(polled),
        "connectors_failed": sum(outcome.status is ConnectorStatus.FAILED for outcome in polled),
        "pages": sum(outcome.pages for outcome in polled),
        "items": sum(outcome.items for outcome in polled),
        "jobs": sum(len(outcome.job_ids) for outcome in polled),
    }


def poll_connector(
    merchant_id: str, seen_next_poll_at: str, now: datetime, deadline: float, clock: Callable[[], float]
) -> PollOutcome:
    """Claim one due connector and poll it; the claim fails quietly when another run took it first."""
    outcome = PollOutcome(merchant_id)
    if clock() >= deadline:
        return outcome
    claim_id = uuid.uuid4().hex
    connector = repository.claim(merchant_id, seen_next_poll_at, claim_id, _iso(now + timedelta(seconds=LEASE_SECONDS)))
    if connector is None:
        return outcome
    outcome.polled = True
    try:
        _read_resources(connector, claim_id, outcome, deadline, clock)
    except ConnectorFailure as exc:
        outcome.error = str(exc)[:_ERROR_CHARS]
    except DependencyUnavailable as exc:
        # Vitrine's side failed (queueing the page): recorded like an ERP failure, so the merchant sees why.
        outcome.error = f"Vitrine could not queue the page: {exc}"[:_ERROR_CHARS]
    if outcome.lost_claim:
        return outcome
    _finish(connector, claim_id, outcome, now)
    logger.info(
        "ERP connector polled",
        extra={
            "merchant_id": merchant_id,
            "status": outcome.status,
            "pages": outcome.pages,
            "items": outcome.items,
            "error": outcome.error,
        },
    )
    return outcome


def _read_resources(
    connector: dict[str, Any], claim_id: str, outcome: PollOutcome, deadline: float, clock: Callable[[], float]
) -> None:
    merchant_id = connector["merchant_id"]
    cursors = dict(connector.get("cursors", {}))
    for resource in (r.value for r in RESOURCE_ORDER if r.value in connector["resources"]):
        has_more = True
        while has_more:
            if outcome.pages >= PAGES_PER_POLL or clock() >= deadline:
                outcome.more = True
                return
            cursor = cursors.get(resource)
            page = fetch_page(
                connector["base_url"], resource, connector["token"], limit=connector["page_size"], cursor=cursor
            )
            outcome.pages += 1
            job_id = _start_job(merchant_id, resource, page.items) if page.items else None
            if not repository.save_cursor(merchant_id, claim_id, resource, page.next_cursor, job_id):
                outcome.lost_claim = True
                return
            outcome.items += len(page.items)
            if job_id is not None:
                outcome.job_ids.append(job_id)
            cursors[resource] = page.next_cursor
            has_more = page.has_more
            if has_more and page.next_cursor == cursor:
                raise ConnectorFailure(f"GET /{resource}: has_more with the same next_cursor as asked for")


def _start_job(merchant_id: str, resource: str, items: list[Any]) -> str:
    kind = RESOURCE_KINDS[resource]
    checked = [jobs.check_item(kind, index, raw) for index, raw in enumerate(items)]
    try:
        accepted = jobs.start_job(merchant_id, kind.value, "connector", checked)
    except InvalidInput as exc:
        # What the push API refuses whole (422): a broken integration. The cursor stays, so the page is asked for
        # again, with its fixes, once the ERP serves them.
        shown = "; ".join(f"{d['field']}: {d['reason']}" for d in (exc.details or [])[:_REJECTION_DETAILS])
        raise ConnectorFailure(f"GET /{resource}: no item of the page is valid ({shown})") from exc
    return accepted.job_id


def _finish(connector: dict[str, Any], claim_id: str, outcome: PollOutcome, now: datetime) -> None:
    interval = effective_interval(connector)
    polled_at = _iso(now)
    record: dict[str, Any] = {"last_poll_at": polled_at}
    if outcome.error is None:
        outcome.status = ConnectorStatus.OK
        record |= {"last_status": "ok", "last_error": None, "last_success_at": polled_at, "consecutive_failures": 0}
        next_poll = now if outcome.more else now + timedelta(minutes=interval)
    else:
        outcome.status = ConnectorStatus.FAILED
        failures = int(connector.get("consecutive_failures", 0)) + 1
        record |= {"last_status": "failed", "last_error": outcome.error, "consecutive_failures": failures}
        next_poll = now + timedelta(minutes=backoff_minutes(interval, failures))
    if not repository.finish_poll(connector["merchant_id"], claim_id, record, _iso(next_poll)):
        outcome.lost_claim = True


def backoff_minutes(interval: int, failures: int) -> int:
    """Minutes before the poll after ``failures`` failed ones in a row: the interval, doubled per failure."""
    return min(interval * 2 ** min(failures - 1, 10), max(interval, MAX_BACKOFF_MINUTES))

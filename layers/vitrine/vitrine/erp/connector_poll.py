"""Polling one ERP connector: claim it, read its resources page by page into jobs, record the outcome and the next
due time (the whole contract is in ``vitrine.erp.connector_polling``'s docstring and ``docs/erp-connector.md``).

A module apart from the run (``connector_polling``), which imports it only when a connector is due: most runs of the
every-minute schedule find none, and this module brings the job pipeline, the ERP item models and the HTTP client.
"""

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from vitrine.erp import jobs
from vitrine.erp.connector import RESOURCE_ORDER, ConnectorStatus, effective_interval, iso_millis
from vitrine.erp.connector_http import ConnectorFailure, fetch_page
from vitrine.erp.models import BatchKind
from vitrine.errors import DependencyUnavailable, InvalidInput
from vitrine.repository import erp_connectors as repository

logger = logging.getLogger(__name__)

RESOURCE_KINDS = {"products": BatchKind.PRODUCTS, "prices": BatchKind.PRICES, "stock": BatchKind.STOCK}
# Longer than the function's timeout: a claim outlives any run that can still be polling with it.
LEASE_SECONDS = 300
PAGES_PER_POLL = 20
MAX_BACKOFF_MINUTES = 60
_ERROR_CHARS = 500
_REJECTION_DETAILS = 5


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


def poll_connector(
    merchant_id: str, seen_next_poll_at: str, now: datetime, deadline: float, clock: Callable[[], float]
) -> PollOutcome:
    """Claim one due connector and poll it; the claim fails quietly when another run took it first."""
    outcome = PollOutcome(merchant_id)
    if clock() >= deadline:
        return outcome
    claim_id = uuid.uuid4().hex
    connector = repository.claim(
        merchant_id, seen_next_poll_at, claim_id, iso_millis(now + timedelta(seconds=LEASE_SECONDS))
    )
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
    polled_at = iso_millis(now)
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
    if not repository.finish_poll(connector["merchant_id"], claim_id, record, iso_millis(next_poll)):
        outcome.lost_claim = True


def backoff_minutes(interval: int, failures: int) -> int:
    """Minutes before the poll after ``failures`` failed ones in a row: the interval, doubled per failure."""
    return min(interval * 2 ** min(failures - 1, 10), max(interval, MAX_BACKOFF_MINUTES))

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

This module is the run; the poll of one connector (claim, pages, jobs, outcome; ``PAGES_PER_POLL`` and the backoff)
is ``connector_poll``, imported only when a connector is due, so the many runs that find none stay light.
"""

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import TYPE_CHECKING

from vitrine.erp.connector import ConnectorStatus, iso_millis
from vitrine.repository import erp_connectors as repository

if TYPE_CHECKING:
    from vitrine.erp.connector_poll import PollOutcome

logger = logging.getLogger(__name__)

# StockSyncFunction's timeout is 60 s: no poll starts after 40 s, and a page takes at most ~12 s (connect
# timeouts with retries, or one read timeout), so the last ones end in time.
RUN_BUDGET_SECONDS = 40.0
CONNECTORS_PER_RUN = 400
CONCURRENT_POLLS = 8


def poll_due_connectors(
    now: datetime, *, budget_seconds: float = RUN_BUDGET_SECONDS, clock: Callable[[], float] = time.monotonic
) -> dict[str, int]:
    """Poll every connector due by ``now`` (see the module docstring); what the run did, in counts."""
    deadline = clock() + budget_seconds
    due = repository.due_connectors(iso_millis(now), limit=CONNECTORS_PER_RUN)
    outcomes: list[PollOutcome] = []
    crashed: list[BaseException] = []
    if due:
        # Imported here: most runs find nothing due, and polling brings the job pipeline, the ERP item models and
        # the HTTP client (~30 ms of a cold start's CPU, bench/RESULTS.md's cold-start section).
        from vitrine.erp.connector_poll import poll_connector

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

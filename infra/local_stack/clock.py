"""The local stack's money clock (``vitrine.clock``): a file every function process reads, moved forward by
``vitrine-local fire <schedule> --as-of`` so a demo can live the days between a sale and its payout in minutes.

The stack starts it at the machine's time (offset 0) and points ``VITRINE_LOCAL_CLOCK_FILE`` at it in every
function's environment; ``advance_to(day)`` moves it forward to the same hour of ``day`` in Brasília, never back,
and the sandbox gateway's clock with it (its payables come due by the same day)."""

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from vitrine.clock import CLOCK_FILE_VARIABLE
from vitrine.ledger.rules import BRASILIA


class LocalClock:
    def __init__(self, path: Path, on_move=None) -> None:
        self.path = path
        self.offset = timedelta(0)
        self._on_move = on_move
        self._write()

    def environment(self) -> dict[str, str]:
        return {CLOCK_FILE_VARIABLE: str(self.path)}

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def today(self) -> date:
        return self.now().astimezone(BRASILIA).date()

    def advance_to(self, day: date) -> None:
        """Move forward to ``day`` (at this hour); a day already reached changes nothing."""
        if day <= self.today():
            return
        self.offset += timedelta(days=(day - self.today()).days)
        self._write()
        if self._on_move is not None:
            self._on_move(self.offset)

    def _write(self) -> None:
        # Written whole and renamed over the old one: a function never reads half a file.
        partial = self.path.with_suffix(".tmp")
        partial.write_text(json.dumps({"offset_seconds": self.offset.total_seconds()}), encoding="utf-8")
        partial.replace(self.path)

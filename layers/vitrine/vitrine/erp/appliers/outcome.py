"""What an applier answers for one item (``Outcome``), and the checks every synced kind makes against what is
stored before writing (``compare_to_stored``)."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from vitrine.erp import delta
from vitrine.erp.models import ItemError, ItemStatus
from vitrine.errors import VitrineError
from vitrine.events.envelope import PriceDelta, StockDelta


@dataclass
class Outcome:
    status: ItemStatus
    errors: list[ItemError] = field(default_factory=list)
    oversold: int | None = None
    change: StockDelta | PriceDelta | None = None  # what channels are told, for an applied stock level or price


def rejected(field_name: str, reason: str, code: str | None = None) -> Outcome:
    return Outcome(ItemStatus.REJECTED, [ItemError(field=field_name, reason=reason, code=code)])


def stale_job(field_name: str, writer: str) -> Outcome:
    """The item was written by a job the ERP sent after this one (this chunk arrived late): it stays as that is."""
    why = f"ignored: job {writer}, sent later, wrote it"
    return Outcome(ItemStatus.STALE, [ItemError(field=field_name, reason=why, code=NEWER_JOB)])


NEWER_JOB = "newer_job"


def rejected_by(exc: VitrineError, default_field: str) -> Outcome:
    """A domain rule's refusal, on the field it names (``body.x`` in the merchant API is ``x`` here)."""
    details = exc.details if isinstance(exc.details, list) and exc.details else [{"field": default_field}]
    return rejected(details[0]["field"].removeprefix("body."), exc.message, exc.code)


@dataclass(frozen=True)
class Compared:
    """An item sent against the one stored: ``stale`` when a newer job wrote it (nothing else applies), else
    its ``digest`` and ``known``, what became of it already (``None``: it must be written)."""

    digest: str
    known: ItemStatus | None
    stale: Outcome | None = None


def compare_to_stored(
    stored: Mapping[str, Any] | None, content: Mapping[str, Any], job_id: str, id_field: str
) -> Compared:
    digest = delta.content_hash(content)
    if writer := delta.written_by_newer_job(stored, job_id):
        return Compared(digest, None, stale_job(id_field, writer))
    return Compared(digest, delta.known_outcome(stored, digest, job_id))

"""Access patterns: a merchant's anticipations (newest first), and booking what one moved into the ledger."""

from vitrine.ledger.models import LedgerEntry
from vitrine.payouts.models import AnticipationRecord
from vitrine.repository import keys, table
from vitrine.repository.items import model_item, to_model
from vitrine.repository.ledger import entry_item


def _sk(record: AnticipationRecord) -> str:
    return keys.anticipation_sk(created_at=record.created_at.isoformat(), anticipation_id=record.anticipation_id)


def put(record: AnticipationRecord) -> None:
    pk = keys.anticipations_pk(record.merchant_id)
    table.put(model_item(record, pk=pk, sk=_sk(record), item_type="anticipation"))


def list_recent(merchant_id: str, *, limit: int, cursor: str | None) -> tuple[list[AnticipationRecord], str | None]:
    page = table.query(keys.anticipations_pk(merchant_id), limit=limit, cursor=cursor, newest_first=True)
    return [to_model(AnticipationRecord, item) for item in page.items], page.cursor


def book(record: AnticipationRecord, entries: list[LedgerEntry]) -> None:
    """The entries first (their keys are the anticipation's and a sequence, so writing them again on a retry
    writes the same items), then the record marked booked: a crash between the two books nothing twice."""
    table.batch_put([entry_item(entry) for entry in entries])
    put(record)

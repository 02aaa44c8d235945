"""Access patterns: the merchant's ledger (entries sorted by the day they become payable) and settlement terms."""

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from vitrine.ledger.models import LedgerEntry
from vitrine.repository import keys, table
from vitrine.repository.items import model_item, to_model

if TYPE_CHECKING:  # a payout's run reads the ledger, never the settlement terms: not the merchants' models (~5 ms)
    from vitrine.merchants import SettlementTerms


def entry_item(entry: LedgerEntry) -> dict[str, Any]:
    return {
        "PK": keys.ledger_pk(entry.merchant_id),
        "SK": keys.ledger_sk(entry.available_on.isoformat(), entry.order_id, entry.sequence, entry.movement),
        "type": "ledger_entry",
        "entry_id": entry.entry_id,
        **entry.model_dump(mode="json"),
    }


def entry_put_operation(entry: LedgerEntry) -> dict[str, Any]:
    """A ``TransactItems`` entry that books ``entry`` only if its key is free: a replay cannot book it twice."""
    return table.put_operation(entry_item(entry), condition="attribute_not_exists(PK)")


def ledger_entries(merchant_id: str, *, payable_on: date | None = None) -> list[LedgerEntry]:
    """The merchant's entries, oldest payable day first; only those of ``payable_on`` when given."""
    entries: list[LedgerEntry] = []
    cursor = None
    while True:
        page = table.query(
            keys.ledger_pk(merchant_id),
            sk_prefix=payable_on.isoformat() if payable_on else None,
            limit=1000,
            cursor=cursor,
        )
        entries += [to_model(LedgerEntry, item) for item in page.items]
        cursor = page.cursor
        if cursor is None:
            return entries


def put_settlement_terms(merchant_id: str, terms: "SettlementTerms") -> None:
    pk, sk = keys.merchant_pk(merchant_id), keys.settlement_sk()
    table.put(model_item(terms, pk=pk, sk=sk, item_type="settlement_terms"))


def get_settlement_terms(merchant_id: str) -> "SettlementTerms":
    from vitrine.merchants import SettlementTerms

    item = table.get(keys.merchant_pk(merchant_id), keys.settlement_sk())
    return to_model(SettlementTerms, item) if item else SettlementTerms()


def day_bounds(first_day: date | None, last_day: date) -> tuple[str, str]:
    # Entries of a day sort below the next day's date; "0000" sorts below every date (no empty key condition).
    return (first_day.isoformat() if first_day else "0000"), (last_day + timedelta(days=1)).isoformat()


def entries_page(
    merchant_id: str, first_day: date | None, last_day: date, *, limit: int, cursor: str | None
) -> tuple[list[LedgerEntry], str | None]:
    """One page of the entries payable from ``first_day`` (or the start) to ``last_day``, oldest first."""
    low, high = day_bounds(first_day, last_day)
    page = table.query_between(keys.ledger_pk(merchant_id), low, high, cursor=cursor, limit=limit)
    return [to_model(LedgerEntry, item) for item in page.items], page.cursor


def entries_between(merchant_id: str, first_day: date | None, last_day: date) -> list[LedgerEntry]:
    """Every entry payable from ``first_day`` (or the start) to ``last_day``, oldest first (every page)."""
    entries: list[LedgerEntry] = []
    cursor = None
    while True:
        page, cursor = entries_page(merchant_id, first_day, last_day, limit=1000, cursor=cursor)
        entries += page
        if cursor is None:
            return entries

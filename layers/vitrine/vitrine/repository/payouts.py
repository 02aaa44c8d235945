"""Access patterns: the merchant's payout settings and the register information its gateway recipient was made with."""

import functools
from datetime import date
from typing import TYPE_CHECKING

from pydantic import TypeAdapter

from vitrine.payments.recipients import Registration
from vitrine.payouts.models import Payout, PayoutSettings, PayoutState, PayoutStatus, Reconciliation
from vitrine.repository import keys, table
from vitrine.repository.items import model_item, to_item, to_model
from vitrine.repository.ledger import day_bounds

if TYPE_CHECKING:  # a payout's run never reads the settlement terms: not the merchants' models (~5 ms cold)
    from vitrine.merchants import SettlementTerms


@functools.cache
def _registration() -> TypeAdapter:
    # Built at first use: at import it built every registration model (~8 ms) into each payout's cold start, which
    # never reads the registration.
    return TypeAdapter(Registration)


def put_payout_settings(merchant_id: str, settings: PayoutSettings) -> None:
    """The settings, indexed under the schedule they are due on (GSI2), so a run finds them without a scan."""
    pk, sk = keys.merchant_pk(merchant_id), keys.payout_settings_sk()
    item = model_item(settings, pk=pk, sk=sk, item_type="payout_settings")
    item.update(GSI2PK=keys.payout_due_gsi2_pk(schedule_key=settings.schedule.key), GSI2SK=merchant_id)
    table.put(item)


def merchants_due(schedule_key: str) -> list[str]:
    """The merchants whose payout schedule is ``schedule_key`` (every page)."""
    found: list[str] = []
    cursor = None
    while True:
        page = table.query(keys.payout_due_gsi2_pk(schedule_key=schedule_key), index="GSI2", limit=1000, cursor=cursor)
        found += [item["GSI2SK"] for item in page.items]
        cursor = page.cursor
        if cursor is None:
            return found


def get_payout_settings(merchant_id: str) -> PayoutSettings | None:
    item = table.get(keys.merchant_pk(merchant_id), keys.payout_settings_sk())
    return _settings(item)


def put_registration(merchant_id: str, registration: Registration) -> None:
    # Nested: the registration's own ``type`` (corporation or individual) is not the item's.
    table.put(
        {
            "PK": keys.merchant_pk(merchant_id),
            "SK": keys.recipient_registration_sk(),
            "type": "recipient_registration",
            "registration": _registration().dump_python(registration, mode="json"),
        }
    )


def get_registration(merchant_id: str) -> Registration | None:
    item = table.get(keys.merchant_pk(merchant_id), keys.recipient_registration_sk())
    if not item:
        return None
    return _registration().validate_python(item["registration"])


def _read(wanted: list[tuple[str, str]], *, consistent: bool = False) -> list[dict | None]:
    """The items at ``wanted`` in one ``BatchGetItem``, in that order (None where there is none)."""
    found = {(item["PK"], item["SK"]): item for item in table.batch_get(wanted, consistent=consistent)}
    return [found.get(key) for key in wanted]


def _settings(item: dict | None) -> PayoutSettings | None:
    return to_model(PayoutSettings, item) if item else None


def _state(item: dict | None) -> PayoutState:
    return to_model(PayoutState, item) if item else PayoutState()


def get_split_inputs(merchant_id: str) -> tuple["SettlementTerms", PayoutSettings | None]:
    """What splitting a charge needs, in one ``BatchGetItem``: the merchant's fees and its recipient."""
    from vitrine.merchants import SettlementTerms

    pk = keys.merchant_pk(merchant_id)
    terms, settings = _read([(pk, keys.settlement_sk()), (pk, keys.payout_settings_sk())])
    return (to_model(SettlementTerms, terms) if terms else SettlementTerms()), _settings(settings)


def get_run_inputs(
    merchant_id: str, scheduled_on: date, payout_id: str
) -> tuple[PayoutSettings | None, PayoutState, Payout | None]:
    """What a payout run reads first, in one strongly consistent ``BatchGetItem``: the settings, the cursor, and
    this run's payout if an earlier attempt began it."""
    pk = keys.merchant_pk(merchant_id)
    payout_key = (keys.payouts_pk(merchant_id), _payout_sk(scheduled_on, payout_id))
    settings, state, payout = _read(
        [(pk, keys.payout_settings_sk()), (pk, keys.payout_state_sk()), payout_key], consistent=True
    )
    return _settings(settings), _state(state), (to_model(Payout, payout) if payout else None)


def get_settings_and_cursor(merchant_id: str) -> tuple[PayoutSettings | None, PayoutState]:
    """The settings and the cursor, in one ``BatchGetItem`` (what the receivables view starts from)."""
    pk = keys.merchant_pk(merchant_id)
    settings, state = _read([(pk, keys.payout_settings_sk()), (pk, keys.payout_state_sk())])
    return _settings(settings), _state(state)


def sum_ledger(merchant_id: str, first_day: date | None, last_day: date) -> tuple[int, int]:
    """The sum and count of the merchant's entries payable from ``first_day`` (or the start) to ``last_day``."""
    total = count = 0
    cursor = None
    low, high = day_bounds(first_day, last_day)
    while True:
        page = table.query_between(
            keys.ledger_pk(merchant_id), low, high, attributes=["amount"], consistent=True, cursor=cursor
        )
        total += sum(int(item["amount"]) for item in page.items)
        count += len(page.items)
        cursor = page.cursor
        if cursor is None:
            return total, count


def _state_operation(merchant_id: str, before: PayoutState, after: PayoutState) -> dict:
    values = {"PK": keys.merchant_pk(merchant_id), "SK": keys.payout_state_sk(), "type": "payout_state"}
    condition = "attribute_not_exists(PK)" if before.version == 0 else "version = :v"
    return table.put_operation(
        {**values, **after.model_dump(mode="json")},
        condition=condition,
        condition_values=None if before.version == 0 else {":v": before.version},
    )


def begin_payout(merchant_id: str, payout: Payout) -> Payout:
    """Write the payout before its transfer is asked; the stored one if an earlier attempt wrote it first."""
    item = model_item(
        payout,
        pk=keys.payouts_pk(merchant_id),
        sk=_payout_sk(payout.scheduled_on, payout.payout_id),
        item_type="payout",
    )
    try:
        table.put(item, condition="attribute_not_exists(PK)")
    except table.ConditionFailed:
        stored = get_payout(merchant_id, payout.scheduled_on, payout.payout_id)
        assert stored is not None
        return stored
    return payout


def record_payout(merchant_id: str, payout: Payout, before: PayoutState, after: PayoutState) -> None:
    """The payout as transferred and the cursor moved past it, together: only if the payout is still
    ``transferring`` and the cursor is the version read."""
    sk = _payout_sk(payout.scheduled_on, payout.payout_id)
    update = table.update_operation(
        keys.payouts_pk(merchant_id),
        sk,
        expression="SET #s = :status, transfer_id = :transfer, amount = :amount, updated_at = :at",
        condition="#s = :transferring",
        values={
            ":status": str(payout.status),
            ":transfer": payout.transfer_id,
            ":amount": payout.amount,
            ":at": payout.updated_at.isoformat(),
            ":transferring": str(PayoutStatus.TRANSFERRING),
        },
    )
    update["Update"]["ExpressionAttributeNames"] = {"#s": "status"}
    table.transact_write([update, _state_operation(merchant_id, before, after)])


def carry(merchant_id: str, scheduled_on: date, payout_id: str, before: PayoutState, after: PayoutState) -> None:
    """Move the cursor without a payout (the balance was below the minimum or not positive: it is carried), only
    if no attempt of this run began a payout meanwhile (that one must be resumed, not carried over)."""
    no_payout = {
        "ConditionCheck": {
            "TableName": table.table_name(),
            "Key": to_item({"PK": keys.payouts_pk(merchant_id), "SK": _payout_sk(scheduled_on, payout_id)}),
            "ConditionExpression": "attribute_not_exists(PK)",
        }
    }
    table.transact_write([no_payout, _state_operation(merchant_id, before, after)])


def get_payout(merchant_id: str, scheduled_on: date, payout_id: str) -> Payout | None:
    item = table.get(keys.payouts_pk(merchant_id), _payout_sk(scheduled_on, payout_id), consistent=True)
    return to_model(Payout, item) if item else None


def list_payouts(merchant_id: str, *, limit: int, cursor: str | None) -> tuple[list[Payout], str | None]:
    page = table.query(keys.payouts_pk(merchant_id), limit=limit, cursor=cursor, newest_first=True)
    return [to_model(Payout, item) for item in page.items], page.cursor


def end_payout(merchant_id: str, payout: Payout, status: PayoutStatus, *, reason: str | None, at: str) -> bool:
    """Mark a pending payout paid or failed; a failed one gives its amount back to ``carried`` in the same
    transaction, so it is payable again. False when it had ended already (a duplicate notification)."""
    sk = _payout_sk(payout.scheduled_on, payout.payout_id)
    operations = [
        table.update_operation(
            keys.payouts_pk(merchant_id),
            sk,
            expression="SET #s = :new, failure_reason = :reason, updated_at = :at",
            condition="#s = :pending",
            values={":new": str(status), ":reason": reason, ":at": at, ":pending": str(PayoutStatus.PENDING)},
        )
    ]
    operations[0]["Update"]["ExpressionAttributeNames"] = {"#s": "status"}
    if status is PayoutStatus.FAILED:
        operations.append(
            table.update_operation(
                keys.merchant_pk(merchant_id),
                keys.payout_state_sk(),
                expression="SET carried = carried + :amount, version = version + :one",
                condition="attribute_exists(PK)",
                values={":amount": payout.amount, ":one": 1},
            )
        )
    try:
        table.transact_write(operations)
    except table.TransactionCancelled as cancelled:
        if cancelled.reasons and cancelled.reasons[0] == "ConditionalCheckFailed":
            return False
        raise
    return True


def _payout_sk(scheduled_on: date, payout_id: str) -> str:
    return keys.payout_sk(scheduled_on=scheduled_on.isoformat(), payout_id=payout_id)


def put_reconciliation(merchant_id: str, reconciliation: Reconciliation) -> None:
    pk = keys.reconciliations_pk(merchant_id)
    table.put(model_item(reconciliation, pk=pk, sk=reconciliation.day.isoformat(), item_type="reconciliation"))


def latest_reconciliation(merchant_id: str) -> Reconciliation | None:
    page = table.query(keys.reconciliations_pk(merchant_id), limit=1, newest_first=True)
    return to_model(Reconciliation, page.items[0]) if page.items else None


def merchants_with_recipients() -> list[str]:
    """Every merchant with payout settings: the due index's partitions, every schedule (no scan)."""
    from vitrine.payouts.models import all_schedule_keys

    found: list[str] = []
    for key in all_schedule_keys():
        found += merchants_due(key)
    return list(dict.fromkeys(found))

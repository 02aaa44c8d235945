"""Payout runs: once a day, every merchant whose schedule is due gets what it is owed transferred to its bank account.

**What a run pays.** A run scheduled on day D pays, per merchant, the entries of its ledger payable *before* D
(``available_on`` <= D - 1) that no earlier payout accounted for, plus what earlier runs carried. Before D, not on
D: an entry is payable no earlier than the Brasília business day it was booked (a refund or chargeback is payable
the day it happens), so every entry payable before D exists before D begins, while one payable on D may still be
booked after the run (a refund that afternoon) and would escape a cursor already past it. The gateway settles a
day's payables during that day, so paying them the next morning is also when they are there to transfer.

**No centavo lost, none paid twice, none paid early.** A merchant's ``PayoutState`` is a cursor: every entry
payable on or before ``paid_through`` is accounted for, either in a payout or in ``carried`` (money owed to the
merchant, or by it when negative, that no later entry holds: a balance below the minimum, a negative balance after
refunds, a failed transfer's amount). A run reads the entries from the day after the cursor to D - 1 (one query,
paged), adds ``carried``, and:

- recipient not ``active`` (asked again at the gateway when the record says otherwise): nothing is sent and nothing
  moves; the next run reads the longer range;
- total below the merchant's minimum, or not positive: the cursor moves and the total becomes ``carried``;
- otherwise the transfer is the total, or the gateway's ``available_amount`` if that is less (the rest is carried,
  and the shortfall logged: reconciliation explains it); the payout and the moved cursor are written in one
  transaction, conditioned on the payout being new and the cursor unchanged (O(1) writes for any number of entries).

**Exactly once.** The payout's id is the merchant and D (``po-<merchant>-<yyyymmdd>``) and the transfer's idempotency
key: the schedule fired twice, or a message delivered twice, finds ``last_payout_id`` already D's and stops; a
consumer that crashed after the transfer and before the record retries, the gateway answers the first transfer for
the same key, and the record is written then. If the cursor moved meanwhile (a transfer's failure gave money back to
``carried``), the conditional write fails, the message is retried, and the run recomputes from the new cursor: what
it records is always what the gateway transferred, with the difference carried.

**Transfers end** by the gateway's ``transfer.*`` webhooks, taken as notifications: the transfer is read from the
gateway, and a failed one gives its amount back to ``carried`` in the same transaction that marks the payout failed,
so the next run pays it again.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from vitrine import clock
from vitrine.errors import DependencyUnavailable, InvalidInput
from vitrine.ledger.rules import business_day
from vitrine.payments.recipients import RecipientGateway, RecipientStatus, TransferStatus
from vitrine.payouts.models import Payout, PayoutSettings, PayoutState, PayoutStatus, schedule_keys_due_on
from vitrine.repository import payouts
from vitrine.repository.table import TransactionCancelled

logger = logging.getLogger(__name__)

_FROM_TRANSFER = {
    TransferStatus.PENDING: PayoutStatus.PENDING,
    TransferStatus.PAID: PayoutStatus.PAID,
    TransferStatus.FAILED: PayoutStatus.FAILED,
}


@dataclass(frozen=True)
class Outcome:
    """What one merchant's run did: ``paid`` (a transfer), ``carried``, ``waiting`` (recipient not active),
    ``done`` (this day's run had happened), ``not_due``, or ``no_settings``."""

    merchant_id: str
    action: str
    amount: int = 0
    payout_id: str | None = None


def payout_id(merchant_id: str, scheduled_on: date) -> str:
    return f"po-{merchant_id}-{scheduled_on:%Y%m%d}"


def payout_day(this_payout: str | None, merchant_id: str | None) -> date | None:
    """The day of ``merchant_id``'s payout ``this_payout`` (``payout_id`` read back); None if it is not one."""
    prefix = f"po-{merchant_id}-"
    if not this_payout or not merchant_id or not this_payout.startswith(prefix):
        return None
    try:
        return datetime.strptime(this_payout.removeprefix(prefix), "%Y%m%d").date()
    except ValueError:
        return None


def due_merchants(scheduled_on: date) -> list[str]:
    """The merchants whose schedule pays on ``scheduled_on``: the due index's partitions of that day, no scan."""
    merchants: list[str] = []
    for key in schedule_keys_due_on(scheduled_on):
        merchants += payouts.merchants_due(key)
    return list(dict.fromkeys(merchants))


def pay_out(gateway: RecipientGateway, merchant_id: str, scheduled_on: date, *, today: date | None = None) -> Outcome:
    """Run ``scheduled_on``'s payout of one merchant (see the module docstring); safe to repeat, and to run twice
    at once. Never ahead of its day: ``today`` (Brasília's, by default) must have reached ``scheduled_on``, or an
    entry booked later with an earlier payable day would fall behind the cursor (tests say which day they run on)."""
    if scheduled_on > (today or business_day(clock.now())):
        raise InvalidInput(f"a payout is never run ahead of its day ({scheduled_on} has not begun)")
    this_run = payout_id(merchant_id, scheduled_on)
    settings, state, begun = payouts.get_run_inputs(merchant_id, scheduled_on, this_run)
    if begun is not None and begun.status is not PayoutStatus.TRANSFERRING:
        return Outcome(merchant_id, "done", amount=begun.amount, payout_id=this_run)
    if begun is None and state.last_payout_id == this_run:
        return Outcome(merchant_id, "done", payout_id=this_run)  # carried by an earlier attempt
    if settings is None:
        return Outcome(merchant_id, "no_settings")
    if begun is None and not settings.schedule.is_due(scheduled_on):
        return Outcome(merchant_id, "not_due")
    through = scheduled_on - timedelta(days=1)
    if begun is None and state.paid_through is not None and state.paid_through >= through:
        return Outcome(merchant_id, "done")
    if begun is None and not _recipient_active(gateway, merchant_id, settings):
        return Outcome(merchant_id, "waiting")

    first_day = state.paid_through + timedelta(days=1) if state.paid_through else None
    if first_day is not None and first_day > through:
        entries_amount, entries = 0, 0  # a resumed payout whose cursor a concurrent attempt moved already
    else:
        entries_amount, entries = payouts.sum_ledger(merchant_id, first_day, through)
    total = entries_amount + state.carried
    moved = PayoutState(paid_through=through, carried=total, version=state.version + 1, last_payout_id=this_run)
    if begun is None:
        amount = _amount_to_transfer(gateway, merchant_id, settings, total)
        if amount <= 0:
            _write(lambda: payouts.carry(merchant_id, scheduled_on, this_run, state, moved))
            return Outcome(merchant_id, "carried", amount=total, payout_id=this_run)
        now = datetime.now(UTC)
        begun = payouts.begin_payout(
            merchant_id,
            Payout(
                payout_id=this_run,
                merchant_id=merchant_id,
                scheduled_on=scheduled_on,
                covers_from=first_day,
                through=through,
                entries_amount=entries_amount,
                carried_in=state.carried,
                amount=amount,
                status=PayoutStatus.TRANSFERRING,
                recipient_id=settings.recipient_id,
                created_at=now,
                updated_at=now,
            ),
        )
    # The amount is the one written before the transfer: a retry asks the gateway for the same transfer, under the
    # same key, and the gateway answers the first (with its amount).
    transfer = gateway.create_transfer(begun.recipient_id, begun.amount, payout_id=this_run, merchant_id=merchant_id)
    status = _FROM_TRANSFER[transfer.status]
    failed_back = transfer.amount if status is PayoutStatus.FAILED else 0
    moved = moved.model_copy(update={"carried": total - transfer.amount + failed_back})
    done = begun.model_copy(
        update={
            "status": status,
            "transfer_id": transfer.transfer_id,
            "amount": transfer.amount,
            "updated_at": datetime.now(UTC),
        }
    )
    _write(lambda: payouts.record_payout(merchant_id, done, state, moved))
    announce(done)
    logger.info(
        "payout",
        extra={"merchant_id": merchant_id, "payout_id": this_run, "amount": transfer.amount, "entries": entries},
    )
    return Outcome(merchant_id, "paid", amount=transfer.amount, payout_id=this_run)


def _amount_to_transfer(gateway: RecipientGateway, merchant_id: str, settings: PayoutSettings, total: int) -> int:
    """The total, if it reaches the minimum, capped by what the gateway holds for the merchant; 0 to carry it."""
    if total < max(settings.schedule.minimum_amount, 1):
        return 0
    available = gateway.get_balance(settings.recipient_id).available_amount
    if available < total:
        logger.warning(
            "gateway balance below the ledger's",
            extra={"merchant_id": merchant_id, "ledger": total, "available": available},
        )
    return min(total, available)


def on_transfer_notification(gateway: RecipientGateway, data: dict) -> Payout | None:
    """A ``transfer.*`` webhook: read the transfer from the gateway and end its payout as the gateway says."""
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    merchant_id, this_payout = metadata.get("merchant_id"), metadata.get("payout_id")
    scheduled_on = payout_day(this_payout, merchant_id)
    if not merchant_id or scheduled_on is None:
        logger.warning("transfer notification without Vitrine's payout", extra={"transfer_id": data.get("id")})
        return None
    payout = payouts.get_payout(merchant_id, scheduled_on, this_payout)
    if payout is None:
        logger.warning("transfer of an unknown payout", extra={"payout_id": this_payout})
        return None
    if payout.status is PayoutStatus.TRANSFERRING or payout.transfer_id is None:
        # The run has not recorded its transfer yet: fail this notification, so it is delivered again later.
        raise DependencyUnavailable(f"payout {this_payout} is not recorded yet; its transfer notification waits")
    transfer = gateway.get_transfer(payout.recipient_id, payout.transfer_id)
    status = _FROM_TRANSFER[transfer.status]
    if payout.status is not PayoutStatus.PENDING or status is PayoutStatus.PENDING:
        return payout
    reason = "a transferência foi devolvida pelo banco" if status is PayoutStatus.FAILED else None
    payouts.end_payout(merchant_id, payout, status, reason=reason, at=datetime.now(UTC).isoformat())
    ended = payouts.get_payout(merchant_id, scheduled_on, this_payout)
    if ended is not None and ended.status is PayoutStatus.FAILED:
        announce(ended, reason=reason)
    return ended


def announce(payout: Payout, *, reason: str | None = None) -> None:
    """``PayoutSent`` or ``PayoutFailed`` on the bus (the merchant's e-mail, its webhooks), once per payout and
    outcome by its id. Best effort after the payout is recorded: a lost event costs an e-mail, never money."""
    from vitrine.events.envelope import PayoutFailed, PayoutSent, new_event
    from vitrine.events.publisher import PublishFailed, publish

    common = {"payout_id": payout.payout_id, "amount": payout.amount, "scheduled_on": payout.scheduled_on.isoformat()}
    if payout.status is PayoutStatus.FAILED:
        data, event_id = PayoutFailed(**common, reason=reason), f"payout-failed-{payout.payout_id}"
    elif payout.status in (PayoutStatus.PENDING, PayoutStatus.PAID):
        data, event_id = PayoutSent(**common), f"payout-sent-{payout.payout_id}"
    else:
        return
    try:
        publish([new_event(payout.merchant_id, data, event_id=event_id)], source="vitrine.payouts")
    except (PublishFailed, DependencyUnavailable) as exc:
        logger.warning("payout event not published", extra={"payout_id": payout.payout_id, "error": str(exc)})


def _recipient_active(gateway: RecipientGateway, merchant_id: str, settings: PayoutSettings) -> bool:
    if settings.recipient_status is not RecipientStatus.ACTIVE:
        # Imported here: an active recipient (every run after the first) needs neither the settings' use cases nor
        # the merchants' repository they import (a cold start's ~6 ms).
        from vitrine.payouts.payout_settings import refresh_recipient

        settings = refresh_recipient(gateway, merchant_id, settings)
    return settings.recipient_status is RecipientStatus.ACTIVE


def _write(write) -> None:
    """A cursor write that lost its condition: another run (or a failed transfer's refund to ``carried``) moved
    the cursor since it was read. Raised as a retryable failure, so the message is delivered again and recomputed."""
    try:
        write()
    except TransactionCancelled as cancelled:
        raise PayoutCursorMoved(f"the payout cursor moved while the run computed: {cancelled.reasons}") from cancelled


class PayoutCursorMoved(Exception):
    """The merchant's cursor changed between the read and the write; the run is retried from the new one."""

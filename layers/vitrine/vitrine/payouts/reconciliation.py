"""Reconciliation: once a day, the ledger's view of what a merchant is still owed against the gateway's.

The ledger's balance is what the merchant is owed and was not transferred: by conservation (``runs``), the carried
amount plus every entry payable after the cursor. The gateway's is the recipient's ``available_amount`` plus
``waiting_funds_amount`` (``GET /recipients/{id}/balance``): its payables not yet transferred. A split charge puts
exactly the ledger's credit in the merchant's payables, a refund borne by the merchant takes exactly the ledger's
debit, and a transfer leaves both at once, so the two agree to the centavo unless something happened that one side
did not see (a chargeback: the platform is the liable recipient, so the gateway debits it, while the ledger debits
the merchant; a refund or an adjustment made in the gateway's dashboard; a sale that was not split).

**Payable by payable.** The totals can agree while the days do not (a payable the gateway holds for another day
than the ledger's, an anticipation booked wrong): so the receivables payable from the day after the cursor to
``RECONCILED_DAYS`` days ahead are compared day by day with the gateway's payables (``GET /payables``, net of their
fees; the card slices are cut as the gateway cuts them, so they agree to the centavo), and the days that differ are
recorded with both figures. Beyond that window the balance's total speaks for them (the open window of a merchant
selling in 12 instalments is a year of payables: reading them all every day would cost more than it tells).

A difference is recorded per merchant and day (``RECONCILIATION#<day>``), counted in the ``MerchantsOutOfBalance``
metric (an alarm in the template), shown to the merchant in its receivables, and never "fixed": no entry is booked
and no transfer changed to make the two agree. The operator looks, and books what is missing.
"""

import logging
from datetime import UTC, date, datetime, timedelta

from vitrine.payments.recipients import RecipientGateway
from vitrine.payouts.models import RECONCILED_DAYS, DayDifference, Reconciliation
from vitrine.repository import ledger, payouts

logger = logging.getLogger(__name__)

FAR_FUTURE = date(2100, 1, 1)  # the last day an entry could be payable on (card instalments are months away)


def merchants_to_reconcile() -> list[str]:
    """Every merchant with a recipient (the due index, all schedules: no scan)."""
    return payouts.merchants_with_recipients()


def reconcile(gateway: RecipientGateway, merchant_id: str, day: date) -> Reconciliation | None:
    """Compare and record ``day``'s reconciliation of one merchant; None without a recipient."""
    settings, state = payouts.get_settings_and_cursor(merchant_id)
    if settings is None:
        return None
    first_day = state.paid_through + timedelta(days=1) if state.paid_through else None
    entries = ledger.entries_between(merchant_id, first_day, FAR_FUTURE)
    after_cursor = sum(entry.amount for entry in entries)
    ledger_balance = state.carried + after_cursor
    balance = gateway.get_balance(settings.recipient_id)
    gateway_balance = balance.available_amount + balance.waiting_funds_amount
    result = Reconciliation(
        day=day,
        ledger_balance=ledger_balance,
        gateway_balance=gateway_balance,
        difference=ledger_balance - gateway_balance,
        days_differing=_days_differing(gateway, settings.recipient_id, entries, first_day, day),
        checked_at=datetime.now(UTC),
    )
    payouts.put_reconciliation(merchant_id, result)
    if result.difference or result.days_differing:
        logger.warning(
            "ledger and gateway disagree",
            extra={"merchant_id": merchant_id, "difference": result.difference, "day": day.isoformat()},
        )
    return result


def _days_differing(gateway: RecipientGateway, recipient_id: str, entries, first_day: date | None, day: date):
    last_day = day + timedelta(days=RECONCILED_DAYS)
    ours: dict[date, int] = {}
    for entry in entries:
        if entry.available_on <= last_day:
            ours[entry.available_on] = ours.get(entry.available_on, 0) + entry.amount
    theirs: dict[date, int] = {}
    for payable in gateway.list_payables(recipient_id, paid_from=first_day, paid_until=last_day):
        if (first_day is None or payable.payment_date >= first_day) and payable.payment_date <= last_day:
            theirs[payable.payment_date] = theirs.get(payable.payment_date, 0) + payable.net
    differing = [
        DayDifference(day=d, ledger=ours.get(d, 0), gateway=theirs.get(d, 0))
        for d in sorted(set(ours) | set(theirs))
        if ours.get(d, 0) != theirs.get(d, 0)
    ]
    return tuple(differing[:31])

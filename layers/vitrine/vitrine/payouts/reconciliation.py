"""Reconciliation: once a day, the ledger's view of what a merchant is still owed against the gateway's.

The ledger's balance is what the merchant is owed and was not transferred: by conservation (``runs``), the carried
amount plus every entry payable after the cursor. The gateway's is the recipient's ``available_amount`` plus
``waiting_funds_amount`` (``GET /recipients/{id}/balance``): its payables not yet transferred. A split charge puts
exactly the ledger's credit in the merchant's payables, a refund borne by the merchant takes exactly the ledger's
debit, and a transfer leaves both at once, so the two agree to the centavo unless something happened that one side
did not see (a chargeback: the platform is the liable recipient, so the gateway debits it, while the ledger debits
the merchant; a refund or an adjustment made in the gateway's dashboard; a sale that was not split).

A difference is recorded per merchant and day (``RECONCILIATION#<day>``), counted in the ``MerchantsOutOfBalance``
metric (an alarm in the template), shown to the merchant in its receivables, and never "fixed": no entry is booked
and no transfer changed to make the two agree. The operator looks, and books what is missing.
"""

import logging
from datetime import UTC, date, datetime, timedelta

from vitrine.payments.recipients import RecipientGateway
from vitrine.payouts.models import Reconciliation
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
    after_cursor = sum(entry.amount for entry in ledger.entries_between(merchant_id, first_day, FAR_FUTURE))
    ledger_balance = state.carried + after_cursor
    balance = gateway.get_balance(settings.recipient_id)
    gateway_balance = balance.available_amount + balance.waiting_funds_amount
    result = Reconciliation(
        day=day,
        ledger_balance=ledger_balance,
        gateway_balance=gateway_balance,
        difference=ledger_balance - gateway_balance,
        checked_at=datetime.now(UTC),
    )
    payouts.put_reconciliation(merchant_id, result)
    if result.difference:
        logger.warning(
            "ledger and gateway disagree",
            extra={"merchant_id": merchant_id, "difference": result.difference, "day": day.isoformat()},
        )
    return result

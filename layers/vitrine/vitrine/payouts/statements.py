"""What a merchant reads of its money: receivables (available now, waiting by day, the next payout), its payouts
with the entries each covers, and the ledger as a CSV that Excel in Brazil opens as it is (``vitrine.spreadsheets``:
UTF-8 with a BOM, ``;``, ``1234,56``, ``dd/mm/aaaa``, formula cells neutralised).
"""

from datetime import date, timedelta

from pydantic import Field

from vitrine import clock, spreadsheets
from vitrine.errors import InvalidInput, NotFound
from vitrine.lazy_models import LazyModel
from vitrine.ledger.models import LedgerEntry, Movement
from vitrine.ledger.rules import business_day
from vitrine.payments.recipients import RecipientStatus
from vitrine.payouts import runs
from vitrine.payouts.models import Payout, PayoutSchedule, Reconciliation
from vitrine.repository import ledger, payouts

HORIZON_DAYS = 90
MAX_CSV_DAYS = 366
MOVEMENT_TEXT = {
    Movement.SALE: "Venda",
    Movement.GATEWAY_FEE: "Tarifa do meio de pagamento",
    Movement.PLATFORM_FEE: "Tarifa da plataforma",
    Movement.REFUND: "Estorno",
    Movement.CHARGEBACK: "Chargeback",
    Movement.ANTICIPATION: "Antecipação",
    Movement.ANTICIPATION_FEE: "Tarifa de antecipação",
}
METHOD_TEXT = {"pix": "Pix", "card": "Cartão de crédito", "boleto": "Boleto"}
CSV_HEADER = ("Disponível em", "Pedido", "Movimento", "Forma de pagamento", "Parcela", "Valor (R$)", "Lançado em")


class DayAmount(LazyModel):
    day: date
    amount: int = Field(description="Centavos payable that day (signed).")


class Receivables(LazyModel):
    available_now: int = Field(description="What the next payout would transfer today (centavos, signed).")
    waiting: list[DayAmount] = Field(description=f"Payable later, by day, for the next {HORIZON_DAYS} days.")
    next_payout_on: date | None = Field(description="The next payout day on the schedule (None: no settings).")
    next_payout_estimate: int = Field(description="What that payout would transfer, as the ledger stands now.")
    reconciliation: Reconciliation | None = Field(
        description="The latest daily check of the ledger against the gateway (a difference is for the operator)."
    )
    recipient_status: RecipientStatus | None = Field(
        description="The recipient's status as last checked (GET /merchant/v1/payout-settings asks the gateway again)."
    )


class PayoutsPage(LazyModel):
    payouts: list[Payout] = Field(description="Newest first.")
    next_cursor: str | None


class PayoutDetail(LazyModel):
    payout: Payout
    entries: list[LedgerEntry] = Field(description="The ledger entries it covers, oldest payable day first.")
    next_cursor: str | None


def receivables(merchant_id: str, *, today: date | None = None) -> Receivables:
    today = today or business_day(clock.now())
    settings, state = payouts.get_settings_and_cursor(merchant_id)
    first_day = state.paid_through + timedelta(days=1) if state.paid_through else None
    entries = ledger.entries_between(merchant_id, first_day, today + timedelta(days=HORIZON_DAYS))
    available = state.carried + sum(e.amount for e in entries if e.available_on < today)
    by_day: dict[date, int] = {}
    for entry in entries:
        if entry.available_on >= today:
            by_day[entry.available_on] = by_day.get(entry.available_on, 0) + entry.amount
    next_day = (
        None if settings is None else _next_payout_day(settings.schedule, state.last_payout_id, merchant_id, today)
    )
    estimate = 0
    if next_day is not None:
        estimate = state.carried + sum(e.amount for e in entries if e.available_on < next_day)
    return Receivables(
        available_now=available,
        # A day whose receivables were all anticipated nets to zero: nothing is waiting there any more.
        waiting=[DayAmount(day=day, amount=amount) for day, amount in sorted(by_day.items()) if amount],
        next_payout_on=next_day,
        next_payout_estimate=max(estimate, 0),
        reconciliation=payouts.latest_reconciliation(merchant_id),
        recipient_status=settings.recipient_status if settings else None,
    )


def list_payouts(merchant_id: str, *, limit: int, cursor: str | None) -> PayoutsPage:
    found, next_cursor = payouts.list_payouts(merchant_id, limit=limit, cursor=cursor)
    return PayoutsPage(payouts=found, next_cursor=next_cursor)


def payout_detail(merchant_id: str, payout_id: str, *, limit: int, cursor: str | None) -> PayoutDetail:
    payout = _payout(merchant_id, payout_id)
    entries, next_cursor = ledger.entries_page(
        merchant_id, payout.covers_from, payout.through, limit=limit, cursor=cursor
    )
    return PayoutDetail(payout=payout, entries=entries, next_cursor=next_cursor)


def ledger_csv(merchant_id: str, first_day: date, last_day: date) -> str:
    if last_day < first_day:
        raise InvalidInput("`to` is before `from`", details=[{"field": "query.to", "reason": "before from"}])
    if (last_day - first_day).days >= MAX_CSV_DAYS:
        raise InvalidInput(
            f"a ledger export spans at most {MAX_CSV_DAYS} days",
            details=[{"field": "query.to", "reason": f"more than {MAX_CSV_DAYS} days after from"}],
        )
    return entries_csv(ledger.entries_between(merchant_id, first_day, last_day))


def payout_csv(merchant_id: str, payout_id: str) -> str:
    payout = _payout(merchant_id, payout_id)
    return entries_csv(ledger.entries_between(merchant_id, payout.covers_from, payout.through))


def entries_csv(entries: list[LedgerEntry]) -> str:
    rows = (
        (
            spreadsheets.day(entry.available_on),
            spreadsheets.text(entry.order_id),
            MOVEMENT_TEXT[entry.movement],
            METHOD_TEXT.get(str(entry.method), str(entry.method)),
            entry.installment or "",
            spreadsheets.amount(entry.amount),
            spreadsheets.day(business_day(entry.booked_at)),
        )
        for entry in entries
    )
    return spreadsheets.csv_text(CSV_HEADER, rows)


def _payout(merchant_id: str, payout_id: str) -> Payout:
    """One of the merchant's payouts by its id (``po-<merchant>-<yyyymmdd>``): another merchant's id is not found."""
    scheduled_on = runs.payout_day(payout_id, merchant_id)
    payout = payouts.get_payout(merchant_id, scheduled_on, payout_id) if scheduled_on else None
    if payout is None:
        raise NotFound(f"no payout {payout_id}")
    return payout


def _next_payout_day(schedule: PayoutSchedule, last_payout_id: str | None, merchant_id: str, today: date) -> date:
    if schedule.is_due(today) and last_payout_id != runs.payout_id(merchant_id, today):
        return today
    return schedule.next_payout_on(today)

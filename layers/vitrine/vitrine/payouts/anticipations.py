"""Anticipation (antecipação de recebíveis): the merchant's card receivables paid before their days, for a fee.

**Simulate** (``GET /merchant/v1/anticipations/limits``): the gateway's limits for a payment day, the most and the
least it would anticipate, each with its fee and what the merchant would receive. **Request** (``POST
/merchant/v1/anticipations``): the gateway takes whole card payables within the amount asked, nearest first
(``start``) or farthest first (``end``), and moves them to the payment day, charging each its anticipation fee.

**The ledger follows the gateway.** The gateway chooses the payables, so once it approves, the payables of the
anticipation are read back from it (``GET /payables?bulk_anticipation_id=``), and the ledger books what they say:
for each day the payables came from, an ``anticipation`` debit on that day and the same amount credited on the
payment day, and one ``anticipation_fee`` debit on the payment day. Nothing is rewritten: the slices booked at the
capture stay, and the pair moves their money, so an order's entries still explain every centavo, and the ledger's
receivables by day stay equal to the gateway's payables by day (``reconciliation`` checks it). Conservation gains a
term: sales - fees - refunds - chargebacks - anticipation fees = paid out + balance.

**Never behind the cursor.** The payment day must be today or later and after the payout cursor (``paid_through``),
so every entry an anticipation books lands where the next run reads it; a payment day on or before the cursor is
refused before the gateway is asked. The anticipated money is paid by the first scheduled payout after its day (a
run pays what was payable before its own day); a merchant who wants it at once keeps a daily schedule.

**Exactly once.** The request's idempotency key is the merchant, the day it was asked and what was asked: the same
anticipation asked twice the same day (a double tap) is one. The record is written after the gateway answers; the
booking writes the entries (keys made of the anticipation id and a sequence, the same on a retry) and then marks
the record ``booked``. A gateway that answers ``pending`` is asked again whenever the merchant lists its
anticipations, and booked when it approves.
"""

import hashlib
from datetime import UTC, date, datetime

from pydantic import Field

from vitrine import clock
from vitrine.errors import Conflict, InvalidInput, NotFound
from vitrine.lazy_models import LazyModel
from vitrine.ledger.models import LedgerEntry, Movement
from vitrine.ledger.rules import business_day
from vitrine.payments.anticipations import AnticipationLimit, AnticipationStatus, Timeframe
from vitrine.payments.methods import PaymentMethod
from vitrine.payments.recipients import RecipientGateway, RecipientStatus
from vitrine.payouts.models import AnticipationInput, AnticipationRecord, MovedDay, PayoutSettings
from vitrine.payouts.payout_settings import refresh_recipient
from vitrine.repository import anticipations, payouts

MAX_DAYS_AHEAD = 31


class LimitView(LazyModel):
    amount: int = Field(description="Gross centavos of receivables that would be anticipated.")
    fee: int = Field(description="The anticipation's fee (centavos).")
    net: int = Field(description="What the merchant would receive on the payment day (centavos).")


class AnticipationSimulation(LazyModel):
    payment_date: date
    timeframe: Timeframe
    maximum: LimitView
    minimum: LimitView


class AnticipationsPage(LazyModel):
    anticipations: list[AnticipationRecord] = Field(description="Newest first.")
    next_cursor: str | None


def _limit(limit: AnticipationLimit) -> LimitView:
    return LimitView(amount=limit.amount, fee=limit.anticipation_fee, net=limit.amount - limit.anticipation_fee)


def _checked(gateway: RecipientGateway, merchant_id: str, payment_date: date, today: date) -> PayoutSettings:
    """The merchant's settings, once its recipient is active and ``payment_date`` in range; the settings and the
    payout cursor in one read."""
    settings, state = payouts.get_settings_and_cursor(merchant_id)
    if settings is None:
        raise NotFound("no payout settings yet: register for payouts first (PUT /merchant/v1/payout-settings)")
    if settings.recipient_status is not RecipientStatus.ACTIVE:
        settings = refresh_recipient(gateway, merchant_id, settings)
    if settings.recipient_status is not RecipientStatus.ACTIVE:
        raise Conflict(
            f"the recipient is {settings.recipient_status}, not active: anticipation waits for the gateway",
            details=[{"field": "recipient_status", "reason": "not active", "status": str(settings.recipient_status)}],
        )
    too_early = payment_date < today or (state.paid_through is not None and payment_date <= state.paid_through)
    if too_early or (payment_date - today).days > MAX_DAYS_AHEAD:
        raise InvalidInput(
            f"payment_date must be from today ({today}) to {MAX_DAYS_AHEAD} days ahead, after the last payout",
            details=[{"field": "payment_date", "reason": "out_of_range"}],
        )
    return settings


def simulate(
    gateway: RecipientGateway, merchant_id: str, payment_date: date, timeframe: Timeframe, *, today: date | None = None
) -> AnticipationSimulation:
    today = today or business_day(clock.now())
    settings = _checked(gateway, merchant_id, payment_date, today)
    limits = gateway.get_anticipation_limits(settings.recipient_id, timeframe, payment_date)
    return AnticipationSimulation(
        payment_date=payment_date, timeframe=timeframe, maximum=_limit(limits.maximum), minimum=_limit(limits.minimum)
    )


def request(
    gateway: RecipientGateway, merchant_id: str, asked: AnticipationInput, *, today: date | None = None
) -> AnticipationRecord:
    today = today or business_day(clock.now())
    settings = _checked(gateway, merchant_id, asked.payment_date, today)
    what = f"{merchant_id}|{today}|{asked.amount}|{asked.payment_date}|{asked.timeframe}"
    key = "ant-" + hashlib.sha256(what.encode()).hexdigest()[:32]
    answer = gateway.create_anticipation(
        settings.recipient_id, asked.amount, asked.timeframe, asked.payment_date, idempotency_key=key
    )
    now = datetime.now(UTC)
    record = AnticipationRecord(
        anticipation_id=answer.anticipation_id,
        merchant_id=merchant_id,
        requested_amount=answer.requested_amount,
        approved_amount=answer.approved_amount,
        payment_date=answer.payment_date or asked.payment_date,
        timeframe=answer.timeframe or asked.timeframe,
        status=answer.status,
        created_at=answer.created_at or now,
        updated_at=now,
    )
    anticipations.put(record)
    return book(gateway, settings.recipient_id, record)


def book(gateway: RecipientGateway, recipient_id: str, record: AnticipationRecord) -> AnticipationRecord:
    """Book an approved anticipation's moves and fee into the ledger, as its payables at the gateway say."""
    if record.booked or record.status is not AnticipationStatus.APPROVED:
        return record
    payables = gateway.list_payables(recipient_id, anticipation_id=record.anticipation_id)
    by_day: dict[date, int] = {}
    for payable in payables:
        day = payable.original_payment_date or payable.payment_date
        by_day[day] = by_day.get(day, 0) + payable.amount
    fee = sum(payable.anticipation_fee for payable in payables)
    moved = tuple(MovedDay(from_day=day, amount=amount) for day, amount in sorted(by_day.items()) if amount)
    entries = anticipation_entries(record, moved, fee)
    booked = record.model_copy(update={"booked": True, "fee": fee, "moved": moved, "updated_at": datetime.now(UTC)})
    anticipations.book(booked, entries)
    return booked


def anticipation_entries(record: AnticipationRecord, moved: tuple[MovedDay, ...], fee: int) -> list[LedgerEntry]:
    """The pair of entries per day moved, and the fee, numbered in that order (the same on every retry)."""
    at = record.updated_at

    def entry(sequence: int, movement: Movement, amount: int, day: date) -> LedgerEntry:
        return LedgerEntry(
            merchant_id=record.merchant_id,
            order_id=record.anticipation_id,
            movement=movement,
            sequence=sequence,
            amount=amount,
            method=PaymentMethod.CARD,
            available_on=day,
            booked_at=at,
        )

    entries = [entry(n, Movement.ANTICIPATION, -m.amount, m.from_day) for n, m in enumerate(moved, start=1)]
    total = sum(m.amount for m in moved)
    if total:
        entries.append(entry(len(entries) + 1, Movement.ANTICIPATION, total, record.payment_date))
    if fee:
        entries.append(entry(len(entries) + 1, Movement.ANTICIPATION_FEE, -fee, record.payment_date))
    return entries


def list_anticipations(
    gateway: RecipientGateway, merchant_id: str, *, limit: int, cursor: str | None
) -> AnticipationsPage:
    """The merchant's anticipations, newest first; a pending one is asked again, and booked if approved now."""
    records, next_cursor = anticipations.list_recent(merchant_id, limit=limit, cursor=cursor)
    pending = [r for r in records if r.status is AnticipationStatus.PENDING]
    if pending:
        settings = payouts.get_payout_settings(merchant_id)
        refreshed = {}
        for record in pending:
            answer = gateway.get_anticipation(settings.recipient_id, record.anticipation_id)
            if answer.status is not record.status:
                update = {"status": answer.status, "approved_amount": answer.approved_amount}
                updated = record.model_copy(update={**update, "updated_at": datetime.now(UTC)})
                anticipations.put(updated)
                refreshed[record.anticipation_id] = book(gateway, settings.recipient_id, updated)
        records = [refreshed.get(r.anticipation_id, r) for r in records]
    return AnticipationsPage(anticipations=records, next_cursor=next_cursor)

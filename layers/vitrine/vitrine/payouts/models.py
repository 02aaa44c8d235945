"""What a merchant says about its payouts: the schedule (cadence, day, minimum) and the bank account, plus, the
first time, who it is for the gateway (the recipient's register information).

The schedule is Vitrine's, not the gateway's: the recipient is registered with automatic transfers off and the
payout run transfers what is due on the merchant's day. A weekly payout names a weekday, Monday (1) to Friday (5),
as pagar.me's own transfer settings count them; a monthly one a day from 1 to 28, so that every month has it. The
minimum is what a payout must reach to be sent (below it, the balance waits for the next day on the schedule).
"""

from datetime import date, datetime, timedelta
from enum import StrEnum

from pydantic import AwareDatetime, ConfigDict, Field, model_validator

from vitrine.inputs import Count
from vitrine.lazy_models import LazyModel
from vitrine.money import Centavos
from vitrine.payments.anticipations import AnticipationStatus, Timeframe
from vitrine.payments.recipients import BankAccount, RecipientStatus, Registration

RECONCILED_DAYS = 31  # payable days compared one by one with the gateway's payables; beyond, the balance's total
DEFAULT_MINIMUM = 10_00  # R$ 10,00: below it a transfer's fee would be a large part of what it pays
WEEKDAYS = ("segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira")


class Cadence(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


class PayoutSchedule(LazyModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    cadence: Cadence
    weekday: Count | None = Field(default=None, ge=1, le=5, description="Weekly: 1 = Monday ... 5 = Friday.")
    day_of_month: Count | None = Field(default=None, ge=1, le=28, description="Monthly: the day, 1 to 28.")
    minimum_amount: Centavos = Field(
        default=DEFAULT_MINIMUM, description="A payout below this (centavos) is not sent; the balance waits."
    )

    @model_validator(mode="after")
    def _day_for_cadence(self) -> "PayoutSchedule":
        if self.cadence is Cadence.WEEKLY and self.weekday is None:
            raise ValueError("a weekly payout names its weekday (1 = Monday ... 5 = Friday)")
        if self.cadence is Cadence.MONTHLY and self.day_of_month is None:
            raise ValueError("a monthly payout names its day_of_month (1 to 28)")
        if self.cadence is not Cadence.WEEKLY and self.weekday is not None:
            raise ValueError("weekday is for a weekly payout only")
        if self.cadence is not Cadence.MONTHLY and self.day_of_month is not None:
            raise ValueError("day_of_month is for a monthly payout only")
        return self

    def is_due(self, day: date) -> bool:
        """Whether ``day`` (a business day in Brasília) is a payout day on this schedule."""
        if day.weekday() >= 5:
            return False  # transfers run on business days; a monthly day on a weekend waits for Monday
        if self.cadence is Cadence.DAILY:
            return True
        if self.cadence is Cadence.WEEKLY:
            return day.isoweekday() == self.weekday
        assert self.day_of_month is not None
        # This month's day, or last month's when it fell on a weekend and rolled over into this month.
        last_month = day.replace(day=1) - timedelta(days=1)
        return day in (_rolled(day.replace(day=self.day_of_month)), _rolled(last_month.replace(day=self.day_of_month)))

    @property
    def key(self) -> str:
        """The schedule as the due index names it: ``daily``, ``weekly#<1-5>`` or ``monthly#<1-28>``."""
        if self.cadence is Cadence.DAILY:
            return "daily"
        if self.cadence is Cadence.WEEKLY:
            return f"weekly#{self.weekday}"
        return f"monthly#{self.day_of_month}"

    def next_payout_on(self, after: date) -> date:
        """The first payout day after ``after`` (holidays are the gateway's to skip; Vitrine skips weekends)."""
        day = after + timedelta(days=1)
        while not self.is_due(day):
            day += timedelta(days=1)
        return day


def _every_schedule() -> list[PayoutSchedule]:
    schedules = [PayoutSchedule(cadence=Cadence.DAILY)]
    schedules += [PayoutSchedule(cadence=Cadence.WEEKLY, weekday=weekday) for weekday in range(1, 6)]
    return schedules + [PayoutSchedule(cadence=Cadence.MONTHLY, day_of_month=d) for d in range(1, 29)]


def schedule_keys_due_on(day: date) -> list[str]:
    """Every schedule (as ``PayoutSchedule.key``) that pays on ``day``: none on a weekend; on a Monday also the
    monthly days that fell on the weekend before."""
    return [schedule.key for schedule in _every_schedule() if schedule.is_due(day)]


def all_schedule_keys() -> list[str]:
    return [schedule.key for schedule in _every_schedule()]


def _rolled(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


class PayoutSettingsInput(LazyModel):
    """``PUT /merchant/v1/payout-settings``: the schedule and the bank account; ``registration`` is needed the
    first time (it registers the merchant as the gateway's recipient) and refused after (the gateway's register is
    changed through its support, not by a merchant's API key)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schedule: PayoutSchedule
    bank_account: BankAccount
    registration: Registration | None = None


class PayoutSettings(LazyModel):
    """The stored settings, with the recipient the gateway registered and its last known status."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schedule: PayoutSchedule
    bank_account: BankAccount
    recipient_id: str
    recipient_status: RecipientStatus
    recipient_checked_at: AwareDatetime
    updated_at: AwareDatetime


class RecipientView(LazyModel):
    recipient_id: str
    status: RecipientStatus
    may_receive_transfers: bool
    status_text: str = Field(description="What the status means for the merchant, in Portuguese.")
    checked_at: datetime


class PayoutSettingsView(LazyModel):
    schedule: PayoutSchedule
    bank_account: BankAccount
    recipient: RecipientView
    next_payout_on: date = Field(description="The next payout day on the schedule (Brasília business days).")


class PayoutStatus(StrEnum):
    TRANSFERRING = "transferring"  # written before the transfer is asked: a retry resumes it, never starts another
    PENDING = "pending"  # the transfer was asked; the gateway has not said it arrived
    PAID = "paid"
    FAILED = "failed"  # its money is payable again


class Payout(LazyModel):
    """One payout: a transfer of what was due to the merchant through ``through`` (entries from ``covers_from``),
    plus what was carried from before."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    payout_id: str
    merchant_id: str
    scheduled_on: date
    covers_from: date | None = Field(
        default=None, description="The first payable day it covers (None: from the start)."
    )
    through: date = Field(description="The last payable day whose entries it covers.")
    entries_amount: int = Field(description="The covered entries' sum (centavos, signed).")
    carried_in: int = Field(description="What earlier runs carried into this one (signed).")
    amount: int = Field(description="What was transferred.")
    status: PayoutStatus
    recipient_id: str
    transfer_id: str | None = None
    failure_reason: str | None = None
    created_at: AwareDatetime
    updated_at: AwareDatetime


class PayoutState(LazyModel):
    """The merchant's payout cursor: every entry payable on or before ``paid_through`` is accounted for (paid out or
    in ``carried``); ``carried`` is money owed to the merchant (or, negative, by it) that no entry after the cursor
    holds: balances below the minimum, negative balances, failed transfers."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    paid_through: date | None = None
    carried: int = 0
    version: int = 0
    last_payout_id: str | None = None


class DayDifference(LazyModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    day: date
    ledger: int = Field(description="The ledger's receivables payable that day (centavos, net).")
    gateway: int = Field(description="The gateway's payables that day, net of their fees.")


class Reconciliation(LazyModel):
    """One day's comparison of the ledger's balance with the gateway's (``payouts.reconciliation``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    day: date
    ledger_balance: int = Field(description="What the ledger says is owed and not transferred (centavos).")
    gateway_balance: int = Field(description="The recipient's available plus waiting funds at the gateway.")
    difference: int = Field(description="Ledger minus gateway: zero when they agree.")
    days_differing: tuple[DayDifference, ...] = Field(
        default=(),
        description=f"The payable days of the next {RECONCILED_DAYS} whose receivables differ, ledger against the "
        "gateway's payables (the first 31 such days).",
    )
    checked_at: AwareDatetime


class AnticipationInput(LazyModel):
    """``POST /merchant/v1/anticipations``: anticipate up to ``amount`` of card receivables, paid on
    ``payment_date``; ``start`` takes the nearest receivables first (a lower fee), ``end`` the farthest."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    amount: Centavos = Field(gt=0, description="The most to anticipate, gross (centavos).")
    payment_date: date = Field(description="The day the anticipated money is payable (today or later).")
    timeframe: Timeframe = Timeframe.START


class MovedDay(LazyModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    from_day: date = Field(description="The day these receivables were payable on.")
    amount: int = Field(description="Gross centavos moved from that day to the anticipation's.")


class AnticipationRecord(LazyModel):
    """An anticipation as the merchant asked it and the gateway answered; once approved, ``booked`` says the ledger
    holds its moves and fee."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    anticipation_id: str
    merchant_id: str
    requested_amount: int
    approved_amount: int | None = None
    payment_date: date
    timeframe: Timeframe
    status: AnticipationStatus
    booked: bool = False
    fee: int = Field(default=0, description="The anticipation's fee, as the gateway charged it (centavos).")
    moved: tuple[MovedDay, ...] = ()
    created_at: AwareDatetime
    updated_at: AwareDatetime

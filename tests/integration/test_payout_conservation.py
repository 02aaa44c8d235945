"""Money conservation, as a property: over any sequence of sales (every method, instalments), refunds, chargebacks,
payout runs and their transfers arriving or coming back, day after day, every centavo the ledger owes the merchant is
either paid out or still owed (carried, or payable after the cursor), none is paid twice, none before its day.

The runs are the real ones (``vitrine.payouts.runs.pay_out``) on the real table (moto); the gateway is a ledger of
its own in memory that holds the merchant's share of every sale (split charges put exactly the ledger's credit
there), gives refunds and chargebacks back, and transfers idempotently by payout id, failing the ones the sequence
says. Each example is a new merchant, so examples share the table without seeing each other.
"""

import uuid
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pagarme_fixtures import BANK

from vitrine.ledger.models import Movement
from vitrine.ledger.rules import capture_entries, debit_entry
from vitrine.merchants import SettlementTerms
from vitrine.payments.port import PaymentMethod
from vitrine.payments.recipients import BankAccount, RecipientBalance, RecipientStatus, Transfer, TransferStatus
from vitrine.payouts.models import PayoutSchedule, PayoutSettings, PayoutStatus
from vitrine.payouts.runs import on_transfer_notification, pay_out
from vitrine.repository import ledger, payouts, table

START = date(2026, 1, 5)  # a Monday
TERMS = SettlementTerms()


class MemoryGateway:
    """The recipient's balance as the gateway keeps it, and its transfers (``RecipientGateway``)."""

    def __init__(self) -> None:
        self.credited = 0
        self.transfers: dict[str, Transfer] = {}
        self.failing: set[str] = set()

    def get_recipient(self, recipient_id):  # the recipient is active throughout
        raise AssertionError("an active recipient is not read again")

    def get_balance(self, recipient_id: str) -> RecipientBalance:
        out = sum(t.amount for t in self.transfers.values() if t.status is not TransferStatus.FAILED)
        return RecipientBalance(available_amount=self.credited - out)

    def create_transfer(self, recipient_id: str, amount: int, *, payout_id: str, merchant_id: str) -> Transfer:
        if payout_id not in self.transfers:  # the key replays the first transfer
            assert 0 < amount <= self.get_balance(recipient_id).available_amount
            self.transfers[payout_id] = Transfer(
                transfer_id=f"tf-{payout_id}",
                amount=amount,
                status=TransferStatus.PENDING,
                gateway_status="pending_transfer",
                payout_id=payout_id,
            )
        return self.transfers[payout_id]

    def get_transfer(self, recipient_id: str, transfer_id: str) -> Transfer:
        return next(t for t in self.transfers.values() if t.transfer_id == transfer_id)

    def end(self, payout_id: str, *, fails: bool) -> None:
        status = TransferStatus.FAILED if fails else TransferStatus.PAID
        self.transfers[payout_id] = self.transfers[payout_id].model_copy(update={"status": status})


def noon(day: date) -> datetime:
    return datetime.combine(day, time(15, 0), tzinfo=UTC)


def book(entries) -> None:
    table.transact_write([ledger.entry_put_operation(entry) for entry in entries])


sale = st.tuples(
    st.just("sale"),
    st.integers(min_value=1, max_value=500_000),
    # Mostly Pix (payable the next day, so most runs have something to pay), some boleto and card.
    st.sampled_from(
        [PaymentMethod.PIX, PaymentMethod.PIX, PaymentMethod.PIX, PaymentMethod.BOLETO, PaymentMethod.CARD]
    ),
    st.integers(min_value=1, max_value=6),
)
step = st.one_of(
    sale,
    st.tuples(st.just("refund"), st.floats(min_value=0.01, max_value=1.0)),
    st.tuples(st.just("chargeback"), st.floats(min_value=0.01, max_value=1.0)),
    st.tuples(st.just("run")),
    st.tuples(
        st.just("next_day"), st.integers(min_value=1, max_value=4), st.sampled_from(["pending", "arrives", "fails"])
    ),
)


@pytest.mark.usefixtures("stack")
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=20), minimum=st.sampled_from([1, 1, 10_00, 500_00]))
def test_every_centavo_is_paid_out_or_still_owed_whatever_happens(steps, minimum):
    merchant_id = f"m-{uuid.uuid4().hex[:12]}"
    gateway = MemoryGateway()
    now = datetime.now(UTC)
    payouts.put_payout_settings(
        merchant_id,
        PayoutSettings(
            schedule=PayoutSchedule(cadence="daily", minimum_amount=minimum),
            bank_account=BankAccount.model_validate(BANK),
            recipient_id="rp_memory",
            recipient_status=RecipientStatus.ACTIVE,
            recipient_checked_at=now,
            updated_at=now,
        ),
    )
    day, orders, run_days = START, [], []
    for action, *args in steps:
        if action == "sale":
            amount, method, installments = args
            order_id = f"o{len(orders)}"
            entries = capture_entries(
                merchant_id=merchant_id,
                order_id=order_id,
                amount=amount,
                method=method,
                installments=installments if method is PaymentMethod.CARD else 1,
                terms=TERMS,
                captured_at=noon(day),
                first_sequence=1,
            )
            book(entries)
            gateway.credited += sum(e.amount for e in entries)  # the merchant's split share, to the centavo
            orders.append({"id": order_id, "method": method, "left": amount, "next": len(entries) + 1})
        elif action in ("refund", "chargeback") and orders:
            order = orders[-1]
            amount = int(order["left"] * args[0])
            if amount > 0:
                movement = Movement.REFUND if action == "refund" else Movement.CHARGEBACK
                book(
                    [
                        debit_entry(
                            merchant_id=merchant_id,
                            order_id=order["id"],
                            movement=movement,
                            amount=amount,
                            method=order["method"],
                            at=noon(day),
                            sequence=order["next"],
                        )
                    ]
                )
                gateway.credited -= amount
                order["left"] -= amount
                order["next"] += 1
        elif action == "run":
            pay_out(gateway, merchant_id, day, today=day)
            run_days.append(day)
        elif action == "next_day":
            days, bank_answers = args
            day += timedelta(days=days)
            outcome = pay_out(gateway, merchant_id, day, today=day)  # the schedule fires every day
            run_days.append(day)
            if outcome.action == "paid" and bank_answers != "pending":
                # The bank answers: the transfer arrives, or comes back (its money must be payable again).
                gateway.end(outcome.payout_id, fails=bank_answers == "fails")
                on_transfer_notification(
                    gateway, {"metadata": {"merchant_id": merchant_id, "payout_id": outcome.payout_id}}
                )
        assert_conserved(merchant_id, gateway)
    # Whatever happened, the entries no payout covered are all payable on or after the last run's day.
    _, state, _ = payouts.get_run_inputs(merchant_id, day, "none")
    assert state.paid_through is None or all(state.paid_through < run for run in run_days[-1:])


def assert_conserved(merchant_id: str, gateway: MemoryGateway) -> None:
    owed = sum(entry.amount for entry in ledger.ledger_entries(merchant_id))
    _, state, _ = payouts.get_run_inputs(merchant_id, START, "none")
    after_cursor = sum(
        entry.amount
        for entry in ledger.ledger_entries(merchant_id)
        if state.paid_through is None or entry.available_on > state.paid_through
    )
    paid_out = sum(t.amount for t in gateway.transfers.values() if t.status is not TransferStatus.FAILED)
    assert owed == paid_out + state.carried + after_cursor
    recorded, _ = payouts.list_payouts(merchant_id, limit=200, cursor=None)
    assert {p.payout_id for p in recorded} == set(gateway.transfers)  # every transfer recorded, none twice
    assert all(p.through < p.scheduled_on for p in recorded)  # never paid before its day
    failed = {p.payout_id for p in recorded if p.status is PayoutStatus.FAILED}
    assert failed == {pid for pid, t in gateway.transfers.items() if t.status is TransferStatus.FAILED}

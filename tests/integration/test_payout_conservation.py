"""Money conservation, as a property: over any sequence of sales (every method, instalments), refunds, chargebacks,
anticipations, payout runs and their transfers arriving or coming back, day after day, every centavo the ledger owes
the merchant is either paid out or still owed (carried, or payable after the cursor), none is paid twice, none
before its day; and the ledger's receivables equal the sandbox gateway's payables for the recipient, day by day.

The runs and anticipations are the real ones (``vitrine.payouts.runs.pay_out``, ``vitrine.payouts.anticipations``)
on the real table (moto); the gateway is the sandbox's own payables (``SandboxPayables``: each sale's split share
cut into instalments with their days, refunds taken from the merchant's share, anticipations that move whole
payables and charge their fee), read through the pagar.me adapter's readers, and transfers held here, idempotent by
payout id, failing the ones the sequence says. Each example is a new merchant, so examples share the table without
seeing each other.
"""

import uuid
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pagarme_fixtures import BANK

from local_stack.sandbox_gateway.payables import SandboxClock, SandboxPayables
from vitrine.ledger.models import Movement
from vitrine.ledger.rules import capture_entries, debit_entry, split_shares
from vitrine.merchants import SettlementTerms
from vitrine.payments import pagarme_recipients as wire
from vitrine.payments.anticipations import Timeframe
from vitrine.payments.port import PaymentMethod
from vitrine.payments.recipients import BankAccount, RecipientBalance, RecipientStatus, Transfer, TransferStatus
from vitrine.payouts import anticipations
from vitrine.payouts.models import AnticipationInput, PayoutSchedule, PayoutSettings, PayoutStatus
from vitrine.payouts.runs import on_transfer_notification, pay_out
from vitrine.repository import ledger, payouts, table

START = date(2026, 1, 5)  # a Monday
TERMS = SettlementTerms()


class SandboxMoneyGateway:
    """The recipient's money as the sandbox gateway keeps it (``RecipientGateway``): its payables per instalment and
    day, its anticipations (``SandboxPayables``, in process, on the example's clock), answered through the pagar.me
    adapter's own readers; transfers kept here, idempotent by payout id, ended as the sequence says."""

    def __init__(self, clock: SandboxClock) -> None:
        self.payables = SandboxPayables(clock)
        self.transfers: dict[str, Transfer] = {}

    def get_recipient(self, recipient_id):  # the recipient is active throughout
        raise AssertionError("an active recipient is not read again")

    def get_balance(self, recipient_id: str) -> RecipientBalance:
        available, waiting = self.payables.sums(recipient_id)
        out = sum(t.amount for t in self.transfers.values() if t.status is not TransferStatus.FAILED)
        return RecipientBalance(available_amount=available - out, waiting_funds_amount=waiting)

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

    def list_payables(self, recipient_id, *, paid_from=None, paid_until=None, anticipation_id=None):
        query = {"recipient_id": recipient_id, "size": "100"}
        if anticipation_id:
            query["bulk_anticipation_id"] = anticipation_id
        status, body = self.payables.search(query)
        assert status == 200 and "next" not in body["paging"]
        return wire.payables_page_from(body)[0]

    def get_anticipation_limits(self, recipient_id, timeframe, payment_date):
        query = {"timeframe": str(timeframe), "payment_date": payment_date.isoformat()}
        status, body = self.payables.limits(recipient_id, query)
        assert status == 200, body
        return wire.limits_from(body)

    def create_anticipation(self, recipient_id, amount, timeframe, payment_date, *, idempotency_key):
        body = wire.anticipation_payload(amount, timeframe, payment_date)
        status, answer = self.payables.anticipate(recipient_id, body, idempotency_key)
        assert status == 200, answer
        return wire.anticipation_from(answer)

    def by_day(self, recipient_id: str) -> dict[date, int]:
        found: dict[date, int] = {}
        for payable in self.payables.of(recipient_id):
            day = date.fromisoformat(payable["payment_date"][:10])
            found[day] = found.get(day, 0) + payable["amount"] - payable["anticipation_fee"]
        return found


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
        st.just("anticipate"),
        st.floats(min_value=0.0, max_value=1.0),
        st.sampled_from([Timeframe.START, Timeframe.END]),
        st.integers(min_value=0, max_value=3),
    ),
    st.tuples(
        st.just("next_day"), st.integers(min_value=1, max_value=4), st.sampled_from(["pending", "arrives", "fails"])
    ),
)


@pytest.mark.usefixtures("stack")
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=20), minimum=st.sampled_from([1, 1, 10_00, 500_00]))
def test_every_centavo_is_paid_out_or_still_owed_whatever_happens(steps, minimum):
    merchant_id = f"m-{uuid.uuid4().hex[:12]}"
    clock = SandboxClock()
    gateway = SandboxMoneyGateway(clock)
    recipient = f"rp_{merchant_id}"
    now = datetime.now(UTC)
    payouts.put_payout_settings(
        merchant_id,
        PayoutSettings(
            schedule=PayoutSchedule(cadence="daily", minimum_amount=minimum),
            bank_account=BankAccount.model_validate(BANK),
            recipient_id=recipient,
            recipient_status=RecipientStatus.ACTIVE,
            recipient_checked_at=now,
            updated_at=now,
        ),
    )
    day, orders, run_days, charged_back = START, [], [], {}
    for action, *args in steps:
        clock.set(day)
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
            share, _ = split_shares(amount, method, TERMS)
            split = [{"recipient": {"id": recipient}, "amount": share}] if share else []
            wire_method = {"pix": "pix", "boleto": "boleto", "card": "credit_card"}[method]
            gateway.payables.book_charge(
                {
                    "id": f"ch_{order_id}",
                    "payment_method": wire_method,
                    "last_transaction": {"installments": installments, "split": split},
                }
            )
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
                if action == "refund":  # borne by the merchant's share at the gateway
                    gateway.payables.book_refund(
                        {"id": f"ch_{order['id']}", "payment_method": "pix"},
                        [{"recipient_id": recipient, "amount": amount}],
                    )
                else:  # the platform is the liable recipient: the gateway debits it, the ledger the merchant
                    charged_back[day] = charged_back.get(day, 0) + amount
                order["left"] -= amount
                order["next"] += 1
        elif action == "anticipate":
            fraction, timeframe, ahead = args
            payment_date = day + timedelta(days=ahead)
            _, state, _ = payouts.get_run_inputs(merchant_id, day, "none")
            limits = gateway.get_anticipation_limits(recipient, timeframe, payment_date)
            wanted = max(limits.minimum.amount, int(limits.maximum.amount * fraction))
            if wanted > 0 and (state.paid_through is None or payment_date > state.paid_through):
                asked = AnticipationInput(amount=wanted, payment_date=payment_date, timeframe=timeframe)
                done = anticipations.request(gateway, merchant_id, asked, today=day)
                assert done.booked and sum(m.amount for m in done.moved) == done.approved_amount <= wanted
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
        assert_conserved(merchant_id, gateway, recipient, charged_back)
    # Whatever happened, the entries no payout covered are all payable on or after the last run's day.
    _, state, _ = payouts.get_run_inputs(merchant_id, day, "none")
    assert state.paid_through is None or all(state.paid_through < run for run in run_days[-1:])


def assert_conserved(merchant_id: str, gateway: SandboxMoneyGateway, recipient: str, charged_back: dict) -> None:
    entries = ledger.ledger_entries(merchant_id)
    owed = sum(entry.amount for entry in entries)
    # The ledger's receivables are the gateway's payables, day by day, to the centavo, but for the chargebacks
    # (the liable platform's at the gateway, the merchant's in the ledger: reconciliation shows them).
    ours: dict[date, int] = {}
    for entry in entries:
        ours[entry.available_on] = ours.get(entry.available_on, 0) + entry.amount
    for day, amount in charged_back.items():
        ours[day] += amount
    assert {d: a for d, a in ours.items() if a} == {d: a for d, a in gateway.by_day(recipient).items() if a}
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

"""Ledger rules: what a capture, refund or chargeback books, for how much, payable from which day."""

from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from vitrine.ledger.models import LedgerEntry, Movement
from vitrine.ledger.rules import capture_entries, debit_entry, fee, split, split_shares
from vitrine.merchants import MethodTerms, SettlementTerms
from vitrine.payments.port import PaymentMethod

# 09:00 in Brasília on 10 March 2025.
CAPTURED_AT = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


def capture(amount, method, installments=1, terms=None, captured_at=CAPTURED_AT, first_sequence=1):
    return capture_entries(
        merchant_id="m1",
        order_id="o1",
        amount=amount,
        method=method,
        installments=installments,
        terms=terms or SettlementTerms(),
        captured_at=captured_at,
        first_sequence=first_sequence,
    )


def by_movement(entries, movement):
    return [(e.amount, e.available_on, e.installment) for e in entries if e.movement is movement]


@pytest.mark.parametrize(
    ("amount", "bps", "expected"),
    [(10000, 99, 99), (1000, 99, 10), (50, 99, 0), (51, 99, 1), (50, 100, 1), (0, 399, 0), (12345, 0, 0)],
)
def test_fees_are_basis_points_rounded_half_up_in_integers(amount, bps, expected):
    assert fee(amount, bps) == expected


def test_a_split_keeps_every_centavo_and_the_last_slice_absorbs_the_rounding():
    assert split(10000, 3) == [3333, 3333, 3334]
    assert split(2, 3) == [0, 0, 2]
    assert split(999, 1) == [999]


@pytest.mark.parametrize("method", [PaymentMethod.PIX, PaymentMethod.BOLETO])
def test_pix_and_boleto_sales_are_payable_the_next_day_net_of_both_fees(method):
    terms = SettlementTerms()
    entries = capture(10000, method)
    next_day = date(2025, 3, 11)
    assert by_movement(entries, Movement.SALE) == [(10000, next_day, None)]
    assert by_movement(entries, Movement.GATEWAY_FEE) == [
        (-fee(10000, terms.for_method(method).gateway_fee_bps), next_day, None)
    ]
    assert by_movement(entries, Movement.PLATFORM_FEE) == [(-100, next_day, None)]


def test_the_day_is_counted_in_brasilia_time():
    # 01:30 UTC on the 11th is still the 10th in Brasília: the Pix is payable on the 11th, not the 12th.
    entries = capture(10000, PaymentMethod.PIX, captured_at=datetime(2025, 3, 11, 1, 30, tzinfo=UTC))
    assert {e.available_on for e in entries} == {date(2025, 3, 11)}


def test_a_card_sale_in_three_instalments_is_payable_at_30_60_and_90_days_the_last_slice_absorbing_rounding():
    entries = capture(10000, PaymentMethod.CARD, installments=3)
    days = [date(2025, 4, 9), date(2025, 5, 9), date(2025, 6, 8)]
    assert by_movement(entries, Movement.SALE) == [(3333, days[0], 1), (3333, days[1], 2), (3334, days[2], 3)]
    # 3.99% of R$ 100,00 = 399 centavos and 1% platform = 100: 499 of fees cut 166, 166, 167 like the gateway cuts
    # the platform's share, the gateway's fee taking its proportional part of each (cumulative, rounded down).
    assert by_movement(entries, Movement.GATEWAY_FEE) == [(-132, days[0], 1), (-133, days[1], 2), (-134, days[2], 3)]
    assert by_movement(entries, Movement.PLATFORM_FEE) == [(-34, days[0], 1), (-33, days[1], 2), (-33, days[2], 3)]
    assert sum(e.amount for e in entries) == 10000 - 399 - 100


@settings(max_examples=300, deadline=None)
@given(
    amount=st.integers(min_value=1, max_value=10_000_000),
    installments=st.integers(min_value=1, max_value=12),
    gateway_bps=st.integers(min_value=0, max_value=2000),
    platform_bps=st.integers(min_value=0, max_value=2000),
)
def test_each_instalments_net_is_the_gateways_payable_for_it_and_no_slice_is_signed_wrong(
    amount, installments, gateway_bps, platform_bps
):
    terms = SettlementTerms(
        card=MethodTerms(gateway_fee_bps=gateway_bps, platform_fee_bps=platform_bps, settlement_days=30)
    )
    entries = capture(amount, PaymentMethod.CARD, installments=installments, terms=terms)  # signs: the model checks
    merchant_share, _ = split_shares(amount, PaymentMethod.CARD, terms)
    # The gateway cuts the merchant's flat share in equal instalments, the last absorbing the rounding.
    payables = split(merchant_share, installments)
    nets = [sum(e.amount for e in entries if (e.installment or 1) == k) for k in range(1, installments + 1)]
    assert nets == payables
    assert sum(e.amount for e in entries if e.movement is Movement.SALE) == amount


def test_a_card_sale_in_one_instalment_is_one_slice_at_30_days():
    entries = capture(10000, PaymentMethod.CARD)
    assert by_movement(entries, Movement.SALE) == [(10000, date(2025, 4, 9), None)]


def test_instalments_are_ignored_for_pix():
    assert len(capture(10000, PaymentMethod.PIX, installments=3)) == 3


def test_entries_are_numbered_from_the_given_sequence_so_their_ids_are_the_same_on_a_retry():
    first = capture(10000, PaymentMethod.CARD, installments=2, first_sequence=4)
    again = capture(10000, PaymentMethod.CARD, installments=2, first_sequence=4)
    assert [e.sequence for e in first] == [4, 5, 6, 7, 8, 9]
    assert [e.entry_id for e in first] == [e.entry_id for e in again]
    assert first[0].entry_id == "o1#sale#4"
    assert len({e.entry_id for e in first}) == 6


def test_a_fee_of_zero_is_not_booked():
    free = SettlementTerms(pix=MethodTerms(gateway_fee_bps=0, platform_fee_bps=0, settlement_days=0))
    entries = capture(10000, PaymentMethod.PIX, terms=free)
    assert [(e.movement, e.amount, e.available_on) for e in entries] == [(Movement.SALE, 10000, date(2025, 3, 10))]


def test_negotiated_terms_change_fees_and_days_per_merchant():
    terms = SettlementTerms(card=MethodTerms(gateway_fee_bps=250, platform_fee_bps=50, settlement_days=14))
    entries = capture(20000, PaymentMethod.CARD, installments=2, terms=terms)
    assert by_movement(entries, Movement.SALE) == [(10000, date(2025, 3, 24), 1), (10000, date(2025, 4, 7), 2)]
    assert sum(e.amount for e in entries if e.movement is Movement.GATEWAY_FEE) == -500
    assert sum(e.amount for e in entries if e.movement is Movement.PLATFORM_FEE) == -100


@pytest.mark.parametrize("movement", [Movement.REFUND, Movement.CHARGEBACK])
def test_refunds_and_chargebacks_are_debits_taken_from_the_payout_of_their_day(movement):
    entry = debit_entry(
        merchant_id="m1",
        order_id="o1",
        movement=movement,
        amount=2500,
        method=PaymentMethod.CARD,
        at=datetime(2025, 3, 20, 15, 0, tzinfo=UTC),
        sequence=7,
    )
    assert (entry.amount, entry.available_on, entry.entry_id) == (-2500, date(2025, 3, 20), f"o1#{movement}#7")


def test_a_sale_is_booked_with_its_capture_not_as_a_debit():
    with pytest.raises(ValueError, match="booked with its capture"):
        debit_entry(
            merchant_id="m1",
            order_id="o1",
            movement=Movement.SALE,
            amount=1,
            method=PaymentMethod.PIX,
            at=CAPTURED_AT,
            sequence=1,
        )


@pytest.mark.parametrize(("movement", "amount"), [(Movement.SALE, -1), (Movement.REFUND, 1), (Movement.SALE, 0)])
def test_an_entry_signed_against_its_movement_is_refused(movement, amount):
    with pytest.raises(ValidationError):
        LedgerEntry(
            merchant_id="m1",
            order_id="o1",
            movement=movement,
            sequence=1,
            amount=amount,
            method=PaymentMethod.PIX,
            available_on=date(2025, 3, 11),
            booked_at=CAPTURED_AT,
        )


def test_terms_refuse_fees_above_20_percent():
    with pytest.raises(ValidationError):
        MethodTerms(gateway_fee_bps=2001, platform_fee_bps=0, settlement_days=1)

"""Loyalty rules: what a line scores at a store's table, the rounding, and exactly-once accrual and reversal under
any delivery of the order's events (duplicated, shuffled), including a property test over any sequence of
invoices, cancellations and partial refunds."""

import random
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from vitrine.loyalty import rules
from vitrine.loyalty.models import LoyaltyLedger, LoyaltySettings, OperationKind, ScoringMode, StoreTable

NOW = datetime(2026, 12, 2, 12, tzinfo=UTC)
SETTINGS = LoyaltySettings(
    enabled=True,
    mode=ScoringMode.PER_REAL,
    brands=["Tigre", "Quartzolit"],
    stores={
        "0001": StoreTable(
            partner_store_code="LJ-1",
            default_rate=1,
            brand_rates={"Tigre": 3},
            classifier_rates={"Argamassas": 2},
        ),
        "9900": StoreTable(partner_store_code="ONLINE", brand_rates={"Tigre": 1}),
    },
    partner=None,
    updated_at=NOW,
)


def line(sku="TUB-1", brand="Tigre", amount=10_000, quantity=1, classifiers=()):
    return rules.LineToScore(sku=sku, quantity=quantity, amount=amount, brand=brand, classifiers=tuple(classifiers))


def test_only_participating_brands_score_at_the_store_table():
    scored = rules.score_lines(
        SETTINGS,
        "0001",
        [
            line("TUB-1", "Tigre", 10_000),  # brand rate 3 per R$ 1,00 -> 300
            line("ARG-1", "quartzolit ", 5_000, classifiers=("Construção", "Argamassas")),  # classifier rate 2 -> 100
            line("TIN-1", "Suvinil", 90_000),  # not participating
            line("SEM-1", None, 90_000),  # no brand
        ],
    )
    assert [(s.sku, s.points) for s in scored] == [("TUB-1", 300), ("ARG-1", 100)]


def test_a_store_without_a_table_scores_nothing_and_a_brand_without_a_rate_there_neither():
    assert rules.score_lines(SETTINGS, "0002", [line()]) == []
    # 9900's table has no default and no rate for Quartzolit
    assert rules.score_lines(SETTINGS, "9900", [line(brand="Quartzolit")]) == []
    assert [s.points for s in rules.score_lines(SETTINGS, "9900", [line(amount=12_345)])] == [123]


def test_points_are_floored_per_line_never_rounded_up():
    # R$ 0,99 at 1 point per R$ 1,00 buys no point; R$ 1,99 buys one
    assert rules.line_points(ScoringMode.PER_REAL, 1, quantity=1, amount=99) == 0
    assert rules.line_points(ScoringMode.PER_REAL, 1, quantity=1, amount=199) == 1
    assert rules.line_points(ScoringMode.PER_UNIT, 5, quantity=3, amount=1) == 15


def test_a_partial_refund_reverses_in_proportion_floored_on_the_running_total():
    # 100 points of an order of R$ 300,00: R$ 100,00 refunded in two halves reverses 33 (not 16 + 16 = 32)
    assert rules.refund_reversal(100, 5_000, 30_000) == 16
    assert rules.refund_reversal(100, 10_000, 30_000) == 33
    assert rules.refund_reversal(100, 30_000, 30_000) == 100
    assert rules.refund_reversal(100, 99_999, 30_000) == 100


def _scored_ledger(points=300, total=30_000) -> LoyaltyLedger:
    return LoyaltyLedger(order_id="o1", points=points, order_total=total, cpf="52998224725", partner_store_code="LJ-1")


def _apply(ledger: LoyaltyLedger, events: list[tuple[str, str, dict]]) -> LoyaltyLedger:
    """Deliver ``events`` (id, type, data) one by one as the consumer does (scoring stands in as already done)."""
    for event_id, event_type, data in events:
        ledger = rules.record_event(ledger, event_id, event_type, data)
        ledger = rules.settle(ledger, event_id=event_id, event_type=event_type, now=NOW)
    return ledger


INVOICED = ("e-inv", "OrderInvoiced", {})
CANCELLED = ("e-can", "OrderCancelled", {})


def test_nothing_accrues_before_the_invoice():
    ledger = _apply(_scored_ledger(), [("e-ref", "PaymentRefunded", {"refunded_total": 100})])
    assert ledger.operations == [] and ledger.accrued == 0


def test_a_cancellation_after_the_invoice_reverses_once():
    ledger = _apply(_scored_ledger(), [INVOICED, CANCELLED, CANCELLED, ("e-can2", "OrderCancelled", {})])
    assert [(op.kind, op.points, op.reason) for op in ledger.operations] == [
        (OperationKind.ACCRUAL, 300, "invoiced"),
        (OperationKind.REVERSAL, 300, "cancelled"),
    ]
    assert rules.net_points(ledger) == 0


def test_a_cancellation_seen_before_the_invoice_never_accrues():
    ledger = _apply(_scored_ledger(), [CANCELLED, INVOICED])
    assert ledger.operations == []


def test_events_delivered_three_times_shuffled_accrue_once():
    events = [INVOICED, ("e-r1", "PaymentRefunded", {"refunded_total": 3_000})] * 3
    random.Random(19).shuffle(events)
    ledger = _apply(_scored_ledger(), events)
    kinds = [op.kind for op in ledger.operations]
    assert kinds.count(OperationKind.ACCRUAL) == 1
    assert (ledger.accrued, ledger.reversed) == (300, 30)
    assert len({op.idempotency_key for op in ledger.operations}) == len(ledger.operations)


# Any order's story: invoiced or not, cancelled or not, some partial refunds (never more than the total).
story = st.fixed_dictionaries(
    {
        "points": st.integers(min_value=1, max_value=10_000),
        "total": st.integers(min_value=1, max_value=1_000_000),
        "invoiced": st.booleans(),
        "cancelled": st.booleans(),
        "refunds": st.lists(st.integers(min_value=1, max_value=200_000), max_size=5),
        "seed": st.integers(min_value=0, max_value=2**32),
        "copies": st.integers(min_value=1, max_value=3),
    }
)


@settings(max_examples=300, deadline=None)
@given(story)
def test_accrued_minus_reversed_is_the_points_of_what_was_invoiced_and_not_refunded(case):
    # Given the order's events: each refund carries the running total, as PaymentRefunded does
    events, running = [], 0
    for n, amount in enumerate(case["refunds"]):
        running = min(case["total"], running + amount)
        events.append((f"e-r{n}", "PaymentRefunded", {"refunded_total": running}))
    if case["invoiced"]:
        events.append(INVOICED)
    if case["cancelled"]:
        events.append(CANCELLED)
    # When they are delivered any number of times, in any order
    delivered = events * case["copies"]
    random.Random(case["seed"]).shuffle(delivered)
    ledger = _apply(_scored_ledger(case["points"], case["total"]), delivered)
    # Then the professional keeps the points of the invoiced lines less the refunded share, none if cancelled
    expected = 0
    if case["invoiced"] and not case["cancelled"]:
        expected = case["points"] - rules.refund_reversal(case["points"], running, case["total"])
    assert rules.net_points(ledger) == expected
    # and no operation is recorded twice, nor more reversed than accrued
    assert sum(op.kind is OperationKind.ACCRUAL for op in ledger.operations) <= 1
    assert 0 <= ledger.reversed <= ledger.accrued
    sent = sum(op.points if op.kind is OperationKind.ACCRUAL else -op.points for op in ledger.operations)
    assert sent == expected


def test_the_bus_rule_sends_loyalty_exactly_the_events_it_handles_through_a_queue_with_a_dlq_and_an_alarm():
    from local_stack.template import load_template

    resources = load_template()["Resources"]
    rule = resources["LoyaltyEventsRule"]["Properties"]
    assert set(rule["EventPattern"]["detail-type"]) == rules.HANDLED_EVENTS
    queue = resources["LoyaltyQueue"]["Properties"]
    assert queue["RedrivePolicy"]["maxReceiveCount"] >= 3
    alarmed = {
        str(alarm["Properties"]["Dimensions"][0]["Value"])
        for alarm in resources.values()
        if alarm["Type"] == "AWS::CloudWatch::Alarm" and alarm["Properties"].get("Dimensions")
    }
    assert any("LoyaltyDLQ" in value for value in alarmed)

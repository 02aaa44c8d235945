"""Random sequences of gateway facts and commands against the table: the order never leaves the table's paths.

Each example is one order of a merchant of its own (so its ledger and outbox partitions are its alone), placed
beside another shopper's order that holds units of the same SKU, so a second release would show in the counts.
Commands arrive in any order and any number of times, as SQS and webhooks deliver them. After every step:

- every consecutive pair of the order's history is an edge of ``TRANSITIONS``, and no status is entered twice;
- its books equal what the gateway reported (no notification is ever refused), and the ledger adds up to exactly
  ``captured - refunded - charged_back - fee(captured, gateway bps) - fee(captured, platform bps)``
  (one capture per order here; fees are not returned by refunds);
- the reservation ended at most once, the way the history says (released, consumed, or held), and the stock
  counts show exactly that;
- one status event was published per status change, in order, each valid against its model; nothing is left in
  the outbox; a cancelled order has asked back everything it holds, and no order asked back more than it got;
- an order is in the expiry index exactly while it waits for money.
"""

import itertools
import uuid
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from infra_fixtures import ORDER_CREATED, ORDER_TOTAL, write_pending_order

from vitrine import aws
from vitrine.catalogs.models import StockLevel
from vitrine.events.envelope import EventEnvelope
from vitrine.events.publisher import publish
from vitrine.ledger.models import LedgerEntry, Movement
from vitrine.ledger.rules import fee
from vitrine.merchants import SettlementTerms
from vitrine.orders import lifecycle
from vitrine.orders.models import AWAITING_PAYMENT, Order, OrderBooks, OrderMoney, OrderStatus, ReservationOutcome
from vitrine.orders.state import (
    CONSUMING,
    REACHABLE,
    RELEASING,
    STATUS_EVENTS,
    TRANSITIONS,
    IllegalTransition,
    PaymentFacts,
)
from vitrine.payments.port import ChargeStatus, PaymentMethod
from vitrine.repository import keys, ledger, order_items, order_state, stock, table

S = OrderStatus
STORE = "9900"
SKU = "CAM-P"
TOTAL = ORDER_TOTAL
ON_HAND, OTHERS_HOLD, OURS = 6, 2, 2
CREATED = ORDER_CREATED
NOW = CREATED + timedelta(minutes=5)
ERP_STATUSES = [S.IN_PREPARATION, S.READY_FOR_PICKUP, S.INVOICED, S.DISPATCHED, S.DELIVERED]
PUBLISHED: list[EventEnvelope] = []


def place(merchant_id: str, quantity: int, method: PaymentMethod, installments: int) -> Order:
    return write_pending_order(
        merchant_id=merchant_id, sku=SKU, quantity=quantity, method=method, installments=installments, store=STORE
    )


class OrderLifecycle(RuleBasedStateMachine):
    @initialize(
        method=st.sampled_from(list(PaymentMethod)),
        installments=st.integers(min_value=1, max_value=3),
    )
    def place_order(self, method, installments):
        self.merchant_id = f"p-{uuid.uuid4().hex[:12]}"
        self.method = method
        self.installments = installments if method is PaymentMethod.CARD else 1
        stock.set_stock(self.merchant_id, StockLevel(store_code=STORE, sku=SKU, on_hand=ON_HAND, sequence=1))
        place(self.merchant_id, OTHERS_HOLD, method, self.installments)
        self.order = place(self.merchant_id, OURS, method, self.installments)
        # The gateway's truth about the charge, which every notification reports in full.
        self.charge_status = ChargeStatus.PENDING
        self.captured = self.refunded = self.charged_back = 0
        self.last_command = None
        self.seen = self.order
        self.refused_version = None

    # --- the gateway -------------------------------------------------------------------------------------

    def notify(self, charge_status: ChargeStatus, *, captured=None, refunded=None, charged_back=None):
        self.charge_status = charge_status
        self.captured = self.captured if captured is None else captured
        self.refunded = self.refunded if refunded is None else refunded
        self.charged_back = self.charged_back if charged_back is None else charged_back
        facts = PaymentFacts(
            method=self.method,
            installments=self.installments,
            captured=self.captured,
            refunded=self.refunded,
            charged_back=self.charged_back,
            charge_id="ch_1",
        )
        self.deliver(
            lambda: lifecycle.record_payment(self.merchant_id, self.order.order_id, charge_status, facts, now=NOW)
        )

    @property
    def held(self) -> int:
        return self.captured - self.refunded - self.charged_back

    @precondition(lambda self: self.captured == 0)
    @rule()
    def charge_paid(self):
        self.notify(ChargeStatus.PAID, captured=TOTAL)

    @precondition(lambda self: self.captured == 0)
    @rule()
    def charge_failed(self):
        self.notify(ChargeStatus.FAILED)

    @precondition(lambda self: self.captured == 0 and self.charge_status is ChargeStatus.PENDING)
    @rule()
    def charge_under_review(self):
        self.notify(ChargeStatus.UNDER_REVIEW)

    @precondition(lambda self: self.charge_status is ChargeStatus.UNDER_REVIEW)
    @rule(approved=st.booleans())
    def review_decided(self, approved):
        if approved:
            self.notify(ChargeStatus.PAID, captured=TOTAL)
        else:
            self.notify(ChargeStatus.FAILED)

    @precondition(lambda self: self.held > 1)
    @rule(share=st.integers(min_value=1, max_value=99))
    def refund_partially(self, share):
        self.notify(ChargeStatus.PAID, refunded=self.refunded + max(1, self.held * share // 100))

    @precondition(lambda self: self.held > 0)
    @rule()
    def refund_fully(self):
        # pagar.me reports a charge refunded in full as cancelled.
        self.notify(ChargeStatus.CANCELLED, refunded=self.captured - self.charged_back)

    @precondition(lambda self: self.held > 0)
    @rule()
    def charge_back(self):
        self.notify(self.charge_status, charged_back=self.charged_back + self.held)

    # --- Vitrine's own commands ------------------------------------------------------------------------------

    @rule()
    def reservation_expires(self):
        later = self.order.reservation_expires_at + timedelta(seconds=1)
        self.deliver(lambda: lifecycle.expire_order(self.merchant_id, self.order.order_id, now=later))

    @rule()
    def merchant_cancels(self):
        self.command(S.CANCELLED, "merchant_cancelled")

    @rule(status=st.sampled_from(ERP_STATUSES))
    def erp_reports(self, status):
        self.command(status, "erp")

    @precondition(lambda self: self.last_command is not None)
    @rule()
    def delivered_again(self):
        # At-least-once delivery: the very same message, again.
        self.last_command()

    def command(self, status: OrderStatus, reason: str):
        self.deliver(
            lambda: lifecycle.move_order(self.merchant_id, self.order.order_id, status, reason=reason, now=NOW)
        )

    def deliver(self, action):
        def attempt():
            before = self.seen  # as the invariant read it after the previous step
            try:
                action()
            except IllegalTransition as refused:
                (detail,) = refused.details
                target = S(detail["to"])
                visited = {change.status for change in before.status_history}
                assert target not in TRANSITIONS[before.status] or target in visited
                assert before.status not in REACHABLE[target] and target not in visited
                self.refused_version = before.version

        self.last_command = attempt
        attempt()

    # --- what must always hold ------------------------------------------------------------------------------

    @invariant()
    def the_order_is_consistent(self):
        # One read of each thing per step: the emulator answers slowly, and this runs after every step.
        item = table.get(keys.merchant_pk(self.merchant_id), keys.order_sk(self.order.order_id), consistent=True)
        assert item is not None
        order, books = order_items.order_from_item(item)
        if self.refused_version is not None:
            assert order.version == self.refused_version, "a refused move wrote something"
            self.refused_version = None
        self.seen = order
        self.history_follows_the_table(order)
        entries = ledger.ledger_entries(self.merchant_id)
        self.books_match_the_gateway_and_the_ledger_adds_up(order, books.money, entries)
        self.the_reservation_ended_at_most_once_as_the_history_says(order, books)
        self.one_event_per_status_change_and_nothing_left_behind(order, entries)
        self.only_orders_waiting_for_money_can_expire(item)

    def history_follows_the_table(self, order: Order):
        statuses = [change.status for change in order.status_history]
        assert statuses[0] is S.PENDING_PAYMENT and len(set(statuses)) == len(statuses)
        assert all(b in TRANSITIONS[a] for a, b in itertools.pairwise(statuses))

    def books_match_the_gateway_and_the_ledger_adds_up(
        self, order: Order, money: OrderMoney, entries: list[LedgerEntry]
    ):
        assert (money.captured, money.refunded, money.charged_back) == (self.captured, self.refunded, self.charged_back)
        terms = SettlementTerms().for_method(self.method)
        fees = fee(money.captured, terms.gateway_fee_bps) + fee(money.captured, terms.platform_fee_bps)
        assert sum(e.amount for e in entries) == money.captured - money.refunded - money.charged_back - fees
        assert len({e.entry_id for e in entries}) == len(entries) == money.entries
        # Asked back: everything a cancelled order holds, never more than came in.
        assert money.refund_requested <= money.captured
        if order.status is S.CANCELLED:
            assert max(money.refunded, money.refund_requested) >= money.captured - money.charged_back

    def the_reservation_ended_at_most_once_as_the_history_says(self, order: Order, books: OrderBooks):
        ending = next((c.status for c in order.status_history if c.status in RELEASING | CONSUMING), None)
        level = next(lv for lv in stock.stock_for_stores(self.merchant_id, [STORE]) if lv.sku == SKU)
        if ending is None:
            assert books.reservation is None
            assert (level.on_hand, level.reserved) == (ON_HAND, OTHERS_HOLD + OURS)
        elif ending in RELEASING:
            assert books.reservation is ReservationOutcome.RELEASED
            assert (level.on_hand, level.reserved) == (ON_HAND, OTHERS_HOLD)
        else:
            assert books.reservation is ReservationOutcome.CONSUMED
            assert (level.on_hand, level.reserved) == (ON_HAND - OURS, OTHERS_HOLD)

    def one_event_per_status_change_and_nothing_left_behind(self, order: Order, entries: list[LedgerEntry]):
        mine = [e for e in PUBLISHED if e.data.get("order_id") == self.order.order_id]
        status_types = {model.__name__ for model in STATUS_EVENTS.values()}
        told = [e.type for e in mine if e.type in status_types]
        assert told == [STATUS_EVENTS[change.status].__name__ for change in order.status_history[1:]]
        # ... and one per refund or chargeback booked.
        for event_type, movement in (("PaymentRefunded", Movement.REFUND), ("ChargebackReceived", Movement.CHARGEBACK)):
            assert sum(e.type == event_type for e in mine) == sum(e.movement is movement for e in entries)
        versions = [e.data["version"] for e in mine]
        assert versions == sorted(versions) and all(v <= order.version for v in versions)
        assert all(EventEnvelope.model_validate_json(e.model_dump_json()) == e for e in mine)
        assert order_state.pending_events(self.merchant_id) == []

    def only_orders_waiting_for_money_can_expire(self, item: dict):
        assert ("GSI2PK" in item) == (S(item["status"]) in AWAITING_PAYMENT)
        assert item["GSI1SK"].startswith(f"{item['status']}#")

    def teardown(self):
        # Each example starts from an empty table: the emulator scans the whole table on every query.
        dynamodb = aws.client("dynamodb")
        items = dynamodb.scan(TableName=table.table_name(), ProjectionExpression="PK, SK")["Items"]
        table.batch_delete([(item["PK"]["S"], item["SK"]["S"]) for item in items])


@pytest.fixture
def published_events(monkeypatch):
    """Every event the lifecycle publishes, recorded on its way to the (emulated) bus."""
    PUBLISHED.clear()

    def recording_publish(events, *, source):
        publish(events, source=source)
        PUBLISHED.extend(events)

    monkeypatch.setattr(lifecycle, "publish", recording_publish)
    yield PUBLISHED
    PUBLISHED.clear()


def test_random_sequences_of_payments_and_commands_keep_the_order_consistent(stack, published_events):
    OrderLifecycle.TestCase.settings = settings(
        max_examples=30,
        stateful_step_count=15,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    OrderLifecycle.TestCase().runTest()

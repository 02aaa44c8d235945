"""The checkout transaction's outcomes as the repository reports them: a taken key, refused stock, a write conflict
(the positions of its items stay in the repository)."""

import uuid

import pytest
from infra_fixtures import publish_small_catalog, write_pending_order
from test_checkout import CHECKOUT, checkout

from vitrine.catalogs.models import StockLevel
from vitrine.ids import new_order_code
from vitrine.orders import retries
from vitrine.orders.models import Order
from vitrine.repository import orders, stock, table
from vitrine.repository.orders import IdempotencyKeyTaken, ReservationsRefused, WriteConflict
from vitrine.repository.table import TransactionCancelled

MID, STORE = "m1", "9900"


@pytest.fixture
def placed(stack) -> Order:
    """Ten units on the shelf; one order placed holds two of them."""
    stock.set_stock(MID, StockLevel(store_code=STORE, sku="CAM-P", on_hand=10, sequence=1))
    stock.set_stock(MID, StockLevel(store_code=STORE, sku="CAM-M", on_hand=1, sequence=1))
    return write_pending_order(merchant_id=MID, store=STORE)


def place(order: Order, *, key: str | None = None, reservations: list[tuple[str, str, int]]) -> None:
    orders.place_order(
        order.model_copy(update={"order_id": uuid.uuid4().hex, "order_code": new_order_code()}),
        token_hash="0" * 64,
        idempotency_key=key or uuid.uuid4().hex,
        request_hash="0" * 64,
        access_token="token",
        reservations=reservations,
    )


def available(sku: str) -> int:
    (level,) = [level for level in stock.stock_for_stores(MID, [STORE]) if level.sku == sku]
    return level.available


def test_lines_the_stock_no_longer_covers_are_refused_by_sku_and_nothing_is_reserved(placed):
    with pytest.raises(ReservationsRefused) as refused:
        place(placed, reservations=[(STORE, "CAM-P", 9), (STORE, "CAM-M", 1)])
    assert refused.value.skus == ("CAM-P",)
    assert (available("CAM-P"), available("CAM-M")) == (8, 1)


def test_a_key_another_checkout_holds_is_reported_taken_with_the_lines_refused_alongside(placed):
    place(placed, key="checkout-key-1", reservations=[(STORE, "CAM-P", 1)])
    with pytest.raises(IdempotencyKeyTaken) as taken:
        place(placed, key="checkout-key-1", reservations=[(STORE, "CAM-P", 1)])
    assert (taken.value.idempotency_key, taken.value.refused_skus) == ("checkout-key-1", ())
    with pytest.raises(IdempotencyKeyTaken) as taken:
        place(placed, key="checkout-key-1", reservations=[(STORE, "CAM-M", 2)])
    assert taken.value.refused_skus == ("CAM-M",)
    assert available("CAM-P") == 7


@pytest.mark.parametrize(
    ("reasons", "raised"),
    [
        (["None", "None", "None", "TransactionConflict"], WriteConflict),
        (["TransactionConflict", "None", "None", "None"], WriteConflict),
        (["ConditionalCheckFailed", "None", "None", "None"], TransactionCancelled),
        (["None", "None", "None", "ValidationError"], TransactionCancelled),
    ],
    ids=["conflict-on-stock", "conflict-on-order", "order-exists", "other"],
)
def test_a_concurrent_write_is_a_write_conflict_and_anything_else_stays_a_cancelled_transaction(
    placed, monkeypatch, reasons, raised
):
    def cancelled(operations):
        raise TransactionCancelled(reasons)

    monkeypatch.setattr(table, "transact_write", cancelled)
    with pytest.raises(raised):
        place(placed, reservations=[(STORE, "CAM-P", 1)])


def test_a_checkout_that_meets_a_write_conflict_is_tried_again_and_placed_once(stack, monkeypatch):
    # Given a catalog, and a checkout whose first transaction meets a concurrent write
    publish_small_catalog()
    write = orders.place_order
    tries = []

    def conflicted_once(*args, **kwargs):
        tries.append(1)
        if len(tries) == 1:
            raise WriteConflict("a concurrent checkout")
        write(*args, **kwargs)

    monkeypatch.setattr(orders, "place_order", conflicted_once)
    monkeypatch.setattr(retries.time, "sleep", lambda seconds: None)
    # When the shopper checks out, then the order is placed on the second try and its units reserved once
    response = checkout(CHECKOUT)
    assert response["statusCode"] == 201 and len(tries) == 2
    assert available("CAM-P") == 1

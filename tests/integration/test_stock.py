"""Stock moves by conditional writes: a reservation either fits what is available or changes nothing."""

import pytest

from vitrine.catalogs.models import StockLevel
from vitrine.repository import stock, table
from vitrine.repository.table import TransactionCancelled


def level(sku="A-P", store="9900"):
    (found,) = [lv for lv in stock.stock_for_stores("m1", [store]) if lv.sku == sku]
    return found


def reserve(*lines):
    table.transact_write([stock.reserve_operation("m1", store, sku, qty) for store, sku, qty in lines])


def test_a_reservation_that_fits_moves_units_from_available_to_reserved(stack):
    stock.set_stock("m1", StockLevel(store_code="9900", sku="A-P", on_hand=3, sequence=1))
    reserve(("9900", "A-P", 2))
    assert (level().on_hand, level().reserved, level().available) == (3, 2, 1)


def test_a_checkout_short_on_one_line_reserves_nothing_on_any_line(stack):
    stock.set_stock("m1", StockLevel(store_code="9900", sku="A-P", on_hand=3, sequence=1))
    stock.set_stock("m1", StockLevel(store_code="9900", sku="B-P", on_hand=1, sequence=1))
    with pytest.raises(TransactionCancelled) as caught:
        reserve(("9900", "A-P", 2), ("9900", "B-P", 2))
    assert caught.value.reasons == ["None", "ConditionalCheckFailed"]
    assert (level("A-P").reserved, level("B-P").reserved) == (0, 0)


def test_unknown_stock_cannot_be_reserved(stack):
    with pytest.raises(TransactionCancelled):
        reserve(("9900", "NOPE", 1))


def test_the_erp_count_keeps_reservations_and_can_leave_nothing_available(stack):
    stock.set_stock("m1", StockLevel(store_code="9900", sku="A-P", on_hand=5, sequence=1))
    reserve(("9900", "A-P", 4))
    # A counter sale: the ERP now counts 3 on the shelf, 4 are promised online.
    assert stock.set_stock("m1", StockLevel(store_code="9900", sku="A-P", on_hand=3, sequence=2))
    assert (level().on_hand, level().reserved, level().available) == (3, 4, 0)
    with pytest.raises(TransactionCancelled):
        reserve(("9900", "A-P", 1))


def test_release_gives_units_back_but_never_more_than_reserved(stack):
    stock.set_stock("m1", StockLevel(store_code="9900", sku="A-P", on_hand=2, sequence=1))
    reserve(("9900", "A-P", 2))
    table.transact_write([stock.release_operation("m1", "9900", "A-P", 2)])
    assert (level().reserved, level().available) == (0, 2)
    with pytest.raises(TransactionCancelled):
        table.transact_write([stock.release_operation("m1", "9900", "A-P", 1)])

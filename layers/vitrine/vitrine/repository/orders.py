"""Access patterns: orders. A checkout reads everything it needs in one ``BatchGetItem`` and writes the
order, its pointer, its idempotency record and every line's reservation in one ``TransactWriteItems``.

A checkout transaction that is cancelled is answered as what it means for the checkout: the key is taken
(``IdempotencyKeyTaken``), some lines' stock ran short (``ReservationsRefused``), or a concurrent writer got in
the way (``WriteConflict``: try again). Where each item sits in the transaction stays here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from vitrine.orders.models import Order
from vitrine.repository import keys, stock, table
from vitrine.repository.items import to_model
from vitrine.repository.table import TransactionCancelled

if TYPE_CHECKING:  # the checkout's read alone needs them: the orders' readers (notifier, loyalty, console) skip them
    from vitrine.catalogs.models import Catalog, Product, StockLevel, Store
    from vitrine.events.envelope import EventEnvelope
    from vitrine.merchants import SettlementTerms, StoreSettings
    from vitrine.payments.charges import Charge
    from vitrine.payouts.models import PayoutSettings

IDEMPOTENCY_TTL_SECONDS = 24 * 3600
# Positions in a checkout transaction: the order (0), its pointer (1), the idempotency record, the order code,
# then one reservation per line.
_IDEMPOTENCY_ITEM, _ORDER_CODE_ITEM, _FIRST_RESERVATION = 2, 3, 4
_CONDITION_FAILED = "ConditionalCheckFailed"
_NOT_REFUSED = ("None", "TransactionConflict")


class ReservationsRefused(Exception):
    """Some lines' stock no longer covers them: ``skus``, in the order of the reservations asked for."""

    def __init__(self, skus: tuple[str, ...]) -> None:
        super().__init__(f"stock refused the reservations of {list(skus)}")
        self.skus = skus


class IdempotencyKeyTaken(Exception):
    """Another checkout already holds this Idempotency-Key (a concurrent retry won the race).

    ``refused_skus``: the lines whose stock ran short in the same attempt (what to answer when the other
    checkout's order cannot be found).
    """

    def __init__(self, idempotency_key: str, refused_skus: tuple[str, ...] = ()) -> None:
        super().__init__(f"Idempotency-Key {idempotency_key} is taken")
        self.idempotency_key = idempotency_key
        self.refused_skus = refused_skus


class WriteConflict(Exception):
    """A concurrent write to one of the checkout's items cancelled it; nothing was refused: try again."""


class OrderCodeTaken(WriteConflict):
    """Another order of the merchant has this short code: try again with another."""


@dataclass(frozen=True)
class CheckoutData:
    catalog: Catalog | None  # the slug's pointer as it is now (None: the link is gone)
    settings: StoreSettings
    stores: dict[str, Store]
    products: dict[str, Product]
    prices: dict[str, int]
    stock: dict[tuple[str, str], StockLevel]
    # What splitting the charge needs (``orders.payment.split_rules``): the merchant's fees and its recipient.
    terms: SettlementTerms
    payout_settings: PayoutSettings | None = None


def read_checkout_data(
    catalog: Catalog, product_skus: list[str], variant_skus: list[str], price_table_id: str
) -> CheckoutData:
    from vitrine.catalogs.models import Catalog, Product, Store
    from vitrine.merchants import SettlementTerms, StoreSettings
    from vitrine.payouts.models import PayoutSettings

    mid = catalog.merchant_id
    wanted = [(keys.slug_pk(catalog.slug), "SLUG"), (keys.merchant_pk(mid), keys.settings_sk())]
    wanted += [(keys.merchant_pk(mid), keys.settlement_sk()), (keys.merchant_pk(mid), keys.payout_settings_sk())]
    wanted += [(keys.merchant_pk(mid), keys.store_sk(code)) for code in catalog.store_codes]
    wanted += [(keys.merchant_pk(mid), keys.product_sk(sku)) for sku in product_skus]
    wanted += [(keys.prices_pk(mid, price_table_id), sku) for sku in product_skus]
    wanted += [(keys.stock_pk(mid, code), sku) for code in catalog.store_codes for sku in variant_skus]
    current, settings, stores, products, prices, levels = None, StoreSettings(), {}, {}, {}, {}
    terms, payout_settings = SettlementTerms(), None
    for item in table.batch_get(wanted):
        kind = item.get("type")
        if kind == "slug":
            current = to_model(Catalog, item)
        elif kind == "settlement_terms":
            terms = to_model(SettlementTerms, item)
        elif kind == "payout_settings":
            payout_settings = to_model(PayoutSettings, item)
        elif kind == "settings":
            settings = to_model(StoreSettings, item)
        elif kind == "store":
            stores[item["code"]] = to_model(Store, item)
        elif kind == "product":
            products[item["sku"]] = to_model(Product, item)
        elif kind == "price":
            prices[item["SK"]] = item["price"]
        elif kind == "stock":
            level = stock.level_from_item(item)
            levels[(level.store_code, level.sku)] = level
    return CheckoutData(current, settings, stores, products, prices, levels, terms, payout_settings)


def place_order(
    order: Order,
    *,
    token_hash: str,
    idempotency_key: str,
    request_hash: str,
    access_token: str,
    reservations: list[tuple[str, str, int]],
    also: list[dict[str, Any]] | None = None,
) -> None:
    """Write the order with its reservations, all or nothing.

    Raises ``IdempotencyKeyTaken``, ``ReservationsRefused`` or ``WriteConflict`` (``OrderCodeTaken`` when the
    order's short code is another order's) by what refused it (any other cancellation stays a
    ``TransactionCancelled``).
    """
    if order.order_code is None:
        raise ValueError("a new order has a short code")
    mid = order.merchant_id
    created_at = order.created_at.isoformat()
    expires_at = order.reservation_expires_at.isoformat()
    operations = [
        table.put_operation(
            {
                "PK": keys.merchant_pk(mid),
                "SK": keys.order_sk(order.order_id),
                "type": "order",
                **keys.orders_by_status_gsi1(mid, order.status, created_at),
                **keys.reservation_expiry_gsi2(expires_at, mid, order.order_id),
                **order.model_dump(mode="json"),
            },
            condition="attribute_not_exists(PK)",
        ),
        table.put_operation(
            {
                "PK": keys.order_pointer_pk(order.order_id),
                "SK": "ORDER",
                "type": "order_pointer",
                "merchant_id": mid,
                "token_hash": token_hash,
            },
            condition="attribute_not_exists(PK)",
        ),
        table.put_operation(
            {
                "PK": keys.merchant_pk(mid),
                "SK": keys.idempotency_sk(idempotency_key),
                "type": "idempotency",
                "order_id": order.order_id,
                "request_hash": request_hash,
                "access_token": access_token,
                "expires_at": int(time.time()) + IDEMPOTENCY_TTL_SECONDS,
            },
            condition="attribute_not_exists(PK)",
        ),
        table.put_operation(
            {
                "PK": keys.merchant_pk(mid),
                "SK": keys.order_code_sk(order.order_code),
                "type": "order_code",
                "order_id": order.order_id,
            },
            condition="attribute_not_exists(PK)",
        ),
        *(stock.reserve_operation(mid, store_code, sku, quantity) for store_code, sku, quantity in reservations),
        # After the reservations, so their positions in a cancelled transaction's reasons stay put.
        *([_customer_order_put(order)] if order.customer_id else []),
        # What else the order's checkout writes (its consent records, ``vitrine.consents.checkout``): last too.
        *(also or []),
    ]
    try:
        table.transact_write(operations)
    except TransactionCancelled as exc:
        refusal = _refusal(exc.reasons, idempotency_key, reservations, order.order_id)
        if refusal is None:
            raise
        raise refusal from exc


def _refusal(
    reasons: list[str], idempotency_key: str, reservations: list[tuple[str, str, int]], order_id: str
) -> Exception | None:
    """What refused the checkout's transaction, by the reasons of its items; ``None`` when it is none of the
    outcomes a checkout answers."""
    refused = tuple(
        sku
        for (_, sku, _), reason in zip(reservations, reasons[_FIRST_RESERVATION:], strict=False)
        if reason == _CONDITION_FAILED
    )
    if reasons[_IDEMPOTENCY_ITEM] == _CONDITION_FAILED:
        return IdempotencyKeyTaken(idempotency_key, refused)
    if refused:
        return ReservationsRefused(refused)
    if reasons[_ORDER_CODE_ITEM] == _CONDITION_FAILED:
        return OrderCodeTaken(f"the short code drawn for order {order_id} is another order's")
    if all(reason in _NOT_REFUSED for reason in reasons):
        return WriteConflict(f"order {order_id} met a concurrent write")
    return None


def _customer_order_put(order: Order) -> dict[str, Any]:
    assert order.customer_id is not None
    return table.put_operation(
        {
            "PK": keys.customer_orders_pk(order.merchant_id, order.customer_id),
            "SK": keys.customer_order_sk(order.created_at.isoformat(), order.order_id),
            "type": "customer_order",
            "order_id": order.order_id,
        }
    )


def customer_orders(
    merchant_id: str, customer_id: str, *, limit: int, cursor: str | None
) -> tuple[list[Order], str | None]:
    """A customer's orders, newest first: one page of the customer's pointers, then the orders in one batch."""
    page = table.query(keys.customer_orders_pk(merchant_id, customer_id), limit=limit, cursor=cursor, newest_first=True)
    ids = [item["order_id"] for item in page.items]
    found = {
        item["order_id"]: to_model(Order, item)
        for item in table.batch_get([(keys.merchant_pk(merchant_id), keys.order_sk(oid)) for oid in ids])
    }
    return [found[oid] for oid in ids if oid in found], page.cursor


def get_idempotency_record(merchant_id: str, key: str) -> dict[str, Any] | None:
    return table.get(keys.merchant_pk(merchant_id), keys.idempotency_sk(key), consistent=True)


def get_order(merchant_id: str, order_id: str) -> Order | None:
    item = table.get(keys.merchant_pk(merchant_id), keys.order_sk(order_id), consistent=True)
    return to_model(Order, item) if item else None


def order_by_code(merchant_id: str, order_code: str) -> Order | None:
    """The merchant's order with this short code (its pointer, then the order)."""
    pointer = table.get(keys.merchant_pk(merchant_id), keys.order_code_sk(order_code))
    return get_order(merchant_id, pointer["order_id"]) if pointer else None


def find_order_pointer(order_id: str) -> dict[str, Any] | None:
    return table.get(keys.order_pointer_pk(order_id), "ORDER")


def attach_charge(order: Order, charge: Charge, announce: EventEnvelope | None = None) -> Order:
    """Keep the gateway's charge on the order; a second attach (a retried checkout) must be the same charge.

    ``announce`` (the order's ``OrderPlaced``) goes into the outbox in the same transaction, so it is never lost; a
    second attach writes it again, under its own time, and consumers deduplicate it by its id.
    """
    update = table.update_operation(
        keys.merchant_pk(order.merchant_id),
        keys.order_sk(order.order_id),
        expression="SET charge = :charge",
        values={":charge": charge.model_dump(mode="json"), ":charge_id": charge.charge_id},
        condition="attribute_exists(PK) AND (attribute_not_exists(charge) OR charge.charge_id = :charge_id)",
    )
    from vitrine.repository.order_state import outbox_put

    try:
        table.transact_write([update, *([outbox_put(announce)] if announce is not None else [])])
    except TransactionCancelled as exc:
        # As the single update raised before: the order is gone or holds another charge.
        raise table.ConditionFailed(f"order {order.order_id}: {exc.reasons}") from exc
    return order.model_copy(update={"charge": charge})


def expired_reservations(now: datetime, *, lookback_hours: int, limit: int) -> list[tuple[str, str]]:
    """``(merchant_id, order_id)`` of unpaid orders whose reservation expired by ``now``, oldest first.

    Reads the GSI2 hour buckets from ``lookback_hours`` ago up to ``now``'s (an order leaves the index when it stops
    waiting for money, so what is found is still due, give or take the index's eventual consistency).
    """
    found: list[tuple[str, str]] = []
    cutoff = now.astimezone(UTC).isoformat()
    for hours_ago in range(lookback_hours, -1, -1):
        bucket = (now - timedelta(hours=hours_ago)).astimezone(UTC).isoformat()
        cursor = None
        while len(found) < limit:
            page = table.query(
                keys.reservation_expiry_gsi2(bucket, "", "")["GSI2PK"], index="GSI2", limit=100, cursor=cursor
            )
            for item in page.items:
                if item["GSI2SK"] <= cutoff and len(found) < limit:
                    found.append((item["merchant_id"], item["order_id"]))
            cursor = page.cursor
            if cursor is None:
                break
    return found


def orders_by_status(
    merchant_id: str, status: str | None, *, limit: int, cursor: str | None
) -> tuple[list[Order], str | None]:
    """A merchant's orders, newest first within a status (GSI1); every status when ``status`` is None."""
    pk = keys.orders_by_status_gsi1(merchant_id, "", "")["GSI1PK"]
    page = table.query(
        pk, index="GSI1", sk_prefix=f"{status}#" if status else None, limit=limit, cursor=cursor, newest_first=True
    )
    return [to_model(Order, item) for item in page.items], page.cursor

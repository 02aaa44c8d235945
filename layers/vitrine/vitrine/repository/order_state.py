"""Access patterns: moving an order through its lifecycle, and the outbox of the events each move reports.

A transition is one ``TransactWriteItems``, all or nothing:

1. the order: status, version + 1, the status-history entry appended, GSI1 moved to the new status, GSI2 (the
   reservation-expiry index) removed once the order no longer waits for money (or moved to a hold's reminder and
   deadline, with the reservation's new end), its money books, and how its reservation ended; conditioned on the
   version it was planned from, so a concurrent change cancels it (``ConcurrentChange``: read again and plan again);
2. every ledger entry, each only if its key is free, so nothing is booked twice;
3. an outbox item per event, so an event is never lost between the commit and the publish;
4. the order's pointer in the ERP order feed, when the move makes it paid (or asks the ERP to cancel it);
5. the stock movements that end the reservation, when the plan ends it.

That is at most 1 + 36 ledger entries (12 instalments x sale and two fees) + 3 events + 1 + 30 lines: within the
100 items a transaction allows. The order's money and reservation live in the ``money`` and ``reservation``
attributes of the order item (read here into ``OrderBooks``; ``Order`` does not carry them).
"""

from dataclasses import dataclass
from datetime import UTC
from typing import Any

from vitrine.events.envelope import EventEnvelope
from vitrine.orders.models import Order, ReservationOutcome, TransitionPlan
from vitrine.repository import keys, ledger, stock, table
from vitrine.repository.items import to_attribute, to_item
from vitrine.repository.order_items import erp_feed_key, reserved_lines
from vitrine.repository.order_items import read_order as read_order  # the transitions' callers read through here
from vitrine.repository.table import TransactionCancelled

CONDITION_FAILED = "ConditionalCheckFailed"


class ConcurrentChange(Exception):
    """The order, or another item of its transaction, changed since it was read: read again and plan again."""


@dataclass(frozen=True)
class OutboxEvent:
    pk: str
    sk: str
    envelope: EventEnvelope


def outbox_event(envelope: EventEnvelope) -> OutboxEvent:
    occurred_at = envelope.model_dump(mode="json")["occurred_at"]
    return OutboxEvent(keys.outbox_pk(envelope.merchant_id), keys.outbox_sk(occurred_at, envelope.id), envelope)


def apply_transition(order: Order, plan: TransitionPlan) -> None:
    """Write ``plan`` (made from ``order`` as read) in one transaction, or raise ``ConcurrentChange``.

    A sold line whose stock has fewer units on hand than it sold was already counted out by the ERP: that line's
    reservation is released instead of consumed, in a new attempt of the same transaction.
    """
    if plan.is_noop:
        return
    fixed = [
        _order_update(order, plan),
        *(ledger.entry_put_operation(entry) for entry in plan.ledger_entries),
        *(outbox_put(event) for event in plan.events),
        *([_erp_feed_put(plan)] if plan.enters_erp_feed else []),
    ]
    outcome = plan.reservation
    lines = reserved_lines(order) if outcome else []
    released_instead: set[tuple[str, str]] = set()
    while True:
        movements = [_end_reservation(order.merchant_id, outcome, line, released_instead) for line in lines]
        try:
            table.transact_write([*fixed, *movements])
            return
        except TransactionCancelled as exc:
            if exc.reasons[0] == CONDITION_FAILED or "TransactionConflict" in exc.reasons:
                raise ConcurrentChange(f"order {order.order_id} changed since version {order.version}") from exc
            unsold = {
                (store_code, sku)
                for (store_code, sku, _), reason in zip(lines, exc.reasons[len(fixed) :], strict=True)
                if reason == CONDITION_FAILED and (store_code, sku) not in released_instead
            }
            if outcome is not ReservationOutcome.CONSUMED or not unsold:
                raise
            released_instead |= unsold


def pending_events(merchant_id: str | None = None) -> list[OutboxEvent]:
    """Events written but not yet published: one merchant's, or every merchant's (through the GSI2 shards)."""
    partitions = (
        [(keys.outbox_pk(merchant_id), None)] if merchant_id else [(pk, "GSI2") for pk in keys.outbox_shard_pks()]
    )
    found: list[OutboxEvent] = []
    for pk, index in partitions:
        cursor = None
        while True:
            page = table.query(pk, index=index, limit=100, cursor=cursor)
            found += [OutboxEvent(i["PK"], i["SK"], EventEnvelope.model_validate(i["event"])) for i in page.items]
            cursor = page.cursor
            if cursor is None:
                break
    return found


def delete_outbox_events(events: list[OutboxEvent]) -> None:
    table.batch_delete([(event.pk, event.sk) for event in events])


def _order_update(order: Order, plan: TransitionPlan) -> dict[str, Any]:
    names = {"#version": "version", "#money": "money"}
    values: dict[str, Any] = {
        ":expected": plan.expected_version,
        ":version": plan.order.version,
        ":money": plan.money.model_dump(mode="json"),
    }
    assignments = ["#version = :version", "#money = :money"]
    if plan.history_entry is not None:
        status = plan.order.status
        names |= {"#status": "status", "#history": "status_history"}
        values |= {
            ":status": str(status),
            ":entry": [plan.history_entry.model_dump(mode="json")],
            ":gsi1sk": keys.orders_by_status_gsi1(order.merchant_id, status, order.created_at.isoformat())["GSI1SK"],
        }
        assignments += ["#status = :status", "#history = list_append(#history, :entry)", "GSI1SK = :gsi1sk"]
    if plan.charge is not None:
        names["#charge"] = "charge"
        values[":charge"] = plan.charge.model_dump(mode="json")
        assignments.append("#charge = :charge")
    for name, document in (("invoice", plan.invoice), ("shipment", plan.shipment)):
        if document is not None:
            names[f"#{name}"] = name
            values[f":{name}"] = document.model_dump(mode="json")
            assignments.append(f"#{name} = :{name}")
    if plan.reservation is not None:
        names["#reservation"] = "reservation"
        values[":reservation"] = str(plan.reservation)
        assignments.append("#reservation = :reservation")
    if plan.expiry_index_at is not None:
        # A hold: the reservation lasts until the review deadline, and the sweep stops at the index's next time.
        stop = keys.reservation_expiry_gsi2(
            plan.expiry_index_at.astimezone(UTC).isoformat(), order.merchant_id, order.order_id
        )
        names["#expires"] = "reservation_expires_at"
        values |= {
            ":expires": plan.order.model_dump(mode="json", include={"reservation_expires_at"})[
                "reservation_expires_at"
            ],
            ":gsi2pk": stop["GSI2PK"],
            ":gsi2sk": stop["GSI2SK"],
        }
        assignments += ["#expires = :expires", "GSI2PK = :gsi2pk", "GSI2SK = :gsi2sk"]
    if plan.cancellation_request is not None:
        names["#cancellation"] = "cancellation_requested"
        values[":cancellation"] = plan.cancellation_request.model_dump(mode="json")
        assignments.append("#cancellation = :cancellation")
    if plan.review_reminded_at is not None:
        values[":reminded"] = plan.review_reminded_at.isoformat()
        assignments.append("review_reminded_at = :reminded")
    expression = "SET " + ", ".join(assignments)
    if plan.leaves_expiry_index:
        # Only orders that still wait for money may expire.
        expression += " REMOVE GSI2PK, GSI2SK"
    return {
        "Update": {
            "TableName": table.table_name(),
            "Key": to_item({"PK": keys.merchant_pk(order.merchant_id), "SK": keys.order_sk(order.order_id)}),
            "UpdateExpression": expression,
            "ConditionExpression": "#version = :expected",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": {name: to_attribute(value) for name, value in values.items()},
        }
    }


def outbox_put(envelope: EventEnvelope) -> dict[str, Any]:
    entry = outbox_event(envelope)
    detail = envelope.model_dump(mode="json")
    return table.put_operation(
        {
            "PK": entry.pk,
            "SK": entry.sk,
            **keys.outbox_gsi2(detail["occurred_at"], envelope.merchant_id, envelope.id),
            "type": "outbox_event",
            "event": detail,
        },
        condition="attribute_not_exists(PK)",
    )


def _erp_feed_put(plan: TransitionPlan) -> dict[str, Any]:
    key = erp_feed_key(plan.order)
    assert key is not None, "only a paid order enters the feed"
    pk, sk = key
    return table.put_operation({"PK": pk, "SK": sk, "type": "erp_feed_entry", "order_id": plan.order.order_id})


def _end_reservation(
    merchant_id: str,
    outcome: ReservationOutcome,
    line: tuple[str, str, int],
    released_instead: set[tuple[str, str]],
) -> dict[str, Any]:
    store_code, sku, quantity = line
    if outcome is ReservationOutcome.CONSUMED and (store_code, sku) not in released_instead:
        return stock.consume_operation(merchant_id, store_code, sku, quantity)
    return stock.release_operation(merchant_id, store_code, sku, quantity)

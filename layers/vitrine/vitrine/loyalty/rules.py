"""The loyalty rules, pure: what a line scores, what the order's events tell its ledger, and which accruals and
reversals the ledger still owes the partner.

Rounding, written down once:

- A line's points are ``floor(amount x rate / 100)`` in ``per_real`` mode (``amount`` in centavos, ``rate`` points
  per R$ 1,00) and ``quantity x rate`` in ``per_unit`` mode. Each line is floored on its own and the order's points
  are the sum of its lines', so a line's points never depend on the other lines. A fraction of a point is never
  rounded up: the partner never receives a point the amount did not buy.
- A partial refund reverses in proportion of the money: after refunds totalling ``R`` of an order of total ``T``,
  the reversed points are ``floor(P x min(R, T) / T)`` of the ``P`` accrued, floored once on the running total (not
  per refund), so any number of partial refunds reverses what one refund of their sum would, and a refund of
  everything reverses exactly ``P``. Why the amount and not the lines: the refund API, the gateway and its
  ``PaymentRefunded`` carry amounts only, and a money refund is not a return of particular goods; a line-by-line
  reversal would need the lines carried through the refund request, the gateway and the ERP's return documents.
  Floored: the professional keeps a fraction the refund did not fully take back.
- A cancellation, or a refund of everything (``OrderRefunded``), reverses every point accrued.

Exactly once, whatever the delivery: the facts the events tell are monotone (invoiced once, ended once, the largest
refunded total seen), so duplicated and reordered events leave the same facts; the owed operations are computed
from the facts and what was already recorded, never from the event alone. An order cancelled before its invoice
(or whose cancellation is seen first) never accrues.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from vitrine.loyalty.models import (
    LoyaltyLedger,
    LoyaltyOperation,
    LoyaltySettings,
    OperationKind,
    OperationStatus,
    ScoredLine,
    ScoringMode,
    StoreTable,
    fold_name,
)

HANDLED_EVENTS = frozenset(
    {"OrderInvoiced", "OrderCancelled", "OrderRefunded", "PaymentRefunded", "OrderLoyaltyCpfChanged"}
)
# The events a ledger remembers by id (an order has a handful of loyalty events; the facts are what count).
MAX_EVENTS_SEEN = 50


@dataclass(frozen=True)
class LineToScore:
    """An order line with its product's brand and classifiers (``None``: the product is gone or has no brand)."""

    sku: str
    quantity: int
    amount: int
    brand: str | None
    classifiers: tuple[str, ...] = ()


def rate_for(table: StoreTable, brand: str, classifiers: Iterable[str]) -> int | None:
    """The table's rate for a participating brand's line: the brand's own, else its most specific classifier's,
    else the table's default (``None``: the line scores nothing)."""
    brand_rates = {fold_name(name): rate for name, rate in table.brand_rates.items()}
    if (rate := brand_rates.get(fold_name(brand))) is not None:
        return rate
    classifier_rates = {fold_name(name): rate for name, rate in table.classifier_rates.items()}
    for classifier in reversed(list(classifiers)):
        if (rate := classifier_rates.get(fold_name(classifier))) is not None:
            return rate
    return table.default_rate


def line_points(mode: ScoringMode, rate: int, *, quantity: int, amount: int) -> int:
    if mode is ScoringMode.PER_UNIT:
        return quantity * rate
    return amount * rate // 100


def score_lines(settings: LoyaltySettings, store_code: str, lines: Iterable[LineToScore]) -> list[ScoredLine]:
    """The lines that score at ``store_code``'s table: participating brand, a rate, at least one point."""
    table = settings.stores.get(store_code)
    if table is None:
        return []
    participating = {fold_name(brand) for brand in settings.brands}
    scored = []
    for line in lines:
        if line.brand is None or fold_name(line.brand) not in participating:
            continue
        rate = rate_for(table, line.brand, line.classifiers)
        if rate is None:
            continue
        points = line_points(settings.mode, rate, quantity=line.quantity, amount=line.amount)
        if points > 0:
            scored.append(
                ScoredLine(
                    sku=line.sku,
                    brand=line.brand,
                    classifiers=list(line.classifiers),
                    quantity=line.quantity,
                    amount=line.amount,
                    rate=rate,
                    points=points,
                )
            )
    return scored


def refund_reversal(points: int, refunded_total: int, order_total: int) -> int:
    """Points a running refund total takes back of ``points`` accrued (see the module docstring)."""
    if order_total <= 0 or refunded_total <= 0:
        return 0
    return points * min(refunded_total, order_total) // order_total


def record_event(ledger: LoyaltyLedger, event_id: str, event_type: str, data: Mapping[str, Any]) -> LoyaltyLedger:
    """The ledger with what the event tells (unchanged for an event seen before or of another type)."""
    if event_type not in HANDLED_EVENTS or event_id in ledger.events_seen:
        return ledger
    update: dict[str, Any] = {"events_seen": [*ledger.events_seen, event_id][-MAX_EVENTS_SEEN:]}
    if event_type == "OrderInvoiced":
        update["invoiced"] = True
    elif event_type == "OrderCancelled":
        update["ended_by"] = ledger.ended_by or "cancelled"
    elif event_type == "OrderRefunded":
        update["ended_by"] = ledger.ended_by or "refunded"
        update["refunded_total"] = max(ledger.refunded_total, int(data["refunded"]))
    elif event_type == "PaymentRefunded":
        update["refunded_total"] = max(ledger.refunded_total, int(data["refunded_total"]))
    elif event_type == "OrderLoyaltyCpfChanged" and ledger.skipped == "no_cpf" and data.get("cpf_given"):
        update["skipped"] = None  # invoiced without a CPF, given one since: it scores now
    return ledger.model_copy(update=update)


def needs_scoring(ledger: LoyaltyLedger) -> bool:
    """Invoiced, not ended, and not scored yet: the consumer reads the order, its products and the settings."""
    return ledger.invoiced and not ledger.ended and not ledger.points_sent and ledger.skipped is None


def settle(ledger: LoyaltyLedger, *, event_id: str, event_type: str, now: datetime) -> LoyaltyLedger:
    """The ledger with the accrual and reversal it still owes recorded as pending operations."""
    operations = list(ledger.operations)
    accrued, reversed_ = ledger.accrued, ledger.reversed

    def record(kind: OperationKind, points: int, reason: str) -> None:
        operations.append(
            LoyaltyOperation(
                idempotency_key=f"{ledger.order_id}:{event_id}:{kind}",
                kind=kind,
                points=points,
                reason=reason,  # type: ignore[arg-type]
                event_id=event_id,
                event_type=event_type,
                recorded_at=now,
            )
        )

    if not ledger.points_sent and ledger.invoiced and not ledger.ended and ledger.points > 0:
        accrued = ledger.points
        record(OperationKind.ACCRUAL, accrued, "invoiced")
    if accrued > 0:
        if ledger.ended:
            target, reason = accrued, ledger.ended_by or "cancelled"
        else:
            target, reason = refund_reversal(accrued, ledger.refunded_total, ledger.order_total), "partial_refund"
        if target > reversed_:
            record(OperationKind.REVERSAL, target - reversed_, reason)
            reversed_ = target
    if len(operations) == len(ledger.operations):
        return ledger
    return ledger.model_copy(update={"operations": operations, "accrued": accrued, "reversed": reversed_})


def with_operation(ledger: LoyaltyLedger, key: str, **changes: Any) -> LoyaltyLedger:
    """The ledger with the operation of idempotency key ``key`` changed (sent, refused)."""
    operations = [op.model_copy(update=changes) if op.idempotency_key == key else op for op in ledger.operations]
    return ledger.model_copy(update={"operations": operations})


def pending(ledger: LoyaltyLedger) -> list[LoyaltyOperation]:
    return [op for op in ledger.operations if op.status is OperationStatus.PENDING]


def net_points(ledger: LoyaltyLedger) -> int:
    """What the professional keeps of this order: accrued minus reversed."""
    return ledger.accrued - ledger.reversed

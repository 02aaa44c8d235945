"""The loyalty consumer's use case: an order event (invoiced, cancelled, refunded) moves the order's loyalty ledger,
and whatever the ledger owes the partner is sent, once.

1. The event's facts go into the ledger (``rules.record_event``; a repeat changes nothing).
2. An invoiced order not scored yet is scored now: its lines at the fulfilling store's table, its brands from the
   products, the CPF from the order, the settings as they are at the invoice (``rules.score_lines``).
3. The owed accrual and reversals are recorded as pending operations (``rules.settle``) in one conditional write
   (the accrual's write also checks the order's CPF is still the one scored: see ``repository.loyalty``).
4. Every pending operation is sent to the partner with its idempotency key and marked sent. A partner outage
   raises: the message comes back (SQS), the pending operation is sent again with the same key, and after the
   queue's attempts the message goes to the DLQ, whose alarm fires. A partner's 4xx marks the operation refused.
"""

from collections.abc import Callable
from datetime import UTC, datetime

from vitrine.events.envelope import EventEnvelope
from vitrine.loyalty import rules
from vitrine.loyalty.models import LoyaltyLedger, LoyaltyOperation, LoyaltySettings, OperationKind, OperationStatus
from vitrine.loyalty.partner import (
    AccrualRequest,
    LoyaltyPartner,
    PartnerLine,
    PartnerRefused,
    ReversalRequest,
)
from vitrine.repository import loyalty as store
from vitrine.repository.loyalty import LedgerConflict

PartnerFactory = Callable[[LoyaltySettings], LoyaltyPartner]
ATTEMPTS = 4


def http_partner(settings: LoyaltySettings) -> LoyaltyPartner:
    from vitrine.loyalty.partner_http import partner_for

    if settings.partner is None:
        raise PartnerRefused("the merchant has no loyalty partner configured")
    return partner_for(settings.partner.base_url, settings.partner.api_key)


def apply_order_event(
    envelope: EventEnvelope, *, partner_factory: PartnerFactory = http_partner, now: datetime | None = None
) -> LoyaltyLedger | None:
    """Move the order's ledger by ``envelope`` and send what it owes; ``None`` for an event loyalty ignores."""
    if envelope.type not in rules.HANDLED_EVENTS:
        return None
    moment = now or datetime.now(UTC)
    merchant_id, order_id = envelope.merchant_id, str(envelope.data["order_id"])
    settings: LoyaltySettings | None = None
    for attempt in range(ATTEMPTS):
        stored = store.get_ledger(merchant_id, order_id)
        if stored is None:
            # A merchant that does not score keeps no ledger for its orders (no write per order event).
            settings = settings or store.get_settings(merchant_id)
            if settings is None or not settings.enabled:
                return None
        read = stored or LoyaltyLedger(order_id=order_id)
        ledger = rules.record_event(read, envelope.id, envelope.type, envelope.data)
        if rules.needs_scoring(ledger):
            settings = settings or store.get_settings(merchant_id)
            ledger = _scored(merchant_id, ledger, settings)
        ledger = rules.settle(ledger, event_id=envelope.id, event_type=envelope.type, now=moment)
        if ledger == read:
            break
        records_accrual = ledger.points_sent and not read.points_sent
        try:
            ledger = store.save_ledger(
                merchant_id, ledger, read_version=read.version, order_cpf=ledger.cpf if records_accrual else None
            )
            break
        except LedgerConflict:
            if attempt == ATTEMPTS - 1:
                raise
    return _send_pending(merchant_id, ledger, partner_factory, moment)


def _sharing_allowed(merchant_id: str, cpf: str) -> bool:
    """The professional's consent to share their CPF with the partner is in force (LGPD art. 7 I; a revocation at the
    portal or through the ERP stops what is not sent yet)."""
    from vitrine.consents.models import Purpose
    from vitrine.consents.records import allowed
    from vitrine.consents.subjects import subject_hashes

    return allowed(merchant_id, subject_hashes(merchant_id, document=cpf), Purpose.LOYALTY_SHARING, "any")


def _scored(merchant_id: str, ledger: LoyaltyLedger, settings: LoyaltySettings | None) -> LoyaltyLedger:
    order = store.order_to_score(merchant_id, ledger.order_id)
    skipped = None
    if order is None:
        skipped = "order_missing"
    elif settings is None or not settings.enabled:
        skipped = "disabled"
    elif settings.partner is None:
        skipped = "no_partner"
    elif not order.cpf:
        skipped = "no_cpf"
    elif order.store_code not in settings.stores:
        skipped = "no_store_table"
    elif not _sharing_allowed(merchant_id, order.cpf):
        skipped = "no_consent"
    if skipped is not None or order is None or settings is None:
        return ledger.model_copy(update={"skipped": skipped})
    brands = store.product_brands(merchant_id, [line.product_sku for line in order.lines])
    to_score = [
        rules.LineToScore(
            sku=line.sku,
            quantity=line.quantity,
            amount=line.total,
            brand=brands.get(line.product_sku, (None, ()))[0],
            classifiers=brands.get(line.product_sku, (None, ()))[1],
        )
        for line in order.lines
    ]
    store_code = order.store_code
    lines = rules.score_lines(settings, store_code, to_score)
    points = sum(line.points for line in lines)
    return ledger.model_copy(
        update={
            "cpf": order.cpf,
            "partner_store_code": settings.stores[store_code].partner_store_code,
            "order_total": order.total,
            "lines": lines,
            "points": points,
            "skipped": None if points else "nothing_scored",
        }
    )


def _send_pending(
    merchant_id: str, ledger: LoyaltyLedger, partner_factory: PartnerFactory, now: datetime
) -> LoyaltyLedger:
    owed = rules.pending(ledger)
    if not owed:
        return ledger
    settings = store.get_settings(merchant_id)
    for operation in owed:
        accrual = next((op for op in ledger.operations if op.kind is OperationKind.ACCRUAL), None)
        try:
            if settings is None:
                raise PartnerRefused("the merchant's loyalty settings are gone")
            if (
                operation.kind is OperationKind.REVERSAL
                and accrual is not None
                and accrual.status is OperationStatus.REFUSED
            ):
                raise PartnerRefused("its accrual was refused by the partner")
            partner = partner_factory(settings)
            if operation.kind is OperationKind.ACCRUAL:
                partner.accrue(_accrual_request(ledger, operation))
            else:
                partner.reverse(_reversal_request(ledger, operation, accrual))
            changes = {"status": OperationStatus.SENT, "sent_at": now}
        except PartnerRefused as exc:
            changes = {"status": OperationStatus.REFUSED, "partner_error": str(exc)[:300]}
        ledger = _mark(merchant_id, ledger, operation.idempotency_key, changes)
    return ledger


def _mark(merchant_id: str, ledger: LoyaltyLedger, key: str, changes: dict) -> LoyaltyLedger:
    """Record an operation's outcome on the latest ledger (another delivery may have moved it meanwhile)."""
    for attempt in range(ATTEMPTS):
        marked = rules.with_operation(ledger, key, **changes)
        try:
            return store.save_ledger(merchant_id, marked, read_version=ledger.version)
        except LedgerConflict:
            if attempt == ATTEMPTS - 1:
                raise
            ledger = store.get_ledger(merchant_id, ledger.order_id) or ledger
    return ledger


def _lines(ledger: LoyaltyLedger) -> list[PartnerLine]:
    return [
        PartnerLine(sku=line.sku, brand=line.brand, quantity=line.quantity, amount=line.amount, points=line.points)
        for line in ledger.lines
    ]


def _accrual_request(ledger: LoyaltyLedger, operation: LoyaltyOperation) -> AccrualRequest:
    return AccrualRequest(
        idempotency_key=operation.idempotency_key,
        order_id=ledger.order_id,
        event=operation.event_type,
        store_code=ledger.partner_store_code or "",
        cpf=ledger.cpf or "",
        points=operation.points,
        occurred_at=operation.recorded_at,
        lines=_lines(ledger),
    )


def _reversal_request(
    ledger: LoyaltyLedger, operation: LoyaltyOperation, accrual: LoyaltyOperation | None
) -> ReversalRequest:
    return ReversalRequest(
        idempotency_key=operation.idempotency_key,
        order_id=ledger.order_id,
        event=operation.event_type,
        store_code=ledger.partner_store_code or "",
        cpf=ledger.cpf or "",
        points=operation.points,
        occurred_at=operation.recorded_at,
        lines=_lines(ledger),
        reason=operation.reason,  # type: ignore[arg-type]
        accrual_key=accrual.idempotency_key if accrual else "",
        refunded_amount=ledger.refunded_total,
        order_total=ledger.order_total,
    )

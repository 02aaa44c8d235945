"""Quote a cart and place an order: server-side prices, one batched read, one transaction that writes the
order and reserves every line, or nothing at all.

A checkout is idempotent by its ``Idempotency-Key``: a retry with the same key and body gets the same order
back; the same key with another body is refused. The key's record keeps the shopper's access token for 24 h
so a retry gets the whole answer again; only the holder of the key and the identical body can read it.
"""

import hashlib
import hmac
import json
import re
import secrets
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from vitrine.auth.sessions import Session
from vitrine.catalogs.models import Catalog, CatalogStatus, Store
from vitrine.catalogs.read_model_notices import announce_stock_reserved
from vitrine.catalogs.storefront import forget_catalog, hinted_catalog, remember_catalog
from vitrine.consents.checkout import checkout_records, operations_of
from vitrine.consents.models import Evidence, OrderConsent
from vitrine.errors import Conflict, InvalidInput, NotFound
from vitrine.events.envelope import EventEnvelope
from vitrine.ids import is_order_id, new_order_code
from vitrine.merchants import SettlementTerms, StoreSettings
from vitrine.orders import pricing
from vitrine.orders.buyers import Buyer, buyer_for
from vitrine.orders.models import (
    CardPayment,
    CheckoutRequest,
    DeliveryInput,
    Fulfilment,
    LineInput,
    Order,
    OrderLine,
    OrderOrigin,
    OrderStatus,
    PaymentMethod,
    Quote,
    QuoteRequest,
    ShortLine,
    StatusChange,
)
from vitrine.orders.retries import retry_on_conflict
from vitrine.payouts.models import PayoutSettings
from vitrine.repository import orders
from vitrine.repository.orders import CheckoutData, IdempotencyKeyTaken, ReservationsRefused, WriteConflict

ONLINE_STORE_CODE = "9900"
_IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_.:-]{8,100}$")
_CONFLICT_RETRIES = 3


class OutOfStock(Conflict):
    code = "out_of_stock"


@dataclass(frozen=True)
class PlacedOrder:
    """An order the checkout placed (or found again for a retry: ``replayed``), with the token that shows it."""

    order: Order
    access_token: str
    replayed: bool
    # Read with the lines (one request): what splitting its charge needs. None for a replayed order.
    split_inputs: tuple[SettlementTerms, PayoutSettings | None] | None = None
    # The events of the consent records its checkout wrote (in the outbox until published): none for a replay.
    consent_events: tuple[EventEnvelope, ...] = ()


def _read(catalog: Catalog, lines: list[LineInput], price_table_id: str) -> CheckoutData:
    return orders.read_checkout_data(
        catalog, list(dict.fromkeys(line.product_sku for line in lines)), [line.sku for line in lines], price_table_id
    )


def _read_for(
    slug: str, lines: list[LineInput], session: Session | None, customer_id: str | None
) -> tuple[Catalog, Buyer, CheckoutData]:
    """The catalog, who buys and everything the lines need, in one batched read on a warm container.

    The catalog comes from the container's hint; the batch reads the slug's pointer too, and when the catalog
    changed since (unpublished, another price table or stores) the read starts over with the new one.
    """
    catalog = hinted_catalog(slug, field="body.catalog")
    while True:
        buyer = buyer_for(catalog, session, customer_id, field="body.customer_id")
        data = _read(catalog, lines, buyer.price_table_id)
        if data.catalog == catalog:
            return catalog, buyer, data
        forget_catalog(slug)
        if data.catalog is None or data.catalog.status is not CatalogStatus.PUBLISHED:
            raise NotFound(
                f"no published catalog at '{slug}'", details=[{"field": "body.catalog", "reason": "not found"}]
            )
        catalog = data.catalog
        remember_catalog(catalog)


def _available_at(data: CheckoutData, store_code: str) -> dict[str, int]:
    return {sku: level.available for (code, sku), level in data.stock.items() if code == store_code}


def quote_cart(request: QuoteRequest, session: Session | None = None) -> Quote:
    """What the cart costs now for this buyer: lines at their prices, what is short, delivery or pickup,
    instalments."""
    lines = pricing.merge_lines(request.lines)
    catalog, _, data = _read_for(request.catalog, lines, session, request.customer_id)
    priced = pricing.price_lines(catalog, lines, data.products, data.prices)
    subtotal = sum(line.total for line in priced)
    fulfilment = None
    if request.pickup_store:
        store = pricing.pickup_store(catalog, data.stores, request.pickup_store, "body.pickup_store")
        fulfilment = Fulfilment(kind="pickup", store_code=store.code)
    elif request.cep:
        store = pricing.delivery_store(catalog, data.stores)
        price, days = pricing.delivery_price(data.settings, request.cep, subtotal, "body.cep")
        fulfilment = Fulfilment(kind="delivery", store_code=store.code, delivery_price=price, delivery_days=days)
    else:
        store = pricing.delivery_store(catalog, data.stores)
    total = subtotal + (fulfilment.delivery_price if fulfilment else 0)
    return Quote(
        lines=priced,
        short_lines=pricing.short_lines(priced, _available_at(data, store.code)),
        subtotal=subtotal,
        fulfilment=fulfilment,
        total=total,
        installments=pricing.installment_options(data.settings, total),
    )


def request_fingerprint(request: CheckoutRequest) -> str:
    """What makes two checkouts "the same body": everything but the ignored client prices."""
    body = request.model_dump(mode="json", exclude={"lines": {"__all__": {"unit_price"}}})
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _fulfilment(request: CheckoutRequest, catalog: Catalog, data: CheckoutData, subtotal: int) -> Fulfilment:
    chosen = request.fulfilment
    if isinstance(chosen, DeliveryInput):
        store: Store = pricing.delivery_store(catalog, data.stores)
        price, days = pricing.delivery_price(data.settings, chosen.address.cep, subtotal, "body.fulfilment.address.cep")
        return Fulfilment(
            kind="delivery", store_code=store.code, address=chosen.address, delivery_price=price, delivery_days=days
        )
    store = pricing.pickup_store(catalog, data.stores, chosen.store_code, "body.fulfilment.store_code")
    if request.payment.method == PaymentMethod.BOLETO:
        # A registered boleto needs the payer's address, which pickup orders do not collect.
        raise InvalidInput(
            "boleto needs a delivery address; choose Pix or card for pickup",
            details=[{"field": "body.payment.method", "reason": "boleto needs an address"}],
        )
    return Fulfilment(kind="pickup", store_code=store.code)


def _reservation_minutes(method: PaymentMethod, settings: StoreSettings) -> int:
    if method is PaymentMethod.PIX:
        return settings.pix_expires_minutes
    if method is PaymentMethod.BOLETO:
        # A boleto may be paid up to its due date and takes a business day to clear.
        return (settings.boleto_due_days + 1) * 24 * 60
    return settings.card_reservation_minutes


def _check_installments(request: CheckoutRequest, settings: StoreSettings, total: int) -> int:
    if not isinstance(request.payment, CardPayment):
        return 1
    allowed = {option.count for option in pricing.installment_options(settings, total)}
    if request.payment.installments not in allowed:
        raise InvalidInput(
            f"{request.payment.installments} instalments are not offered for this total",
            details=[{"field": "body.payment.installments", "reason": f"choose one of {sorted(allowed)}"}],
        )
    return request.payment.installments


def _out_of_stock(short: list[ShortLine], lines: list[LineInput]) -> OutOfStock:
    index = {line.sku: i for i, line in enumerate(lines)}
    return OutOfStock(
        "not enough stock for some products",
        details=[
            {
                "field": f"body.lines.{index[s.sku]}.quantity",
                "reason": f"only {s.available} available",
                "sku": s.sku,
                "requested": s.requested,
                "available": s.available,
            }
            for s in short
        ],
    )


def _replay(catalog: Catalog, idempotency_key: str, fingerprint: str) -> PlacedOrder | None:
    record = orders.get_idempotency_record(catalog.merchant_id, idempotency_key)
    if record is None:
        return None
    if not hmac.compare_digest(record["request_hash"], fingerprint):
        raise InvalidInput(
            "this Idempotency-Key was used for a different checkout",
            details=[{"field": "header.idempotency-key", "reason": "reused with a different body"}],
        )
    order = orders.get_order(catalog.merchant_id, record["order_id"])
    if order is None:
        raise NotFound("the order of this Idempotency-Key no longer exists")
    return PlacedOrder(order=order, access_token=record["access_token"], replayed=True)


def place_order(
    request: CheckoutRequest,
    idempotency_key: str | None,
    session: Session | None = None,
    evidence: Evidence | None = None,
) -> PlacedOrder:
    if not idempotency_key or not _IDEMPOTENCY_KEY.match(idempotency_key):
        raise InvalidInput(
            "send an Idempotency-Key header (8-100 letters, digits, '-', '_', '.', ':'), e.g. a UUID",
            details=[{"field": "header.idempotency-key", "reason": "missing or malformed"}],
        )
    fingerprint = request_fingerprint(request)
    # A retry is recognised by the transaction's condition on the key (or, when stock ran out since, before the
    # 409): a first attempt, the usual case, pays no extra read.
    lines = pricing.merge_lines(request.lines)
    catalog, buyer, data = _read_for(request.catalog, lines, session, request.customer_id)
    priced: list[OrderLine] = pricing.price_lines(catalog, lines, data.products, data.prices)
    subtotal = sum(line.total for line in priced)
    fulfilment = _fulfilment(request, catalog, data, subtotal)
    short = pricing.short_lines(priced, _available_at(data, fulfilment.store_code))
    if short:
        replay = _replay(catalog, idempotency_key, fingerprint)
        if replay:
            return replay
        raise _out_of_stock(short, lines)
    total = subtotal + fulfilment.delivery_price
    installments = _check_installments(request, data.settings, total)

    now = datetime.now(UTC)
    method = PaymentMethod(request.payment.method)
    order = Order(
        order_id=uuid.uuid4().hex,
        merchant_id=catalog.merchant_id,
        catalog_id=catalog.catalog_id,
        origin=buyer.origin,
        store_code=ONLINE_STORE_CODE if buyer.origin is OrderOrigin.CATALOG else fulfilment.store_code,
        seller_id=buyer.seller_id,
        customer_id=buyer.customer_id,
        price_table_id=buyer.price_table_id,
        customer=request.customer,
        fulfilment=fulfilment,
        lines=priced,
        subtotal=subtotal,
        total=total,
        payment_method=method,
        installments=installments,
        professional_cpf=request.professional_cpf,
        marketing_consent=request.marketing_consent,
        notify_channel=request.notify_channel,
        created_at=now,
        reservation_expires_at=now + timedelta(minutes=_reservation_minutes(method, data.settings)),
        status_history=[StatusChange(status=OrderStatus.PENDING_PAYMENT, at=now)],
    )
    access_token = secrets.token_urlsafe(24)
    consent_records = checkout_records(
        merchant_id=order.merchant_id,
        order_id=order.order_id,
        customer_id=order.customer_id,
        document=order.customer.document,
        email=order.customer.email,
        phone=order.customer.phone,
        channel=order.notify_channel,
        marketing=request.marketing_consent,
        text_version=request.consent_text_version,
        professional_cpf=request.professional_cpf,
        collection_point=buyer.origin.value,
        evidence=evidence or Evidence(at=now),
    )
    order = order.model_copy(update={"consents": [OrderConsent.of(record) for record in consent_records]})
    consent_operations, consent_events = operations_of(consent_records)
    reservations = [(fulfilment.store_code, line.sku, line.quantity) for line in priced]

    def attempt() -> PlacedOrder:
        nonlocal order
        order = order.model_copy(update={"order_code": new_order_code()})  # a fresh one each try: codes collide
        try:
            orders.place_order(
                order,
                token_hash=hash_token(access_token),
                idempotency_key=idempotency_key,
                request_hash=fingerprint,
                access_token=access_token,
                reservations=reservations,
                also=consent_operations,
            )
            split_inputs = (data.terms, data.payout_settings)
            return PlacedOrder(order=order, access_token=access_token, replayed=False, split_inputs=split_inputs)
        except IdempotencyKeyTaken as exc:
            # A concurrent retry with the same key won the race: answer with its order.
            replay = _replay(catalog, idempotency_key, fingerprint)
            if replay:
                return replay
            if not exc.refused_skus:
                raise
            refused, cause = exc.refused_skus, exc
        except ReservationsRefused as exc:
            refused, cause = exc.skus, exc
        failed = [line for line in priced if line.sku in refused]
        fresh = _available_at(_read(catalog, lines, buyer.price_table_id), fulfilment.store_code)
        raise _out_of_stock(
            pricing.short_lines(failed, fresh)
            or [ShortLine(sku=f.sku, requested=f.quantity, available=0) for f in failed],
            lines,
        ) from cause

    # Only write conflicts with concurrent checkouts (and a short code drawn twice) are tried again.
    placed = retry_on_conflict(attempt, conflict=WriteConflict, retries=_CONFLICT_RETRIES, pause=(0.01, 0.05))
    if not placed.replayed:
        # The consent records' events are in the outbox: they go on the bus with the order's OrderPlaced, in one
        # publish (``orders.payment.charge_order``), or with the outbox sweep if the charge fails.
        placed = replace(placed, consent_events=tuple(consent_events))
        # The catalog pages' availability follows (the read model); the checkout stays the authority.
        announce_stock_reserved(
            catalog.merchant_id, order.order_id, fulfilment.store_code, [s for _, s, _ in reservations]
        )
    return placed


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _token_opens(pointer: dict, order_id: str, token: str) -> bool:
    """The checkout's token (its hash is on the pointer) or a message's link token (``order_link_token``)."""
    if hmac.compare_digest(pointer["token_hash"], hash_token(token)):
        return True
    from vitrine.auth.sessions import order_link_matches

    return order_link_matches(order_id, token)


def order_for_shopper(order_id: str, token: str | None) -> Order:
    """The order, for whoever holds its access token; anyone else learns nothing (404 either way)."""
    pointer = orders.find_order_pointer(order_id) if is_order_id(order_id) else None
    if pointer is None or not token or not _token_opens(pointer, order_id, token):
        raise NotFound("no such order")
    order = orders.get_order(pointer["merchant_id"], order_id)
    if order is None:
        raise NotFound("no such order")
    return order

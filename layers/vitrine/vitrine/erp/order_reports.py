"""What the ERP reports about an order after it booked the sale: preparation, pickup, dispatch (carrier and tracking
code), invoice (the NF-e), delivery, cancellation.

Every report goes through the one state machine (``vitrine.orders.state``): an impossible move is refused (409,
naming from, to and why), a repeated or stale one changes nothing and is answered 200 with ``changed: false``.
A forward movement the order never made, reported for a cancelled or refunded order, is refused (409
``order_cancelled``): its money went back, so its goods must not leave.
A cancellation goes through ``gateway_sync.cancel``, so the money goes back to the payer and the units back on sale;
it is how an order the merchant asked to cancel in Vitrine (``cancellation_requested`` in the feed, event
``OrderCancellationRequested``) is cancelled once the ERP has it.
"""

from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, RootModel, ValidationError

from vitrine.errors import Conflict, InvalidInput, NotFound, validation_details
from vitrine.lazy_models import LazyModel
from vitrine.orders import gateway_sync, lifecycle
from vitrine.orders.models import ERP_REASON, Invoice, Order, OrderStatus, Shipment, StatusChange
from vitrine.payments.port import PaymentGateway
from vitrine.repository import order_state


class _Report(LazyModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PreparationStartedReport(_Report):
    status: Literal["in_preparation"]


class ReadyForPickupReport(_Report):
    status: Literal["ready_for_pickup"]


class DispatchedReport(Shipment):
    status: Literal["dispatched"]


class InvoicedReport(_Report):
    status: Literal["invoiced"]
    invoice: Invoice


class DeliveredReport(_Report):
    status: Literal["delivered"]


class CancelledReport(_Report):
    status: Literal["cancelled"]
    reason: Literal["erp_cancelled", "out_of_stock", "customer_request"] = "erp_cancelled"


_TAGS = frozenset(str(status) for status in OrderStatus)


class OrderEventReport(
    RootModel[
        Annotated[
            PreparationStartedReport
            | ReadyForPickupReport
            | DispatchedReport
            | InvoicedReport
            | DeliveredReport
            | CancelledReport,
            Field(discriminator="status"),
        ]
    ]
):
    """One report, its fields chosen by ``status``."""

    @classmethod
    def model_validate_json(cls, json_data: str | bytes | bytearray, **kwargs: Any) -> "OrderEventReport":
        # pydantic puts the union's tag first in an error's location (``invoiced.invoice.access_key``); the ERP
        # is told the field as it sent it: ``body.invoice.access_key``.
        try:
            return super().model_validate_json(json_data, **kwargs)
        except ValidationError as exc:
            details = validation_details(exc, "body")
            for detail in details:
                parts = detail["field"].split(".")
                if len(parts) > 2 and parts[1] in _TAGS:
                    detail["field"] = ".".join([parts[0], *parts[2:]])
            raise InvalidInput("request body is not valid", details=details) from exc


class ErpOrderState(LazyModel):
    """The order after a report."""

    order_id: str
    status: OrderStatus
    version: int
    changed: bool = Field(description="False: the report repeated what the order already said (nothing written).")
    invoice: Invoice | None
    shipment: Shipment | None
    status_history: list[StatusChange]


def report_order_event(
    merchant_id: str, order_id: str, report: OrderEventReport, *, gateway: Callable[[], PaymentGateway]
) -> ErpOrderState:
    """Apply the ERP's report to the order; ``gateway`` is called only for a cancellation (refund and release)."""
    found = order_state.read_order(merchant_id, order_id)
    if found is None:
        raise NotFound("no such order")
    before, _ = found
    event = report.root
    if not isinstance(event, CancelledReport):
        _refuse_goods_leaving_a_cancelled_order(before, OrderStatus(event.status))
    if isinstance(event, CancelledReport):
        after = gateway_sync.cancel(gateway(), merchant_id, order_id, reason=event.reason)
    else:
        after = lifecycle.move_order(
            merchant_id,
            order_id,
            OrderStatus(event.status),
            reason=ERP_REASON,
            invoice=event.invoice if isinstance(event, InvoicedReport) else None,
            shipment=Shipment.model_validate(event.model_dump(exclude={"status"}))
            if isinstance(event, DispatchedReport)
            else None,
        )
    return _state(after, changed=after.version != before.version)


class OrderWasCancelled(Conflict):
    code = "order_cancelled"


def _refuse_goods_leaving_a_cancelled_order(order: Order, reported: OrderStatus) -> None:
    """A cancelled or refunded order's money went back: a forward movement it never made is refused (409), so the
    goods do not leave. A status it has been in is a repeat, answered ``changed: false`` as any other."""
    if order.status not in (OrderStatus.CANCELLED, OrderStatus.REFUNDED):
        return
    if any(change.status is reported for change in order.status_history):
        return
    ended = order.status_history[-1]
    why = f"the order was {order.status} ({ended.reason or 'no reason given'}) and its money returned"
    raise OrderWasCancelled(
        f"order {order.order_id} cannot become {reported}: {why}; do not prepare, invoice or ship it",
        details=[{"field": "body.status", "reason": why}],
    )


def _state(order: Order, *, changed: bool) -> ErpOrderState:
    return ErpOrderState(
        order_id=order.order_id,
        status=order.status,
        version=order.version,
        changed=changed,
        invoice=order.invoice,
        shipment=order.shipment,
        status_history=order.status_history,
    )

"""The stock jobs the scheduler runs. Each is idempotent step by step, so a crashed run is finished by the next.

``release_expired_reservations`` cancels unpaid orders past their reservation and publishes domain events a
crashed move left in the outbox (``vitrine.orders.reservation_sweep``). ``sync_erp_connectors``
polls the merchants' ERP connectors that are due (``vitrine.erp.connector_polling``).
"""

from datetime import UTC, datetime

from vitrine.schedules.runner import ScheduledInvocation

# A sweep looks this far back (a sweeper down for longer leaves older orders to a manual sweep) and handles at
# most this many orders, so it ends well inside the function's timeout; the next run takes the rest.
LOOKBACK_HOURS = 48
ORDERS_PER_RUN = 200


def release_expired_reservations(invocation: ScheduledInvocation) -> dict:
    # Imported here: the order rules (state machine, events, gateway) cost the other jobs' cold starts ~0.1 s.
    from vitrine.orders import reservation_sweep
    from vitrine.payments.pagarme import get_gateway

    return reservation_sweep.release_expired_reservations(
        invocation.scheduled_time, lookback_hours=LOOKBACK_HOURS, limit=ORDERS_PER_RUN, gateway=get_gateway
    )


def sync_erp_connectors(invocation: ScheduledInvocation) -> dict:
    # Imported here: the reservation sweeper, which runs every minute too, never needs the connector's modules.
    from vitrine.erp.connector_polling import poll_due_connectors

    # What is due by the time the run starts: a retried run, or one fired on demand right after a connector was
    # configured, is later than its (whole-second) scheduled time.
    return poll_due_connectors(max(invocation.scheduled_time, datetime.now(UTC)))

"""The stock jobs the scheduler runs. Each is idempotent step by step, so a crashed run is finished by the next.

Both jobs have no work to find yet: reservations are written by checkout (storefront) and released with
their orders (payments); ERP connectors are configured by the ERP integration. They report what they did.
"""

from vitrine.schedules.runner import ScheduledInvocation


def release_expired_reservations(invocation: ScheduledInvocation) -> dict:
    return {"released": 0}


def sync_erp_connectors(invocation: ScheduledInvocation) -> dict:
    return {"connectors_polled": 0}

"""The professional's CPF on an order after checkout (``PUT/DELETE /merchant/v1/orders/{order_id}/loyalty-cpf``):
set, changed or removed until the order's points are recorded for the partner; after that a 409 that says so.
Each change is kept in the order's ``loyalty_cpf_history`` (who, when, which CPF) and told as
``OrderLoyaltyCpfChanged``.
"""

from datetime import UTC, datetime

from vitrine.errors import Conflict, NotFound
from vitrine.ids import is_order_id
from vitrine.repository import loyalty as store
from vitrine.repository.loyalty import CpfLocked, OrderMissing


class PointsAlreadySent(Conflict):
    pass


def _record_sharing(merchant_id: str, order_id: str, cpf: str, moment: datetime) -> None:
    """A CPF a member of staff (or an integration) sets is one the professional gave at the counter, where they were
    asked the loyalty text: its ``loyalty_sharing`` grant is recorded with collection point ``console``."""
    from vitrine.consents import records, texts
    from vitrine.consents.checkout import loyalty_sharing_grant
    from vitrine.consents.models import Evidence

    grant = loyalty_sharing_grant(merchant_id, cpf, texts.CURRENT_VERSION, "console", Evidence(at=moment), order_id)
    records.record([grant])


def change_professional_cpf(
    merchant_id: str, order_id: str, cpf: str | None, *, by: str | None, now: datetime | None = None
) -> None:
    """Set (``cpf``) or remove (``None``) the order's professional CPF."""
    if not is_order_id(order_id):
        raise NotFound("no such order")
    moment = now or datetime.now(UTC)
    change = {"cpf": cpf, "at": moment.isoformat(), "by": by}
    try:
        store.set_order_cpf(merchant_id, order_id, cpf, change)
        if cpf:
            _record_sharing(merchant_id, order_id, cpf, moment)
    except OrderMissing as exc:
        raise NotFound("no such order") from exc
    except CpfLocked as exc:
        message = "os pontos deste pedido já foram enviados ao programa de fidelidade: o CPF não pode mais mudar"
        raise PointsAlreadySent(
            message, details=[{"field": "body.cpf" if cpf else "order_id", "reason": "points already sent"}]
        ) from exc
    # Told on the bus (the CPF itself stays off it): an order invoiced without a CPF scores once it has one. Published
    # after the write; if the bus fails the caller gets a 503 and its retry writes and tells again.
    from vitrine.events.envelope import OrderLoyaltyCpfChanged, new_event
    from vitrine.events.publisher import publish

    event = new_event(
        merchant_id, OrderLoyaltyCpfChanged(order_id=order_id, cpf_given=cpf is not None), occurred_at=moment
    )
    publish([event], source="vitrine.catalog_api")

"""A card charge as the payment port describes it, for the tests of the rules that read one (order state,
refund amounts, declines): each test names only the fields its rule reads.

Importable by name from every test folder: pytest puts tests/ (the folder of the root conftest.py) on ``sys.path``.
"""

from typing import Any

from vitrine.payments.port import Charge, ChargeStatus, PaymentMethod


def card_charge(**fields: Any) -> Charge:
    """A paid R$ 60,80 card charge of order ``ord_01``, with ``fields`` changed (``gateway_status`` follows
    ``status`` unless given)."""
    status = fields.pop("status", ChargeStatus.PAID)
    values: dict[str, Any] = {
        "gateway_order_id": "or_1",
        "charge_id": "ch_1",
        "order_id": "ord_01",
        "merchant_id": "loja-demo",
        "status": status,
        "gateway_status": str(status),
        "method": PaymentMethod.CARD,
        "amount": 6080,
    }
    return Charge(**{**values, **fields})

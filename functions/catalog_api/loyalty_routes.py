"""Merchant routes for loyalty points (issue 19): the scoring settings (``settings``) and the professional's CPF on
an order (``orders.manage``) until its points are sent. The rules live in ``vitrine.loyalty``.
"""

from vitrine.auth.permissions import Permission
from vitrine.http.resolver import Response, Router
from vitrine.http.routing import Auth, Routes
from vitrine.ids import OrderId
from vitrine.loyalty.configuration import get_loyalty_settings, put_loyalty_settings
from vitrine.loyalty.models import LoyaltyCpfInput, LoyaltySettingsInput, LoyaltySettingsView
from vitrine.loyalty.professional_cpf import change_professional_cpf
from vitrine.orders.models import Order
from vitrine.orders.queries import merchant_order

router = Router()
routes = Routes(router, function="CatalogApiFunction", auth=Auth.MERCHANT_API_KEY, tags=("merchant", "loyalty"))
PATH = "/merchant/v1/loyalty"
CPF_PATH = "/merchant/v1/orders/{order_id}/loyalty-cpf"


def _caller() -> str | None:
    principal = routes.principal()
    for attribute, prefix in (("staff_id", "staff"), ("key_id", "key")):
        if (value := getattr(principal, attribute, None)) is not None:
            return f"{prefix}:{value}"
    return None


def _theirs(order_id: str) -> Order:
    """A 404 for an order another seller or store's member may not reach (as the order routes do)."""
    from vitrine.errors import NotFound

    order = merchant_order(routes.merchant_id(), order_id)[0]
    seller, stores = routes.seller_scope(), routes.store_scope(Permission.ORDERS_MANAGE)
    if (seller is not None and order.seller_id != seller) or (stores is not None and order.store_code not in stores):
        raise NotFound("no such order")
    return order


@routes.get(
    PATH,
    permission=Permission.SETTINGS,
    summary="Loyalty points: enabled, scoring mode, participating brands, each store's table, the partner (no key)",
    response=LoyaltySettingsView,
)
def get_loyalty() -> LoyaltySettingsView:
    return get_loyalty_settings(routes.merchant_id())


@routes.put(
    PATH,
    permission=Permission.SETTINGS,
    summary="Replace the loyalty settings; the partner's API key is write-only (left out: the stored one is kept)",
    body=LoyaltySettingsInput,
    response=LoyaltySettingsView,
    notes={
        422: "Invalid input; details name each field (a store that is not the merchant's, no partner while "
        "enabled, a first partner without its key)."
    },
)
def put_loyalty(body: LoyaltySettingsInput) -> LoyaltySettingsView:
    return put_loyalty_settings(routes.merchant_id(), body)


@routes.put(
    CPF_PATH,
    permission=Permission.ORDERS_MANAGE,
    summary="Set or change the professional's CPF that earns the order's loyalty points (until they are sent)",
    body=LoyaltyCpfInput,
    status=204,
    errors=(404, 409),
    notes={409: "The order's points were already sent to the loyalty partner: the CPF stays."},
)
def put_loyalty_cpf(order_id: OrderId, body: LoyaltyCpfInput) -> Response:
    _theirs(order_id)
    change_professional_cpf(routes.merchant_id(), order_id, body.cpf, by=_caller())
    return Response(status_code=204, body="")


@routes.delete(
    CPF_PATH,
    permission=Permission.ORDERS_MANAGE,
    summary="Remove the professional's CPF from the order (it scores no points), until the points are sent",
    status=204,
    errors=(404, 409),
    notes={409: "The order's points were already sent to the loyalty partner: the CPF stays."},
)
def delete_loyalty_cpf(order_id: OrderId) -> Response:
    _theirs(order_id)
    change_professional_cpf(routes.merchant_id(), order_id, None, by=_caller())
    return Response(status_code=204, body="")

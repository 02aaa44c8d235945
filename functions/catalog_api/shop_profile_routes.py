"""Merchant routes for the shop's profile (API key with the ``merchant`` scope): who the shop is on its pages, the
legal identification in their footer and the number of their "Falar com a loja" button. The rules live in
``vitrine.catalogs.shop``.

A route of its own rather than a field of ``/merchant/v1/settings``: the settings say how the shop sells (delivery,
instalments, expiry), this says who it is; each ``PUT`` replaces its whole document, so a client that edits one
never has to send the other back.
"""

from vitrine.auth.permissions import Permission
from vitrine.catalogs import shop
from vitrine.http.resolver import Router
from vitrine.http.routing import Auth, Routes
from vitrine.merchants import ShopProfile

router = Router()
routes = Routes(
    router,
    function="CatalogApiFunction",
    auth=Auth.MERCHANT_API_KEY,
    tags=("merchant",),
    permission=Permission.SETTINGS,
)
PATH = "/merchant/v1/profile"


@routes.get(
    PATH,
    summary="The shop's profile on its pages (with the registered name and CNPJ, which only onboarding sets)",
    response=shop.ShopProfileView,
)
def get_shop_profile() -> shop.ShopProfileView:
    return shop.get_shop_profile(routes.merchant_id())


@routes.put(
    PATH,
    summary=(
        "Replace the shop's profile: corporate name, trade name, address, contact e-mail and phone, WhatsApp, "
        "exchange and return policy (every field optional; the pages show what there is)"
    ),
    body=ShopProfile,
    response=shop.ShopProfileView,
    notes={422: "Invalid input; details name each field. The policy link must be https to a public host."},
)
def put_shop_profile(body: ShopProfile) -> shop.ShopProfileView:
    return shop.update_shop_profile(routes.merchant_id(), body)

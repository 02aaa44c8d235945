"""The console's Configurações: how the shop sells online (instalments, payment expiry, delivery ranges), its stores,
and its people (members of staff, their permission groups, invitations). A member sees the sections their
permissions reach (``settings``, ``staff``); every change goes through the merchant API from the page's script."""

import json
from typing import Any

from console_kit import page, render

from vitrine.auth.permissions import MERCHANT_PERMISSIONS, Permission
from vitrine.http.resolver import Response, Router
from vitrine.http.routing import Routes
from vitrine.people.staff_access import StaffPrincipal

router = Router()
routes = Routes(router, function="ConsoleFunction", tags=("console",))

PERMISSION_LABELS = {
    Permission.CATALOGS: "Vitrines",
    Permission.ORDERS_VIEW: "Ver pedidos",
    Permission.ORDERS_MANAGE: "Gerir pedidos (aprovar, cancelar, reembolsar)",
    Permission.CUSTOMERS: "Clientes e vendedores",
    Permission.RECEIVABLES: "Ver recebíveis",
    Permission.PAYOUTS_MANAGE: "Repasses e antecipação",
    Permission.SETTINGS: "Configurações da loja",
    Permission.INTEGRATIONS: "Integrações (ERP, webhooks, chaves de API)",
    Permission.STAFF: "Equipe e grupos",
}


@routes.get(
    "/painel/configuracoes",
    summary="Console: Configurações, how the shop sells and who works in the console",
    content_type="text/html",
)
@page()
def settings_page(me: StaffPrincipal, base: dict[str, Any]) -> Response:
    context: dict[str, Any] = {"base": base, "settings": None, "staff": None}
    if Permission.SETTINGS not in me.permissions and Permission.STAFF not in me.permissions:
        return render("sem_permissao.html", 403, base=base, permission="settings")
    if Permission.SETTINGS in me.permissions:
        from vitrine.catalogs.management import catalog_choices, get_store_settings

        settings = get_store_settings(me.merchant_id)
        context["settings"] = settings
        context["settings_json"] = json.dumps(settings.model_dump(mode="json"))
        context["stores"], _ = catalog_choices(me.merchant_id)
        from vitrine.loyalty.configuration import get_loyalty_settings

        context["loyalty"] = get_loyalty_settings(me.merchant_id)
        context["loyalty_json"] = json.dumps(context["loyalty"].model_dump(mode="json"))
    if Permission.STAFF in me.permissions:
        from vitrine.people import staff

        context["staff"] = staff.list_staff(me.merchant_id)
        context["groups"] = staff.list_groups(me.merchant_id)
        context["group_names"] = {group.group_id: group.name for group in context["groups"]}
        context["labels"] = PERMISSION_LABELS
        # What this member may hand out: no one grants what they do not hold.
        context["grantable"] = [p for p in PERMISSION_LABELS if p in me.permissions and p in MERCHANT_PERMISSIONS]
    return render("configuracoes.html", **context)

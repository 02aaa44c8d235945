"""The console's Mensagens: the texts the shoppers get at each status (and the shop's own e-mail), each with its
variables, the merchant's text or the default, and a preview with a sample order: the SMS or e-mail bubble beside
what WhatsApp shows (its approved template, which the merchant's text does not change).

The page reads through the core as the member (``settings``) and draws each preview on the server, so it is right
without script; ``assets/messages.js`` previews an edit as it is typed (``POST .../preview``), saves it (``PUT``)
and goes back to the default (``DELETE``) through ``/merchant/v1/message-templates``.
"""

from typing import Any

from console_kit import page, render

from vitrine.auth.permissions import Permission
from vitrine.http.resolver import Response, Router
from vitrine.http.routing import Routes
from vitrine.people.staff_access import StaffPrincipal

router = Router()
routes = Routes(router, function="ConsoleFunction", tags=("console",))


@routes.get(
    "/painel/mensagens",
    summary="Console: Mensagens, the texts of the shoppers' messages with a preview",
    content_type="text/html",
)
@page(Permission.SETTINGS)
def messages_page(me: StaffPrincipal, base: dict[str, Any]) -> Response:
    from vitrine.messaging import merchant_texts

    listed = merchant_texts.list_texts(me.merchant_id).templates
    previews = {
        view.kind.value: merchant_texts.preview(
            view.kind.value, merchant_texts.MessageTextInput(subject=view.subject, text=view.text)
        )
        for view in listed
    }
    return render("mensagens.html", base=base, templates=listed, previews=previews)

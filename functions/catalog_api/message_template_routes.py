"""Merchant routes for the texts of the shoppers' messages (permission ``settings``): each kind's texts beside its
defaults and variables, a replacement, a return to the default, and a preview with a sample order. The rules live
in ``vitrine.messaging.merchant_texts`` and ``vitrine.messaging.templates``."""

from typing import Annotated

from pydantic import Field

from vitrine.auth.permissions import Permission
from vitrine.http.resolver import Router
from vitrine.http.routing import Auth, Routes
from vitrine.messaging import merchant_texts
from vitrine.messaging.merchant_texts import MessagePreview, MessageTextInput, MessageTextList, MessageTextView

router = Router()
routes = Routes(
    router,
    function="CatalogApiFunction",
    auth=Auth.MERCHANT_API_KEY,
    tags=("merchant",),
    permission=Permission.SETTINGS,
)
KindName = Annotated[str, Field(pattern=r"^[a-z_]{1,40}$", description="The message's kind, e.g. paid.")]
PATH = "/merchant/v1/message-templates"
UNKNOWN = {404: "No such kind of message.", 422: "Invalid input; details name each field (an unknown variable, ...)."}


@routes.get(PATH, summary="The messages' texts, each kind's with its variables and defaults", response=MessageTextList)
def list_message_templates() -> MessageTextList:
    return merchant_texts.list_texts(routes.merchant_id())


@routes.put(
    PATH + "/{kind}",
    summary="Replace a kind's texts (SMS and e-mail; WhatsApp sends its approved template): only its variables",
    body=MessageTextInput,
    response=MessageTextView,
    errors=(404,),
    notes=UNKNOWN,
)
def put_message_template(kind: KindName, body: MessageTextInput) -> MessageTextView:
    return merchant_texts.put_text(routes.merchant_id(), kind, body)


@routes.delete(
    PATH + "/{kind}", summary="Send a kind's default texts again", response=MessageTextView, errors=(404, 422)
)
def reset_message_template(kind: KindName) -> MessageTextView:
    return merchant_texts.reset_text(routes.merchant_id(), kind)


@routes.post(
    PATH + "/{kind}/preview",
    summary="A kind's texts as a sample order would get them (nothing is saved)",
    body=MessageTextInput,
    response=MessagePreview,
    errors=(404,),
    notes=UNKNOWN,
)
def preview_message_template(kind: KindName, body: MessageTextInput) -> MessagePreview:
    return merchant_texts.preview(kind, body)

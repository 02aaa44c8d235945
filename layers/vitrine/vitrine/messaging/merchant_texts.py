"""A merchant's own texts for its messages: read them beside the defaults, replace one, go back to the default, and
preview one with sample values (the console's Mensagens page and ``/merchant/v1/message-templates``).

The texts are one item per merchant (``MESSAGETEMPLATES``): a dozen kinds of at most 600 characters, read once per
notifier batch. Only SMS and e-mail say the merchant's text; WhatsApp sends the approved template (see
``templates``), which the preview shows beside it.
"""

from pydantic import ConfigDict, Field

from vitrine.errors import NotFound
from vitrine.inputs import MultilineText, Text
from vitrine.lazy_models import LazyModel
from vitrine.messaging.templates import (
    MAX_SUBJECT,
    MAX_TEXT,
    SPECS,
    Kind,
    Texts,
    check_texts,
    render,
    whatsapp_parameters,
    whatsapp_template_name,
)
from vitrine.repository import messages

# What a preview fills the variables with: a made-up order, never a real shopper.
SAMPLE_VALUES = {
    "nome": "Maria",
    "loja": "Sua Loja",
    "pedido": "K7P2QX",
    "link": "https://vitrine.example.com/c/sua-loja/pedido/exemplo",
    "total": "R$ 149,90",
    "pix_copia_e_cola": "00020126580014br.gov.bcb.pix0136exemplo-de-codigo-pix5204000053039865802BR6304ABCD",
    "pix_validade": "02/12/2026 às 18:30",
    "linha_digitavel": "34191.79001 01043.510047 91020.150008 1 98760000014990",
    "vencimento": "05/12/2026",
    "endereco_retirada": "Centro (São Paulo)",
    "transportadora": "Correios",
    "rastreio": "BR123456789BR",
    "nota_fiscal": "4512",
    "valor_reembolsado": "R$ 49,90",
    "prazo_analise": "04/12/2026 às 10:00",
    "link_painel": "https://vitrine.example.com/painel/pedidos/exemplo",
    "valor": "R$ 1.234,56",
    "data_repasse": "02/12/2026",
    "motivo": "a transferência foi devolvida pelo banco",
}


class MessageTextInput(LazyModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    subject: Text = Field(min_length=1, max_length=MAX_SUBJECT, description="The e-mail's subject.")
    text: MultilineText = Field(min_length=1, max_length=MAX_TEXT, description="The SMS and the e-mail's body.")


class MessageTextView(LazyModel):
    kind: Kind
    label: str = Field(description="What the console calls it, in Portuguese.")
    audience: str = Field(description="shopper or merchant.")
    variables: list[str] = Field(description="What the texts may use, as {name}.")
    subject: str
    text: str
    customised: bool = Field(description="False: the default texts are sent.")
    default_subject: str
    default_text: str
    whatsapp_template: str | None = Field(description="The approved WhatsApp template sent for it (null: e-mail).")


class MessageTextList(LazyModel):
    templates: list[MessageTextView]


class MessagePreview(LazyModel):
    subject: str
    text: str = Field(description="The SMS or e-mail as the sample order would get it.")
    whatsapp_text: str | None = Field(description="What WhatsApp shows: the approved template, filled.")
    whatsapp_parameters: list[str]


def _kind(value: str) -> Kind:
    try:
        return Kind(value)
    except ValueError:
        raise NotFound(
            f"no message kind '{value}'",
            details=[{"field": "kind", "reason": f"one of {', '.join(k.value for k in Kind)}"}],
        ) from None


def _view(kind: Kind, own: dict[str, dict[str, str]]) -> MessageTextView:
    spec = SPECS[kind]
    mine = own.get(kind.value)
    return MessageTextView(
        kind=kind,
        label=spec.label,
        audience=spec.audience.value,
        variables=list(spec.variables),
        subject=mine["subject"] if mine else spec.subject,
        text=mine["text"] if mine else spec.text,
        customised=mine is not None,
        default_subject=spec.subject,
        default_text=spec.text,
        whatsapp_template=whatsapp_template_name(kind) if spec.audience.value == "shopper" else None,
    )


def list_texts(merchant_id: str) -> MessageTextList:
    own = messages.message_templates(merchant_id)
    return MessageTextList(templates=[_view(kind, own) for kind in Kind])


def put_text(merchant_id: str, kind_name: str, body: MessageTextInput) -> MessageTextView:
    kind = _kind(kind_name)
    texts = check_texts(kind, Texts(body.subject, body.text.replace("\r\n", "\n")))
    own = messages.message_templates(merchant_id)
    own[kind.value] = {"subject": texts.subject, "text": texts.text}
    messages.put_message_templates(merchant_id, own)
    return _view(kind, own)


def reset_text(merchant_id: str, kind_name: str) -> MessageTextView:
    kind = _kind(kind_name)
    own = messages.message_templates(merchant_id)
    if own.pop(kind.value, None) is not None:
        messages.put_message_templates(merchant_id, own)
    return _view(kind, own)


def preview(kind_name: str, body: MessageTextInput) -> MessagePreview:
    """The texts as the sample order would get them (checked as a save would check them; nothing is stored)."""
    kind = _kind(kind_name)
    texts = check_texts(kind, Texts(body.subject, body.text.replace("\r\n", "\n")))
    shopper = SPECS[kind].audience.value == "shopper"
    return MessagePreview(
        subject=render(texts.subject, SAMPLE_VALUES),
        text=render(texts.text, SAMPLE_VALUES),
        whatsapp_text=render(SPECS[kind].text, SAMPLE_VALUES) if shopper else None,
        whatsapp_parameters=list(whatsapp_parameters(kind, SAMPLE_VALUES)) if shopper else [],
    )

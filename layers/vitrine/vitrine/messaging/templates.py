"""The messages' texts: one kind per order status (and one to the merchant), the variables each may use, the pt-BR
defaults, and a merchant's own texts.

**Variables** are named in Portuguese, as the merchant edits them (``{nome}``, ``{pedido}``, ``{link}``): a text
may use only its kind's declared ones, as plain ``{name}`` (no ``{a.b}``, ``{a[0]}``, ``{a!r}`` or ``{a:>9}``), so a
merchant's text can neither reach an attribute nor show what the kind does not offer. What the variables hold is no
more than the order's page shows its holder: the first name, the order's code and link, totals, how to pay, the
pickup store's address, the carrier and tracking, the NF-e's number. Never a document, an address of the shopper or
a phone.

**WhatsApp** sends an approved ``utility`` template by name (``vitrine_<kind>``, language ``pt_BR``): outside the
24-hour window a business may only send templates Meta approved, so the merchant's edited text cannot go there. The
templates to submit for approval are the defaults below with their variables as ``{{1}}``, ``{{2}}``... in order of
appearance (``whatsapp_template_bodies``); the body parameters sent are those variables' values in that order.
A merchant's own texts are for SMS and e-mail.
"""

import re
import string
from dataclasses import dataclass
from enum import StrEnum

from vitrine.errors import InvalidInput


class Audience(StrEnum):
    SHOPPER = "shopper"
    MERCHANT = "merchant"


class Kind(StrEnum):
    RECEIVED_PIX = "received_pix"
    RECEIVED_BOLETO = "received_boleto"
    PAID = "paid"
    ON_HOLD = "on_hold"
    IN_PREPARATION = "in_preparation"
    READY_FOR_PICKUP = "ready_for_pickup"
    DISPATCHED = "dispatched"
    INVOICED = "invoiced"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"
    MERCHANT_ORDER_ON_HOLD = "merchant_order_on_hold"
    MERCHANT_PAYOUT_SENT = "merchant_payout_sent"
    MERCHANT_PAYOUT_FAILED = "merchant_payout_failed"


# Every shopper's message may use these.
COMMON = ("nome", "loja", "pedido", "link", "total")


@dataclass(frozen=True)
class KindSpec:
    label: str  # what the console calls it
    audience: Audience
    variables: tuple[str, ...]
    subject: str
    text: str


def _shopper(label: str, extra: tuple[str, ...], subject: str, text: str) -> KindSpec:
    return KindSpec(label, Audience.SHOPPER, COMMON + extra, subject, text)


SPECS: dict[Kind, KindSpec] = {
    Kind.RECEIVED_PIX: _shopper(
        "Pedido recebido (Pix)",
        ("pix_copia_e_cola", "pix_validade"),
        "Recebemos seu pedido {pedido}",
        "Olá, {nome}! Recebemos seu pedido {pedido} na {loja}, de {total}. Pague com o Pix copia e cola até "
        "{pix_validade}: {pix_copia_e_cola} Acompanhe: {link}",
    ),
    Kind.RECEIVED_BOLETO: _shopper(
        "Pedido recebido (boleto)",
        ("linha_digitavel", "vencimento"),
        "Recebemos seu pedido {pedido}",
        "Olá, {nome}! Recebemos seu pedido {pedido} na {loja}, de {total}. Pague o boleto até {vencimento}. "
        "Linha digitável: {linha_digitavel} Acompanhe: {link}",
    ),
    Kind.PAID: _shopper(
        "Pagamento confirmado",
        (),
        "Pedido {pedido}: pagamento confirmado",
        "{nome}, o pagamento do pedido {pedido} ({total}) foi confirmado. A {loja} já vai preparar tudo. "
        "Acompanhe: {link}",
    ),
    Kind.ON_HOLD: _shopper(
        "Pagamento em análise",
        (),
        "Pedido {pedido}: pagamento em análise",
        "{nome}, o pagamento do pedido {pedido} está em análise. Avisaremos assim que for aprovado. {link}",
    ),
    Kind.IN_PREPARATION: _shopper(
        "Em preparação",
        (),
        "Pedido {pedido} em preparação",
        "{nome}, seu pedido {pedido} está sendo preparado pela {loja}. Acompanhe: {link}",
    ),
    Kind.READY_FOR_PICKUP: _shopper(
        "Pronto para retirada",
        ("endereco_retirada",),
        "Pedido {pedido} pronto para retirada",
        "{nome}, seu pedido {pedido} está pronto para retirada em {endereco_retirada}. Leve um documento com foto. "
        "{link}",
    ),
    Kind.DISPATCHED: _shopper(
        "Enviado",
        ("transportadora", "rastreio"),
        "Pedido {pedido} enviado",
        "{nome}, seu pedido {pedido} saiu para entrega ({transportadora}). Rastreio: {rastreio}. Acompanhe: {link}",
    ),
    Kind.INVOICED: _shopper(
        "Nota fiscal emitida",
        ("nota_fiscal",),
        "Pedido {pedido}: nota fiscal emitida",
        "{nome}, a nota fiscal do pedido {pedido} foi emitida (NF-e {nota_fiscal}). Acompanhe: {link}",
    ),
    Kind.DELIVERED: _shopper(
        "Entregue",
        (),
        "Pedido {pedido} entregue",
        "{nome}, seu pedido {pedido} foi entregue. Obrigado por comprar na {loja}! {link}",
    ),
    Kind.CANCELLED: _shopper(
        "Cancelado",
        (),
        "Pedido {pedido} cancelado",
        "{nome}, o pedido {pedido} foi cancelado. Se você já pagou, o valor será devolvido. Dúvidas? Fale com a "
        "{loja}. {link}",
    ),
    Kind.REFUNDED: _shopper(
        "Reembolso",
        ("valor_reembolsado",),
        "Pedido {pedido}: reembolso de {valor_reembolsado}",
        "{nome}, devolvemos {valor_reembolsado} do pedido {pedido}. O prazo para aparecer depende do seu banco ou "
        "cartão. {link}",
    ),
    Kind.MERCHANT_ORDER_ON_HOLD: KindSpec(
        "Pedido em análise (para a loja)",
        Audience.MERCHANT,
        ("pedido", "total", "prazo_analise", "link_painel"),
        "Pedido {pedido} em análise: decida até {prazo_analise}",
        "O pagamento do pedido {pedido} ({total}) ficou em análise antifraude. Aprove ou recuse até "
        "{prazo_analise} no painel: {link_painel}",
    ),
    Kind.MERCHANT_PAYOUT_SENT: KindSpec(
        "Repasse enviado (para a loja)",
        Audience.MERCHANT,
        ("valor", "data_repasse", "link_painel"),
        "Repasse de {valor} enviado",
        "O repasse de {valor} de {data_repasse} foi enviado para a sua conta. Detalhes no painel: {link_painel}",
    ),
    Kind.MERCHANT_PAYOUT_FAILED: KindSpec(
        "Repasse com falha (para a loja)",
        Audience.MERCHANT,
        ("valor", "data_repasse", "motivo", "link_painel"),
        "O repasse de {valor} falhou",
        "O repasse de {valor} de {data_repasse} não chegou à sua conta ({motivo}). O valor volta a ficar disponível "
        "e vai no próximo repasse; confira os dados bancários no painel: {link_painel}",
    ),
}

MAX_TEXT = 600
MAX_SUBJECT = 150
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Texts:
    """What a message of a kind says on SMS and e-mail (the merchant's, or the default)."""

    subject: str
    text: str


def default_texts(kind: Kind) -> Texts:
    spec = SPECS[kind]
    return Texts(spec.subject, spec.text)


def variables_in(template: str) -> list[str]:
    """The variables ``template`` uses, in order of appearance, repeated ones once; raises ``ValueError`` for
    anything that is not a plain ``{name}`` (or a ``{{``/``}}`` brace)."""
    found: list[str] = []
    for _, field, spec, conversion in string.Formatter().parse(template):
        if field is None:
            continue
        if not field.isidentifier() or spec or conversion:
            raise ValueError(f"'{{{field}}}' is not a plain variable")
        if field not in found:
            found.append(field)
    return found


def check_texts(kind: Kind, texts: Texts, *, field: str = "body") -> Texts:
    """A merchant's texts for ``kind``, or ``InvalidInput`` naming what is wrong (an undeclared variable, a
    malformed brace, a control character, too long)."""
    declared = SPECS[kind].variables
    problems = []
    for name, value, limit in (("subject", texts.subject, MAX_SUBJECT), ("text", texts.text, MAX_TEXT)):
        where = f"{field}.{name}"
        if not value.strip():
            problems.append({"field": where, "reason": "empty"})
            continue
        if len(value) > limit:
            problems.append({"field": where, "reason": f"at most {limit} characters"})
        if _CONTROL.search(value if name == "text" else value.replace("\n", "\x00")):
            problems.append({"field": where, "reason": "holds a control character"})
        try:
            unknown = [v for v in variables_in(value) if v not in declared]
        except ValueError as exc:
            problems.append({"field": where, "reason": str(exc)})
            continue
        if unknown:
            problems.append({"field": where, "reason": f"unknown variable {{{unknown[0]}}}; use {', '.join(declared)}"})
    if problems:
        raise InvalidInput("the message's text is not valid", details=problems)
    return Texts(texts.subject.strip(), texts.text.strip())


def render(template: str, values: dict[str, str]) -> str:
    return template.format_map({name: values.get(name, "") for name in variables_in(template)})


def whatsapp_template_name(kind: Kind) -> str:
    return f"vitrine_{kind.value}"


def whatsapp_parameters(kind: Kind, values: dict[str, str]) -> tuple[str, ...]:
    """The approved template's body parameters: the default text's variables' values, in order. WhatsApp refuses
    an empty parameter, so an unknown value is a dash."""
    return tuple(values.get(name) or "-" for name in variables_in(SPECS[kind].text))


def whatsapp_template_bodies() -> dict[str, str]:
    """The bodies to submit to Meta for approval (category ``utility``, language ``pt_BR``), by template name."""
    bodies = {}
    for kind, spec in SPECS.items():
        if spec.audience is not Audience.SHOPPER:
            continue
        numbers = {name: f"{{{{{i}}}}}" for i, name in enumerate(variables_in(spec.text), start=1)}
        bodies[whatsapp_template_name(kind)] = spec.text.format_map(numbers)
    return bodies

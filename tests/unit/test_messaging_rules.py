"""The messages' texts and the providers' error codes, as pure rules."""

import pytest
from messaging_fixtures import PAIR_RATE_LIMIT, RATE_LIMIT, TEMPLATE_MISSING, UNDELIVERABLE

from local_stack.template import load_template
from vitrine.errors import InvalidInput
from vitrine.messaging.handling import PAYOUT_KINDS
from vitrine.messaging.notices import EVENT_TYPES, phone_digits
from vitrine.messaging.port import ProviderUnavailable, Rejected, Throttled, Undeliverable
from vitrine.messaging.templates import (
    SPECS,
    Kind,
    Texts,
    check_texts,
    default_texts,
    render,
    whatsapp_parameters,
    whatsapp_template_bodies,
)
from vitrine.messaging.whatsapp import error_from, sign, signature_valid


@pytest.mark.parametrize("kind", list(Kind))
def test_every_default_text_uses_only_its_declared_variables(kind):
    assert check_texts(kind, default_texts(kind)) == default_texts(kind)


@pytest.mark.parametrize(
    "text, reason",
    [
        ("Olá {cpf}", "unknown variable {cpf}"),
        ("Olá {nome.__class__}", "is not a plain variable"),
        ("Olá {nome[0]}", "is not a plain variable"),
        ("Olá {nome!r}", "is not a plain variable"),
        ("Olá {nome:>40}", "is not a plain variable"),
        ("Olá {nome", "expected '}'"),
        ("Olá \u202e{nome}", "control character"),
        ("x" * 601, "at most 600"),
    ],
)
def test_a_merchants_text_may_hold_only_plain_declared_variables(text, reason):
    with pytest.raises(InvalidInput) as refused:
        check_texts(Kind.PAID, Texts("Pedido {pedido}", text))
    assert any(reason in d["reason"] and d["field"] == "body.text" for d in refused.value.details)


def test_a_subject_is_one_line():
    with pytest.raises(InvalidInput):
        check_texts(Kind.PAID, Texts("Pedido\n{pedido}", "Olá {nome}"))


def test_rendering_fills_the_values_and_braces_stay_literal():
    assert render("{nome}: {{não é variável}} {pedido}", {"nome": "Ana", "pedido": "A1B2"}) == (
        "Ana: {não é variável} A1B2"
    )


def test_whatsapp_templates_number_the_variables_in_order_and_the_parameters_follow():
    bodies = whatsapp_template_bodies()
    assert "vitrine_merchant_order_on_hold" not in bodies  # e-mail only
    paid = bodies["vitrine_paid"]
    assert paid.startswith("{{1}}, o pagamento do pedido {{2}} ({{3}})") and "{{5}}" in paid and "{{6}}" not in paid
    values = {"nome": "Ana", "pedido": "A1B2", "total": "R$ 10,00", "loja": "Loja", "link": "https://x"}
    assert whatsapp_parameters(Kind.PAID, values) == ("Ana", "A1B2", "R$ 10,00", "Loja", "https://x")
    assert whatsapp_parameters(Kind.INVOICED, {})[0] == "-"  # WhatsApp refuses an empty parameter


def test_no_message_offers_a_document_address_or_phone():
    offered = {name for spec in SPECS.values() for name in spec.variables}
    assert not offered & {"cpf", "cnpj", "documento", "telefone", "email", "endereco", "rua"}


@pytest.mark.parametrize(
    "answer, status, kind",
    [
        (RATE_LIMIT, 400, Throttled),
        (PAIR_RATE_LIMIT, 400, Throttled),
        (UNDELIVERABLE, 400, Undeliverable),
        (TEMPLATE_MISSING, 404, Rejected),
        ({"error": {"code": 131000, "message": "Something went wrong"}}, 500, ProviderUnavailable),
        (None, 502, ProviderUnavailable),
    ],
)
def test_whatsapp_error_codes_map_to_what_the_notifier_does(answer, status, kind):
    assert type(error_from(status, answer)) is kind


def test_the_whatsapp_signature_is_the_hmac_of_the_exact_body():
    body = b'{"object":"whatsapp_business_account"}'
    header = sign("secret", body)
    assert signature_valid("secret", body, header)
    assert not signature_valid("secret", body + b" ", header)
    assert not signature_valid("other", body, header)
    assert not signature_valid("secret", body, header.removeprefix("sha256="))


def test_phones_become_e164_digits():
    assert phone_digits("(11) 98888-7777") == "5511988887777"
    assert phone_digits("+55 11 98888-7777") == "5511988887777"


def test_the_template_rule_sends_the_notifier_exactly_the_events_it_speaks_at():
    rule = load_template()["Resources"]["NotifierEventsRule"]["Properties"]["EventPattern"]["detail-type"]
    assert sorted(rule) == sorted({*EVENT_TYPES, *PAYOUT_KINDS, "MessageFailed"})

"""The consent texts a person is shown, versioned in code (pt-BR): what each record's ``text_version`` and
``text_sha256`` point at.

A version is a set of texts, one per purpose, shown together (the checkout's box and its notice): a version, once
released, never changes (its texts' SHA-256 is on every record that cites it, and a test keeps them equal), so a
new wording is a new version, added here with ``CURRENT_VERSION`` moved to it. Old versions stay: a record of 2026
must still say what that person read.
"""

import hashlib
from types import MappingProxyType

from vitrine.consents.models import Purpose

CURRENT_VERSION = "2026-12-01"

TEXTS: MappingProxyType[str, MappingProxyType[Purpose, str]] = MappingProxyType(
    {
        "2026-12-01": MappingProxyType(
            {
                Purpose.ORDER_UPDATES: (
                    "Vamos avisar sobre o andamento do seu pedido (pagamento, preparo, entrega) pelo canal que você "
                    "escolheu. Esses avisos fazem parte da compra e não incluem ofertas."
                ),
                Purpose.MARKETING: (
                    "Quero receber ofertas e novidades da loja pelo canal que escolhi. Posso cancelar quando quiser, "
                    "pelo link que vem em cada mensagem."
                ),
                Purpose.LOYALTY_SHARING: (
                    "Autorizo a loja a compartilhar meu CPF e minhas compras com o programa de fidelidade parceiro, "
                    "para acumular pontos. Posso cancelar quando quiser."
                ),
            }
        ),
    }
)


def is_known_version(version: str) -> bool:
    return version in TEXTS


def text_of(version: str, purpose: Purpose) -> str:
    return TEXTS[version][purpose]


def text_sha256(version: str, purpose: Purpose) -> str:
    """The SHA-256 (hex) of the exact text shown, UTF-8."""
    return hashlib.sha256(text_of(version, purpose).encode()).hexdigest()

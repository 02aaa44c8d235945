"""What a merchant reads about a products CSV, in Portuguese: the import is for merchants without an integrator,
who read its report themselves. Only the words are Portuguese: each error's ``code`` and ``field`` (the CSV's own
column names) stay English, so a program reads a CSV's report as it reads any job's.

Every reason names its line and column (``linha 5, coluna price: preço inválido ...``), so it stands alone in a
list. The rules of the file (``csv_products``) word their own reasons with ``at``; the checks of the item models
(pydantic) are worded here from their error type (``field_check``), and so are the few refusals that come from
applying the items (``applied``: by ``code``), so no English sentence reaches the merchant.
"""

from typing import Any

from pydantic_core import ErrorDetails

from vitrine.erp.appliers.outcome import NEWER_JOB
from vitrine.erp.appliers.products import UNKNOWN_PRODUCT
from vitrine.erp.models import ItemError

NOTHING_VALID = "nenhuma linha do arquivo pode ser importada; nada foi importado"
CANNOT_READ = "o CSV não pode ser lido"
# The SKU pattern (vitrine.ids.Sku) as a merchant types it.
_SKU_CHARACTERS = "só letras sem acento, números, ponto, hífen e sublinhado, sem espaços"


def at(line: int | None, column: str, text: str) -> str:
    return f"linha {line}, coluna {column}: {text}" if line is not None else f"coluna {column}: {text}"


def applied(error: ItemError, ref: str | None, line: int | None) -> ItemError:
    """A refusal met while applying a CSV's item (its product was not there, a later job wrote it), worded."""
    texts = {
        UNKNOWN_PRODUCT: f"não há produto {ref}: importe-o antes com o name e as variantes",
        NEWER_JOB: "ignorado: uma importação ou sincronização enviada depois já gravou este item",
    }
    text = texts.get(error.code or "", "não foi possível aplicar este item")
    return error.model_copy(update={"reason": at(error.line or line, error.field, text), "line": error.line or line})


def field_check(error: ErrorDetails) -> str:
    """pydantic's check of a field, worded for the merchant (its ``type`` is the error's ``code``)."""
    kind, ctx = error["type"], error.get("ctx") or {}
    simple = {
        "missing": "obrigatório",
        "int_type": "um número inteiro",
        "int_parsing": "um número inteiro",
        "bool_type": "sim ou não",
        "string_type": "um texto",
        "list_type": "uma lista",
        "control_character": "sem caracteres de controle, quebras de linha ou marcas de direção do texto",
    }
    if kind in simple:
        return simple[kind]
    if kind in ("too_short", "too_long") and ctx.get("field_type") not in ("List", "Tuple", "Set"):
        kind = f"string_{kind}"  # a length on a text of our own type (``Text``): pydantic says "Value ... items"
    if kind in _BOUNDS:
        return _BOUNDS[kind].format(**ctx)
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern"))
        if "A-Za-z0-9._-" in pattern:
            return f"formato inválido: {_SKU_CHARACTERS}"
        return (
            "formato inválido: só letras sem acento, números, hífen e sublinhado"
            if "A-Za-z0-9_-" in pattern
            else ("formato inválido")
        )
    if kind in ("literal_error", "enum"):
        return f"use um destes: {_expected(ctx)}"
    if kind == "value_error":
        return _value_error(str(ctx.get("error", "")))
    return "valor inválido"


_BOUNDS = {
    "string_too_short": "no mínimo {min_length} caractere(s)",
    "string_too_long": "no máximo {max_length} caracteres",
    "too_short": "no mínimo {min_length} item(ns)",
    "too_long": "no máximo {max_length} itens",
    "greater_than_equal": "no mínimo {ge}",
    "greater_than": "maior que {gt}",
    "less_than_equal": "no máximo {le}",
    "less_than": "menor que {lt}",
}


def _expected(ctx: dict[str, Any]) -> str:
    return str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")


def _value_error(message: str) -> str:
    if "image URL" in message:
        return "um link https:// com o endereço da imagem, sem espaços, aspas ou < >"
    if "each variant has its own sku" in message:
        return "cada variante tem o seu próprio variant_sku"
    return "valor inválido"

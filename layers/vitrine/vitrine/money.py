"""Money is integer centavos (BRL) everywhere; this module is the one place that formats it."""

from typing import Annotated

from pydantic import Field, Strict

# Strict: an amount is a JSON integer; true, 49.9 or "4990" is refused, never read as a price (vitrine.inputs).
Centavos = Annotated[int, Strict(), Field(ge=0, le=10_000_000_000, description="Amount in integer centavos (BRL).")]
SignedCentavos = Annotated[int, Strict(), Field(description="Signed amount in integer centavos (BRL).")]


def format_brl(centavos: int) -> str:
    """``123456`` -> ``"R$ 1.234,56"``; negative amounts as ``"-R$ 1,00"``."""
    if isinstance(centavos, bool) or not isinstance(centavos, int):
        raise TypeError(f"money is integer centavos, got {type(centavos).__name__}")
    sign = "-" if centavos < 0 else ""
    reais, cents = divmod(abs(centavos), 100)
    return f"{sign}R$ {reais:,}".replace(",", ".") + f",{cents:02d}"


def decimal_reais(centavos: int) -> str:
    """``12990`` -> ``"129.90"``: the amount as a decimal number with a point, as Open Graph's
    ``product:price:amount`` and other machine-read formats want it (never a float on the way)."""
    if isinstance(centavos, bool) or not isinstance(centavos, int):
        raise TypeError(f"money is integer centavos, got {type(centavos).__name__}")
    sign = "-" if centavos < 0 else ""
    reais, cents = divmod(abs(centavos), 100)
    return f"{sign}{reais}.{cents:02d}"


def parse_brl(text: str) -> int:
    """``"R$ 1.234,56"`` / ``"1234,56"`` / ``"1.234"`` -> centavos; raises ``ValueError`` on anything else."""
    cleaned = text.strip().replace("\u00a0", " ")
    negative = cleaned.startswith("-")
    cleaned = cleaned.removeprefix("-").strip().removeprefix("R$").strip()
    whole, _, fraction = cleaned.partition(",")
    groups = whole.split(".")
    valid_groups = groups[0].isdigit() and all(len(g) == 3 and g.isdigit() for g in groups[1:])
    if not valid_groups or len(groups[0]) > (3 if len(groups) > 1 else 12) or len(fraction) > 2:
        raise ValueError(f"not a BRL amount: {text!r}")
    if fraction and not fraction.isdigit():
        raise ValueError(f"not a BRL amount: {text!r}")
    value = int("".join(groups)) * 100 + int(fraction.ljust(2, "0") or 0)
    return -value if negative else value

"""Brazilian documents: CPF (people), CNPJ (companies) and the NF-e access key, validated by their check digits.

Values are stored and compared as digits only. The pydantic types accept either form (``123.456.789-09`` or
``12345678909``) and normalise to digits.
"""

from typing import Annotated, Literal

from pydantic import AfterValidator, Field

DocumentType = Literal["cpf", "cnpj"]


def only_digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def _check_digit(digits: str, weights: range | list[int]) -> str:
    """The mod-11 check digit CPF, CNPJ and the NF-e key share: 11 minus the remainder, 0 for a remainder of 0 or 1."""
    total = sum(int(d) * w for d, w in zip(digits, weights, strict=True))
    remainder = total % 11
    return "0" if remainder < 2 else str(11 - remainder)


def is_valid_cpf(value: str) -> bool:
    digits = only_digits(value)
    if len(digits) != 11 or digits == digits[0] * 11 or len(value) > 14:
        return False
    first = _check_digit(digits[:9], range(10, 1, -1))
    second = _check_digit(digits[:10], range(11, 1, -1))
    return digits[9:] == first + second


_CNPJ_WEIGHTS_1 = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
_CNPJ_WEIGHTS_2 = [6, *_CNPJ_WEIGHTS_1]


def is_valid_cnpj(value: str) -> bool:
    digits = only_digits(value)
    if len(digits) != 14 or digits == digits[0] * 14 or len(value) > 18:
        return False
    first = _check_digit(digits[:12], _CNPJ_WEIGHTS_1)
    second = _check_digit(digits[:13], _CNPJ_WEIGHTS_2)
    return digits[12:] == first + second


def format_cnpj(digits: str) -> str:
    """A CNPJ's 14 digits as people write it: 00.000.000/0000-00."""
    return f"{digits[:2]}.{digits[2:5]}.{digits[5:8]}/{digits[8:12]}-{digits[12:]}"


def nfe_check_digit(first_43: str) -> str:
    """The NF-e access key's last digit: mod 11 of the 43 before it, weights 2..9 from the right, repeating."""
    return _check_digit(first_43, [2 + index % 8 for index in reversed(range(len(first_43)))])


def is_valid_nfe_access_key(value: str) -> bool:
    # Digits only, no punctuation: ERPs print the key in groups of four, but send and store it as 44 digits.
    if len(value) != 44 or not value.isascii() or not value.isdigit():
        return False
    return nfe_check_digit(value[:43]) == value[43]


def _cpf(value: str) -> str:
    if not is_valid_cpf(value):
        raise ValueError("invalid CPF (check digits do not match)")
    return only_digits(value)


def _cnpj(value: str) -> str:
    if not is_valid_cnpj(value):
        raise ValueError("invalid CNPJ (check digits do not match)")
    return only_digits(value)


def document_type(document: str) -> DocumentType:
    """Which a valid document is, by its digits: 11 a CPF, 14 a CNPJ."""
    return "cnpj" if len(only_digits(document)) == 14 else "cpf"


def _cpf_or_cnpj(value: str) -> str:
    digits = only_digits(value)
    if len(digits) == 11:
        return _cpf(value)
    if len(digits) == 14:
        return _cnpj(value)
    raise ValueError("a CPF has 11 digits and a CNPJ 14")


# The shapes a client sends, stated in the OpenAPI document (never empty); the validators, which also check the
# digits, name what is wrong in words rather than by pattern.
_CPF_SHAPE = r"[0-9]{3}\.?[0-9]{3}\.?[0-9]{3}-?[0-9]{2}"
_CNPJ_SHAPE = r"[0-9]{2}\.?[0-9]{3}\.?[0-9]{3}/?[0-9]{4}-?[0-9]{2}"
Cpf = Annotated[
    str,
    Field(description="CPF, 11 digits (punctuation accepted).", json_schema_extra={"pattern": f"^{_CPF_SHAPE}$"}),
    AfterValidator(_cpf),
]
Cnpj = Annotated[
    str,
    Field(description="CNPJ, 14 digits (punctuation accepted).", json_schema_extra={"pattern": f"^{_CNPJ_SHAPE}$"}),
    AfterValidator(_cnpj),
]


def _nfe_access_key(value: str) -> str:
    if not is_valid_nfe_access_key(value):
        raise ValueError("invalid NF-e access key: 44 digits whose last is the mod-11 check digit of the others")
    return value


CpfOrCnpj = Annotated[
    str,
    Field(description="CPF or CNPJ.", json_schema_extra={"pattern": f"^(?:{_CPF_SHAPE}|{_CNPJ_SHAPE})$"}),
    AfterValidator(_cpf_or_cnpj),
]
NfeAccessKey = Annotated[
    str,
    Field(
        min_length=44,
        max_length=44,
        pattern=r"^\d{44}$",
        description="NF-e access key (chave de acesso): 44 digits, the last the mod-11 check digit.",
    ),
    AfterValidator(_nfe_access_key),
]

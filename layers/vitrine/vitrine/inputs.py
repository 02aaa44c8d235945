"""The value types input models are made of: what a count, a flag and a person's text are, said once.

JSON bodies are read strictly where a guess would move money or stock: a ``Count`` is a JSON integer (``true``,
``1.0`` and ``"1"`` are refused, not read as 1) and a ``Flag`` a JSON boolean (``1``, ``0`` and ``"false"`` are
refused, not read as a yes or a no); money is ``vitrine.money.Centavos``, strict the same way. Query strings are text
by nature, so query models keep plain ``int`` (``?limit=10`` is fine).

Text a person or an ERP typed (names, addresses, titles) holds no control character: none of Unicode's Cc
category (NUL, TAB, CR, LF, ESC, ...), no line or paragraph separator (U+2028, U+2029), and no bidirectional
override or isolate (U+202A-U+202E, U+2066-U+2069), which make a name read otherwise than it is spelled on a
receipt, in a CSV export or on the ERP's screen. ``MultilineText`` (descriptions) also takes TAB, LF and CR.
Passwords are left as they are: they are never shown, only hashed. Both text types say their rule in the OpenAPI
document as a ``pattern``; types that have a pattern of their own (e-mail, URLs) build it from ``REFUSED``.
"""

import re
from typing import Annotated, Any

from pydantic import Field, GetCoreSchemaHandler, GetJsonSchemaHandler, Strict
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

Count = Annotated[int, Strict()]
Flag = Annotated[bool, Strict()]

# The refused characters as the inside of a regex character class: the same text is a pattern for Python's re,
# for pydantic's regex engine and for the ECMA-262 regexes of JSON Schema.
REFUSED = r"\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_REFUSED_IN_MULTILINE = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"


class _RefusesControlCharacters:
    """Marks a ``str`` that refuses the characters of ``refused`` (a character class), naming the first found."""

    def __init__(self, refused: str) -> None:
        self.pattern = f"^[^{refused}]*$"
        self._first_refused = re.compile(f"[{refused}]")

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema.setdefault("pattern", self.pattern)
        return json_schema

    def _check(self, value: str) -> str:
        found = self._first_refused.search(value)
        if found is not None:
            raise PydanticCustomError(
                "control_character",
                "must not hold control characters, line breaks or bidirectional overrides (found U+{code})",
                {"code": f"{ord(found.group()):04X}"},
            )
        return value


Text = Annotated[str, _RefusesControlCharacters(REFUSED)]
MultilineText = Annotated[str, _RefusesControlCharacters(_REFUSED_IN_MULTILINE)]

_ADDRESS_PART = rf"[^@\s{REFUSED}]+"
Email = Annotated[str, Field(max_length=254, pattern=rf"^{_ADDRESS_PART}@{_ADDRESS_PART}\.{_ADDRESS_PART}$")]
# [0-9], not \d: pydantic's \d takes any Unicode digit, JSON Schema's only ASCII ones.
Phone = Annotated[str, Field(pattern=r"^\+?[0-9 ()-]{10,20}$")]
# Every list's cursor is its last key, base64url without padding: anything else is not one of ours.
Cursor = Annotated[
    str, Field(max_length=500, pattern=r"^[A-Za-z0-9_-]+$", description="`next_cursor` of the page before.")
]

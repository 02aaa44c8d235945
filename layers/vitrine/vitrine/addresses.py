"""The Brazilian postal address every boundary shares: a checkout's delivery, a customer's addresses, the ERP's
order feed (kept apart from the domain models, so people and orders both read it without importing each other)."""

from typing import Annotated

from pydantic import ConfigDict, Field

from vitrine.lazy_models import LazyModel

Cep = Annotated[str, Field(pattern=r"^\d{5}-?\d{3}$", description="CEP, 8 digits (01310-100).")]


class Address(LazyModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    cep: Cep
    street: str = Field(min_length=1, max_length=120)
    number: str = Field(min_length=1, max_length=20)
    complement: str = Field(default="", max_length=60)
    district: str = Field(min_length=1, max_length=60)
    city: str = Field(min_length=1, max_length=60)
    state: str = Field(pattern=r"^[A-Z]{2}$")

"""The Brazilian postal address every boundary shares: a checkout's delivery, a customer's addresses, the ERP's
order feed (kept apart from the domain models, so people and orders both read it without importing each other)."""

from typing import Annotated

from pydantic import ConfigDict, Field

from vitrine.inputs import Text
from vitrine.lazy_models import LazyModel

# [0-9], not \d: pydantic's \d takes any Unicode digit (٠١٢), JSON Schema's only ASCII ones.
Cep = Annotated[str, Field(pattern=r"^[0-9]{5}-?[0-9]{3}$", description="CEP, 8 digits (01310-100).")]


class Address(LazyModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    cep: Cep
    street: Text = Field(min_length=1, max_length=120)
    number: Text = Field(min_length=1, max_length=20)
    complement: Text = Field(default="", max_length=60)
    district: Text = Field(min_length=1, max_length=60)
    city: Text = Field(min_length=1, max_length=60)
    state: str = Field(pattern=r"^[A-Z]{2}$")

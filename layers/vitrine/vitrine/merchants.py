"""The merchant (lojista): the tenant every other record belongs to."""

from pydantic import BaseModel, ConfigDict, Field

from vitrine.documents import Cnpj
from vitrine.ids import MerchantId


class Merchant(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    merchant_id: MerchantId
    name: str = Field(min_length=1, max_length=120)
    cnpj: Cnpj
    whatsapp: str | None = Field(default=None, pattern=r"^\+?\d{10,15}$")

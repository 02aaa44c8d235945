"""What a storefront page shows about the shop (``ShopIdentity``), as a catalog's read model keeps it and the
footer reads it; ``vitrine.catalogs.shop`` builds it from the merchant's records.

Plain dataclasses: a view reads the identity back from the read model it wrote itself (the profile was validated
when the merchant saved it), so reading it needs neither the merchants' models nor pydantic's."""

import dataclasses
import urllib.parse
from dataclasses import dataclass
from typing import Any

from vitrine.documents import only_digits

WHATSAPP_CHAT = "https://wa.me/"


@dataclass(frozen=True)
class ShopAddress:
    """The shop's physical address as its pages print it (a ``vitrine.addresses.Address``, already validated)."""

    cep: str
    street: str
    number: str
    complement: str
    district: str
    city: str
    state: str


@dataclass(frozen=True)
class ShopIdentity:
    """What a page shows about the shop; ``None`` fields are left out of the page."""

    name: str | None
    corporate_name: str | None
    cnpj: str | None  # formatted 00.000.000/0000-00
    address: ShopAddress | None
    email: str | None
    phone: str | None
    whatsapp: str | None  # digits, country code first
    return_policy_url: str | None
    return_policy_text: str | None

    def to_json(self) -> dict[str, Any]:
        """As a catalog's read model keeps it (``vitrine.catalogs.read_model``)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, values: dict[str, Any] | None) -> "ShopIdentity | None":
        if values is None:
            return None
        address = values.get("address")
        return cls(**{**values, "address": ShopAddress(**address) if address else None})

    def whatsapp_url(self, message: str) -> str | None:
        """The "Falar com a loja" link with ``message`` typed in, or ``None`` without a number."""
        if not self.whatsapp:
            return None
        return f"{WHATSAPP_CHAT}{self.whatsapp}?text={urllib.parse.quote(message, safe='')}"


def phone_link(phone: str) -> str:
    """A ``tel:`` link for a Brazilian number as shoppers read it ("(11) 3333-4444" is +55 11 3333-4444)."""
    digits = only_digits(phone)
    if len(digits) in (10, 11) and not phone.lstrip().startswith("+"):
        digits = "55" + digits
    return f"tel:+{digits}"

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


def shop_identity(merchant_id: str) -> ShopIdentity:
    """The shop as its pages show it, read from its two records (one ``BatchGetItem``)."""
    from vitrine.repository import shop_records

    return identity_from_records(*shop_records.merchant_and_profile(merchant_id))


def identity_from_records(merchant: dict[str, Any] | None, profile: dict[str, Any] | None) -> ShopIdentity:
    """The shop from the operator's record and the merchant's profile, as stored (or as their models dump them):
    the trade name, else the registered name; the CNPJ formatted; the rest the profile's own."""
    from vitrine.documents import format_cnpj

    merchant, profile = merchant or {}, profile or {}
    address = profile.get("address")
    return ShopIdentity(
        name=profile.get("trade_name") or merchant.get("name"),
        corporate_name=profile.get("corporate_name"),
        cnpj=format_cnpj(merchant["cnpj"]) if merchant.get("cnpj") else None,
        address=ShopAddress(**{name: address.get(name, "") for name in _ADDRESS_FIELDS}) if address else None,
        email=profile.get("email"),
        phone=profile.get("phone"),
        whatsapp=profile.get("whatsapp"),
        return_policy_url=profile.get("return_policy_url"),
        return_policy_text=profile.get("return_policy_text"),
    )


_ADDRESS_FIELDS = tuple(field.name for field in dataclasses.fields(ShopAddress))


def phone_link(phone: str) -> str:
    """A ``tel:`` link for a Brazilian number as shoppers read it ("(11) 3333-4444" is +55 11 3333-4444)."""
    digits = only_digits(phone)
    if len(digits) in (10, 11) and not phone.lstrip().startswith("+"):
        digits = "55" + digits
    return f"tel:+{digits}"

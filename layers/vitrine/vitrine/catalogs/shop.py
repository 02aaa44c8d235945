"""The shop's identity on its pages: the merchant's own profile (editable through its API) joined with what the
operator onboarded (the registered name and the CNPJ), as the storefront's footer and its "Falar com a loja"
button show it.

Two records, not one: the CNPJ is the document the merchant's gateway recipient was created with, so the merchant
cannot change it through its own API (as ``SettlementTerms`` are kept apart from ``StoreSettings``); the rest is
the merchant's to say. A page reads both in one ``BatchGetItem``. The footer is the merchant's public data, the
same for every shopper, so the pages that show it stay cacheable by a CDN.
"""

import dataclasses
import urllib.parse
from dataclasses import dataclass
from typing import Any

from vitrine.addresses import Address
from vitrine.documents import format_cnpj, only_digits
from vitrine.merchants import Merchant, ShopProfile
from vitrine.repository import merchants

WHATSAPP_CHAT = "https://wa.me/"


class ShopProfileView(ShopProfile):
    """The profile with what the pages add to it from the merchant's registration (read-only here)."""

    registered_name: str | None = None
    cnpj: str | None = None


@dataclass(frozen=True)
class ShopIdentity:
    """What a page shows about the shop; ``None`` fields are left out of the page."""

    name: str | None
    corporate_name: str | None
    cnpj: str | None  # formatted 00.000.000/0000-00
    address: Address | None
    email: str | None
    phone: str | None
    whatsapp: str | None  # digits, country code first
    return_policy_url: str | None
    return_policy_text: str | None

    def to_json(self) -> dict[str, Any]:
        """As a catalog's read model keeps it (``vitrine.catalogs.read_model``)."""
        values = dataclasses.asdict(self)
        values["address"] = self.address.model_dump(mode="json") if self.address else None
        return values

    @classmethod
    def from_json(cls, values: dict[str, Any] | None) -> "ShopIdentity | None":
        if values is None:
            return None
        address = values.get("address")
        return cls(**{**values, "address": Address.model_validate(address) if address else None})

    def whatsapp_url(self, message: str) -> str | None:
        """The "Falar com a loja" link with ``message`` typed in, or ``None`` without a number."""
        if not self.whatsapp:
            return None
        return f"{WHATSAPP_CHAT}{self.whatsapp}?text={urllib.parse.quote(message, safe='')}"


def get_shop_profile(merchant_id: str) -> ShopProfileView:
    return _view(*merchants.get_merchant_and_profile(merchant_id))


def update_shop_profile(merchant_id: str, profile: ShopProfile) -> ShopProfileView:
    """Replace the merchant's profile (the model already refused what a page must not show); the answer is the
    profile as written, not read back (an eventually consistent read could still see the old one)."""
    merchants.put_shop_profile(merchant_id, profile)
    # Imported here: the pages that show the shop (the cold starts that matter) never publish.
    from vitrine.catalogs.read_model_notices import announce
    from vitrine.events.envelope import ShopProfileChanged

    announce(merchant_id, ShopProfileChanged())
    return _view(merchants.get_merchant(merchant_id), profile)


def _view(merchant: Merchant | None, profile: ShopProfile) -> ShopProfileView:
    return ShopProfileView(
        **dict(profile),
        registered_name=merchant.name if merchant else None,
        cnpj=merchant.cnpj if merchant else None,
    )


def shop_identity(merchant_id: str) -> ShopIdentity:
    merchant, profile = merchants.get_merchant_and_profile(merchant_id)
    return ShopIdentity(
        name=profile.trade_name or (merchant.name if merchant else None),
        corporate_name=profile.corporate_name,
        cnpj=format_cnpj(merchant.cnpj) if merchant else None,
        address=profile.address,
        email=profile.email,
        phone=profile.phone,
        whatsapp=profile.whatsapp,
        return_policy_url=profile.return_policy_url,
        return_policy_text=profile.return_policy_text,
    )


def phone_link(phone: str) -> str:
    """A ``tel:`` link for a Brazilian number as shoppers read it ("(11) 3333-4444" is +55 11 3333-4444)."""
    digits = only_digits(phone)
    if len(digits) in (10, 11) and not phone.lstrip().startswith("+"):
        digits = "55" + digits
    return f"tel:+{digits}"

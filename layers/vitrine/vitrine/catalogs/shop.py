"""The shop's identity on its pages: the merchant's own profile (editable through its API) joined with what the
operator onboarded (the registered name and the CNPJ), as the storefront's footer and its "Falar com a loja"
button show it.

Two records, not one: the CNPJ is the document the merchant's gateway recipient was created with, so the merchant
cannot change it through its own API (as ``SettlementTerms`` are kept apart from ``StoreSettings``); the rest is
the merchant's to say. A page reads both in one ``BatchGetItem``. The footer is the merchant's public data, the
same for every shopper, so the pages that show it stay cacheable by a CDN. What the pages read of it is a
``ShopIdentity`` (``vitrine.catalogs.shop_identity``, built from the two records as stored), kept in each
catalog's read model.
"""

from vitrine.merchants import Merchant, ShopProfile
from vitrine.repository import merchants


class ShopProfileView(ShopProfile):
    """The profile with what the pages add to it from the merchant's registration (read-only here)."""

    registered_name: str | None = None
    cnpj: str | None = None


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

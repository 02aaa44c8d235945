"""Access patterns: merchants, their settings and shop profile (their stores: ``repository.stores``; their API keys:
``repository.api_keys``)."""

from vitrine.merchants import Merchant, ShopProfile, StoreSettings
from vitrine.repository import keys, table
from vitrine.repository.items import model_item, to_model


def put_merchant(merchant: Merchant) -> None:
    table.put(
        model_item(merchant, pk=keys.merchant_pk(merchant.merchant_id), sk=keys.merchant_sk(), item_type="merchant")
    )


def create_merchant(merchant: Merchant) -> bool:
    """Write a new merchant; ``False`` when one of that id exists already (nothing written)."""
    return table.put_new(
        model_item(merchant, pk=keys.merchant_pk(merchant.merchant_id), sk=keys.merchant_sk(), item_type="merchant")
    )


def get_merchant(merchant_id: str) -> Merchant | None:
    item = table.get(keys.merchant_pk(merchant_id), keys.merchant_sk())
    return to_model(Merchant, item) if item else None


def put_store_settings(merchant_id: str, settings: StoreSettings) -> None:
    table.put(model_item(settings, pk=keys.merchant_pk(merchant_id), sk=keys.settings_sk(), item_type="settings"))


def get_store_settings(merchant_id: str) -> StoreSettings:
    item = table.get(keys.merchant_pk(merchant_id), keys.settings_sk())
    return to_model(StoreSettings, item) if item else StoreSettings()


def put_shop_profile(merchant_id: str, profile: ShopProfile) -> None:
    table.put(model_item(profile, pk=keys.merchant_pk(merchant_id), sk=keys.profile_sk(), item_type="shop_profile"))


def get_shop_profile(merchant_id: str) -> ShopProfile:
    item = table.get(keys.merchant_pk(merchant_id), keys.profile_sk())
    return to_model(ShopProfile, item) if item else ShopProfile()


def get_merchant_and_profile(merchant_id: str) -> tuple[Merchant | None, ShopProfile]:
    """The operator's record and the merchant's own profile in one ``BatchGetItem`` (a page's one extra read)."""
    from vitrine.repository import shop_records

    merchant, profile = shop_records.merchant_and_profile(merchant_id)
    return (
        to_model(Merchant, merchant) if merchant else None,
        to_model(ShopProfile, profile) if profile else ShopProfile(),
    )

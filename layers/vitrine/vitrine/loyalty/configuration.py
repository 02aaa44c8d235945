"""The merchant's loyalty settings (``/merchant/v1/loyalty``): read them without the partner's key, replace them.

The partner's API key is stored in the settings item (the table is encrypted at rest), not in SSM: like webhook
secrets, it is the merchant's, set through the API at any time, and one SSM parameter per merchant would need the
API function to write SSM (a permission far wider than its table) and count against the account's parameter limits
and throughput. Whoever can read the table can read it; it lets its holder move points at that merchant's partner
account, not enter Vitrine. A PUT without ``api_key`` keeps the stored one.
"""

from datetime import UTC, datetime

from vitrine.errors import InvalidInput
from vitrine.loyalty.models import (
    LoyaltySettings,
    LoyaltySettingsInput,
    LoyaltySettingsView,
    PartnerSettings,
    PartnerView,
    ScoringMode,
)
from vitrine.repository import loyalty as store
from vitrine.repository import stores


def view(settings: LoyaltySettings | None) -> LoyaltySettingsView:
    if settings is None:
        return LoyaltySettingsView(
            enabled=False, mode=ScoringMode.PER_REAL, brands=[], stores={}, partner=None, updated_at=None
        )
    partner = settings.partner
    return LoyaltySettingsView(
        enabled=settings.enabled,
        mode=settings.mode,
        brands=settings.brands,
        stores=settings.stores,
        partner=PartnerView(base_url=partner.base_url, api_key_set=True, api_key_updated_at=partner.api_key_updated_at)
        if partner
        else None,
        updated_at=settings.updated_at,
    )


def get_loyalty_settings(merchant_id: str) -> LoyaltySettingsView:
    return view(store.get_settings(merchant_id))


def put_loyalty_settings(
    merchant_id: str, body: LoyaltySettingsInput, *, now: datetime | None = None
) -> LoyaltySettingsView:
    """Replace the settings; 422 naming the field for a store that is not the merchant's, an enabled setting
    without a partner, or a first partner without its key."""
    moment = now or datetime.now(UTC)
    before = store.get_settings(merchant_id)
    known = stores.store_codes(merchant_id)
    unknown = sorted(set(body.stores) - known)
    if unknown:
        raise InvalidInput(
            f"not a store of the merchant: {', '.join(unknown)}",
            details=[{"field": f"body.stores.{code}", "reason": "no such store"} for code in unknown],
        )
    partner = None
    if body.partner is not None:
        kept = before.partner if before else None
        if body.partner.api_key is None and kept is None:
            raise InvalidInput(
                "the partner's API key is required the first time",
                details=[{"field": "body.partner.api_key", "reason": "required the first time"}],
            )
        partner = PartnerSettings(
            base_url=body.partner.base_url,
            api_key=body.partner.api_key or (kept.api_key if kept else ""),
            api_key_updated_at=moment if body.partner.api_key or kept is None else kept.api_key_updated_at,
        )
    if body.enabled and partner is None:
        raise InvalidInput(
            "scoring needs the loyalty partner", details=[{"field": "body.partner", "reason": "required while enabled"}]
        )
    brands = list(dict.fromkeys(" ".join(brand.split()) for brand in body.brands))
    settings = LoyaltySettings(
        enabled=body.enabled, mode=body.mode, brands=brands, stores=body.stores, partner=partner, updated_at=moment
    )
    store.put_settings(merchant_id, settings)
    return view(settings)

"""Onboarding a merchant: what the platform's operator does (``POST /operator/v1/merchants``, authorized by IAM;
``vitrine-operator create-merchant`` signs it), never a merchant's key.

One request brings a merchant in: its registered name and CNPJ (``Merchant``, what the gateway recipient and the
pages' legal identification are made from), its stores with their codes (``0001`` a physical store, ``9900`` the
online site; a merchant with several online sites gives each a code of its own), its shop profile's names, and its
owner, who gets a one-time invitation link (7 days) to choose a password (``vitrine.people.staff``).

The gateway recipient is created from the same data when the owner first saves the payout settings with a bank
account (``vitrine.payouts.payout_settings``): pagar.me registers a recipient with its default bank account, which the
operator does not hold, and the holder must be the merchant's CNPJ or its managing partner.

A retry is safe: a merchant whose owner has not been created yet (a request that failed midway) is completed by the
same request again; one whose owner exists is a 409, as a different merchant with that id or that CNPJ's
mismatch is.
"""

from typing import Annotated

from pydantic import ConfigDict, Field, model_validator

from vitrine.catalogs.models import Store
from vitrine.catalogs.store_edits import StoreDetails
from vitrine.documents import Cnpj, only_digits
from vitrine.errors import Conflict, NotFound
from vitrine.ids import MerchantId, StoreCode
from vitrine.inputs import Flag, Text
from vitrine.lazy_models import LazyModel
from vitrine.merchants import Merchant, ShopProfile
from vitrine.people import staff
from vitrine.people.models import Login
from vitrine.repository import merchants
from vitrine.repository import staff as stored_staff
from vitrine.repository import stores as stores_of


class _Input(LazyModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class NewStore(StoreDetails):
    """A store as onboarded: its code and whether it is an online site (which stay), and the details its owner may
    change later (``vitrine.catalogs.store_edits``)."""

    code: StoreCode
    online: Flag = Field(default=False, description="An online site (its orders ship from it), e.g. 9900.")


class NewOwner(_Input):
    name: Text = Field(min_length=2, max_length=120)
    email: Login


class NewMerchant(_Input):
    merchant_id: Annotated[MerchantId, Field(min_length=3)] = Field(description="Lower case letters, digits, dashes.")
    corporate_name: Text = Field(min_length=2, max_length=120, description="Razão social.")
    trade_name: Text | None = Field(default=None, min_length=2, max_length=120, description="Nome fantasia.")
    cnpj: Cnpj
    stores: list[NewStore] = Field(min_length=1, max_length=50)
    owner: NewOwner

    @model_validator(mode="after")
    def _codes_unique(self) -> "NewMerchant":
        codes = [store.code for store in self.stores]
        if len(set(codes)) != len(codes):
            raise ValueError("each store has a code of its own")
        return self


class Onboarded(LazyModel):
    merchant: Merchant
    stores: list[Store]
    owner: staff.StaffMember
    invitation: staff.Invitation | None = Field(description="The owner's one-time link's token (null: they are in).")


class MerchantExists(Conflict):
    code = "merchant_exists"


def onboard(new: NewMerchant) -> Onboarded:
    merchant = Merchant(merchant_id=new.merchant_id, name=new.corporate_name, cnpj=new.cnpj)
    if not merchants.create_merchant(merchant):
        existing = merchants.get_merchant(new.merchant_id)
        if existing is None or only_digits(existing.cnpj) != only_digits(new.cnpj) or _owner(new.merchant_id):
            raise MerchantExists(
                f"merchant '{new.merchant_id}' exists already",
                details=[{"field": "body.merchant_id", "reason": "taken"}],
            )
    stores = [s.to_store(s.code, online=s.online) for s in new.stores]
    for store in stores:
        stores_of.put_store(new.merchant_id, store)
    profile = merchants.get_shop_profile(new.merchant_id)
    names = {"corporate_name": new.corporate_name, "trade_name": new.trade_name or profile.trade_name}
    merchants.put_shop_profile(new.merchant_id, ShopProfile.model_validate({**profile.model_dump(), **names}))
    owner, invitation = staff.create_owner(new.merchant_id, new.owner.name, new.owner.email)
    return Onboarded(merchant=merchant, stores=stores, owner=owner, invitation=invitation)


def _owner(merchant_id: str) -> dict | None:
    return next((item for item in stored_staff.list_staff(merchant_id) if item.get("owner")), None)


def describe(merchant_id: str) -> Onboarded:
    merchant = merchants.get_merchant(merchant_id)
    if merchant is None:
        raise NotFound(f"no merchant '{merchant_id}'")
    owner = _owner(merchant_id)
    if owner is None:
        raise NotFound(f"merchant '{merchant_id}' has no owner yet: onboard it again")
    member = staff.get_member(merchant_id, owner["staff_id"])
    return Onboarded(merchant=merchant, stores=stores_of.list_stores(merchant_id), owner=member, invitation=None)


class _Operator:
    """Who hands out the owner's new invitation: the platform, holding what an owner holds."""

    def __init__(self, merchant_id: str) -> None:
        from vitrine.auth.permissions import MERCHANT_PERMISSIONS

        self.merchant_id = merchant_id
        self.permissions = MERCHANT_PERMISSIONS
        self.owner = True


def invite_owner_again(merchant_id: str) -> staff.Invitation:
    """A fresh invitation for an owner who lost theirs (and has not chosen a password yet)."""
    owner = _owner(merchant_id)
    if owner is None:
        raise NotFound(f"merchant '{merchant_id}' has no owner yet: onboard it again")
    return staff.invite_again(_Operator(merchant_id), owner["staff_id"])

"""Sellers and B2B customers: what the merchant API accepts, what is stored, what callers get back.

Password hashes live only in the stored models and never leave the repository in a response model.
"""

from typing import Annotated

from pydantic import ConfigDict, Field

from vitrine.addresses import Address
from vitrine.documents import CpfOrCnpj
from vitrine.ids import PersonId
from vitrine.inputs import Email, Flag, Phone, Text
from vitrine.lazy_models import LazyModel

PriceTableId = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")]
Login = Annotated[
    Email, Field(min_length=3, description="E-mail address used to sign in (compared case-insensitively).")
]
# Any characters: a password is only ever hashed, never shown (format "password" tells clients to mask it).
Password = Annotated[
    str,
    Field(
        min_length=8,
        max_length=128,
        description="8 to 128 characters; stored as scrypt.",
        json_schema_extra={"format": "password"},
    ),
]


def normalise_login(login: str) -> str:
    return login.strip().lower()


class _Input(LazyModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SellerInput(_Input):
    name: Text = Field(min_length=2, max_length=120)
    email: Login
    password: Password | None = Field(default=None, description="Required when the seller is created.")
    active: Flag = True


class Contact(_Input):
    """Someone to talk to at a B2B customer (buyer, accounts payable, ...)."""

    name: Text = Field(min_length=2, max_length=120)
    role: Text | None = Field(default=None, max_length=60)
    email: Login | None = None
    phone: Phone | None = None


class CustomerInput(_Input):
    name: Text = Field(min_length=2, max_length=120, description="Name or company name.")
    document: CpfOrCnpj
    email: Login
    phone: Phone | None = None
    price_table_id: PriceTableId | None = Field(default=None, description="Prices this customer buys at.")
    contacts: list[Contact] = Field(default_factory=list, max_length=20)
    addresses: list[Address] = Field(default_factory=list, max_length=20, description="Delivery addresses.")


class WebAccessInput(_Input):
    password: Password


class AssignmentInput(_Input):
    customer_ids: list[PersonId] = Field(max_length=500, description="The seller's whole list of customers.")


class Seller(LazyModel):
    seller_id: str
    name: str
    email: str
    active: bool


class Customer(LazyModel):
    customer_id: str
    name: str
    document: str
    email: str
    phone: str | None = None
    price_table_id: str | None = None
    contacts: list[Contact] = Field(default_factory=list)
    addresses: list[Address] = Field(default_factory=list)
    web_access: bool = Field(description="Whether the customer can sign in to the catalogs.")

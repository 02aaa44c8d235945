"""What an ERP sends of its B2B customers and sellers (``vitrine.erp.models`` has the rest)."""

from typing import Literal

from pydantic import AwareDatetime, Field, model_validator

from vitrine.addresses import Address
from vitrine.documents import CpfOrCnpj
from vitrine.erp.models import BatchKind, ErpInput, batch_of
from vitrine.ids import PersonId
from vitrine.inputs import Flag, Phone, Text
from vitrine.people.models import Contact, Login, Password, PriceTableId


class ErpConsent(ErpInput):
    """A consent the ERP collected (its "carta de consentimento"), appended to the customer's consent records
    (collection point ``erp``); the same consent sent again is recorded once."""

    purpose: Literal["order_updates", "marketing", "loyalty_sharing"]
    channel: Literal["whatsapp", "sms", "email", "any"] = Field(
        default="any", description="The channel (order updates and marketing); `any` for loyalty sharing."
    )
    granted: Flag = Field(description="true: a grant; false: a revocation.")
    text_version: str = Field(
        pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", description="The version of Vitrine's consent texts shown."
    )
    collected_at: AwareDatetime = Field(description="When the customer agreed or revoked, as the ERP recorded it.")


class ErpCustomer(ErpInput):
    customer_id: PersonId
    name: Text = Field(min_length=2, max_length=120, description="Name or company name.")
    document: CpfOrCnpj
    email: Login
    phone: Phone | None = None
    price_table_id: PriceTableId | None = Field(
        default=None, description="The table this customer buys at; it must exist (send price tables first)."
    )
    contacts: list[Contact] = Field(default_factory=list, max_length=20)
    addresses: list[Address] = Field(default_factory=list, max_length=20)
    web_access: Flag | None = Field(
        default=None, description="false takes sign-in away; true needs a password the first time; omitted: kept."
    )
    password: Password | None = Field(
        default=None, description="Grants or changes web access. Send it only then: it is hashed, never stored."
    )
    consents: list[ErpConsent] = Field(
        default_factory=list,
        max_length=20,
        description="Consents the ERP collected; each is appended once to the customer's consent records.",
    )

    @model_validator(mode="after")
    def _access_and_password_agree(self) -> "ErpCustomer":
        if self.password is not None and self.web_access is False:
            raise ValueError("a password grants web access: it cannot come with web_access false")
        return self


class ErpSeller(ErpInput):
    seller_id: PersonId
    name: Text = Field(min_length=2, max_length=120)
    email: Login
    active: Flag = True
    password: Password | None = Field(default=None, description="Required for a new seller; send it only then.")
    customer_ids: list[PersonId] | None = Field(
        default=None, max_length=500, description="The seller's whole list of customers; omitted: kept."
    )


CustomerBatch = batch_of("CustomerBatch", BatchKind.CUSTOMERS, ErpCustomer, __name__)
SellerBatch = batch_of("SellerBatch", BatchKind.SELLERS, ErpSeller, __name__)

"""Consent records (LGPD art. 8): who agreed to what, under which text, where and when; and data-subject requests
(art. 18). Models only: ``vitrine.consents`` has the rules, ``vitrine.repository.consents`` the items."""

from enum import StrEnum
from typing import Literal

from pydantic import AwareDatetime, ConfigDict, Field

from vitrine.lazy_models import LazyModel


class Purpose(StrEnum):
    ORDER_UPDATES = "order_updates"  # per channel; legal basis: the contract (art. 7 V)
    MARKETING = "marketing"  # per channel; consent (art. 7 I)
    LOYALTY_SHARING = "loyalty_sharing"  # sharing with the loyalty partner; consent (art. 7 I)


class LegalBasis(StrEnum):
    CONSENT = "consent"  # LGPD art. 7 I
    CONTRACT = "contract"  # LGPD art. 7 V


LEGAL_BASIS = {
    Purpose.ORDER_UPDATES: LegalBasis.CONTRACT,
    Purpose.MARKETING: LegalBasis.CONSENT,
    Purpose.LOYALTY_SHARING: LegalBasis.CONSENT,
}

ConsentChannel = Literal["whatsapp", "sms", "email", "any"]
# "any": a purpose with no channel (the loyalty partner's sharing).
CollectionPoint = Literal["catalog", "seller", "erp", "customer_portal", "console", "link"]


class Evidence(LazyModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    at: AwareDatetime = Field(description="When the person agreed or revoked (as the collection point saw it).")
    client_address: str | None = Field(default=None, description="The client's IP address, when collected online.")
    user_agent: str | None = Field(default=None, max_length=500)


class ConsentRecord(LazyModel):
    """One grant or revocation, never changed once written: the newest record of a (subject, purpose, channel) says
    what is in force."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    record_id: str = Field(description="The record's id (32 hex digits).")
    merchant_id: str = Field(description="The controller (controlador): the merchant.")
    subject_hashes: list[str] = Field(
        description="HMAC-SHA256 (keyed with the merchant id) of the person's normalised CPF/CNPJ, e-mail, phone."
    )
    customer_id: str | None = Field(default=None, description="The merchant's B2B customer, when known.")
    order_id: str | None = Field(default=None, description="The order whose checkout collected it, if any.")
    purpose: Purpose
    channel: ConsentChannel
    granted: bool = Field(description="true: a grant; false: a revocation.")
    legal_basis: LegalBasis
    text_version: str
    text_sha256: str = Field(description="SHA-256 of the text shown, UTF-8, hex.")
    collection_point: CollectionPoint
    evidence: Evidence
    recorded_at: AwareDatetime = Field(description="When Vitrine wrote the record.")


class SubjectRequestKind(StrEnum):
    EXPORT = "export"
    ERASE = "erase"


class DataSubjectRequest(LazyModel):
    model_config = ConfigDict(frozen=True)

    request_id: str
    kind: SubjectRequestKind
    status: Literal["completed", "failed"]
    subject_hashes: list[str]
    requested_by: str | None = Field(default=None, description="Who filed it (an API key's or staff member's id).")
    created_at: AwareDatetime
    completed_at: AwareDatetime | None = None
    counts: dict[str, int] = Field(
        default_factory=dict, description="Items found (export) or anonymised (erase), per holder."
    )
    kept: list[str] = Field(default_factory=list, description="What was kept, and the law that obliges it.")
    error: str | None = None


class OrderConsent(LazyModel):
    """A consent record the order's checkout wrote, as the order (and the ERP's order feed) carries it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    record_id: str
    purpose: Purpose
    channel: ConsentChannel
    granted: bool
    legal_basis: LegalBasis
    text_version: str
    text_sha256: str
    collection_point: CollectionPoint
    collected_at: AwareDatetime

    @classmethod
    def of(cls, record: ConsentRecord) -> "OrderConsent":
        return cls(
            record_id=record.record_id,
            purpose=record.purpose,
            channel=record.channel,
            granted=record.granted,
            legal_basis=record.legal_basis,
            text_version=record.text_version,
            text_sha256=record.text_sha256,
            collection_point=record.collection_point,
            collected_at=record.evidence.at,
        )

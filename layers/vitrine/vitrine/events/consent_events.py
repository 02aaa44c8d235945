"""Consent and data-subject requests (LGPD; ``vitrine.consents``).

Their types are registered in ``vitrine.events.envelope.EVENT_TYPE_MODULES``, which imports this module for the
first envelope of one of them."""

from typing import Literal

from pydantic import AwareDatetime, Field

from vitrine.events.envelope import EventData


class ConsentRecorded(EventData):
    """A consent was granted or revoked (one append-only record): the ERP keeps its "carta de consentimento" in
    step. The person is named by hashes only (``vitrine.consents.subjects``), and the customer id when known."""

    record_id: str
    subject_hashes: list[str] = Field(max_length=3)
    customer_id: str | None = None
    order_id: str | None = None
    purpose: Literal["order_updates", "marketing", "loyalty_sharing"]
    channel: Literal["whatsapp", "sms", "email", "any"]
    granted: bool
    legal_basis: Literal["consent", "contract"]
    text_version: str
    text_sha256: str
    collection_point: Literal["catalog", "seller", "erp", "customer_portal", "console", "link"]
    collected_at: AwareDatetime


class DataSubjectRequestCompleted(EventData):
    """A data-subject request (LGPD art. 18) was answered: ``erase`` tells the ERP to anonymise the same person
    (found by the hashes, or by the customer ids and order ids listed)."""

    request_id: str
    kind: Literal["export", "erase"]
    status: Literal["completed", "failed"]
    subject_hashes: list[str] = Field(max_length=20)
    customer_ids: list[str] = Field(default_factory=list, max_length=100)
    order_ids: list[str] = Field(default_factory=list, max_length=1000)
    counts: dict[str, int] = Field(default_factory=dict)
    kept: list[str] = Field(default_factory=list)

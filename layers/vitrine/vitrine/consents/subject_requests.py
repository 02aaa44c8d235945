"""Data-subject requests (LGPD art. 18): export everything held about a person, or erase (anonymise) it.

**A registry of holders.** Each kind of item that holds personal data registers a holder: ``export(merchant_id,
subject) -> list[dict]`` (the items, as JSON) and ``erase(merchant_id, subject) -> int`` (how many it
anonymised). A request asks every holder, in the order they registered; a new kind of item with personal data
registers its own holder next to its code (``register``), and the export and the erase cover it. Registered here:

- ``messages``: the notifier's records of what was sent to the person about their orders (``recipient``, ``body``,
  ``subject``, ``values``): exported; erase blanks them and keeps each record's status and times;
- ``orders``: the buyer's name, document, e-mail, phone and delivery address. Erase anonymises name, e-mail, phone
  and address and **keeps the buyer's document (CPF/CNPJ)**: the NF-e issued for the order names it, and fiscal
  law obliges the merchant to keep the NF-e's data for five years (LGPD art. 16, I: a legal obligation);
- ``customer_orders``: a B2B customer's "my orders" summaries: order ids only, exported, nothing to erase;
- ``customers``: the B2B customer record (name, e-mail, phone, contacts, addresses). Erase anonymises them, moves
  the login to a placeholder, takes web access away and ends the customer's sessions; the document stays, as on
  the orders. The ERP is the customer's system of record: it is told (``DataSubjectRequestCompleted``) and must
  erase them too, or its next sync writes them back;
- ``consents``: the consent records. They hold hashes, never the identifiers, and are the controller's proof of
  consent (art. 8 §2): exported, kept on erase;
- ``subject_request_exports``: earlier exports of the same person, deleted by an erase.

Not holders, and why: the ERP order feed's entries (order ids only), the event journal, the outbox and the webhook
deliveries (no event carries a name, e-mail, phone or address: ``vitrine.events.envelope``), the gateway webhook
inbox (a hash of the body), sign-in throttles (a hash of the login); sessions are signed tokens, nothing is stored.

A person is named by any of their document, e-mail and phone; an item is theirs when any of its identifiers hashes
(``vitrine.consents.subjects``) like one given. Requests are answered synchronously, while the merchant waits:
``vitrine.repository.personal_data`` has the cost (a read of every order of the merchant) and where it stops
being fine (~50,000 orders). An export is kept a week for download, at most ~350 KB compressed (an item's limit):
past that the request fails and says so.
"""

import json
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from vitrine.consents.models import DataSubjectRequest, SubjectRequestKind
from vitrine.consents.records import history, publish_recorded
from vitrine.consents.subjects import subject_hashes
from vitrine.errors import InvalidInput, NotFound
from vitrine.events.envelope import DataSubjectRequestCompleted, EventEnvelope, new_event
from vitrine.repository import consents as consent_repository
from vitrine.repository import personal_data

MAX_EXPORT_BYTES = 350_000
ANONYMISED_NAME = "Titular anonimizado (LGPD)"
ANONYMISED_EMAIL = "anonimizado@anonimizado.invalid"
KEPT_ON_ERASE = [
    "O CPF/CNPJ do comprador nos pedidos: consta da NF-e, que a legislação fiscal obriga a guardar por 5 anos "
    "(LGPD art. 16, I: cumprimento de obrigação legal).",
    "Os registros de consentimento (só com hashes, sem os dados): são a prova do consentimento (LGPD art. 8, § 2º).",
]


@dataclass(frozen=True)
class Subject:
    """The person a request is about: their hashes for this merchant, and what the holders found of them."""

    merchant_id: str
    hashes: frozenset[str]
    customer_ids: set[str] = field(default_factory=set)
    order_ids: set[str] = field(default_factory=set)
    # The hashes of the person's other identifiers, found on their items (an erase by phone also finds the
    # export made by e-mail, and the consents recorded under either).
    also_known_as: set[str] = field(default_factory=set)

    @property
    def all_hashes(self) -> list[str]:
        return sorted(self.hashes | self.also_known_as)

    def matches(self, *, document: str | None = None, email: str | None = None, phone: str | None = None) -> bool:
        found = subject_hashes(self.merchant_id, document=document, email=email, phone=phone)
        if self.hashes.isdisjoint(found):
            return False
        self.also_known_as.update(found)
        return True

    def knows(self, *, email: str | None = None, phone: str | None = None) -> bool:
        """Whether the address is one of the person's, given or found on their items so far."""
        found = subject_hashes(self.merchant_id, email=email, phone=phone)
        return not (self.hashes | self.also_known_as).isdisjoint(found)


Export = Callable[[str, Subject], list[dict[str, Any]]]
Erase = Callable[[str, Subject], int]


@dataclass(frozen=True)
class Holder:
    name: str
    export: Export
    erase: Erase


HOLDERS: dict[str, Holder] = {}


def register(name: str, export: Export, erase: Erase) -> None:
    """Add a holder of personal data (registering a name again replaces it)."""
    HOLDERS[name] = Holder(name, export, erase)


# --- the holders this module knows --------------------------------------------------------------------------------


def _orders_of(merchant_id: str, subject: Subject) -> list[dict[str, Any]]:
    found = []
    for item in personal_data.order_items(merchant_id):
        buyer = item.get("customer") or {}
        if subject.matches(document=buyer.get("document"), email=buyer.get("email"), phone=buyer.get("phone")):
            found.append(item)
            subject.order_ids.add(item["order_id"])
    return found


def _public(item: dict[str, Any]) -> dict[str, Any]:
    hidden = {"PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK", "type", "password_hash", "content_hash", "money"}
    return {k: v for k, v in item.items() if k not in hidden}


def _export_orders(merchant_id: str, subject: Subject) -> list[dict[str, Any]]:
    return [_public(item) for item in _orders_of(merchant_id, subject)]


def _anonymised_address(address: dict[str, Any]) -> dict[str, Any]:
    # The city and state stay (not the person's: sales by region); street, number, district and CEP go.
    return {
        "cep": "00000-000",
        "street": "Anonimizado",
        "number": "s/n",
        "complement": "",
        "district": "Anonimizado",
        "city": address.get("city", "Anonimizado"),
        "state": address.get("state", "SP"),
    }


def _erase_orders(merchant_id: str, subject: Subject) -> int:
    count = 0
    for item in _orders_of(merchant_id, subject):
        buyer = dict(item.get("customer") or {})
        buyer.update(name=ANONYMISED_NAME, email=ANONYMISED_EMAIL, phone="")
        address = (item.get("fulfilment") or {}).get("address")
        personal_data.anonymise_order(
            merchant_id, item["order_id"], buyer, _anonymised_address(address) if address else None
        )
        count += 1
    return count


def _messages_of(merchant_id: str, subject: Subject) -> list[dict[str, Any]]:
    # The person's orders' messages (the orders holder, before this one, found their ids) sent to them: an order's
    # messages to the merchant (a hold to review) are the merchant's.
    found = []
    for order_id in sorted(subject.order_ids):
        for item in personal_data.message_items(merchant_id, order_id):
            recipient = str(item.get("recipient") or "")
            if not recipient:
                continue
            if subject.knows(email=recipient) if "@" in recipient else subject.knows(phone=recipient):
                found.append(item)
    return found


def _export_messages(merchant_id: str, subject: Subject) -> list[dict[str, Any]]:
    return [_public(item) for item in _messages_of(merchant_id, subject)]


def _erase_messages(merchant_id: str, subject: Subject) -> int:
    found = _messages_of(merchant_id, subject)
    for item in found:
        personal_data.blank_message(item["PK"], item["SK"])
    return len(found)


def _customers_of(merchant_id: str, subject: Subject) -> list[dict[str, Any]]:
    found = []
    for item in personal_data.customer_items(merchant_id):
        identifiers = [(item.get("document"), item.get("email"), item.get("phone"))]
        identifiers += [(None, c.get("email"), c.get("phone")) for c in item.get("contacts") or []]
        if any(subject.matches(document=d, email=e, phone=p) for d, e, p in identifiers):
            found.append(item)
            subject.customer_ids.add(item["customer_id"])
    return found


def _export_customers(merchant_id: str, subject: Subject) -> list[dict[str, Any]]:
    return [_public(item) for item in _customers_of(merchant_id, subject)]


def _erase_customers(merchant_id: str, subject: Subject) -> int:
    count = 0
    for item in _customers_of(merchant_id, subject):
        customer_id = item["customer_id"]
        values = {"name": ANONYMISED_NAME, "phone": None, "contacts": [], "addresses": []}
        personal_data.anonymise_customer(
            merchant_id, item, values, login=f"anonimizado-{customer_id.lower()}@anonimizado.invalid"
        )
        count += 1
    return count


def _export_customer_orders(merchant_id: str, subject: Subject) -> list[dict[str, Any]]:
    return [
        {"customer_id": cid, "order_id": i["order_id"]}
        for cid in sorted(subject.customer_ids)
        for i in personal_data.customer_order_items(merchant_id, cid)
    ]


def _export_consents(merchant_id: str, subject: Subject) -> list[dict[str, Any]]:
    return [r.model_dump(mode="json") for r in history(merchant_id, subject.all_hashes)]


def _nothing(merchant_id: str, subject: Subject) -> int:
    return 0


def _no_items(merchant_id: str, subject: Subject) -> list[dict[str, Any]]:
    return []


def _erase_exports(merchant_id: str, subject: Subject) -> int:
    return consent_repository.delete_exports_of(merchant_id, subject.all_hashes)


register("orders", _export_orders, _erase_orders)
register("messages", _export_messages, _erase_messages)  # after orders: it reads the ids they found
register("customers", _export_customers, _erase_customers)
register("customer_orders", _export_customer_orders, _nothing)  # after customers: it reads the ids they found
register("consents", _export_consents, _nothing)
register("subject_request_exports", _no_items, _erase_exports)


# --- requests ------------------------------------------------------------------------------------------------------


def file_request(
    merchant_id: str,
    kind: SubjectRequestKind,
    *,
    document: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    requested_by: str | None = None,
) -> DataSubjectRequest:
    """Answer the request now, record it with its outcome, and announce it (``DataSubjectRequestCompleted``)."""
    hashes = subject_hashes(merchant_id, document=document, email=email, phone=phone)
    if not hashes:
        raise InvalidInput(
            "name the person by their document, e-mail or phone",
            details=[{"field": "body", "reason": "send document, email or phone"}],
        )
    subject = Subject(merchant_id, frozenset(hashes))
    created_at = datetime.now(UTC)
    request_id = uuid.uuid4().hex
    counts: dict[str, int] = {}
    export: bytes | None = None
    error: str | None = None
    if kind is SubjectRequestKind.EXPORT:
        held: dict[str, list[dict[str, Any]]] = {}
        for holder in HOLDERS.values():
            held[holder.name] = holder.export(merchant_id, subject)
            counts[holder.name] = len(held[holder.name])
        body = {
            "request_id": request_id,
            "merchant_id": merchant_id,
            "generated_at": created_at.isoformat(),
            "subject": {k: v for k, v in (("document", document), ("email", email), ("phone", phone)) if v},
            "holders": held,
        }
        compressed = zlib.compress(json.dumps(body, ensure_ascii=False, default=str, sort_keys=True).encode())
        if len(compressed) > MAX_EXPORT_BYTES:
            error = f"export too large to keep ({len(compressed)} bytes compressed; at most {MAX_EXPORT_BYTES})"
        else:
            export = compressed
    else:
        for holder in HOLDERS.values():
            counts[holder.name] = holder.erase(merchant_id, subject)
    request = DataSubjectRequest(
        request_id=request_id,
        kind=kind,
        status="failed" if error else "completed",
        subject_hashes=subject.all_hashes,
        requested_by=requested_by,
        created_at=created_at,
        completed_at=datetime.now(UTC),
        counts=counts,
        kept=KEPT_ON_ERASE if kind is SubjectRequestKind.ERASE else [],
        error=error,
    )
    event = _completed_event(merchant_id, request, subject)
    # The request, its export and its event's outbox item in one transaction: the ERP is told, or the outbox
    # sweep tells it.
    consent_repository.save_subject_request(merchant_id, request, export, event)
    publish_recorded([event])
    return request


def _completed_event(merchant_id: str, request: DataSubjectRequest, subject: Subject) -> EventEnvelope:
    data = DataSubjectRequestCompleted(
        request_id=request.request_id,
        kind=request.kind.value,
        status=request.status,
        subject_hashes=request.subject_hashes[:20],
        customer_ids=sorted(subject.customer_ids)[:100],
        order_ids=sorted(subject.order_ids)[:1000],
        counts=request.counts,
        kept=request.kept,
    )
    return new_event(merchant_id, data, event_id=f"dsr-{request.request_id}")


def requests_of(merchant_id: str) -> list[DataSubjectRequest]:
    return consent_repository.subject_requests(merchant_id)


def request_of(merchant_id: str, request_id: str) -> DataSubjectRequest:
    found = consent_repository.get_subject_request(merchant_id, request_id) if _is_id(request_id) else None
    if found is None:
        raise NotFound("no such data-subject request")
    return found


def export_of(merchant_id: str, request_id: str) -> dict[str, Any]:
    request = request_of(merchant_id, request_id)
    body = consent_repository.get_export(merchant_id, request.request_id) if request.kind == "export" else None
    if body is None:
        raise NotFound("no export kept for this request (erase requests have none; exports are kept a week)")
    return json.loads(body)


def _is_id(value: str) -> bool:
    return len(value) == 32 and all(c in "0123456789abcdef" for c in value)

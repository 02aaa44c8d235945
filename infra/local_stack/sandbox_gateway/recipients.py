"""The sandbox's recipients (recebedores), in pagar.me v5's shapes: register, read, change the default bank
account, and the KYC link whose page approves the identity check.

``POST /core/v5/recipients`` checks what pagar.me requires since 2024 (the register information of a person or a
company with its managing partners, a default bank account) and answers 422 ``{"message", "errors", "request"}``
naming each missing field; a repeated ``Idempotency-Key`` replays the first answer; a second recipient with the same
``code`` is refused. A new recipient is ``registration``; ``POST /core/v5/recipients/{id}/kyc_link`` answers a
link to ``/kyc/{token}`` here, whose page ("Aprovar identidade") makes it ``active`` (pagar.me passes through
``affiliation`` for a while; the sandbox goes straight on). ``POST /sandbox/recipients/{id}/status`` sets any
status, so tests and demos can show a refused or blocked recipient.
"""

import html
import re
import secrets
import threading
from copy import deepcopy
from datetime import timedelta
from typing import Any

from local_stack.sandbox_gateway.formats import invalid_request, iso_instant, new_id, now_utc

STATUSES = ("registration", "affiliation", "active", "refused", "suspended", "blocked", "inactive")
RECIPIENT_NOT_FOUND = {"message": "Recipient not found."}
KYC_LINK_TTL = timedelta(minutes=20)
_DIGITS = {"bank": r"[0-9]{3}", "branch_number": r"[0-9]{1,4}", "account_number": r"[0-9]{1,13}"}
_ACCOUNT_FIELDS = ("holder_name", "holder_type", "holder_document", *_DIGITS, "account_check_digit", "type")
_PERSON_FIELDS = ("name", "email", "document", "birthdate", "monthly_income", "professional_occupation", "address")
_COMPANY_FIELDS = (
    "company_name",
    "trading_name",
    "email",
    "document",
    "annual_revenue",
    "main_address",
    "managing_partners",
)
# The transparent 1x1 PNG the KYC link's QR code stands for: the sandbox's link is shown as a link.
_QR_PLACEHOLDER = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="


def bank_account_errors(account: Any, where: str) -> dict[str, list[str]]:
    if not isinstance(account, dict):
        return {where: [f"The {where} field is required."]}
    errors = {
        f"{where}.{name}": [f"The {name} field is required."]
        for name in _ACCOUNT_FIELDS
        if not isinstance(account.get(name), str) or not account[name]
    }
    for name, pattern in _DIGITS.items():
        if f"{where}.{name}" not in errors and not re.fullmatch(pattern, account[name]):
            errors[f"{where}.{name}"] = [f"The field {name} is invalid."]
    if f"{where}.type" not in errors and account["type"] not in ("checking", "savings"):
        errors[f"{where}.type"] = ["The field type must be checking or savings."]
    return errors


def recipient_errors(body: Any) -> dict[str, list[str]]:
    if not isinstance(body, dict):
        return {"request": ["The request body must be a JSON object."]}
    errors: dict[str, list[str]] = {}
    if not isinstance(body.get("code"), str) or not body["code"]:
        errors["code"] = ["The code field is required."]
    info = body.get("register_information")
    if not isinstance(info, dict) or info.get("type") not in ("individual", "corporation"):
        errors["register_information.type"] = ["The type field must be individual or corporation."]
    else:
        required = _PERSON_FIELDS if info["type"] == "individual" else _COMPANY_FIELDS
        for name in (*required, "phone_numbers"):
            if info.get(name) in (None, "", []):
                errors[f"register_information.{name}"] = [f"The {name} field is required."]
    errors.update(bank_account_errors(body.get("default_bank_account"), "default_bank_account"))
    return errors


class SandboxRecipients:
    """The recipients the sandbox holds, by id; every method answers ``(status, body)`` as the HTTP face sends it."""

    def __init__(self, base_url: str) -> None:
        self._base_url = base_url
        self._lock = threading.Lock()
        self._recipients: dict[str, dict[str, Any]] = {}
        self._kyc_tokens: dict[str, str] = {}
        self._replies: dict[tuple[str, str], tuple[int, dict[str, Any]]] = {}

    def add_platform(self) -> str:
        """The marketplace's own recipient (the platform's account: fees, liable for chargebacks), active."""
        now = iso_instant(now_utc())
        recipient = {
            "id": new_id("rp_"),
            "name": "Vitrine (plataforma)",
            "email": "financeiro@vitrine.example",
            "document": "11444777000161",
            "type": "company",
            "status": "active",
            "created_at": now,
            "updated_at": now,
            "default_bank_account": None,
            "transfer_settings": {"transfer_enabled": False, "transfer_interval": "Daily", "transfer_day": 0},
            "code": "vitrine-plataforma",
            "payment_mode": "bank_transfer",
            "metadata": {},
        }
        with self._lock:
            self._recipients[recipient["id"]] = recipient
        return recipient["id"]

    def create(self, body: Any, idempotency_key: str | None) -> tuple[int, dict[str, Any]]:
        with self._lock:
            if idempotency_key and ("create", idempotency_key) in self._replies:
                return deepcopy(self._replies["create", idempotency_key])
            errors = recipient_errors(body)
            if not errors and any(r["code"] == body["code"] for r in self._recipients.values()):
                errors = {"code": ["There is already a recipient with this code."]}
            if errors:
                return 422, invalid_request(errors, body)
            info = body["register_information"]
            now = iso_instant(now_utc())
            recipient = {
                "id": new_id("rp_"),
                "name": info.get("trading_name") or info.get("name"),
                "email": info["email"],
                "document": info["document"],
                "type": "company" if info["type"] == "corporation" else "individual",
                "status": "registration",
                "created_at": now,
                "updated_at": now,
                "default_bank_account": self._account(body["default_bank_account"], now),
                "transfer_settings": body.get("transfer_settings")
                or {"transfer_enabled": True, "transfer_interval": "Daily", "transfer_day": 0},
                "code": body["code"],
                "payment_mode": body.get("payment_mode", "bank_transfer"),
                "metadata": body.get("metadata") or {},
                "register_information": deepcopy(info),
            }
            self._recipients[recipient["id"]] = recipient
            reply = (200, deepcopy(recipient))
            if idempotency_key:
                self._replies["create", idempotency_key] = reply
            return deepcopy(reply)

    def get(self, recipient_id: str) -> tuple[int, dict[str, Any]]:
        with self._lock:
            recipient = self._recipients.get(recipient_id)
            return (200, deepcopy(recipient)) if recipient else (404, RECIPIENT_NOT_FOUND)

    def by_code(self, code: str) -> list[dict[str, Any]]:
        """Every recipient registered with ``code`` (pagar.me refuses a second one: at most one)."""
        with self._lock:
            return [deepcopy(r) for r in self._recipients.values() if r["code"] == code]

    def find(self, recipient_id: str) -> dict[str, Any] | None:
        with self._lock:
            recipient = self._recipients.get(recipient_id)
            return deepcopy(recipient) if recipient else None

    def update_bank_account(self, recipient_id: str, body: Any, key: str | None) -> tuple[int, dict[str, Any]]:
        with self._lock:
            if key and ("bank", key) in self._replies:
                return deepcopy(self._replies["bank", key])
            recipient = self._recipients.get(recipient_id)
            if recipient is None:
                return 404, RECIPIENT_NOT_FOUND
            account = body.get("bank_account") if isinstance(body, dict) else None
            errors = bank_account_errors(account, "bank_account")
            if errors:
                return 422, invalid_request(errors, body)
            now = iso_instant(now_utc())
            recipient["default_bank_account"] = self._account(account, now)
            recipient["updated_at"] = now
            reply = (200, deepcopy(recipient))
            if key:
                self._replies["bank", key] = reply
            return deepcopy(reply)

    def kyc_link(self, recipient_id: str) -> tuple[int, dict[str, Any]]:
        with self._lock:
            if recipient_id not in self._recipients:
                return 404, RECIPIENT_NOT_FOUND
            token = secrets.token_urlsafe(16)
            self._kyc_tokens[token] = recipient_id
            expires = iso_instant(now_utc() + KYC_LINK_TTL)
            return 200, {"base64": _QR_PLACEHOLDER, "url": f"{self._base_url}/kyc/{token}", "expiration_date": expires}

    def for_kyc_token(self, token: str) -> dict[str, Any] | None:
        with self._lock:
            recipient = self._recipients.get(self._kyc_tokens.get(token, ""))
            return deepcopy(recipient) if recipient else None

    def approve_kyc(self, token: str) -> None:
        """The representative passed the identity check: a recipient in ``registration`` becomes ``active``."""
        with self._lock:
            recipient = self._recipients.get(self._kyc_tokens.get(token, ""))
            if recipient is not None and recipient["status"] == "registration":
                recipient["status"] = "active"
                recipient["updated_at"] = iso_instant(now_utc())

    def set_status(self, recipient_id: str, status: str) -> tuple[int, dict[str, Any]]:
        if status not in STATUSES:
            return 422, invalid_request({"status": [f"The status must be one of {', '.join(STATUSES)}."]}, status)
        with self._lock:
            recipient = self._recipients.get(recipient_id)
            if recipient is None:
                return 404, RECIPIENT_NOT_FOUND
            recipient["status"] = status
            recipient["updated_at"] = iso_instant(now_utc())
            return 200, deepcopy(recipient)

    @staticmethod
    def _account(account: dict[str, Any], now: str) -> dict[str, Any]:
        fields = (*_ACCOUNT_FIELDS, "branch_check_digit", "metadata")
        return {
            "id": new_id("ba_"),
            **{name: account.get(name) for name in fields},
            "status": "active",
            "created_at": now,
            "updated_at": now,
        }


_STATUS_TEXT = {
    "registration": "Aguardando a verificação de identidade",
    "affiliation": "Em credenciamento",
    "active": "Ativo: pode receber transferências",
    "refused": "Recusado",
    "suspended": "Suspenso",
    "blocked": "Bloqueado",
    "inactive": "Inativo",
}


def render_kyc_page(recipient: dict[str, Any]) -> str:
    """The sandbox's identity-check page (pagar.me's asks for a selfie and a document): one button approves."""
    esc = html.escape
    approve = ""
    if recipient["status"] == "registration":
        approve = (
            "<form method=post><button type=submit>Aprovar identidade</button></form>"
            "<p class=nota>Ambiente de testes: nenhuma foto ou documento é pedido.</p>"
        )
    return (
        "<!doctype html><html lang=pt-BR><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width, initial-scale=1'><link rel=icon href='data:,'>"
        "<title>Verificação de identidade · Sandbox</title><style>"
        "body{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem;color:#222}"
        "button{font-size:1.2rem;padding:.7rem 2.5rem;background:#0a7d38;color:#fff;border:0;border-radius:.4rem}"
        ".nota{color:#666;font-size:.85rem}</style></head><body>"
        f"<h1>Verificação de identidade</h1><p>Recebedor <strong>{esc(str(recipient['name']))}</strong></p>"
        f"<p>Situação: <strong id=situacao>{esc(_STATUS_TEXT.get(recipient['status'], recipient['status']))}</strong>"
        f"</p>{approve}</body></html>"
    )

"""The records the sandbox gateway keeps, as pagar.me shapes them: an order with its customer and one charge, the
charge's transaction (Pix, boleto or card), a card token, a refund's transaction, the charge as ``GET /charges``
shows it, and the changes of state that are only record changes (canceled, refunded, paid, failed, Pix expired).

The gateway (``gateway.py``) holds the records, the lock and the events these functions know nothing of.
"""

import secrets
from copy import deepcopy
from datetime import UTC, datetime, timedelta
from typing import Any

from local_stack.sandbox_gateway.formats import API_PREFIX, iso_instant, new_id, new_uuid, parse_instant
from local_stack.sandbox_gateway.payment_documents import boleto_barcode, boleto_line, card_brand
from vitrine.payments.pix import build_br_code

APPROVED_CARD = "4000000000000010"
DECLINED_CARD = "4000000000000028"
REVIEW_CARD = "4000000000000036"
# The event a new charge announces, by the status it starts in.
CHARGE_EVENTS = {"paid": "charge.paid", "failed": "charge.payment_failed", "pending": "charge.pending"}


def new_order(
    body: dict[str, Any], transaction: dict[str, Any], charge_status: str, amount: int, now: datetime
) -> dict[str, Any]:
    """The order ``POST /orders`` made of ``body``: its customer and one charge carrying ``transaction``."""
    payment = body["payments"][0]
    customer = {
        "id": new_id("cus_"),
        **{k: v for k, v in body["customer"].items() if k != "phones"},
        "document_type": "cpf" if len(str(body["customer"]["document"])) == 11 else "cnpj",
        "delinquent": False,
        "created_at": iso_instant(now),
        "updated_at": iso_instant(now),
        "phones": body["customer"].get("phones", {}),
    }
    code = str(body.get("code") or new_id("", 10).upper())
    metadata = payment.get("metadata") or body.get("metadata") or {}
    charge = {
        "id": new_id("ch_"),
        "code": code,
        "gateway_id": new_uuid(),
        "amount": amount,
        "status": charge_status,
        "currency": "BRL",
        "payment_method": payment["payment_method"],
        "created_at": iso_instant(now),
        "updated_at": iso_instant(now),
        "customer": customer,
        "last_transaction": transaction,
        "metadata": metadata,
    }
    if charge_status == "paid":
        charge.update(paid_amount=amount, paid_at=iso_instant(now))
    return {
        "id": new_id("or_"),
        "code": code,
        "amount": amount,
        "currency": "BRL",
        "closed": body.get("closed", True),
        "items": [
            {
                "id": new_id("oi_"),
                "type": "product",
                "description": item["description"],
                "amount": item["amount"],
                "quantity": item["quantity"],
                "status": "active",
                "created_at": iso_instant(now),
                "updated_at": iso_instant(now),
                **({"code": item["code"]} if "code" in item else {}),
            }
            for item in body["items"]
        ],
        "customer": customer,
        "status": {"paid": "paid", "failed": "failed"}.get(charge_status, "pending"),
        "created_at": iso_instant(now),
        "updated_at": iso_instant(now),
        "closed_at": iso_instant(now),
        "charges": [charge],
        "checkouts": [],
        "metadata": body.get("metadata") or metadata,
    }


def new_transaction_base(payment: dict[str, Any], amount: int, now: datetime) -> dict[str, Any]:
    """What every transaction has, whatever its method."""
    return {
        "id": new_id("tran_"),
        "transaction_type": payment["payment_method"],
        "gateway_id": new_uuid(),
        "amount": amount,
        "created_at": iso_instant(now),
        "updated_at": iso_instant(now),
    }


def pix_transaction(
    base: dict[str, Any], payment: dict[str, Any], now: datetime, *, url: str, merchant_name: str, merchant_city: str
) -> dict[str, Any]:
    """A Pix waiting for payment: a BR Code pointing at the sandbox at ``url``, and its QR code image's address."""
    transaction_id = base["id"]
    expires_at = now + timedelta(seconds=int(payment["pix"].get("expires_in", 86400)))
    txid = transaction_id.removeprefix("tran_")
    qr_code = build_br_code(
        amount=base["amount"],
        merchant_name=merchant_name,
        merchant_city=merchant_city,
        location_url=f"{url.removeprefix('http://')}/pix/v2/{txid}",
        txid=txid,
    )
    return {
        **base,
        "status": "waiting_payment",
        "success": True,
        "qr_code": qr_code,
        "qr_code_url": f"{url}{API_PREFIX}/transactions/{transaction_id}/qrcode?payment_method=pix",
        "expires_at": iso_instant(expires_at),
        "gateway_response": {},
        "antifraud_response": {},
        "metadata": {},
    }


def boleto_transaction(base: dict[str, Any], payment: dict[str, Any], now: datetime, *, url: str) -> dict[str, Any]:
    """A boleto generated: its line, barcode and PDF (served by the sandbox at ``url``) and its pay page."""
    transaction_id = base["id"]
    api_url = url + API_PREFIX
    due_at = parse_instant(payment["boleto"]["due_at"]) if payment["boleto"].get("due_at") else now
    barcode = boleto_barcode(base["amount"], due_at.date(), transaction_id)
    return {
        **base,
        "status": "generated",
        "success": True,
        "url": f"{url}/pay/{transaction_id}",
        "pdf": f"{api_url}/transactions/{transaction_id}/pdf",
        "line": boleto_line(barcode),
        "barcode": f"{api_url}/transactions/{transaction_id}/barcode",
        "nosso_numero": barcode[-8:],
        "type": payment["boleto"].get("type", "DM"),
        "document_number": str(payment["boleto"].get("document_number") or barcode[-8:]),
        "instructions": payment["boleto"].get("instructions", ""),
        "due_at": iso_instant(datetime.combine(due_at.date(), datetime.min.time(), UTC)),
        "gateway_response": {"code": "201"},
        "antifraud_response": {},
    }


def card_transaction(
    base: dict[str, Any], card_request: dict[str, Any], token: dict[str, Any], now: datetime
) -> tuple[dict[str, Any], str]:
    """The card of ``token`` charged as the test cards decide; the transaction and the charge's status."""
    number = token["number"]
    approved, review = number == APPROVED_CARD, number == REVIEW_CARD
    status = "captured" if approved else "authorized_pending_capture" if review else "not_authorized"
    transaction = {
        "operation_key": str(secrets.randbelow(10**9)),
        **base,
        "status": status,
        "success": approved or review,
        "installments": card_request.get("installments", 1),
        "statement_descriptor": card_request.get("statement_descriptor", "VITRINE"),
        "acquirer_name": "simulator",
        "acquirer_tid": str(secrets.randbelow(10**9)),
        "acquirer_nsu": str(secrets.randbelow(10**5)),
        **({"acquirer_auth_code": str(secrets.randbelow(1000))} if approved or review else {}),
        "acquirer_message": {
            "captured": "Transação capturada com sucesso",
            "authorized_pending_capture": "Transação autorizada com sucesso",
        }.get(status, "Transação não autorizada"),
        "acquirer_return_code": "01" if status == "not_authorized" else "00",
        "operation_type": card_request.get("operation_type", "auth_and_capture"),
        "card": {
            "id": new_id("card_"),
            **token["public"]["card"],
            "status": "active",
            "type": "credit",
            "created_at": iso_instant(now),
            "updated_at": iso_instant(now),
        },
        "payment_type": "PAN",
        "funding_source": "credit",
        "gateway_response": {"code": "200", "errors": []},
        "antifraud_response": (
            {"status": "pending", "score": "moderate", "provider_name": "pagarme"}
            if review
            else {"status": "approved", "score": "very_low", "provider_name": "pagarme"}
            if approved
            else {}
        ),
        "metadata": {},
    }
    return transaction, "paid" if approved else "pending" if review else "failed"


def new_card_token(card: dict[str, Any], now: datetime, ttl_seconds: int) -> dict[str, Any]:
    """A card token as ``POST /tokens`` answers it: what may be shown of the card, never its number or CVV."""
    number = str(card["number"])
    return {
        "id": new_id("token_"),
        "type": "card",
        "created_at": iso_instant(now),
        "expires_at": iso_instant(now + timedelta(seconds=ttl_seconds)),
        "card": {
            "first_six_digits": number[:6],
            "last_four_digits": number[-4:],
            "holder_name": str(card["holder_name"]).upper(),
            "exp_month": card["exp_month"],
            "exp_year": card["exp_year"],
            "brand": card_brand(number),
        },
    }


def cancel_pending(order: dict[str, Any], now: str) -> None:
    """A pending charge canceled in full: a card's transaction voided, a Pix's or boleto's canceled."""
    charge = order["charges"][0]
    transaction = charge["last_transaction"]
    voided = "voided" if transaction["transaction_type"] == "credit_card" else "canceled"
    transaction.update(status=voided, updated_at=now)
    charge.update(status="canceled", canceled_amount=charge["amount"], canceled_at=now, updated_at=now)
    order.update(status="canceled", updated_at=now)


def record_refund(order: dict[str, Any], amount: int, now: str) -> dict[str, Any]:
    """Refund ``amount`` of a paid charge: a transaction of its own (``operation_type`` cancel) becomes the last
    one; refunded in full, the charge and its order are canceled. The refund's transaction."""
    charge = order["charges"][0]
    canceled = charge.get("canceled_amount", 0) + amount
    in_full = canceled == charge["paid_amount"]
    refund = {
        **deepcopy(charge["last_transaction"]),
        "id": new_id("tran_"),
        "gateway_id": new_uuid(),
        "amount": amount,
        "status": "refunded" if in_full else "partial_refunded",
        "success": True,
        "operation_type": "cancel",
        "created_at": now,
        "updated_at": now,
    }
    if refund["transaction_type"] == "credit_card":
        refund.update(acquirer_message="Transação cancelada com sucesso", acquirer_return_code="00")
    charge["last_transaction"] = refund
    charge.update(canceled_amount=canceled, updated_at=now)
    if in_full:
        charge.update(status="canceled", canceled_at=now)
        order.update(status="canceled", updated_at=now)
    return refund


def mark_paid(order: dict[str, Any], now: str) -> None:
    """The charge paid in full and its order paid; a Pix gets the end-to-end id its payer's bank gave it."""
    charge = order["charges"][0]
    transaction = charge["last_transaction"]
    if transaction["transaction_type"] != "credit_card":
        transaction["status"] = "paid"
    if transaction["transaction_type"] == "pix":
        transaction["end_to_end_id"] = f"E00000000{datetime.now(UTC):%Y%m%d%H%M}{secrets.token_hex(6)}"
    transaction["updated_at"] = now
    charge.update(status="paid", paid_amount=charge["amount"], paid_at=now, updated_at=now)
    order.update(status="paid", updated_at=now)


def pix_expired(charge: dict[str, Any], now: datetime) -> bool:
    """A pending Pix past its ``expires_at``: pagar.me reports it ``failed``."""
    transaction = charge["last_transaction"]
    if charge["status"] != "pending" or transaction["transaction_type"] != "pix":
        return False
    return now >= parse_instant(transaction["expires_at"])


def fail_charge(order: dict[str, Any], now: str, transaction_changes: dict[str, Any]) -> None:
    """The charge and its order ``failed``, its transaction changed as given (a Pix expired, a card reproved)."""
    charge = order["charges"][0]
    charge["last_transaction"].update(transaction_changes, updated_at=now)
    charge.update(status="failed", updated_at=now)
    order.update(status="failed", updated_at=now)


def charge_view(order: dict[str, Any]) -> dict[str, Any]:
    """A charge as ``GET /charges/{id}`` shows it: with a summary of its order."""
    charge = deepcopy(order["charges"][0])
    charge["order"] = {
        key: order[key]
        for key in ("id", "code", "amount", "currency", "closed", "created_at", "updated_at", "closed_at")
    }
    charge["order"].update(customer_id=order["customer"]["id"], status=order["status"], metadata=order["metadata"])
    return charge


def under_review(charge: dict[str, Any]) -> bool:
    antifraud = charge["last_transaction"].get("antifraud_response") or {}
    return charge["status"] == "pending" and antifraud.get("status") == "pending"


def capturable(charge: dict[str, Any]) -> bool:
    """An authorised, uncaptured card: in the sandbox, a card under antifraud review."""
    transaction = charge["last_transaction"]
    return (
        charge["status"] == "pending"
        and transaction["transaction_type"] == "credit_card"
        and transaction["status"] == "authorized_pending_capture"
    )

"""The pagar.me API v5 adapter behind the payment gateway port.

Calls: ``POST /orders`` (one charge per order: Pix, boleto, or credit card with a browser-made ``card_token`` and
``operation_type: auth_and_capture``), ``GET /orders/{id}``, ``GET /charges/{id}``, ``DELETE /charges/{id}``
(cancel or refund; optional body ``{"amount": <centavos>}`` for a part) and ``POST /charges/{id}/capture``
(capture an authorised card charge; optional body ``{"amount": <centavos>}``); and the recipient calls of
``pagarme_recipients`` (register, read, change the bank account, the KYC link). HTTP Basic with the secret key as the
user and an empty password. Amounts are integer centavos both ways.

Retries: only 5xx answers and connection failures (refused, or dropped before an answer), with backoff, for GET,
POST, PATCH and DELETE alike. Retrying a POST, a PATCH or a DELETE is safe only because each carries an
``Idempotency-Key`` (the order id per payment attempt; the caller's key per refund, capture, recipient registration
or bank account change): pagar.me answers a repeated key with the first request's answer, or 409 while that one is
still running. A read timeout is not retried: the gateway is slow, not gone, and a second wait would outlast the
function; the caller retries later with the same key. 4xx are never retried; they become the errors of
``vitrine.payments.errors`` (404 ``ChargeNotFound``, or ``RecipientNotFound`` on a recipient's path; 412 and 422, e.g.
a refund above what is left or the capture of a charge already paid, ``PaymentRequestRejected``). A declined card is
a 200 with the charge ``failed``: it comes back as a ``Charge`` with status ``failed`` and the acquirer's message.

Status mapping (charge status, then the last transaction's antifraud status):
``paid``/``overpaid`` -> paid; ``failed`` -> failed; ``canceled``/``chargedback`` -> cancelled;
``pending``/``processing``/``underpaid`` -> under_review when the antifraud says ``pending``/``manual_analysis``,
else pending. Anything else is an unreadable answer, never a guess.

Cancel and refund (``DELETE /charges/{id}``), as pagar.me reports them:

=====================================  ==================  =======================================================
what                                   charge status       amounts on the ``Charge``
=====================================  ==================  =======================================================
pending Pix/boleto cancelled           ``canceled``        cancelled; ``canceled_amount == amount``, refunded 0
paid charge refunded in full           ``canceled``        cancelled; ``refunded_amount == paid_amount``
paid charge refunded in part           ``paid``            paid; ``0 < refunded_amount < paid_amount``
=====================================  ==================  =======================================================

pagar.me's ``canceled_amount`` is kept as is; ``refunded_amount`` is the part of it that had been paid.

Antifraud review: a card charge the antifraud holds for manual analysis comes back ``pending``, its transaction
``authorized_pending_capture`` and its ``antifraud_response.status`` ``pending`` (``under_review`` here). Vitrine
carries the merchant's decision with the two calls above: approve is ``capture_charge`` (``POST
/charges/{id}/capture``; the charge becomes ``paid`` with its ``paid_amount``, and ``charge.paid`` follows), reject
is ``cancel_charge`` (the authorisation is voided, nothing was paid). At pagar.me the manual-analysis decision may
also be taken in pagar.me's dashboard: the ``charge.paid`` (or ``charge.payment_failed``) webhook then arrives by
itself, and a later approve through Vitrine finds the charge already ``paid``. A capture of a paid charge is
refused (412, ``PaymentRequestRejected``), so the caller reads the charge first and makes an approve of a ``paid``
charge a no-op, not an error. pagar.me's reference documents capture for an
authorised, uncaptured charge; that it also closes a manual analysis is how Vitrine and the sandbox use it, not
something the recordings show (see tests/fixtures/pagarme/README.md).
"""

import functools
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError

from vitrine.errors import InvalidInput
from vitrine.http_client import RetryPolicy, pooled_session
from vitrine.payments.errors import (
    ChargeNotFound,
    PaymentGatewayAuthenticationFailed,
    PaymentGatewayResponseInvalid,
    PaymentGatewayUnavailable,
    PaymentRequestRejected,
    RecipientNotFound,
)
from vitrine.payments.port import (
    BoletoDetails,
    CardDetails,
    Charge,
    ChargeRequest,
    ChargeStatus,
    PaymentMethod,
    PixDetails,
)
from vitrine.payments.settings import GatewaySettings, get_gateway_settings, secret_key

if TYPE_CHECKING:
    from datetime import date

    from vitrine.payments.anticipations import Anticipation, Payable, Timeframe
    from vitrine.payments.recipients import (
        BankAccount,
        KycLink,
        Recipient,
        RecipientBalance,
        RecipientRequest,
        Transfer,
    )

RETRIED_STATUSES = (500, 502, 503, 504)
_METHODS = {PaymentMethod.PIX: "pix", PaymentMethod.CARD: "credit_card", PaymentMethod.BOLETO: "boleto"}
_OUR_METHOD = {wire: ours for ours, wire in _METHODS.items()}
_PAID = {"paid", "overpaid"}
_OPEN = {"pending", "processing", "underpaid"}
_CANCELLED = {"canceled", "chargedback"}
_UNDER_REVIEW = {"pending", "manual_analysis"}
_IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_.:-]{1,128}$")


class PagarmeGateway:
    """``PaymentGateway`` for pagar.me v5. Settings and the HTTP session are taken at first call."""

    def __init__(self, settings: GatewaySettings | None = None) -> None:
        self._settings = settings

    @property
    def settings(self) -> GatewaySettings:
        return self._settings or get_gateway_settings()

    def create_charge(self, request: ChargeRequest) -> Charge:
        body = self._call("POST", "/orders", json=order_payload(request), idempotency_key=request.idempotency_key)
        return charge_from_order(body)

    def get_charge(self, charge_id: str) -> Charge:
        return charge_from_charge(self._call("GET", f"/charges/{_path_id(charge_id)}"))

    def get_order(self, gateway_order_id: str) -> Charge:
        """The order's charge, read through its order (what a webhook about an order names)."""
        return charge_from_order(self._call("GET", f"/orders/{_path_id(gateway_order_id)}"))

    def cancel_charge(
        self, charge_id: str, amount: int | None = None, *, idempotency_key: str, borne_by: str | None = None
    ) -> Charge:
        """Cancel a pending charge or refund a paid one, in full or ``amount`` centavos of it (see the table above);
        ``borne_by``: the recipient the whole refund comes out of (a flat ``split`` of the refunded amount)."""
        body = _amount_body(amount, idempotency_key, "refund")
        if borne_by is not None:
            if amount is None:
                raise InvalidInput("a refund borne by one recipient names its amount")
            body = {"amount": amount, "split": [{"type": "flat", "amount": amount, "recipient_id": borne_by}]}
        path = f"/charges/{_path_id(charge_id)}"
        return charge_from_charge(self._call("DELETE", path, json=body, idempotency_key=idempotency_key))

    def capture_charge(self, charge_id: str, amount: int | None = None, *, idempotency_key: str) -> Charge:
        """Capture an authorised card charge, in full or ``amount`` centavos of it: the merchant's approval of a
        charge held for antifraud review (see the module docstring). A charge that cannot be captured (already
        paid, failed, cancelled) is ``PaymentRequestRejected`` (pagar.me's 412/422)."""
        body = _amount_body(amount, idempotency_key, "capture")
        path = f"/charges/{_path_id(charge_id)}/capture"
        return charge_from_charge(self._call("POST", path, json=body, idempotency_key=idempotency_key))

    # ------------------------------------------------------------ recipients (vitrine.payments.pagarme_recipients)

    def create_recipient(self, request: "RecipientRequest", *, idempotency_key: str) -> "Recipient":
        """Register the merchant as a recipient; a retry with the same key answers the first registration."""
        from vitrine.payments import pagarme_recipients as wire

        _amount_body(None, idempotency_key, "recipient registration")
        body = self._call("POST", "/recipients", json=wire.recipient_payload(request), idempotency_key=idempotency_key)
        return wire.recipient_from(body)

    def get_recipient(self, recipient_id: str) -> "Recipient":
        from vitrine.payments import pagarme_recipients as wire

        return wire.recipient_from(self._recipient_call("GET", recipient_id, ""))

    def update_bank_account(
        self, recipient_id: str, account: "BankAccount", *, merchant_id: str, idempotency_key: str
    ) -> "Recipient":
        """Replace the recipient's default bank account (where the next transfers go); answers the recipient."""
        from vitrine.payments import pagarme_recipients as wire

        _amount_body(None, idempotency_key, "bank account change")
        body = wire.update_bank_account_payload(account, merchant_id)
        return wire.recipient_from(
            self._recipient_call("PATCH", recipient_id, "/default-bank-account", body, idempotency_key)
        )

    def create_kyc_link(self, recipient_id: str) -> "KycLink":
        """A fresh link (and QR code) to the gateway's identity check for the recipient's representative."""
        from vitrine.payments import pagarme_recipients as wire

        return wire.kyc_link_from(self._recipient_call("POST", recipient_id, "/kyc_link"))

    def get_balance(self, recipient_id: str) -> "RecipientBalance":
        from vitrine.payments import pagarme_recipients as wire

        return wire.balance_from(self._recipient_call("GET", recipient_id, "/balance"))

    def create_transfer(self, recipient_id: str, amount: int, *, payout_id: str, merchant_id: str) -> "Transfer":
        """Transfer to the recipient's bank account; the payout id is the idempotency key, so a payout retried
        after a crash finds its transfer instead of making a second."""
        from vitrine.payments import pagarme_recipients as wire

        _amount_body(None, payout_id, "transfer")
        body = {"amount": amount, "metadata": {"payout_id": payout_id, "merchant_id": merchant_id}}
        return wire.transfer_from(self._recipient_call("POST", recipient_id, "/transfers", body, payout_id))

    def get_transfer(self, recipient_id: str, transfer_id: str) -> "Transfer":
        from vitrine.payments import pagarme_recipients as wire

        _path_id(transfer_id)
        return wire.transfer_from(self._recipient_call("GET", recipient_id, f"/transfers/{transfer_id}"))

    def list_payables(
        self,
        recipient_id: str,
        *,
        paid_from: "date | None" = None,
        paid_until: "date | None" = None,
        anticipation_id: str | None = None,
    ) -> "list[Payable]":
        """``GET /payables?recipient_id=`` page by page (100 each), from a payment day or of one anticipation."""
        import urllib.parse

        from vitrine.payments import pagarme_recipients as wire

        query: dict[str, Any] = {"recipient_id": _path_id(recipient_id), "size": 100}
        if paid_from is not None:
            query["payment_date_since"] = paid_from.isoformat()
        if paid_until is not None:
            query["payment_date_until"] = paid_until.isoformat()
        if anticipation_id is not None:
            query["bulk_anticipation_id"] = _path_id(anticipation_id)
        payables: list = []
        for page in range(1, 10_001):
            found, more = wire.payables_page_from(
                self._call("GET", f"/payables?{urllib.parse.urlencode({**query, 'page': page})}")
            )
            payables += found
            if not more or not found:
                break
        return payables

    def get_anticipation_limits(self, recipient_id: str, timeframe: "Timeframe", payment_date: "date"):
        """What the recipient could anticipate to ``payment_date``: the most and the least, with their fees."""
        import urllib.parse

        from vitrine.payments import pagarme_recipients as wire

        moment = wire.anticipation_payload(0, timeframe, payment_date)["payment_date"]
        query = urllib.parse.urlencode({"timeframe": str(timeframe), "payment_date": moment})
        return wire.limits_from(self._recipient_call("GET", recipient_id, f"/anticipation_limits?{query}"))

    def create_anticipation(
        self, recipient_id: str, amount: int, timeframe: "Timeframe", payment_date: "date", *, idempotency_key: str
    ) -> "Anticipation":
        from vitrine.payments import pagarme_recipients as wire

        _amount_body(None, idempotency_key, "anticipation")
        body = wire.anticipation_payload(amount, timeframe, payment_date)
        return wire.anticipation_from(
            self._recipient_call("POST", recipient_id, "/anticipations", body, idempotency_key)
        )

    def get_anticipation(self, recipient_id: str, anticipation_id: str) -> "Anticipation":
        from vitrine.payments import pagarme_recipients as wire

        _path_id(anticipation_id)
        return wire.anticipation_from(self._recipient_call("GET", recipient_id, f"/anticipations/{anticipation_id}"))

    def _recipient_call(
        self, method: str, recipient_id: str, tail: str, json: Any = None, idempotency_key: str | None = None
    ) -> dict[str, Any]:
        try:
            path = f"/recipients/{_path_id(recipient_id)}{tail}"
            return self._call(method, path, json=json, idempotency_key=idempotency_key)
        except ChargeNotFound as exc:
            raise RecipientNotFound(f"no recipient {recipient_id!r} at the gateway") from exc

    def _call(self, method: str, path: str, json: Any = None, idempotency_key: str | None = None) -> dict[str, Any]:
        import requests

        settings = self.settings
        headers = {"Accept": "application/json"}
        if idempotency_key is not None:
            headers["Idempotency-Key"] = idempotency_key
        try:
            response = http_session(settings.max_retries).request(
                method,
                settings.api_url + path,
                json=json,
                headers=headers,
                auth=(secret_key(settings), ""),
                timeout=(settings.connect_timeout, settings.read_timeout),
            )
        except (requests.ConnectionError, requests.Timeout, requests.exceptions.RetryError) as exc:
            raise PaymentGatewayUnavailable(f"pagar.me {method} {path} failed: {type(exc).__name__}") from exc
        _raise_for_status(response, method, path)
        try:
            body = response.json()
        except ValueError as exc:
            raise PaymentGatewayResponseInvalid(f"pagar.me {method} {path} answered non-JSON") from exc
        if not isinstance(body, dict):
            raise PaymentGatewayResponseInvalid(f"pagar.me {method} {path} answered a {type(body).__name__}")
        return body


@functools.cache
def get_gateway() -> PagarmeGateway:
    """The gateway the handlers charge through, built once per container."""
    return PagarmeGateway()


@functools.cache
def http_session(max_retries: int) -> Any:
    """One ``requests.Session`` per container: pooled connections, 5xx/connection retries, never 4xx."""
    # POST, DELETE and PATCH are retried only because each carries an Idempotency-Key (see the module docstring).
    retry = RetryPolicy(
        retries=max_retries,
        methods=frozenset({"GET", "POST", "DELETE", "PATCH"}),
        statuses=frozenset(RETRIED_STATUSES),
        respect_retry_after=True,
    )
    # The gateway's URL is the deployment's (PagarmeBaseUrl; the sandbox on loopback locally), not a merchant's.
    return pooled_session(retry, pool_connections=2, pool_maxsize=4, public_only=False)


# ---------------------------------------------------------------- request


def order_payload(request: ChargeRequest) -> dict[str, Any]:
    """The ``POST /orders`` body for one charge: items, customer, one payment, metadata naming the tenant."""
    customer = request.customer
    phone = {"country_code": "55", "area_code": customer.phone[:2], "number": customer.phone[2:]}
    customer_body: dict[str, Any] = {
        "name": customer.name,
        "email": customer.email,
        # pagar.me's customer types: a person by CPF, a company by CNPJ.
        "type": "company" if customer.document_type == "cnpj" else "individual",
        "document": customer.document,
        "document_type": customer.document_type.upper(),
        "phones": {"mobile_phone": phone},
    }
    if customer.address is not None:
        customer_body["address"] = {**customer.address.model_dump(exclude_none=True), "country": "BR"}
    metadata = {"merchant_id": request.merchant_id, "order_id": request.order_id}
    merchant_share = next((rule for rule in request.split if not rule.liable), None)
    if merchant_share is not None:
        metadata["merchant_recipient_id"] = merchant_share.recipient_id
    payment: dict[str, Any] = {
        "payment_method": _METHODS[request.method],
        "amount": request.amount,
        "metadata": metadata,
    }
    if request.split:
        payment["split"] = [
            {
                "type": "flat",
                "amount": rule.amount,
                "recipient_id": rule.recipient_id,
                "options": {
                    "liable": rule.liable,
                    "charge_processing_fee": rule.charge_processing_fee,
                    "charge_remainder_fee": rule.charge_remainder_fee,
                },
            }
            for rule in request.split
        ]
    if request.pix is not None:
        payment["pix"] = {"expires_in": request.pix.expires_in}
    if request.card is not None:
        card: dict[str, Any] = {
            "card_token": request.card.token,
            "installments": request.card.installments,
            "operation_type": "auth_and_capture",
        }
        if request.card.statement_descriptor:
            card["statement_descriptor"] = request.card.statement_descriptor
        payment["credit_card"] = card
    if request.boleto is not None:
        boleto: dict[str, Any] = {"due_at": f"{request.boleto.due_at.isoformat()}T00:00:00Z", "type": "DM"}
        if request.boleto.instructions:
            boleto["instructions"] = request.boleto.instructions
        payment["boleto"] = boleto
    return {
        "code": request.order_id,
        "items": [
            {"code": item.code, "description": item.description, "quantity": item.quantity, "amount": item.unit_amount}
            for item in request.items
        ],
        "customer": customer_body,
        "payments": [payment],
        "closed": True,
        "metadata": metadata,
    }


def _amount_body(amount: int | None, idempotency_key: str, what: str) -> dict[str, int] | None:
    """The optional ``{"amount": n}`` of a refund or a capture, after checking it and the caller's key."""
    if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0):
        raise InvalidInput(f"the amount to {what} is a positive integer of centavos", details={"amount": amount})
    if not isinstance(idempotency_key, str) or not _IDEMPOTENCY_KEY.match(idempotency_key):
        raise InvalidInput(f"a {what} needs an idempotency key of letters, digits and _ . : - (up to 128)")
    return None if amount is None else {"amount": amount}


def _path_id(identifier: str) -> str:
    if not identifier or not all(ch.isalnum() or ch in "_-" for ch in identifier):
        raise ChargeNotFound(f"no charge or order {identifier!r}")
    return identifier


# ---------------------------------------------------------------- errors


def _raise_for_status(response: Any, method: str, path: str) -> None:
    status = response.status_code
    if status < 400:
        return
    message, details = _error_body(response)
    where = f"pagar.me {method} {path} answered {status}"
    if status in (401, 403):
        raise PaymentGatewayAuthenticationFailed(f"{where}: {message}")
    if status == 404:
        raise ChargeNotFound(message or "not found at the gateway")
    if status == 409 or status == 429 or status >= 500:
        # 409: the first request with this Idempotency-Key is still running; the caller retries later.
        raise PaymentGatewayUnavailable(f"{where}: {message}")
    raise PaymentRequestRejected(message or f"the gateway refused the request ({status})", details=details)


def _error_body(response: Any) -> tuple[str, Any]:
    """pagar.me's ``{"message": ..., "errors": {"field": ["reason"]}}``; the echoed ``request`` is dropped."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:200], None
    if not isinstance(body, dict):
        return str(body)[:200], None
    errors = body.get("errors")
    details = None
    if isinstance(errors, dict) and errors:
        details = [
            {"field": str(field), "reason": "; ".join(map(str, reasons)) if isinstance(reasons, list) else str(reasons)}
            for field, reasons in errors.items()
        ]
    return str(body.get("message") or ""), details


# ---------------------------------------------------------------- response


class _Wire(BaseModel):
    # Built at first use (as LazyModel): a payout's cold start reads two of these shapes, not all of them.
    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)


def _utc(value: datetime) -> datetime:
    # pagar.me writes some instants without an offset ("2024-06-15T22:12:24"); they are UTC.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


_Instant = Annotated[datetime, AfterValidator(_utc)]


class _WireCard(_Wire):
    last_four_digits: str | None = None
    brand: str | None = None


class _WireAntifraud(_Wire):
    status: str | None = None


class _WireTransaction(_Wire):
    transaction_type: str | None = None
    status: str | None = None
    installments: int | None = None
    card: _WireCard | None = None
    qr_code: str | None = None
    qr_code_url: str | None = None
    expires_at: _Instant | None = None
    line: str | None = None
    barcode: str | None = None
    pdf: str | None = None
    due_at: _Instant | None = None
    acquirer_message: str | None = None
    acquirer_return_code: str | None = None
    antifraud_response: _WireAntifraud | None = None


class _WireOrderRef(_Wire):
    id: str
    code: str | None = None


class _WireCharge(_Wire):
    id: str
    code: str
    amount: int
    status: str
    payment_method: str
    paid_amount: int | None = None
    canceled_amount: int | None = None
    canceled_at: _Instant | None = None
    last_transaction: _WireTransaction | None = None
    metadata: dict[str, Any] | None = None
    order: _WireOrderRef | None = None


class _WireOrder(_Wire):
    id: str
    code: str
    status: str
    metadata: dict[str, Any] | None = None
    charges: list[_WireCharge]


def charge_from_order(body: dict[str, Any]) -> Charge:
    try:
        order = _WireOrder.model_validate(body)
    except ValidationError as exc:
        raise PaymentGatewayResponseInvalid(f"unreadable pagar.me order: {exc.error_count()} problems") from exc
    if len(order.charges) != 1:
        raise PaymentGatewayResponseInvalid(f"pagar.me order {order.id} has {len(order.charges)} charges, not 1")
    return _charge(order.charges[0], order.id, order.metadata)


def charge_from_charge(body: dict[str, Any]) -> Charge:
    try:
        charge = _WireCharge.model_validate(body)
    except ValidationError as exc:
        raise PaymentGatewayResponseInvalid(f"unreadable pagar.me charge: {exc.error_count()} problems") from exc
    return _charge(charge, charge.order.id if charge.order else None, None)


def _charge(charge: _WireCharge, gateway_order_id: str | None, order_metadata: dict[str, Any] | None) -> Charge:
    method = _OUR_METHOD.get(charge.payment_method.lower())
    if method is None:
        raise PaymentGatewayResponseInvalid(f"pagar.me charge {charge.id} uses {charge.payment_method!r}")
    transaction = charge.last_transaction or _WireTransaction()
    status = charge_status(charge.status, transaction)
    metadata = charge.metadata or order_metadata or {}
    pix = boleto = card = None
    if method is PaymentMethod.PIX and transaction.qr_code:
        pix = PixDetails(
            qr_code=transaction.qr_code, qr_code_url=transaction.qr_code_url or "", expires_at=transaction.expires_at
        )
    if method is PaymentMethod.BOLETO and transaction.line:
        boleto = BoletoDetails(
            line=transaction.line, barcode=transaction.barcode, pdf=transaction.pdf, due_at=transaction.due_at
        )
    if method is PaymentMethod.CARD:
        wire_card = transaction.card or _WireCard()
        card = CardDetails(
            last_four=wire_card.last_four_digits, brand=wire_card.brand, installments=transaction.installments
        )
    return Charge(
        gateway_order_id=gateway_order_id,
        charge_id=charge.id,
        order_id=charge.code,
        merchant_id=metadata.get("merchant_id"),
        status=status,
        gateway_status=charge.status,
        method=method,
        amount=charge.amount,
        paid_amount=charge.paid_amount or 0,
        canceled_amount=charge.canceled_amount or 0,
        canceled_at=charge.canceled_at,
        pix=pix,
        boleto=boleto,
        card=card,
        decline_reason=transaction.acquirer_message if status is ChargeStatus.FAILED else None,
        merchant_recipient_id=metadata.get("merchant_recipient_id"),
    )


def charge_status(gateway_status: str, transaction: _WireTransaction) -> ChargeStatus:
    status = gateway_status.lower()
    if status in _PAID:
        return ChargeStatus.PAID
    if status == "failed":
        return ChargeStatus.FAILED
    if status in _CANCELLED:
        # A chargeback reads as cancelled here; ``gateway_status`` keeps the difference for the payments work.
        return ChargeStatus.CANCELLED
    if status in _OPEN:
        antifraud = (transaction.antifraud_response or _WireAntifraud()).status
        return ChargeStatus.UNDER_REVIEW if antifraud in _UNDER_REVIEW else ChargeStatus.PENDING
    raise PaymentGatewayResponseInvalid(f"unknown pagar.me charge status {gateway_status!r}")

"""What the sandbox checks in a request before it looks at any state, answered in pagar.me's 422 shape."""

from typing import Any

from local_stack.sandbox_gateway.formats import is_plain_int, is_readable_instant, now_utc
from local_stack.sandbox_gateway.payment_documents import passes_luhn

MAX_INSTALLMENTS = 12


def cancel_errors(body: Any) -> dict[str, list[str]]:
    if body is None:
        return {}
    if not isinstance(body, dict):
        return {"request": ["The request body must be a JSON object."]}
    if "amount" in body and (not is_plain_int(body["amount"]) or body["amount"] <= 0):
        return {"amount": ["The amount must be a positive integer of cents."]}
    if "split" in body:
        if "amount" not in body:
            return {"split": ["A refund's split needs the refund's amount."]}
        return split_errors(body["split"], body["amount"], "split", need_liable=False)
    return {}


def split_errors(split: Any, total: int | None, where: str, *, need_liable: bool = True) -> dict[str, list[str]]:
    """pagar.me's flat split rules: each a positive amount to a recipient, adding up to ``total``; one liable."""
    if not isinstance(split, list) or not split or not all(isinstance(rule, dict) for rule in split):
        return {where: ["The split must be a list of rules."]}
    errors: dict[str, list[str]] = {}
    for index, rule in enumerate(split):
        if rule.get("type", "flat") != "flat":
            errors[f"{where}[{index}].type"] = ["The sandbox takes flat split rules only."]
        if not is_plain_int(rule.get("amount")) or rule["amount"] <= 0:
            errors[f"{where}[{index}].amount"] = ["The amount must be a positive integer of cents."]
        if not isinstance(rule.get("recipient_id"), str) or not rule["recipient_id"]:
            errors[f"{where}[{index}].recipient_id"] = ["The recipient_id field is required."]
    if errors:
        return errors
    if total is not None and sum(rule["amount"] for rule in split) != total:
        errors[where] = ["The split rules must add up to the amount."]
    if need_liable and sum(bool((rule.get("options") or {}).get("liable")) for rule in split) != 1:
        errors[where] = ["Exactly one split rule must be liable."]
    return errors


def order_errors(body: Any) -> dict[str, list[str]]:
    if not isinstance(body, dict):
        return {"order": ["The request body must be a JSON object."]}
    errors: dict[str, list[str]] = {}
    items = body.get("items")
    if not isinstance(items, list) or not items:
        errors["order.items"] = ["At least one item is required."]
        items = []
    for index, item in enumerate(items):
        where = f"order.items[{index}]"
        if not isinstance(item, dict):
            errors[where] = ["The item must be an object."]
            continue
        if not is_plain_int(item.get("amount")) or item["amount"] < 0:
            errors[f"{where}.amount"] = ["The amount must be an integer of cents, 0 or more."]
        if not is_plain_int(item.get("quantity")) or item["quantity"] < 1:
            errors[f"{where}.quantity"] = ["The quantity must be an integer, 1 or more."]
        if not isinstance(item.get("description"), str) or not item["description"]:
            errors[f"{where}.description"] = ["The description field is required."]
    customer = body.get("customer")
    if not isinstance(customer, dict):
        errors["order.customer"] = ["The customer field is required."]
        customer = {}
    for field in ("name", "email", "document", "type"):
        if not isinstance(customer.get(field), str) or not customer[field]:
            errors[f"order.customer.{field}"] = [f"The {field} field is required."]
    if isinstance(customer.get("document"), str) and len(customer["document"]) not in (11, 14):
        errors["order.customer.document"] = ["The document must have 11 (CPF) or 14 (CNPJ) digits."]
    payments = body.get("payments")
    if not isinstance(payments, list) or len(payments) != 1 or not isinstance(payments[0], dict):
        errors["order.payments"] = ["The sandbox takes exactly one payment per order."]
        return errors
    errors.update(_payment_errors(payments[0], customer, order_total(body) if not errors else None))
    return errors


def _payment_errors(payment: dict[str, Any], customer: dict[str, Any], total: int | None) -> dict[str, list[str]]:
    where = "order.payments[0]"
    method = payment.get("payment_method")
    if method not in ("pix", "boleto", "credit_card"):
        return {f"{where}.payment_method": ["The sandbox takes pix, boleto or credit_card."]}
    errors: dict[str, list[str]] = {}
    if "amount" in payment and (
        not is_plain_int(payment["amount"]) or (total is not None and payment["amount"] != total)
    ):
        errors[f"{where}.amount"] = ["The amount must be an integer equal to the order's total."]
    if "split" in payment:
        errors.update(split_errors(payment["split"], total, f"{where}.split"))
    options = payment.get(method)
    if not isinstance(options, dict):
        return {**errors, f"{where}.{method}": [f"The {method} field is required."]}
    if method == "pix":
        if "expires_in" in options and (not is_plain_int(options["expires_in"]) or options["expires_in"] <= 0):
            errors[f"{where}.pix.expires_in"] = ["The expires_in must be a positive number of seconds."]
        if not customer.get("phones"):
            errors["order.customer.phones"] = ["The phones field is required for Pix."]
    elif method == "boleto":
        address = customer.get("address")
        if not isinstance(address, dict) or not all(address.get(k) for k in ("line_1", "zip_code", "city", "state")):
            errors["order.customer.address"] = ["The address (line_1, zip_code, city, state) is required for boleto."]
        if "due_at" in options and not is_readable_instant(options["due_at"]):
            errors[f"{where}.boleto.due_at"] = ["The due_at must be a date-time."]
    else:
        if not isinstance(options.get("card_token"), str) or not options["card_token"]:
            errors[f"{where}.credit_card.card_token"] = ["The sandbox takes cards as card_token only."]
        installments = options.get("installments", 1)
        if not is_plain_int(installments) or not 1 <= installments <= MAX_INSTALLMENTS:
            errors[f"{where}.credit_card.installments"] = [f"The installments must be 1 to {MAX_INSTALLMENTS}."]
        if options.get("operation_type", "auth_and_capture") != "auth_and_capture":
            errors[f"{where}.credit_card.operation_type"] = ["The sandbox takes auth_and_capture only."]
    return errors


def token_errors(body: Any) -> dict[str, list[str]]:
    card = body.get("card") if isinstance(body, dict) else None
    errors = card_errors(card) if isinstance(card, dict) else {"request.card": ["The card field is required."]}
    if isinstance(body, dict) and body.get("type", "card") != "card":
        errors["request.type"] = ["The type must be card."]
    return errors


def card_errors(card: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    number = str(card.get("number", ""))
    if not (number.isdigit() and 13 <= len(number) <= 19 and passes_luhn(number)):
        errors["request.card.number"] = ["The card number is invalid."]
    if not isinstance(card.get("holder_name"), str) or not card["holder_name"].strip():
        errors["request.card.holder_name"] = ["The holder_name field is required."]
    month, year = card.get("exp_month"), card.get("exp_year")
    if not (is_plain_int(month) and is_plain_int(year) and 1 <= month <= 12):
        errors["request.card.exp_month"] = ["The expiration month and year are required."]
    else:
        full_year = year + 2000 if year < 100 else year
        today = now_utc()
        if (full_year, month) < (today.year, today.month):
            errors["request.card.exp_year"] = ["The card is expired."]
    cvv = str(card.get("cvv", ""))
    if not (cvv.isdigit() and len(cvv) in (3, 4)):
        errors["request.card.cvv"] = ["The cvv must have 3 or 4 digits."]
    return errors


def order_total(body: dict[str, Any]) -> int:
    shipping = body.get("shipping") or {}
    return sum(item["amount"] * item["quantity"] for item in body["items"]) + int(shipping.get("amount") or 0)

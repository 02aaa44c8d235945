"""The sandbox gateway's pay page, shopper-facing and so in Portuguese: the charge, its Pix or boleto, "Pagar"."""

import html
from typing import Any

from local_stack.sandbox_gateway.charges import under_review
from vitrine.money import format_brl

_STATUS_TEXT = {
    "pending": "Aguardando pagamento",
    "paid": "Pago",
    "failed": "Recusado",
    "canceled": "Cancelado",
}
_METHOD_TEXT = {"pix": "Pix", "boleto": "Boleto", "credit_card": "Cartão de crédito"}


def render_pay_page(charge: dict[str, Any], merchant_name: str) -> str:
    """The page a payer opens to pay a pending charge (a Pix QR code, a boleto line) in the sandbox."""
    transaction = charge["last_transaction"]
    status = charge["status"]
    if under_review(charge):
        status_text = "Em análise antifraude"
    elif status == "failed" and transaction["transaction_type"] == "pix":
        status_text = "Pix expirado"
    else:
        status_text = _STATUS_TEXT.get(status, status)
    esc = html.escape
    parts = [
        f"<p>Pedido <strong>{esc(charge['code'])}</strong> · {esc(_METHOD_TEXT.get(charge['payment_method'], ''))}</p>",
        f"<p class=valor>{esc(format_brl(charge['amount']))}</p>",
        f"<p>Situação: <strong id=situacao>{esc(status_text)}</strong></p>",
    ]
    if transaction.get("qr_code"):
        parts.append(
            f"<img src='{esc(transaction['qr_code_url'])}' alt='QR code Pix' width=240 height=240>"
            f"<p>Pix copia e cola:</p><textarea readonly rows=4>{esc(transaction['qr_code'])}</textarea>"
        )
    if transaction.get("line"):
        parts.append(
            f"<p>Linha digitável:</p><p><code>{esc(transaction['line'])}</code></p>"
            f"<p><a href='{esc(transaction['pdf'])}'>Boleto em PDF</a></p>"
        )
    if charge["status"] == "pending":
        parts.append(
            f"<form method=post action='/pay/{esc(charge['id'])}'><button type=submit>Pagar</button></form>"
            "<p class=nota>Ambiente de testes: nenhum dinheiro é movimentado.</p>"
        )
    return (
        "<!doctype html><html lang=pt-BR><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width, initial-scale=1'><link rel=icon href='data:,'>"
        f"<title>Pagamento {esc(charge['code'])} · Sandbox</title><style>"
        "body{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem;color:#222}"
        ".valor{font-size:2rem;margin:.5rem 0}textarea{width:100%;font-family:monospace}"
        "button{font-size:1.2rem;padding:.7rem 2.5rem;background:#0a7d38;color:#fff;border:0;border-radius:.4rem}"
        ".nota{color:#666;font-size:.85rem}</style></head><body>"
        f"<h1>{esc(merchant_name)}</h1>" + "".join(parts) + "</body></html>"
    )

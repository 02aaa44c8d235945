"""The sandbox partner's page (in Portuguese, as the programme's portal would be): each CPF's balance, then every
accrual and reversal, newest first."""

import html
from typing import Any

_KIND = {"accrual": "Pontuação", "reversal": "Estorno"}


def _cpf(cpf: str) -> str:
    return f"{cpf[:3]}.{cpf[3:6]}.{cpf[6:9]}-{cpf[9:]}"


def _brands(lines: list[dict[str, Any]]) -> str:
    return ", ".join("{} x {}".format(line["brand"], line["quantity"]) for line in lines)


def render_page(snapshot: dict[str, Any]) -> str:
    esc = html.escape
    balances = "".join(
        f"<tr><td><code>{esc(_cpf(cpf))}</code></td><td class=pts>{points}</td></tr>"
        for cpf, points in snapshot["balances"].items()
    )
    movements = "".join(
        f"<tr><td>{esc(m['received_at'])}</td><td>{esc(_KIND.get(m['kind'], m['kind']))}</td>"
        f"<td><code>{esc(_cpf(m['cpf']))}</code></td><td>{esc(m['store_code'])}</td>"
        f"<td><code>{esc(m['order_id'][:12])}</code></td><td class=pts>{m['points']}</td>"
        f"<td>{esc(_brands(m['lines']))}</td></tr>"
        for m in reversed(snapshot["accruals"])
    )
    return (
        "<!doctype html><html lang=pt-BR><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width, initial-scale=1'><link rel=icon href='data:,'>"
        "<title>Fidelidade · Sandbox</title><style>"
        "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}"
        "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem;text-align:left}"
        ".pts{text-align:right}code{font-size:.8rem}.nota{color:#666;font-size:.85rem}</style></head><body>"
        "<h1>Programa de fidelidade · Sandbox</h1>"
        f"<h2>Saldo por CPF</h2><table><tr><th>CPF</th><th class=pts>Pontos</th></tr>{balances}</table>"
        f"<h2>Movimentos</h2><table><tr><th>Quando</th><th>Tipo</th><th>CPF</th><th>Loja</th><th>Pedido</th>"
        f"<th class=pts>Pontos</th><th>Marcas</th></tr>{movements}</table>"
        "<p class=nota>Ambiente de testes: POST /v1/accruals e /v1/reversals, conforme docs/loyalty-partner.md; "
        "JSON em /sandbox/accruals.</p></body></html>"
    )

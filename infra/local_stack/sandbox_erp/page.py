"""The sandbox ERP's page for a person (in Portuguese, as the merchant's back office would be): the orders taken
from the feed with their NF-e, the counter sales, Vitrine's errors, a form to sell at the counter and a button to
poll the feed now."""

import html
from typing import Any

_STATE_TEXT = {
    "booked": "Recebido",
    "in_preparation": "Em separação",
    "invoiced": "Faturado",
    "refused": "Recusado pela Vitrine",
    "dropped": "Cancelado",
}


def render_page(status: dict[str, Any]) -> str:
    """The page a person sees at ``GET /``: orders and their NF-e, counter sales, errors, and the two forms."""
    esc = html.escape
    rows = "".join(
        f"<tr><td><code>{esc(o['order_id'][:12])}</code></td><td>{esc(_STATE_TEXT.get(o['state'], o['state']))}</td>"
        f"<td>{esc(o['store_code'])}</td><td>{sum(line['quantity'] for line in o['lines'])}</td>"
        f"<td><code>{esc(o['invoice']['access_key']) if o['invoice'] else ''}</code></td>"
        f"<td>{esc(o['note'] or '')}</td></tr>"
        for o in reversed(status["orders"])
    )
    sales = "".join(
        f"<li>{esc(s['at'])} · loja {esc(s['store_code'])} · {s['quantity']} un. <code>{esc(s['sku'])}</code></li>"
        for s in reversed(status["counter_sales"][-10:])
    )
    errors = "".join(
        f"<li>{esc(e['at'])} · {esc(e['request'])} · {e['status'] or 'sem resposta'} · {esc(e['reason'])}</li>"
        for e in reversed(status["errors"][-10:])
    )
    timer = f"a cada {status['counter_sale_seconds']:g} s" if status["counter_sale_seconds"] > 0 else "só quando pedido"
    connection = f"conectado a {esc(status['vitrine_url'])}" if status["connected"] else "ainda não conectado à Vitrine"
    return (
        "<!doctype html><html lang=pt-BR><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width, initial-scale=1'><link rel=icon href='data:,'>"
        "<title>ERP · Sandbox</title><style>"
        "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}"
        "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem;text-align:left}"
        "code{font-size:.8rem}.nota{color:#666;font-size:.85rem}</style></head><body>"
        "<h1>ERP de testes · Loja Demo Vitrine</h1>"
        f"<p>Pedidos recebidos: <strong id=recebidos>{status['orders_taken']}</strong> · "
        f"faturados: <strong id=faturados>{status['orders_invoiced']}</strong> · "
        f"vendas no balcão: <strong id=balcao>{len(status['counter_sales'])}</strong> · {connection}</p>"
        "<form method=post action='/sync-now'><button type=submit>Buscar pedidos agora</button></form>"
        f"<h2>Pedidos</h2><table><tr><th>Pedido</th><th>Situação</th><th>Loja</th><th>Unidades</th>"
        f"<th>Chave NF-e</th><th>Observação</th></tr>{rows}</table>"
        f"<h2>Vendas no balcão ({timer})</h2>"
        "<form method=post action='/counter-sale'>Loja <input name=store_code value='0001' size=5> "
        "SKU <input name=sku required> Qtd <input name=quantity type=number min=1 value=1 size=3> "
        "<button type=submit>Vender</button></form>"
        f"<ul>{sales}</ul><h2>Erros</h2><ul>{errors}</ul>"
        "<p class=nota>Ambiente de testes: catálogo, preços e estoque servidos em /products, /prices e /stock.</p>"
        "</body></html>"
    )

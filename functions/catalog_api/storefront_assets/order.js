// The order page (/c/{slug}/pedido/{id}#token=...): how to pay, and the order's status, refreshed by itself.
// The token stays in the fragment: it never reaches a server log; only GET /api/orders/{id} sees it.
const STATUS = {
  pending_payment: "Aguardando pagamento", paid: "Pago", on_hold: "Em análise", in_preparation: "Em preparação",
  ready_for_pickup: "Pronto para retirada", dispatched: "Enviado", invoiced: "Nota fiscal emitida",
  delivered: "Entregue", cancelled: "Cancelado", refunded: "Reembolsado",
};
// Where a pickup order waits: the store's name ("na Loja Centro", "na loja Centro"), its street and city (D.stores'
// rows: code, name, city, address; a store that has not given its street is named alone).
const pickupPlace = (store, code) => {
  if (!store) return `na loja ${code}`;
  const [, name, city, street] = store;
  return (/^loja\b/i.test(name) ? "na " : "na loja ") + [name, street, street && city].filter(Boolean).join(", ");
};
// The page's heading says where the order is (a cancelled order is not "received").
const HEADING = {
  pending_payment: "Pedido recebido!", paid: "Pagamento aprovado!", on_hold: "Pagamento em análise",
  in_preparation: "Pedido em preparação", ready_for_pickup: "Pronto para retirada", dispatched: "Pedido enviado",
  invoiced: "Nota fiscal emitida", delivered: "Pedido entregue", cancelled: "Pedido cancelado",
  refunded: "Pedido reembolsado",
};
const PAYMENT = { pending: "Aguardando pagamento", paid: "Pagamento aprovado", failed: "Pagamento recusado", under_review: "Pagamento em análise", cancelled: "Pagamento cancelado" };
const FINAL = ["delivered", "cancelled", "refunded"];
const when = (iso) => new Date(iso).toLocaleString("pt-BR", { dateStyle: "short", timeStyle: "short" });
const token = new URLSearchParams(location.hash.slice(1)).get("token") || "";
const url = `/api/orders/${encodeURIComponent(D.order)}?token=${encodeURIComponent(token)}`;
let payment = (load("vitrine:order:" + D.order) || {}).payment;
let shown = "";

const copyable = (box, label, text, button) => {
  const t = el("textarea");
  t.readOnly = true;
  t.value = text;
  t.ariaLabel = label;
  const b = btn("ghost", button, () => navigator.clipboard.writeText(text).then(() => (b.textContent = "Copiado!"), () => t.select()));
  box.append(t, b);
};
const renderPayment = (o) => {
  // Redrawn only when something changed, so the QR image does not flicker at every refresh.
  const key = JSON.stringify([o.status, payment]);
  if (key === shown) return;
  shown = key;
  const box = $("d-pay");
  const method = (payment && payment.method) || o.payment_method;
  box.replaceChildren(el("h3", "", { pix: "Pagamento por Pix", boleto: "Pagamento por boleto", card: "Pagamento no cartão" }[method]));
  if (payment && payment.status !== "pending" && PAYMENT[payment.status]) box.append(el("p", "note", PAYMENT[payment.status]));
  if (payment && payment.card) {
    const c = payment.card;
    box.append(el("p", "", `${c.brand || "Cartão"}${c.last_four ? " final " + c.last_four : ""} · ${c.installments || 1}x`));
    if (payment.status === "failed") box.append(el("p", "err", `${payment.decline_reason || "O cartão foi recusado"}. Seu carrinho continua salvo: volte ao catálogo e pague com outro cartão ou com Pix.`));
  }
  if (o.status !== "pending_payment" || method === "card") return;
  const pix = payment && payment.pix;
  const boleto = payment && payment.boleto;
  if (!pix && !boleto) return box.append(el("p", "note", method === "pix" ? "O QR Code do Pix aparece aqui em instantes." : "O boleto aparece aqui em instantes."));
  if (pix) {
    if (pix.qr_code_url) {
      const i = el("img", "qr");
      i.src = pix.qr_code_url;
      i.alt = "QR Code do Pix";
      i.width = i.height = 220;
      box.append(i);
    }
    box.append(el("p", "note", "Abra o app do seu banco e escaneie o QR Code, ou use o Pix copia e cola:"));
    copyable(box, "Código Pix copia e cola", pix.qr_code, "Copiar código Pix");
    if (pix.expires_at) box.append(el("p", "note", "Pague até " + when(pix.expires_at)));
  } else {
    box.append(el("p", "note", "Linha digitável:"));
    copyable(box, "Linha digitável do boleto", boleto.line, "Copiar linha digitável");
    if (boleto.pdf) {
      const a = el("a", "primary", "Abrir boleto (PDF)");
      a.href = boleto.pdf;
      a.target = "_blank";
      a.rel = "noopener";
      box.append(a);
    }
    if (boleto.due_at) box.append(el("p", "note", "Vencimento: " + new Date(boleto.due_at).toLocaleDateString("pt-BR")));
  }
};
const render = (o) => {
  payment = o.payment || payment;
  const declined = payment && payment.status === "failed" && ["pending_payment", "cancelled"].includes(o.status);
  $("d-h").textContent = declined ? "Pagamento não aprovado" : HEADING[o.status] || "Pedido recebido!";
  $("d-st").textContent = STATUS[o.status] || o.status;
  $("d-st").className = "badge " + ({ pending_payment: "", on_hold: "", cancelled: "bad", refunded: "bad" }[o.status] ?? "paid");
  $("d-id").textContent = o.order_code || o.order_id;
  mentionOrder(o.order_code);
  $("d-total").textContent = brl(o.total);
  const f = o.fulfilment;
  const a = f.address;
  const store = D.stores.find((s) => s[0] === f.store_code);
  $("d-ful").textContent = f.kind === "pickup"
    ? `Retirada ${pickupPlace(store, f.store_code)}. Avisaremos quando estiver pronto.`
    : `Entrega em até ${f.delivery_days} dias úteis${a ? ` em ${a.street}, ${a.number}, ${a.city}/${a.state}` : ""}.`;
  $("d-lines").replaceChildren(...o.lines.map((l) => el("li", "", `${l.quantity}× ${l.name}${l.size || l.colour ? ` (${[l.size, l.colour].filter(Boolean).join(", ")})` : ""} — ${brl(l.total)}`)));
  $("d-sum").textContent = `Subtotal ${brl(o.subtotal)} · Entrega ${f.delivery_price ? brl(f.delivery_price) : "grátis"}`;
  renderPayment(o);
  renderDocuments(o);
};
// What the shop reported: the carrier and how to follow the delivery, and the NF-e (the proof of purchase).
const renderDocuments = (o) => {
  const box = $("d-docs");
  const parts = [];
  const s = o.shipment;
  if (s) {
    parts.push(el("p", "", `Enviado por ${s.carrier} · Código de rastreio: `), el("p", "mono", s.tracking_code));
    if (s.tracking_url && s.tracking_url.startsWith("https://")) {
      const a = el("a", "", "Rastrear entrega");
      a.href = s.tracking_url;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      const line = el("p");
      line.append(a);
      parts.push(line);
    }
  }
  const nf = o.invoice;
  if (nf) {
    parts.push(
      el("p", "", `Nota fiscal nº ${nf.number}, série ${nf.series}`),
      el("p", "note", "Chave de acesso:"),
      el("p", "mono", nf.access_key.replace(/(\d{4})(?=\d)/g, "$1 ")),
    );
  }
  const lp = o.loyalty;
  if (lp && lp.state !== "none") {
    const points = lp.state === "to_score" ? "a pontuar (quando a nota fiscal for emitida)" : `${lp.points} pontos`;
    parts.push(el("p", "", `Pontos de fidelidade do profissional: ${points}`));
  }
  box.replaceChildren(...parts);
  box.hidden = parts.length === 0;
};
// "Falar com a loja" says which order the message is about, once the page knows its code.
const mentionOrder = (code) => {
  const wa = $("wa");
  if (!wa || !code || wa.dataset.code) return;
  wa.dataset.code = code;
  wa.href += encodeURIComponent(` Código do pedido: ${code}.`);
};
const refresh = async () => {
  let o = null;
  try {
    const r = await api("GET", url);
    if (r.status === 404) {
      $("d-wait").textContent = "Pedido não encontrado. Confira o link que você recebeu.";
      return;
    }
    if (r.ok) o = r.body;
  } catch (e) { /* offline: try again shortly */ }
  if (o) {
    $("d-wait").hidden = true;
    $("d-order").hidden = false;
    render(o);
  }
  schedule(o);
};
// Polls cost a request each (bench/cost.py). While the shopper pays (or the gateway reviews) the answer is seconds
// away: every 4 s. After that the news (invoice, dispatch) is hours away: 4 s, then half as long again each time,
// up to a minute. A hidden tab asks nothing; showing it again refreshes at once. A final status stops it.
const WAITING = ["pending_payment", "on_hold"];
let calm = 4000;
let missed = false;
const schedule = (o) => {
  if (o && FINAL.includes(o.status)) return;
  let wait = 4000;
  if (o && !WAITING.includes(o.status)) {
    wait = calm;
    calm = Math.min(calm * 1.5, 60000);
  }
  setTimeout(() => (document.hidden ? (missed = true) : refresh()), wait);
};
document.addEventListener("visibilitychange", () => {
  if (document.hidden || !missed) return;
  missed = false;
  refresh();
});
refresh();

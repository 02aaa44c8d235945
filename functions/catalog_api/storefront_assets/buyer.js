// The catalog page's signed-in buyer (inlined after catalog.js): a B2B customer, or a seller and the customer they
// picked. Their prices (a customer's own, a seller's chosen customer's) show everywhere a price does, and the
// customer's record fills the checkout. Both come from private answers of the API, so the page itself stays
// everyone's (nothing personal in it for a cache to keep).
const signedIn = session();
const who = $("who");
const customers = new Map();
const forCustomer = () => ($("for") && $("for").value) || undefined;
const applyPrices = () => {
  P.forEach(priced);
  cards.forEach((c, sku) => P.has(sku) && (c.querySelector(".price").textContent = money(P.get(sku).price)));
  for (const l of cart) l.c = (P.get(l.p) || {}).price ?? l.c;
  if (cur && !sheet.hidden) {
    $("sh-p").textContent = money(cur.price);
    options();
  }
  const note = $("whose") || el("p", "desc");
  note.id = "whose";
  note.textContent = mine ? (forCustomer() ? `Preços de ${customers.get(forCustomer()).name}` : "Preços da sua tabela de cliente") : "";
  $("grid").before(note);
  changed();
};
let pricesFor;
const loadPrices = async () => {
  const id = (pricesFor = forCustomer());
  if (signedIn.role === "seller" && !id) return applyPrices((mine = null));
  const r = await api("GET", `/api/catalogs/${D.slug}/prices` + (id ? "?customer_id=" + encodeURIComponent(id) : "")).catch(() => null);
  if (pricesFor !== id) return; // the seller picked another customer meanwhile
  if (r && r.ok) applyPrices((mine = r.body.prices));
  // A session that ended meanwhile (its 401 cleared the cookie and the note of it): the page as everyone sees it.
  else if (r && r.status === 401) location.reload();
  else toast("Não foi possível carregar os seus preços");
};
if (signedIn && signedIn.slug === D.slug) {
  const out = async () => {
    await api("DELETE", "/api/sessions").catch(() => null);
    try { localStorage.removeItem("vitrine:session"); } catch (e) { /* nothing kept */ }
    location.reload();
  };
  // The first name only: the header keeps room for the shop's name on a phone.
  who.replaceChildren(el("span", null, `Olá, ${signedIn.name.split(" ")[0]}`), btn("link", "Sair", out));
  if (signedIn.role === "seller") {
    // The seller's customer picker gets a bar of its own under the header: on a 390-px phone the header has room
    // for the shop's name and the greeting only.
    const bar = el("div", "forbar");
    const label = el("label", null, "Pedido para");
    const pick = el("select");
    pick.id = label.htmlFor = "for";
    pick.append(new Option("Escolha o cliente…", ""));
    api("GET", "/api/seller/customers").then((r) => (r.body.customers || []).forEach((c) => {
      customers.set(c.customer_id, c);
      pick.append(new Option(c.name, c.customer_id));
    }));
    pick.onchange = () => {
      fillBuyer(customers.get(pick.value));
      loadPrices();
    };
    bar.append(label, pick);
    document.querySelector("header.top").after(bar);
  } else {
    loadPrices();
    api("GET", "/api/customer").then((r) => r.ok && fillBuyer(r.body)).catch(() => null);
    // The customer's own privacy page (LGPD): their consents in force, and revoking offers.
    const privacy = el("a", "note", "Ver ou cancelar suas autorizações (privacidade)");
    privacy.href = `/c/${D.slug}/privacidade`;
    $("f-consent").closest("label").after(privacy);
  }
} else {
  const a = el("a", null, "Entrar");
  a.href = `/c/${D.slug}/entrar`;
  who.replaceChildren(a);
}

// A B2B customer's record (the signed-in customer's, or the one a seller picked) fills the buyer and the first
// address; every field stays editable. Another pick fills it anew; none empties what the last one filled.
const fillBuyer = (c) => {
  const a = (c && c.addresses[0]) || {};
  const phone = digits((c && (c.phone || (c.contacts.find((x) => x.phone) || {}).phone)) || "").replace(/^55(?=\d{10,11}$)/, "");
  const values = { name: c && c.name, doc: c && c.document, phone, email: c && c.email, ...a };
  for (const k of ["name", "doc", "phone", "email", "cep", "street", "number", "complement", "district", "city", "state"]) {
    const v = values[k] || "";
    $("f-" + k).value = MASKS[k] ? mask(v, maskOf(k, digits(v))) : v;
    fieldError(k, "");
  }
  if (!proEdited) $("f-pro").value = digits(values.doc || "").length === 11 ? $("f-doc").value : "";
  requote();
};

// The catalog page: filter, variant choice, cart (localStorage, per catalog), checkout. Merchant text is only
// ever set with textContent, never parsed as HTML.
const norm = (s) => (s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
const digits = (s) => (s || "").replace(/\D/g, "");
const uniq = (a) => [...new Set(a)].filter((x) => x != null);
const val = (k) => $("f-" + k).value.trim();
const checked = (name) => (document.querySelector(`input[name=${name}]:checked`) || {}).value;
let toastTimer;
const toast = (text) => {
  const t = $("toast");
  t.textContent = text;
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (t.hidden = true), 2500);
};

// ---- products and the grid (the first page is in the HTML; the rest comes from the JSON API)
// A signed-in buyer's own prices ({sku: centavos}, fetched privately below) replace the catalog's (p.list) wherever
// a price shows; a product their table does not price cannot be bought by them (price null).
let mine = null;
const priced = (p) => (p.price = mine ? (mine[p.sku] ?? null) : p.list);
const money = (c) => (c == null ? "Indisponível para você" : brl(c));
const P = new Map();
const grid = $("grid");
const cards = new Map([...grid.children].map((c) => [c.dataset.sku, c]));
// A variant: units for delivery (d), at each pickup store (p, in D.stores' order), and the most one order gets (n).
const variant = (sku, size, colour, d, p) => ({ sku, size, colour, d, p, n: Math.max(d, ...p) });
const addProduct = (x) => {
  const p = Array.isArray(x)
    ? { sku: x[0], name: x[1], brand: x[2], cl: x[3], list: x[4], v: x[5][2].map(([sku, si, ci, d, ...at]) => variant(sku[0] === "~" ? x[0] + "-" + sku.slice(1) : sku, x[5][0][si], x[5][1][ci], d, at)), img: x[6] }
    : { sku: x.sku, name: x.name, brand: x.brand, cl: x.classifiers, list: x.price, v: x.variants.map((a) => variant(a.sku, a.size, a.colour, a.delivery, codes.map((c) => a.pickup[c] || 0))), img: x.image_url && [x.image_url, x.image.width, x.image.height] };
  const i = cards.has(p.sku) && cards.get(p.sku).querySelector("img");
  if (i) p.img = [i.src, i.width, i.height];
  p.key = norm([p.name, p.brand, ...p.cl].join(" "));
  if (x.images) withDetail(p, x);
  priced(p);
  P.set(p.sku, p);
  return p;
};
// The sheet's description and gallery: a JSON product's (each image's lasting src), or the page's details for a
// product link and a preview ([sku, description, [[src, width, height], ...]]).
const withDetail = (p, x) => {
  [p.desc, p.gal] = x.images ? [x.description, x.images.map((m) => [m.src, m.width, m.height])] : [x[1], x[2]];
  if (p.gal[0]) p.img = p.gal[0];
};
D.products.forEach(addProduct);
D.details.forEach((x) => P.has(x[0]) && withDetail(P.get(x[0]), x));
const image = (img, alt) => {
  const i = el("img");
  [i.src, i.width, i.height] = img;
  i.alt = alt;
  i.loading = "lazy";
  return i;
};
// What a card lists: the sizes and colours the chosen way can sell (any way before a choice), as the server does.
const summary = (p) => {
  const w = current();
  const ok = p.v.filter((v) => count(v, w) > 0);
  if (!ok.length && w !== null && p.v.some((v) => v.n > 0)) return `Sem estoque ${label(w)}`;
  const pickupOnly = w === null && D.delivers && ok.length && !p.v.some((v) => v.d > 0);
  return [uniq(ok.map((v) => v.size)).join(", "), uniq(ok.map((v) => v.colour)).join(", "), pickupOnly && "Só para retirada"].filter(Boolean).join(" · ");
};
const card = (p) => {
  const a = el("article");
  a.dataset.sku = p.sku;
  if (p.img) a.append(image(p.img, ""));
  a.append(el("h2", "", p.name), el("p", "price", money(p.price)), el("p", "variants", summary(p)), btn("buy", "Comprar"));
  return a;
};
const refreshCards = () => cards.forEach((c, sku) => P.has(sku) && (c.querySelector(".variants").textContent = summary(P.get(sku))));
grid.onclick = (e) => {
  const c = e.target.closest("article");
  if (c) openSheet(c.dataset.sku);
};
let next = D.next;
let loading = null;
const more = $("more");
const loadMore = () => {
  if (next && !loading) {
    loading = api("GET", `/api/catalogs/${D.slug}/products?limit=48&cursor=${encodeURIComponent(next)}`)
      .then((r) => {
        if (!r.ok) throw new Error(r.status);
        for (const x of r.body.products) {
          if (!cards.has(x.sku)) grid.append(cards.set(x.sku, card(addProduct(x))).get(x.sku));
        }
        next = r.body.next_cursor;
      })
      .catch(() => toast("Não foi possível carregar mais produtos"))
      .finally(() => {
        loading = null;
        more.hidden = !next;
        filter();
      });
  }
  return loading;
};
more.onclick = loadMore;
more.hidden = !next;
new IntersectionObserver((es) => es[0].isIntersecting && loadMore(), { rootMargin: "600px" }).observe(more);

// ---- search and classifiers over the whole catalog: the page filters what it holds, and when the catalog has more
// than its first page the API searches the rest (?q=, ?classifier=), a bounded step per request, until enough show
let path = [];
const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
const filter = () => {
  const words = norm($("q").value).split(/\s+/).filter(Boolean);
  let shown = 0;
  for (const c of grid.children) {
    const p = P.get(c.dataset.sku);
    c.hidden = !(p && path.every((x, i) => p.cl[i] === x) && words.every((w) => p.key.includes(w)));
    shown += !c.hidden;
  }
  $("empty").hidden = shown > 0 || !!loading || !!searching;
  return shown;
};
const whole = !D.next;
let searching = null;
const filterAll = async () => {
  const params = new URLSearchParams({ limit: "48" });
  const q = $("q").value.trim();
  if (q) params.set("q", q);
  if (path[0]) params.set("classifier", path[0]);
  if (path[1]) params.set("subclassifier", path[1]);
  const asked = params.toString();
  searching = whole || (!q && !path.length) ? null : asked;
  filter();
  if (!searching) return;
  for (let cursor = null, steps = 0; steps < 30; steps++) {
    const r = await api("GET", `/api/catalogs/${D.slug}/products?${asked}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    if (searching !== asked) return; // a newer search took over
    if (!r.ok) {
      toast("Não foi possível buscar produtos");
      break;
    }
    for (const x of r.body.products) {
      if (!cards.has(x.sku)) grid.append(cards.set(x.sku, card(addProduct(x))).get(x.sku));
    }
    cursor = r.body.next_cursor;
    if (!cursor || filter() >= 24) break;
  }
  searching = null;
  filter();
};
const chips = () => {
  [[$("cats"), [null, ...Object.keys(D.cats)].map((c) => (c ? [c] : []))], [$("subcats"), (path.length ? D.cats[path[0]] : []).map((c) => [path[0], c])]].forEach(([box, options]) => {
    box.textContent = "";
    for (const to of options) {
      const b = btn("chip", to[to.length - 1] || "Todos", () => {
        path = same(to, path) && to.length > 1 ? to.slice(0, 1) : to;
        chips();
        filterAll();
      });
      b.setAttribute("aria-pressed", same(to, path));
      box.append(b);
    }
    box.hidden = options.length < 2;
  });
};
chips();
let searchTimer;
$("q").oninput = () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(filterAll, 200);
};

// ---- the variant sheet: size/colour grid, sold-out options disabled
let cur;
let sel;
let qty;
const dims = () => ["size", "colour"].filter((d) => cur.v.some((v) => v[d] != null));
const chosen = () => dims().every((d) => sel[d] != null) && cur.v.find((v) => dims().every((d) => v[d] === sel[d]));
const shade = $("shade");
const sheet = $("sheet");
const drawer = $("cart");
let opener;
const open = (box) => {
  opener = document.activeElement;
  $("toast").hidden = true;
  sheet.hidden = drawer.hidden = true;
  box.hidden = shade.hidden = false;
  document.body.classList.add("lock");
  box.querySelector("h2").focus();
};
const close = () => {
  sheet.hidden = drawer.hidden = shade.hidden = true;
  document.body.classList.remove("lock");
  opener && opener.focus();
};
shade.onclick = close;
document.addEventListener("keydown", (e) => e.key === "Escape" && close());
document.querySelectorAll(".x").forEach((x) => (x.onclick = close));
const openSheet = (sku) => {
  cur = P.get(sku);
  if (!cur) return;
  sel = {};
  qty = 1;
  for (const d of dims()) {
    const values = uniq(cur.v.map((v) => v[d]));
    if (values.length === 1) sel[d] = values[0];
  }
  detail();
  $("sh-n").textContent = cur.name;
  $("sh-p").textContent = money(cur.price);
  $("sh-share").href = "https://wa.me/?text=" + encodeURIComponent(`${cur.name} ${D.url}/p/${encodeURIComponent(cur.sku)}`);
  options();
  open(sheet);
};
// A grid product's description is not in the page (it stays light): the first sheet opened fetches the first
// page's from the JSON API, once; products loaded later came with theirs. Line breaks are kept (CSS pre-line);
// a long text is cut to a few lines with "Ver mais". Photos: a strip that snaps to each (swipe), a dot each.
let details;
const strip = $("sh-img");
const dots = $("sh-dots");
const desc = $("sh-d");
const detail = (p = cur) => {
  const g = p.gal || (p.img ? [p.img] : []);
  strip.replaceChildren(...g.map((m, n) => Object.assign(image(m, g[1] ? `${p.name}, foto ${n + 1} de ${g.length}` : p.name), n ? {} : { loading: "eager" })));
  dots.replaceChildren(...(g[1] ? g.map((m, n) => Object.assign(btn("dot", "", () => strip.scrollTo({ left: n * strip.clientWidth, behavior: "smooth" })), { ariaLabel: `Foto ${n + 1} de ${g.length}` })) : []));
  desc.textContent = p.desc || "";
  desc.className = "clamp";
  $("sh-more").hidden = true;
  // Once the sheet is drawn: back to the first photo, and "Ver mais" only for a text that does not fit.
  requestAnimationFrame(() => {
    strip.scrollLeft = 0;
    dot();
    $("sh-more").hidden = desc.scrollHeight <= desc.clientHeight + 1;
  });
  if (p.desc != null || D.preview) return;
  details = details || api("GET", "/api/catalogs/" + D.slug).then((r) => (r.body.products || []).forEach((x) => P.has(x.sku) && withDetail(P.get(x.sku), x)), () => (details = null));
  details.then(() => p === cur && p.desc != null && !sheet.hidden && detail());
};
const dot = () => [...dots.children].forEach((b, n) => b.setAttribute("aria-current", n === Math.round(strip.scrollLeft / (strip.clientWidth || 1))));
strip.onscroll = dot;
$("sh-more").onclick = () => {
  desc.className = "";
  $("sh-more").hidden = true;
};
const options = () => {
  for (const d of ["size", "colour"]) {
    const other = d === "size" ? "colour" : "size";
    const box = $("sh-" + d);
    const values = uniq(cur.v.map((v) => v[d]));
    box.hidden = box.previousElementSibling.hidden = !values.length;
    box.replaceChildren(...values.map((value) => {
      const b = btn("opt", value, () => {
        sel[d] = sel[d] === value ? null : value;
        options();
      });
      b.disabled = !cur.v.some((v) => v[d] === value && v.n > 0 && (sel[other] == null || v[other] === sel[other]));
      b.title = b.disabled ? "Esgotado" : "";
      b.setAttribute("aria-pressed", sel[d] === value);
      return b;
    }));
  }
  const v = chosen();
  qty = Math.max(1, Math.min(qty, v ? count(v, current()) || v.n : 99));
  $("sh-q").textContent = qty;
  $("sh-a").textContent = !v ? "Escolha " + dims().map((d) => (d === "size" ? "o tamanho" : "a cor")).join(" e ") : where(v);
  $("sh-add").disabled = !v || !v.n || cur.price == null;
};
$("sh-minus").onclick = () => options(qty--);
$("sh-plus").onclick = () => options(qty++);
$("sh-add").onclick = () => {
  const v = chosen();
  const line = cart.find((l) => l.s === v.sku);
  if (line) line.q = Math.min(line.q + qty, v.n);
  else cart.push({ p: cur.sku, s: v.sku, q: qty, n: cur.name, d: [v.size, v.colour].filter(Boolean).join(" · "), c: cur.price, m: v.n, i: cur.img && cur.img[0] });
  changed();
  close();
  toast("Adicionado ao carrinho");
};

// ---- the cart, kept in this browser per catalog
const CART = "vitrine:cart:" + D.slug;
let cart = (load(CART) || []).filter((l) => l.s && l.q > 0);
const short = {};
const changed = () => {
  save(CART, cart);
  preselect();
  const n = cart.reduce((a, l) => a + l.q, 0);
  $("count").textContent = n;
  $("count").hidden = !n;
  $("cartbtn").setAttribute("aria-label", `Carrinho, ${n} ${n === 1 ? "item" : "itens"}`);
  lines();
  requote();
};
const lines = () => {
  $("lines").replaceChildren(...cart.map((l) => {
    const row = el("div", "line");
    row.append(thumb(l));
    const name = el("p", "", l.n);
    name.append(el("br"), el("small", "", (l.d ? l.d + " · " : "") + brl(l.c)));
    const q = el("span", "qty");
    const remove = () => cart.splice(cart.indexOf(l), 1);
    const minus = btn("", "−", () => changed(--l.q || remove()));
    const plus = btn("", "+", () => changed((l.q = Math.min(l.q + 1, l.m || 99))));
    minus.ariaLabel = "Diminuir";
    plus.ariaLabel = "Aumentar";
    q.append(minus, el("span", "", l.q), plus);
    row.append(name, q, el("small", "err", short[l.s] || ""), btn("rm", "Remover", () => changed(remove())));
    return row;
  }));
  $("cart-empty").hidden = !($("sum").hidden = !cart.length);
  if (!cart.length) $("co").hidden = true;
  $("go").hidden = !cart.length || !$("co").hidden;
};
// A line's thumbnail: the product's first image, kept with the line (a lasting URL), so a reload still has it.
const thumb = (l) => {
  const src = l.i || ((P.get(l.p) || {}).img || [])[0];
  return src ? Object.assign(image([src, 48, 48], ""), { className: "thumb" }) : el("span", "thumb");
};
$("cartbtn").onclick = () => open(drawer);
$("go").onclick = () => {
  $("co").hidden = false;
  $("go").hidden = true;
  $("f-name").focus();
};

// ---- quote: the server's prices, delivery and instalments
let quote = null;
let quoteSeq = 0;
let quoteTimer;
const requote = () => {
  clearTimeout(quoteTimer);
  quoteTimer = setTimeout(runQuote, 150);
};
const runQuote = async () => {
  const seq = ++quoteSeq;
  const body = { catalog: D.slug, lines: cart.map((l) => ({ product_sku: l.p, sku: l.s, quantity: l.q })), customer_id: forCustomer() };
  if (checked("ful") === "pickup") body.pickup_store = checked("store");
  else if (digits(val("cep")).length === 8) body.cep = val("cep");
  const r = cart.length ? await api("POST", "/api/carts/quote", body).catch(() => null) : { body: null };
  if (seq !== quoteSeq || !r) return;
  quote = r.ok ? r.body : null;
  for (const k in short) delete short[k];
  if (quote) {
    // The server's prices are the cart's: what a line shows is what it will cost.
    for (const q of quote.lines) for (const l of cart) if (l.s === q.sku) l.c = q.unit_price;
    save(CART, cart);
    for (const s of quote.short_lines) short[s.sku] = left(s.available, s.sku);
    fieldError("cep", "");
  } else if (r.body) showErrors(r.body);
  lines();
  totals();
};
const totals = () => {
  const sub = quote ? quote.subtotal : cart.reduce((a, l) => a + l.c * l.q, 0);
  const f = quote && quote.fulfilment;
  const total = brl(quote ? quote.total : sub);
  $("t-sub").textContent = brl(sub);
  $("t-del").textContent = f ? (f.delivery_price ? brl(f.delivery_price) : "Grátis") : checked("ful") === "pickup" ? "Grátis" : "Informe o CEP";
  $("t-tot").textContent = total;
  $("q-del").textContent = f && f.kind === "delivery" ? `${f.delivery_price ? "Entrega: " + brl(f.delivery_price) : "Frete grátis"} · em até ${f.delivery_days} ${f.delivery_days === 1 ? "dia útil" : "dias úteis"}` : "";
  const inst = $("f-inst");
  const keep = inst.value;
  inst.replaceChildren(...((quote && quote.installments) || [{ count: 1, amount: sub }]).map((o) => new Option(`${o.count}x de ${brl(o.amount)} sem juros`, o.count)));
  inst.value = keep || 1;
  if (!inst.value) inst.value = 1;
  $("co-submit").textContent = "Finalizar pedido · " + total;
};

// ---- the checkout form: masks, validation as typed (CPF check digits), API errors next to their field
const mask = (value, pattern) => {
  const d = digits(value);
  let i = 0;
  let out = "";
  for (const ch of pattern) {
    if (i >= d.length) break;
    out += ch === "0" ? d[i++] : ch;
  }
  return out;
};
const MASKS = { doc: "000.000.000-00", pro: "000.000.000-00", cep: "00000-000", cardnum: "0000 0000 0000 0000 000", cardexp: "00/00", phone: "(00) 0000-00000" };
// The buyer's document is a CPF up to 11 digits and a CNPJ past them; a phone with 11 digits is a mobile.
const maskOf = (k, d) => (k === "doc" && d.length > 11 ? "00.000.000/0000-00" : k === "phone" && d.length > 10 ? "(00) 00000-0000" : MASKS[k]);
// A CPF (11 digits) or a CNPJ (14), by its two mod-11 check digits: a CPF's weights count down from 10 and 11, a
// CNPJ's run 2 to 9 from the right, again and again; a document of one digit repeated is none.
const docOk = (value, lengths = [11, 14]) => {
  const d = digits(value);
  const cnpj = d.length === 14;
  return lengths.includes(d.length) && !/^(\d)\1+$/.test(d) && [d.length - 2, d.length - 1].every((t) => {
    let s = 0;
    for (let i = 0; i < t; i++) s += d[i] * (cnpj ? ((t - 1 - i) % 8) + 2 : t + 1 - i);
    return +d[t] === (s % 11 < 2 ? 0 : 11 - (s % 11));
  });
};
const cpfOk = (x) => docOk(x, [11]);
const luhn = (d) => d.length > 12 && [...d].reverse().reduce((s, x, i) => s + (i % 2 ? [0, 2, 4, 6, 8, 1, 3, 5, 7, 9][x] : +x), 0) % 10 === 0;
const expiry = (x) => {
  const m = /^(\d\d)\/(\d\d)$/.exec(x);
  const now = new Date();
  return m && m[1] > 0 && m[1] < 13 && (2000 + +m[2]) * 12 + +m[1] > now.getFullYear() * 12 + now.getMonth();
};
const filled = (x) => !!x;
const RULES = {
  name: [(x) => x.length > 1, "Informe seu nome completo"],
  doc: [docOk, "CPF ou CNPJ inválido: confira os números"],
  phone: [(x) => /^[1-9]{2}\d{8,9}$/.test(digits(x)), "Informe o celular com DDD"],
  email: [(x) => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(x), "E-mail inválido"],
  cep: [(x) => digits(x).length === 8, "CEP inválido"],
  street: [filled, "Informe a rua"],
  number: [filled, "Informe o número"],
  district: [filled, "Informe o bairro"],
  city: [filled, "Informe a cidade"],
  state: [(x) => /^[A-Z]{2}$/.test(x), "UF com 2 letras"],
  store: [() => !!checked("store"), "Escolha a loja de retirada"],
  pro: [(x) => !x || cpfOk(x), "CPF do profissional inválido"],
  cardnum: [(x) => luhn(digits(x)), "Número do cartão inválido"],
  cardname: [(x) => x.length > 1, "Informe o nome impresso no cartão"],
  cardexp: [expiry, "Validade inválida (MM/AA)"],
  cardcvv: [(x) => /^\d{3,4}$/.test(x), "CVV inválido"],
};
const fieldError = (k, msg) => {
  $("e-" + k).textContent = msg || "";
  $("f-" + k).setAttribute("aria-invalid", !!msg);
  return !msg;
};
const check = (k) => fieldError(k, !RULES[k][0](k === "store" ? "" : val(k)) && RULES[k][1]);
let proEdited = false;
for (const k in RULES) {
  const input = $("f-" + k);
  if (input.tagName !== "INPUT") continue;
  input.addEventListener("input", () => {
    if (MASKS[k]) input.value = mask(input.value, maskOf(k, digits(input.value)));
    if (k === "state") input.value = input.value.toUpperCase();
    if (k === "pro") proEdited = true;
    // The loyalty points go to a person: a CPF is copied, a company's CNPJ is not.
    if (k === "doc" && !proEdited) $("f-pro").value = digits(input.value).length > 11 ? "" : input.value;
    // Validated as typed: the document once it is a whole CPF or CNPJ, any other field once it was flagged.
    const n = digits(input.value).length;
    if (k === "doc" ? n === 14 || (n === 11 && cpfOk(input.value)) : $("e-" + k).textContent) check(k);
    if (k === "cep" && digits(input.value).length === 8) requote();
    if (k.startsWith("card") && attempt) attempt.token = null;
  });
  input.addEventListener("blur", () => input.value && check(k));
}
// ---- the CEP fills the address (GET /api/cep/{cep}); when the lookup cannot say, the shopper types it all.
// Only fields that are empty or still hold what an earlier CEP filled are written: never what the shopper typed.
const FROM_CEP = ["street", "district", "city", "state"];
let cepAsked = "";
let cepFilled = {};
$("f-cep").addEventListener("input", async () => {
  const d = digits(val("cep"));
  if (d.length !== 8) {
    cepAsked = "";
    $("cep-note").textContent = "";
    return;
  }
  if (d === cepAsked) return;
  cepAsked = d;
  $("cep-note").textContent = "Buscando o endereço…";
  const r = await api("GET", "/api/cep/" + d).catch(() => null);
  if (cepAsked !== d) return;
  const found = r && r.ok ? r.body : null;
  const filled = {};
  for (const k of FROM_CEP) {
    const input = $("f-" + k);
    if (input.value && input.value !== cepFilled[k]) continue;
    input.value = filled[k] = found ? found[k] : "";
    if ($("e-" + k).textContent && input.value) check(k);
  }
  cepFilled = filled;
  $("cep-note").textContent = found
    ? (found.street ? "Endereço preenchido pelo CEP: confira e informe o número." : "CEP da cidade toda: informe a rua e o bairro.")
    : r && r.status === 404 ? "CEP não encontrado: confira o número ou preencha o endereço." : "Não foi possível buscar o endereço agora: preencha os campos abaixo.";
  if (found && document.activeElement === $("f-cep")) $(found.street ? "f-number" : "f-street").focus();
});
const sections = () => {
  $("f-del").hidden = checked("ful") !== "delivery";
  $("f-pick").hidden = checked("ful") !== "pickup";
  $("f-card").hidden = checked("pay") !== "card";
  $("pay-note").textContent = { pix: "O QR Code e o Pix copia e cola aparecem ao finalizar.", boleto: "O boleto aparece ao finalizar; o pedido é confirmado após a compensação." }[checked("pay")] || "";
};
document.querySelectorAll("input[type=radio]").forEach((r) => r.addEventListener("change", () => (sections(), requote())));
// The shopper chose how to receive: the grid and the sheet count for that way from now on.
document.querySelectorAll("input[name=ful], input[name=store]").forEach((r) => r.addEventListener("change", () => ((picked = true), refreshCards())));
sections();

// API error fields -> form fields by their last name: "body.fulfilment.delivery.address.cep" -> "cep"
const FIELDS = { document: "doc", cpf: "doc", store_code: "store", pickup_store: "store", professional_cpf: "pro", installments: "inst", card_token: "cardnum" };
const MESSAGES = {
  cep: "Não entregamos neste CEP: escolha retirar na loja", store: "Esta loja não faz retirada deste pedido",
  inst: "Parcelamento indisponível para este valor", cardnum: "Cartão não aceito: confira os dados ou use outro",
};
const showErrors = (body) => {
  const error = body.error || {};
  let general = "";
  let first = null;
  for (const d of error.details || []) {
    const line = /^body\.lines\.(\d+)\./.exec(d.field);
    const name = String(d.field).split(".").pop();
    const k = $("f-" + (FIELDS[name] || name)) && (FIELDS[name] || name);
    if (line) {
      const l = cart.find((x) => x.s === d.sku) || cart[line[1]];
      if (l) short[l.s] = d.available != null ? left(d.available, l.s) : "Indisponível: remova este item";
      general = "Alguns itens do carrinho mudaram: confira acima.";
    } else if (k) {
      fieldError(k, (RULES[k] && !check(k) && RULES[k][1]) || MESSAGES[k] || "Confira este campo");
      first = first || k;
    } else general = "Não foi possível concluir o pedido. Confira os dados e tente de novo.";
  }
  if (error.code === "not_found" && !first) general = "Este catálogo não está mais disponível.";
  lines();
  return { general, first };
};

// ---- checkout: card data goes to the gateway's tokenization only; one Idempotency-Key per attempt
let attempt = null;
const tokenize = async () => {
  const [mm, yy] = val("cardexp").split("/");
  const card = { number: digits(val("cardnum")), holder_name: val("cardname"), exp_month: +mm, exp_year: 2000 + +yy, cvv: val("cardcvv") };
  const r = await api("POST", D.card.url, { type: "card", card });
  if (r.ok && r.body.id) return r.body.id;
  const keys = Object.keys(r.body.errors || {}).join();
  fieldError(/holder/.test(keys) ? "cardname" : /exp/.test(keys) ? "cardexp" : /cvv/.test(keys) ? "cardcvv" : "cardnum", "Confira os dados do cartão");
  throw new Error("card");
};
$("co").onsubmit = async (e) => {
  e.preventDefault();
  const submit = $("co-submit");
  const general = $("e-form");
  const ful = checked("ful");
  const keys = ["name", "doc", "phone", "email", "pro"].concat(ful === "delivery" ? ["cep", "street", "number", "district", "city", "state"] : ["store"], checked("pay") === "card" ? ["cardnum", "cardname", "cardexp", "cardcvv"] : []);
  const bad = keys.filter((k) => !check(k));
  general.textContent = bad.length ? "Confira os campos destacados." : Object.keys(short).length ? "Alguns itens do carrinho mudaram: confira acima." : "";
  if (bad.length) return $("f-" + bad[0]).focus();
  if (general.textContent) return $("lines").scrollIntoView();
  const body = {
    catalog: D.slug,
    lines: cart.map((l) => ({ product_sku: l.p, sku: l.s, quantity: l.q })),
    customer: { name: val("name"), document: digits(val("doc")), phone: digits(val("phone")), email: val("email") },
    fulfilment: ful === "delivery"
      ? { kind: ful, address: Object.fromEntries(["cep", "street", "number", "complement", "district", "city", "state"].map((k) => [k, val(k)])) }
      : { kind: ful, store_code: checked("store") },
    payment: checked("pay") === "card" ? { method: "card", installments: +$("f-inst").value } : { method: checked("pay") },
    marketing_consent: $("f-consent").checked,
    // The version of the consent texts this page showed: the order's consent records cite it (LGPD).
    consent_text_version: $("f-consent").dataset.version,
    notify_channel: checked("notify") || "whatsapp",
    customer_id: forCustomer(),
  };
  if (val("pro")) body.professional_cpf = digits(val("pro"));
  // A retry of the same order reuses its key (and card token), so it never places a second order.
  const sig = JSON.stringify(body);
  if (!attempt || attempt.sig !== sig) attempt = { sig, key: crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2) + Date.now(), token: null };
  submit.disabled = true;
  submit.textContent = "Enviando…";
  try {
    if (body.payment.method === "card") body.payment.card_token = attempt.token = attempt.token || (await tokenize());
    const r = await api("POST", "/api/checkout", body, { "Idempotency-Key": attempt.key });
    if (r.ok) {
      const o = r.body.order;
      const pay = r.body.payment || o.payment;
      if (pay && pay.status === "failed") {
        // Declined: that order is cancelled and its units released; the cart stays for another card or Pix.
        attempt = null;
        $("f-cardnum").value = $("f-cardcvv").value = "";
        general.textContent = `${pay.decline_reason || "O cartão foi recusado"}. Seu carrinho continua aqui: tente outro cartão ou pague com Pix.`;
        general.scrollIntoView({ block: "center" });
        submit.disabled = false;
        requote();
        return totals();
      }
      save("vitrine:order:" + o.order_id, { payment: pay || null });
      cart = [];
      changed();
      return location.assign(`/c/${D.slug}/pedido/${o.order_id}#token=${encodeURIComponent(r.body.access_token)}`);
    }
    if (r.status >= 500) throw new Error();
    attempt = null;
    const shown = showErrors(r.body);
    general.textContent = shown.general || "Confira os campos destacados.";
    if (shown.first) $("f-" + shown.first).focus();
    requote();
  } catch (err) {
    general.textContent = err.message === "card" ? "Confira os dados do cartão." : "Não conseguimos concluir agora. Tente de novo: seu pedido não será duplicado.";
  }
  submit.disabled = false;
  totals();
};

changed();
if (D.open) openSheet(D.open);

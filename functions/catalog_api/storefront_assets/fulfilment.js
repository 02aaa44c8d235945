// What can be bought, per fulfilment (the catalog page's, inlined before catalog.js): a delivery takes every unit
// from the store that ships, a pickup from the store it is picked up at, as the checkout reserves. The sheet's, the
// grid's and the cart's messages count for the way the shopper chose, and the checkout preselects a way that can
// fill the cart. A way is "d" (delivery), the index of a pickup store in D.stores, or -1 (pickup, store not chosen
// yet); null until the shopper chooses in the checkout (or a line only pickup can sell makes it choose).
const codes = D.stores.map((s) => s[0]);
let picked = false;
const radioWay = () => (checked("ful") === "pickup" ? codes.indexOf(checked("store")) : "d");
const current = () => (picked ? radioWay() : null);
const count = (v, w) => (w === null ? v.n : w === "d" ? v.d : w < 0 ? Math.max(0, ...v.p) : v.p[w]);
// "para retirada na Loja Centro", "para retirada em Shopping Norte"
const label = (w) => (w === "d" ? "para entrega" : "para retirada" + (w < 0 ? "" : (/^loja\b/i.test(D.stores[w][1]) ? " na " : " em ") + D.stores[w][1]));
const ways = (v) => [...(D.delivers && v.d > 0 ? ["d"] : []), ...codes.map((_, i) => i).filter((i) => v.p[i] > 0)];
const units = (n) => (n > 3 ? "Disponível" : n > 1 ? `Últimas ${n} unidades` : "Última unidade");
const elsewhere = (v, w) => {
  const alt = v ? ways(v).find((x) => x !== w) : undefined;
  return `Sem estoque ${label(w)}` + (alt === undefined ? "" : ` · disponível ${label(alt)}`);
};
// The sheet's line: the units for the way chosen, or before a choice where it can be bought.
const where = (v) => {
  const w = current() ?? ways(v)[0];
  return w === undefined ? "Esgotado" : count(v, w) > 0 ? `${units(count(v, w))} ${label(w)}` : elsewhere(v, w);
};
const variantOf = (sku) => {
  for (const p of P.values()) for (const v of p.v) if (v.sku === sku) return v;
};
// A cart line the checkout's answer found short, for the way the cart is quoted at (and where else it can be had).
const left = (n, sku) => (n ? `${n === 1 ? "Só resta 1 unidade" : `Só restam ${n} unidades`} ${label(radioWay())}` : elsewhere(variantOf(sku), radioWay()));
// A cart the delivery cannot fill but a pickup store can: the checkout preselects that store, until the shopper
// chooses (a variant only pickup can sell offers pickup).
const preselect = () => {
  const fits = (w) => cart.every((l) => !variantOf(l.s) || count(variantOf(l.s), w) >= l.q);
  const w = [...(D.delivers ? ["d"] : []), ...codes.keys()].find(fits);
  if (picked || !cart.length || w === undefined || w === radioWay()) return;
  document.querySelector(`input[name=ful][value=${w === "d" ? "delivery" : "pickup"}]`).checked = true;
  if (w !== "d") document.querySelector(`input[name=store][value="${codes[w]}"]`).checked = true;
  sections();
};

// What can be bought, per fulfilment (the catalog page's, inlined before catalog.js): a delivery takes every unit
// from the store that ships, a pickup from the store it is picked up at, as the checkout reserves. The sheet's, the
// grid's and the cart's messages count for the way the shopper chose, and the checkout preselects a way that can
// fill the cart. A way is "d" (delivery), the index of a pickup store in D.stores, or -1 (pickup, store
// not chosen yet); null until the shopper chooses in the checkout (or a line only pickup can sell makes it choose).
const codes = D.stores.map((s) => s[0]);
let picked = false;
const radioWay = () => (checked("ful") === "pickup" ? codes.indexOf(checked("store")) : "d");
const current = () => (picked ? radioWay() : null);
const count = (v, w) => (w === null ? v.n : w === "d" ? v.d : w < 0 ? Math.max(0, ...v.p) : v.p[w]);
// "na Loja Centro", "em Shopping Norte"
const na = (i) => (/^loja\b/i.test(D.stores[i][1]) ? "na " : "em ") + D.stores[i][1];
const label = (w) => (w === "d" ? "para entrega" : w < 0 ? "para retirada" : "para retirada " + na(w));
const ways = (v) => [...(D.delivers && v.d > 0 ? ["d"] : []), ...codes.map((_, i) => i).filter((i) => v.p[i] > 0)];
const units = (n) => (n > 3 ? "Disponível" : n > 1 ? `Últimas ${n} unidades` : "Última unidade");
// The sheet's line: the units for the way chosen, or before a choice where it can be bought.
const where = (v) => {
  const w = current();
  const open = ways(v);
  if (!open.length) return "Esgotado";
  if (w === null || count(v, w) > 0) return `${units(count(v, w === null ? open[0] : w))} ${label(w === null ? open[0] : w)}`;
  return `Sem estoque ${label(w)} · disponível ${label(open[0])}`;
};
const variantOf = (l) => {
  const p = P.get(l.p);
  return p && p.v.find((v) => v.sku === l.s);
};
// A cart line the checkout's answer found short, for the way the cart is quoted at (and where else it can be had).
const left = (n, sku) => {
  const w = radioWay();
  if (n) return `${n === 1 ? "Só resta 1 unidade" : `Só restam ${n} unidades`} ${label(w)}`;
  const v = variantOf({ p: (cart.find((l) => l.s === sku) || {}).p, s: sku });
  const alt = v && ways(v).find((x) => x !== w);
  return `Sem estoque ${label(w)}` + (alt !== undefined ? ` · disponível ${label(alt)}` : "");
};

// A cart the delivery cannot fill but a pickup store can: the checkout preselects that store, until the shopper
// chooses (a variant only pickup can sell offers pickup).
const fits = (w) => cart.every((l) => {
  const v = variantOf(l);
  return !v || count(v, w) >= l.q;
});
const preselect = () => {
  if (picked || !cart.length) return;
  const w = [...(D.delivers ? ["d"] : []), ...codes.map((_, i) => i)].find(fits);
  if (w === undefined || w === radioWay()) return;
  document.querySelector(`input[name=ful][value=${w === "d" ? "delivery" : "pickup"}]`).checked = true;
  if (w !== "d") document.querySelector(`input[name=store][value="${codes[w]}"]`).checked = true;
  sections();
};

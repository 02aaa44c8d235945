// Helpers shared by the catalog page and the order page (each page inlines common.js + its own script).
"use strict";
const $ = (id) => document.getElementById(id);
const el = (tag, cls, text) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
};
const btn = (cls, text, onclick) => {
  const b = el("button", cls, text);
  b.type = "button";
  b.onclick = onclick;
  return b;
};
const brl = (c) => "R$ " + String(Math.floor(c / 100)).replace(/\B(?=(\d{3})+$)/g, ".") + "," + String(c % 100).padStart(2, "0");
const save = (k, v) => {
  try { localStorage.setItem(k, JSON.stringify(v)); } catch (e) { /* private mode: kept for this page only */ }
};
const load = (k) => {
  try { return JSON.parse(localStorage.getItem(k)); } catch (e) { return null; }
};
// A signed-in seller or customer (see login.js); expired ones are forgotten.
const session = () => {
  const s = load("vitrine:session");
  return s && s.exp > Date.now() ? s : null;
};
const api = async (method, path, body, headers) => {
  const s = session();
  const csrf = s && method !== "GET" && { "X-CSRF-Token": s.csrf };
  const h = Object.assign({ Accept: "application/json" }, body && { "Content-Type": "application/json" }, csrf, headers);
  const r = await fetch(path, { method, headers: h, body: body && JSON.stringify(body) });
  // A session in use slides (the answer says its new expiry); an ended one is forgotten here too.
  const renewed = r.headers.get("X-Session-Expires-At");
  if (s && renewed) save("vitrine:session", Object.assign(s, { exp: Date.parse(renewed) }));
  if (s && r.status === 401) save("vitrine:session", null);
  return { status: r.status, ok: r.ok, body: await r.json().catch(() => ({})) };
};
const D = JSON.parse($("sf-data").textContent);

// ---- the privacy page: the consents in force, and revoking marketing (LGPD). Two ways in: the revocation link of a
// message (D.token, no sign-in) or the signed-in B2B customer's portal (D.slug, the session's cookie and CSRF token).
const PURPOSES = { order_updates: "Avisos do pedido", marketing: "Ofertas e novidades", loyalty_sharing: "Programa de fidelidade parceiro" };
const CHANNELS = { whatsapp: "WhatsApp", sms: "SMS", email: "E-mail", any: "" };
const base = D.token ? `/privacidade/${D.token}` : "/api/customer/consents";
const draw = (granted) => {
  const list = $("p-list");
  list.textContent = "";
  granted.forEach((g) => {
    const li = el("li", null, PURPOSES[g.purpose] + (CHANNELS[g.channel] ? ` · ${CHANNELS[g.channel]}` : ""));
    li.append(el("small", null, `Desde ${new Date(g.collected_at).toLocaleDateString("pt-BR")} · texto versão ${g.text_version}`));
    list.append(li);
  });
  $("p-none").hidden = granted.length > 0;
  $("p-revoke").hidden = !granted.some((g) => g.purpose === "marketing");
};
const show = async () => {
  const r = await api("GET", base + (D.token ? "/consents" : "")).catch(() => null);
  $("p-wait").hidden = true;
  if (!r || !r.ok) {
    $("p-err").textContent = r && r.status === 401 ? "Entre com seu e-mail e senha para ver seus consentimentos." : "Não conseguimos carregar agora. Tente de novo.";
    return;
  }
  draw(r.body.granted);
};
$("p-revoke").onclick = async () => {
  const b = $("p-revoke");
  b.disabled = true;
  const r = await api("POST", D.token ? base : base + "/revoke", D.token ? undefined : { purposes: ["marketing"] }).catch(() => null);
  b.disabled = false;
  if (!r || !r.ok) {
    $("p-err").textContent = "Não conseguimos registrar agora. Tente de novo.";
    return;
  }
  draw(r.body.granted);
  $("p-done").hidden = false;
};
show();

// ---- sign-in: the session itself is an HttpOnly cookie; its CSRF token (not a secret from this page) is kept here
const form = $("login");
form.onsubmit = async (e) => {
  e.preventDefault();
  const err = $("e-login");
  const submit = $("l-submit");
  submit.disabled = true;
  err.textContent = "";
  const body = { catalog: D.slug, role: form.elements.role.value, email: $("l-email").value.trim(), password: $("l-pass").value };
  const r = await api("POST", "/api/sessions", body).catch(() => null);
  submit.disabled = false;
  if (r && r.ok) {
    save("vitrine:session", { slug: D.slug, role: r.body.role, name: r.body.name, csrf: r.body.csrf_token, exp: Date.parse(r.body.expires_at) });
    return location.assign(`/c/${D.slug}`);
  }
  err.textContent = r && r.status === 401 ? "E-mail ou senha não conferem." : r && r.status === 422 ? "Confira o e-mail e a senha." : r && r.status === 429 ? "Muitas tentativas. Espere um pouco e tente de novo." : "Não conseguimos entrar agora. Tente de novo.";
};

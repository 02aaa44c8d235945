// The merchant console's one script: it sends the console's writes to the merchant API (/merchant/v1) with the
// session's cookie and its CSRF token, and says in Portuguese what happened. Pages read without it.
"use strict";
(function () {
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute("content") : "";

  function api(method, path, body) {
    var headers = { "Accept": "application/json" };
    if (csrf) headers["X-CSRF-Token"] = csrf;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    return fetch(path, {
      method: method,
      headers: headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      if (response.status === 204) return { ok: true, status: 204, body: null };
      return response.json().catch(function () { return null; }).then(function (data) {
        return { ok: response.ok, status: response.status, body: data };
      });
    });
  }

  function explain(answer) {
    if (answer.status === 401) return "E-mail ou senha não conferem, ou sua sessão terminou.";
    if (answer.status === 429) return "Muitas tentativas. Espere um pouco e tente de novo.";
    if (answer.status === 403) return "Seu acesso não permite isso.";
    if (answer.status === 404) return "Não encontrado (o link pode ter expirado).";
    if (answer.status === 409) return "Não foi possível: " + ((answer.body && answer.body.error && answer.body.error.message) || "conflito");
    if (answer.status === 422) return "Confira os campos: " + ((answer.body && answer.body.error && answer.body.error.details || []).map(function (d) { return d.field.replace(/^body\./, ""); }).join(", ") || "dados inválidos");
    return "Algo deu errado. Tente de novo.";
  }

  function showError(form, message) {
    var box = form.querySelector(".error");
    if (box) { box.textContent = message; box.hidden = false; }
  }

  function toast(message) {
    var box = document.querySelector(".toast");
    if (!box) return;
    box.textContent = message;
    box.hidden = false;
    setTimeout(function () { box.hidden = true; }, 4000);
  }

  function busy(button, on) {
    if (button) button.disabled = on;
  }

  var forms = {
    "sign-in": function (form) {
      return api("POST", "/merchant/v1/sessions", {
        email: form.email.value, password: form.password.value
      }).then(function (answer) {
        if (!answer.ok) return showError(form, explain(answer));
        location.assign(form.getAttribute("data-back") || "/painel");
      });
    },
    "invitation": function (form) {
      if (form.password.value !== form.confirm.value) return Promise.resolve(showError(form, "As senhas não são iguais."));
      var token = location.hash.replace(/^#/, "");
      return api("POST", "/merchant/v1/invitations/accept", { token: token, password: form.password.value })
        .then(function (answer) {
          if (!answer.ok) return showError(form, explain(answer));
          history.replaceState(null, "", location.pathname);
          location.assign("/painel");
        });
    },
    "refund": function (form) {
      var text = form.amount.value.trim().replace(/\./g, ",");
      var match = /^(\d{1,7})(?:,(\d{1,2}))?$/.exec(text);
      if (!match) return Promise.resolve(showError(form, "Escreva o valor em reais, por exemplo 10,50."));
      var centavos = parseInt(match[1], 10) * 100 + parseInt((match[2] || "0").padEnd(2, "0"), 10);
      if (centavos <= 0 || centavos > parseInt(form.getAttribute("data-refundable"), 10)) {
        return Promise.resolve(showError(form, "O valor passa do que ainda pode ser reembolsado."));
      }
      var body = { amount: centavos, refunded_before: parseInt(form.getAttribute("data-refunded-before"), 10) };
      return api("POST", "/merchant/v1/orders/" + form.getAttribute("data-order") + "/refunds", body).then(function (answer) {
        if (!answer.ok) return showError(form, explain(answer));
        toast("Reembolso pedido.");
        setTimeout(function () { location.reload(); }, 600);
      });
    },
    "new-catalog": function (form) {
      var skus = Array.prototype.map.call(form.querySelectorAll('input[name="sku"]:checked'), function (i) { return i.value; });
      var all = form.querySelector('input[name="all_active"]').checked;
      if (!all && !skus.length) return Promise.resolve(showError(form, "Escolha ao menos um produto."));
      var stores = Array.prototype.map.call(form.querySelectorAll('input[name="store_code"]:checked'), function (i) { return i.value; });
      if (!stores.length) return Promise.resolve(showError(form, "Escolha ao menos uma loja."));
      var title = form.title.value.trim();
      var forCustomer = form.customer_id && form.customer_id.value;
      // A vitrine for one customer gets its unguessable tail from the server; any other a short one against clashes.
      var slug = forCustomer ? slugify(title) : slugify(title) + "-" + randomSuffix();
      var body = {
        slug: slug,
        title: title,
        description: form.description.value.trim(),
        price_table_id: form.price_table_id.value,
        store_codes: stores,
        min_stock_to_show: parseInt(form.min_stock.value || "0", 10),
        selection: all ? { all_active_online: true } : { skus: skus },
        display_order: all ? [] : skus
      };
      if (forCustomer) body.customer_id = form.customer_id.value;
      return api("POST", "/merchant/v1/catalogs", body).then(function (created) {
        if (!created.ok) return showError(form, explain(created));
        var id = created.body.catalog_id;
        return api("POST", "/merchant/v1/catalogs/" + id + "/publish").then(function (published) {
          if (!published.ok) return showError(form, explain(published));
          location.assign("/painel/vitrines/" + id);
        });
      });
    }
  };

  // A short random tail, so two vitrines of one title do not clash on their link.
  function randomSuffix() {
    var bytes = new Uint8Array(6);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b % 36).toString(36); }).join("");
  }

  function slugify(text) {
    var plain = text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    return plain.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40).replace(/-+$/, "") || "vitrine";
  }

  var actions = {
    "sign-out": function () {
      return api("DELETE", "/merchant/v1/sessions").then(function () { location.assign("/painel/entrar"); });
    },
    "review": function (button) {
      var decision = button.getAttribute("data-decision");
      if (decision === "reject" && !confirm("Recusar este pagamento? O pedido será cancelado.")) return Promise.resolve();
      return api("POST", "/merchant/v1/orders/" + button.getAttribute("data-order") + "/review", { decision: decision })
        .then(reloadOr(decision === "approve" ? "Pagamento aprovado." : "Pagamento recusado."));
    },
    "cancel": function (button) {
      if (!confirm("Cancelar este pedido? O estoque volta à venda e o valor pago é devolvido.")) return Promise.resolve();
      return api("POST", "/merchant/v1/orders/" + button.getAttribute("data-order") + "/cancel", { reason: "merchant_cancelled" })
        .then(reloadOr("Pedido cancelado."));
    },
    "publish": function (button) {
      return api("POST", "/merchant/v1/catalogs/" + button.getAttribute("data-catalog") + "/publish").then(reloadOr("Vitrine publicada."));
    },
    "unpublish": function (button) {
      if (!confirm("Despublicar? O link deixa de abrir a vitrine.")) return Promise.resolve();
      return api("POST", "/merchant/v1/catalogs/" + button.getAttribute("data-catalog") + "/unpublish").then(reloadOr("Vitrine despublicada."));
    },
    "copy": function (button) {
      var field = document.querySelector(button.getAttribute("data-copy"));
      field.select();
      var done = function () { toast("Link copiado."); };
      if (navigator.clipboard) return navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand("copy"); done(); });
      document.execCommand("copy");
      done();
      return Promise.resolve();
    }
  };

  function reloadOr(message) {
    return function (answer) {
      if (!answer.ok) return toast(explain(answer));
      toast(message);
      setTimeout(function () { location.reload(); }, 600);
    };
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var handler = forms[form.getAttribute("data-form")];
    if (!handler) return;
    event.preventDefault();
    var button = form.querySelector('button[type="submit"]');
    busy(button, true);
    handler(form).catch(function () { showError(form, "Sem conexão. Tente de novo."); }).then(function () { busy(button, false); });
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-action]");
    if (!button) return;
    var handler = actions[button.getAttribute("data-action")];
    if (!handler) return;
    event.preventDefault();
    busy(button, true);
    handler(button).catch(function () { toast("Sem conexão. Tente de novo."); }).then(function () { busy(button, false); });
  });
})();

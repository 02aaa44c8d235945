// Fidelidade's script: the professional's CPF on an order (Pedido) and the loyalty settings (Configurações), through
// the merchant API (/merchant/v1) with the session's cookie and its CSRF token. The pages read without it.
"use strict";
(function () {
  var api = window.painel.api;
  var showError = window.painel.showError;
  var toast = window.painel.toast;

  function explain(answer) {
    var error = (answer.body && answer.body.error) || {};
    if (answer.status === 403) return "Seu acesso não permite isso.";
    if (answer.status === 404) return "Pedido não encontrado.";
    if (answer.status === 409) return error.message || "Os pontos já foram enviados: o CPF não muda mais.";
    if (answer.status === 422) return "Confira os campos: " + ((error.details || []).map(function (d) { return d.field.replace(/^body\./, ""); }).join(", ") || "dados inválidos");
    return "Algo deu errado. Tente de novo.";
  }

  function cpfPath(order) {
    return "/merchant/v1/orders/" + order + "/loyalty-cpf";
  }

  function done(message) {
    toast(message);
    setTimeout(function () { location.reload(); }, 600);
  }

  var forms = {
    "loyalty-cpf": function (form) {
      return api("PUT", cpfPath(form.getAttribute("data-order")), { cpf: form.cpf.value.trim() }).then(function (answer) {
        if (!answer.ok) return showError(form, explain(answer));
        done("CPF do profissional salvo.");
      });
    },
    "loyalty-settings": function (form) {
      var bad = null;
      var stores = {};
      // What the form does not show (rates by classifier, set through the API) is kept as it is.
      var current = JSON.parse(form.getAttribute("data-loyalty")).stores || {};
      Array.prototype.forEach.call(form.querySelectorAll("tr[data-store]"), function (row) {
        var code = row.querySelector('[name="partner_store_code"]').value.trim();
        if (!code) return;
        var fallback = row.querySelector('[name="default_rate"]').value.trim();
        var rates = {};
        row.querySelector('[name="brand_rates"]').value.split("\n").forEach(function (line) {
          if (!line.trim()) return;
          var parts = line.split("=");
          var rate = parseInt((parts[1] || "").trim(), 10);
          if (parts.length !== 2 || !parts[0].trim() || isNaN(rate)) bad = "Escreva cada marca como Marca=pontos.";
          else rates[parts[0].trim()] = rate;
        });
        if (fallback && isNaN(parseInt(fallback, 10))) bad = "Os pontos padrão são um número inteiro.";
        stores[row.getAttribute("data-store")] = {
          partner_store_code: code,
          default_rate: fallback ? parseInt(fallback, 10) : null,
          brand_rates: rates,
          classifier_rates: (current[row.getAttribute("data-store")] || {}).classifier_rates || {}
        };
      });
      if (bad) return Promise.resolve(showError(form, bad));
      var partner = null;
      if (form.base_url.value.trim()) {
        partner = { base_url: form.base_url.value.trim() };
        if (form.api_key.value) partner.api_key = form.api_key.value;
      }
      var body = {
        enabled: form.enabled.checked,
        mode: form.mode.value,
        brands: form.brands.value.split("\n").map(function (b) { return b.trim(); }).filter(Boolean),
        stores: stores,
        partner: partner
      };
      return api("PUT", "/merchant/v1/loyalty", body).then(function (answer) {
        if (!answer.ok) return showError(form, explain(answer));
        done("Fidelidade salva.");
      });
    }
  };

  var actions = {
    "loyalty-cpf-remove": function (button) {
      return api("DELETE", cpfPath(button.getAttribute("data-order"))).then(function (answer) {
        if (!answer.ok) return toast(explain(answer));
        done("CPF do profissional removido.");
      });
    }
  };

  window.painel.serve(forms, actions);
})();

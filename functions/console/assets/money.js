// Recebíveis' script: simulates and asks for an anticipation, asks for the KYC link and saves the payout settings,
// through the merchant API (/merchant/v1) with the session's cookie and its CSRF token. The page reads without it.
"use strict";
(function () {
  var api = window.painel.api;
  var showError = window.painel.showError;
  var toast = window.painel.toast;

  function explain(answer) {
    var error = (answer.body && answer.body.error) || {};
    if (answer.status === 403) return "Seu acesso não permite isso.";
    if (answer.status === 404) return "Não encontrado: a loja ainda não tem cadastro para repasses.";
    if (answer.status === 409) return "Não foi possível agora: " + (error.message || "o cadastro do recebedor ainda não está ativo");
    if (answer.status === 422) return "Confira os campos: " + ((error.details || []).map(function (d) { return d.field.replace(/^(body|query)\./, ""); }).join(", ") || "dados inválidos");
    if (answer.status === 503) return "O meio de pagamento não respondeu. Tente de novo em instantes.";
    return "Algo deu errado. Tente de novo.";
  }

  function brl(centavos) {
    return (centavos / 100).toLocaleString("pt-BR", { style: "currency", currency: "BRL" });
  }

  // "1.234,56", "R$ 10" or "10,5" -> centavos; NaN when it is not an amount.
  function centavos(text) {
    var plain = String(text || "").replace(/R\$|\s/g, "").replace(/\./g, "").replace(",", ".");
    if (!/^\d+(\.\d{1,2})?$/.test(plain)) return NaN;
    return Math.round(parseFloat(plain) * 100);
  }

  var forms = {
    "simulate": function (form) {
      showError(form, "");
      var query = "?payment_date=" + encodeURIComponent(form.payment_date.value) + "&timeframe=" + encodeURIComponent(form.timeframe.value);
      return api("GET", "/merchant/v1/anticipations/limits" + query).then(function (answer) {
        var box = form.querySelector("[data-simulation]");
        if (!answer.ok) { box.hidden = true; return showError(form, explain(answer)); }
        ["maximum", "minimum"].forEach(function (name) {
          var limit = answer.body[name];
          form.querySelector('[data-limit="' + name + '"]').textContent =
            brl(limit.amount) + " (tarifa " + brl(limit.fee) + ", você recebe " + brl(limit.net) + ")";
        });
        form.amount.value = (answer.body.maximum.amount / 100).toFixed(2).replace(".", ",");
        box.hidden = false;
      });
    },
    "payout-settings": function (form) {
      var minimum = centavos(form.minimum_amount.value);
      if (isNaN(minimum)) return Promise.resolve(showError(form, "Valor mínimo inválido: use algo como 10,00."));
      var cadence = form.cadence.value;
      var schedule = { cadence: cadence, minimum_amount: minimum };
      if (cadence === "weekly") schedule.weekday = parseInt(form.weekday.value, 10);
      if (cadence === "monthly") schedule.day_of_month = parseInt(form.day_of_month.value, 10);
      var body = {
        schedule: schedule,
        bank_account: {
          holder_name: form.holder_name.value.trim(),
          holder_document: form.holder_document.value.replace(/\D/g, ""),
          bank: form.bank.value.trim(),
          branch_number: form.branch_number.value.trim(),
          branch_check_digit: form.branch_check_digit.value.trim() || null,
          account_number: form.account_number.value.trim(),
          account_check_digit: form.account_check_digit.value.trim(),
          type: form.account_type.value
        }
      };
      return api("PUT", "/merchant/v1/payout-settings", body).then(function (answer) {
        if (!answer.ok) return showError(form, explain(answer));
        toast("Dados de repasse salvos.");
        setTimeout(function () { location.reload(); }, 600);
      });
    }
  };

  var actions = {
    "anticipate": function (button) {
      var form = button.closest("form");
      var amount = centavos(form.amount.value);
      if (isNaN(amount) || amount <= 0) return Promise.resolve(showError(form, "Valor inválido: use algo como 1.000,00."));
      if (!confirm("Antecipar até " + brl(amount) + " para " + form.payment_date.value.split("-").reverse().join("/") + "?")) return Promise.resolve();
      var body = { amount: amount, payment_date: form.payment_date.value, timeframe: form.timeframe.value };
      return api("POST", "/merchant/v1/anticipations", body).then(function (answer) {
        if (!answer.ok) return showError(form, explain(answer));
        toast(answer.body.status === "approved" ? "Antecipação aprovada." : "Antecipação solicitada: aguardando o meio de pagamento.");
        setTimeout(function () { location.reload(); }, 900);
      });
    },
    "kyc-link": function (button) {
      return api("POST", "/merchant/v1/payout-settings/kyc-link").then(function (answer) {
        if (!answer.ok) return toast(explain(answer));
        var box = document.querySelector("[data-kyc]");
        box.querySelector("a").href = answer.body.url;
        box.hidden = false;
      });
    }
  };

  window.painel.serve(forms, actions);
})();

// Privacidade's script: files a data-subject request through the merchant API (the session's cookie and its CSRF
// token), then reloads the page, which lists it with its outcome.
"use strict";
(function () {
  var api = window.painel.api;
  var showError = window.painel.showError;
  var toast = window.painel.toast;

  var forms = {
    "subject-request": function (form) {
      showError(form, "");
      var body = { kind: form.querySelector('input[name="kind"]:checked').value };
      ["document", "email", "phone"].forEach(function (name) {
        var value = form.elements[name].value.trim();
        if (value) body[name] = value;
      });
      if (!body.document && !body.email && !body.phone) {
        return Promise.resolve(showError(form, "Informe o CPF/CNPJ, o e-mail ou o telefone da pessoa."));
      }
      if (body.kind === "erase" && !window.confirm("Apagar os dados desta pessoa? Não tem volta.")) return Promise.resolve();
      return api("POST", "/merchant/v1/data-subject-requests", body).then(function (answer) {
        if (!answer.ok) {
          var error = (answer.body && answer.body.error) || {};
          return showError(form, answer.status === 403 ? "Seu acesso não permite isso." : answer.status === 422 ? "Confira os dados: " + (error.message || "inválidos") : "Algo deu errado. Tente de novo.");
        }
        toast(body.kind === "erase" ? "Dados anonimizados." : "Exportação pronta.");
        location.reload();
      });
    },
  };
  window.painel.serve(forms, {});
})();

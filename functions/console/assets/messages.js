// Mensagens' script: preview a message's text with the sample order as it is typed, save it, or go back to the
// default; through /merchant/v1/message-templates with the session's cookie and its CSRF token.
"use strict";
(function () {
  var api = window.painel.api;
  var showError = window.painel.showError;
  var toast = window.painel.toast;
  var PATH = "/merchant/v1/message-templates/";

  function explain(answer) {
    var error = (answer.body && answer.body.error) || {};
    if (answer.status === 403) return "Seu acesso não permite isso.";
    if (answer.status === 422) {
      return (error.details || []).map(function (d) {
        return (d.field === "body.subject" ? "Assunto: " : "Texto: ") + d.reason;
      }).join("; ") || "Texto inválido.";
    }
    return "Algo deu errado. Tente de novo.";
  }

  function body(form) {
    return { subject: form.subject.value, text: form.text.value };
  }

  function preview(form) {
    return api("POST", PATH + form.getAttribute("data-kind") + "/preview", body(form)).then(function (answer) {
      if (!answer.ok) return showError(form, explain(answer));
      showError(form, "");
      form.querySelector('[data-preview="text"]').textContent = answer.body.text;
      var whatsapp = form.querySelector('[data-preview="whatsapp"]');
      if (whatsapp && answer.body.whatsapp_text) whatsapp.textContent = answer.body.whatsapp_text;
    });
  }

  var forms = {
    "message-text": function (form) {
      return api("PUT", PATH + form.getAttribute("data-kind"), body(form)).then(function (answer) {
        if (!answer.ok) return showError(form, explain(answer));
        showError(form, "");
        toast("Mensagem salva.");
        return preview(form);
      });
    }
  };
  var actions = {
    "preview-message": function (button) { return preview(button.closest("form")); },
    "reset-message": function (button) {
      var form = button.closest("form");
      return api("DELETE", PATH + form.getAttribute("data-kind")).then(function (answer) {
        if (!answer.ok) return showError(form, explain(answer));
        location.reload();
      });
    }
  };
  var timers = {};
  document.addEventListener("input", function (event) {
    var form = event.target.closest('form[data-form="message-text"]');
    if (!form) return;
    var kind = form.getAttribute("data-kind");
    clearTimeout(timers[kind]);
    timers[kind] = setTimeout(function () { preview(form); }, 400);
  });
  window.painel.serve(forms, actions);
})();

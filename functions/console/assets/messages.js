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
        return (d.field === "body.subject" ? "Assunto: " : "Texto: ") + inPortuguese(d.reason || "");
      }).join("; ") || "Texto inválido.";
    }
    return "Algo deu errado. Tente de novo.";
  }

  // The API's reasons (English, for integrators) as the merchant reads them.
  function inPortuguese(reason) {
    var unknown = reason.match(/^unknown variable (\{[^}]*\})/);
    if (unknown) return "a variável " + unknown[1] + " não existe nesta mensagem";
    if (/not a plain variable/.test(reason)) return "escreva as variáveis só como {nome}, sem pontos nem formatação";
    if (/expected '\}'|Single '[{}]'/.test(reason)) return "há uma chave { ou } sem par";
    if (/control character/.test(reason)) return "há um caractere invisível; apague e digite de novo";
    if (/^at most (\d+)/.test(reason)) return "no máximo " + reason.match(/\d+/)[0] + " caracteres";
    if (reason === "empty") return "não pode ficar vazio";
    return reason;
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

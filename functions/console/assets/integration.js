// Integração's script: the products CSV import (sent to /merchant/v1/products/csv, then its job followed at
// /merchant/v1/jobs/{id} to its end with a progress bar, and its bad lines listed), issuing an API key (shown once),
// revoking one, and replaying a failed webhook delivery; with the session's cookie and its CSRF token.
"use strict";
(function () {
  var api = window.painel.api;
  var showError = window.painel.showError;
  var toast = window.painel.toast;
  var POLL_MS = 800;
  var POLL_FOR_MS = 3 * 60 * 1000;

  function explain(answer) {
    var error = (answer.body && answer.body.error) || {};
    if (answer.status === 403) return "Seu acesso não permite isso.";
    if (answer.status === 404) return "Não encontrado.";
    if (answer.status === 409) return "Não foi possível: " + (error.message || "conflito");
    if (answer.status === 413) return "O arquivo passa de 4 MB: divida-o em partes.";
    if (answer.status === 415) return "Envie um arquivo CSV.";
    if (answer.status === 422) return error.message || "Dados inválidos.";
    return "Algo deu errado. Tente de novo.";
  }

  function listLines(list, reasons) {
    list.textContent = "";
    reasons.forEach(function (reason) {
      var item = document.createElement("li");
      item.textContent = reason;
      list.appendChild(item);
    });
  }

  function reasonsOf(results) {
    var reasons = [];
    results.forEach(function (result) {
      (result.errors || []).forEach(function (error) { reasons.push(error.reason); });
    });
    return reasons;
  }

  function follow(form, job) {
    var box = form.querySelector("[data-import]");
    var bar = form.querySelector("progress");
    var status = form.querySelector("[data-import-status]");
    var list = form.querySelector("[data-bad-lines]");
    var started = Date.now();
    bar.max = job.total;
    bar.value = 0;
    status.textContent = "Importando " + job.total + " itens…";
    box.hidden = false;
    return new Promise(function (resolve) {
      function poll() {
        api("GET", "/merchant/v1/jobs/" + job.job_id + "?limit=500").then(function (answer) {
          if (!answer.ok) { status.textContent = explain(answer); return resolve(); }
          var report = answer.body;
          var counts = report.counts;
          bar.value = report.total - counts.pending;
          if (report.status === "done") {
            status.textContent = "Concluído: " + counts.applied + " aplicados, " + counts.unchanged + " sem mudança, " +
              counts.rejected + " com erro" + (counts.stale ? ", " + counts.stale + " ignorados" : "") + ".";
            box.setAttribute("data-done", "true");
            listLines(list, reasonsOf(report.results));
            return resolve();
          }
          status.textContent = "Importando: " + (report.total - counts.pending) + " de " + report.total + " itens…";
          if (Date.now() - started > POLL_FOR_MS) {
            status.textContent = "A importação continua; recarregue a página para ver o andamento.";
            return resolve();
          }
          setTimeout(poll, POLL_MS);
        }, function () { status.textContent = "Sem conexão. Recarregue a página para ver o andamento."; resolve(); });
      }
      poll();
    });
  }

  var forms = {
    "csv-import": function (form) {
      showError(form, "");
      var file = form.file.files[0];
      if (!file) return Promise.resolve(showError(form, "Escolha um arquivo CSV."));
      form.querySelector("[data-import]").hidden = true;
      form.querySelector("[data-import]").removeAttribute("data-done");
      return file.text().then(function (text) {
        return api("POST", "/merchant/v1/products/csv", text, "text/csv").then(function (answer) {
          if (!answer.ok) {
            var details = ((answer.body && answer.body.error && answer.body.error.details) || []).map(function (d) { return d.reason; });
            showError(form, explain(answer));
            if (details.length) {
              form.querySelector("[data-import]").hidden = false;
              form.querySelector("[data-import-status]").textContent = "Nada foi importado.";
              listLines(form.querySelector("[data-bad-lines]"), details);
            }
            return;
          }
          return follow(form, answer.body);
        });
      });
    },
    "new-key": function (form) {
      showError(form, "");
      var permissions = Array.prototype.map.call(form.querySelectorAll('input[name="permission"]:checked'), function (i) { return i.value; });
      if (!permissions.length) return Promise.resolve(showError(form, "Escolha ao menos uma permissão."));
      return api("POST", "/merchant/v1/api-keys", { name: form.name.value.trim(), permissions: permissions }).then(function (answer) {
        if (!answer.ok) return showError(form, explain(answer));
        var box = form.querySelector("[data-issued]");
        form.querySelector("#issued-key").value = answer.body.key;
        box.hidden = false;
        form.name.value = "";
      });
    }
  };

  var actions = {
    "replay": function (button) {
      return api("POST", "/merchant/v1/webhook-deliveries/" + button.getAttribute("data-delivery") + "/replay").then(function (answer) {
        if (!answer.ok) return toast(explain(answer));
        toast("Entrega reenviada.");
        button.closest("li").remove();
      });
    },
    "revoke": function (button) {
      if (!confirm("Revogar a chave \"" + button.getAttribute("data-name") + "\"? Quem a usa perde o acesso na hora.")) return Promise.resolve();
      return api("DELETE", "/merchant/v1/api-keys/" + encodeURIComponent(button.getAttribute("data-key"))).then(function (answer) {
        if (!answer.ok) return toast(explain(answer));
        toast("Chave revogada.");
        setTimeout(function () { location.reload(); }, 600);
      });
    },
    "copy-key": function () {
      var field = document.querySelector("#issued-key");
      field.select();
      var done = function () { toast("Chave copiada."); };
      if (navigator.clipboard) return navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand("copy"); done(); });
      document.execCommand("copy");
      done();
      return Promise.resolve();
    }
  };

  window.painel.serve(forms, actions);
})();

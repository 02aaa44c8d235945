// The merchant console's one script: it sends the console's writes to the merchant API (/merchant/v1) with the
// session's cookie and its CSRF token, and says in Portuguese what happened. Pages read without it.
"use strict";
(function () {
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute("content") : "";

  // A call to the merchant API with the console's cookie and its CSRF token: a JSON body, or a raw one (a CSV) of
  // ``contentType``. Shared with the pages' own scripts (money.js, integration.js) as ``window.painel``.
  function api(method, path, body, contentType) {
    var headers = { "Accept": "application/json" };
    if (csrf) headers["X-CSRF-Token"] = csrf;
    if (body !== undefined) headers["Content-Type"] = contentType || "application/json";
    return fetch(path, {
      method: method,
      headers: headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : (contentType ? body : JSON.stringify(body))
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
    if (box) { box.textContent = message; box.hidden = !message; }
  }

  function toast(message) {
    var box = document.querySelector(".toast");
    if (!box) return;
    box.textContent = message;
    box.hidden = false;
    setTimeout(function () { box.hidden = true; }, 4000);
  }

  window.painel = { api: api, showError: showError, toast: toast };

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
      var centavos = reais(form.amount.value);
      if (centavos === null) return Promise.resolve(showError(form, "Escreva o valor em reais, por exemplo 10,50."));
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
    "store": function (form) {
      var field = function (name) { return form.elements.namedItem(name).value.trim(); };
      var fulfilment = Array.prototype.filter.call(form.querySelectorAll('input[name="fulfilment"]'), function (box) {
        return box.checked;
      }).map(function (box) { return box.value; });
      var body = { name: field("name"), city: field("city") || null, address: field("address") || null, fulfilment: fulfilment };
      return api("PUT", "/merchant/v1/stores/" + encodeURIComponent(form.getAttribute("data-store")), body).then(function (answer) {
        if (!answer.ok) return showError(form, explain(answer));
        showError(form, "");
        toast("Loja salva. As vitrines mostram a mudança em instantes.");
      });
    },
    "settings": function (form) {
      var current = JSON.parse(form.getAttribute("data-settings"));
      var ranges = [];
      var bad = null;
      Array.prototype.forEach.call(form.querySelectorAll(".ranges tbody tr"), function (row) {
        var cell = function (name) { return row.querySelector('[name="' + name + '"]').value.replace(/\D/g, ""); };
        var price = reais(row.querySelector('[name="price"]').value);
        if (price === null) bad = "Confira o frete de cada faixa (em reais).";
        ranges.push({ cep_from: cell("cep_from"), cep_to: cell("cep_to"), price: price, days: parseInt(cell("days") || "0", 10) });
      });
      var minimum = reais(form.min_installment.value);
      var free = form.free_delivery_above.value.trim() ? reais(form.free_delivery_above.value) : undefined;
      if (minimum === null || free === null) bad = "Escreva os valores em reais, por exemplo 10,50.";
      if (bad) return Promise.resolve(showError(form, bad));
      var body = Object.assign({}, current, {
        max_installments: parseInt(form.max_installments.value, 10),
        min_installment: minimum,
        pix_expires_minutes: parseInt(form.pix_expires_minutes.value, 10),
        card_reservation_minutes: parseInt(form.card_reservation_minutes.value, 10),
        boleto_due_days: parseInt(form.boleto_due_days.value, 10),
        free_delivery_above: free === undefined ? null : free,
        delivery_ranges: ranges
      });
      return api("PUT", "/merchant/v1/settings", body).then(function (answer) {
        if (!answer.ok) return showError(form, explain(answer));
        toast("Configurações salvas.");
        setTimeout(function () { location.reload(); }, 600);
      });
    },
    "new-staff": function (form) {
      var groups = Array.prototype.map.call(form.querySelectorAll('input[name="group_id"]:checked'), function (i) { return i.value; });
      var body = { name: form.name.value.trim(), email: form.email.value.trim(), group_ids: groups };
      if (form.seller_id.value.trim()) body.seller_id = form.seller_id.value.trim();
      return api("POST", "/merchant/v1/staff", body).then(function (answer) {
        if (!answer.ok) return showError(form, explain(answer));
        var box = form.querySelector(".invitation");
        box.hidden = false;
        form.querySelector("#invitation-link").value = location.origin + "/painel/convite#" + answer.body.invitation.token;
        toast("Convite criado: envie o link à pessoa.");
      });
    },
    "new-group": function (form) {
      var permissions = Array.prototype.map.call(form.querySelectorAll('input[name="permission"]:checked'), function (i) { return i.value; });
      return api("POST", "/merchant/v1/permission-groups", { name: form.name.value.trim(), permissions: permissions }).then(function (answer) {
        if (!answer.ok) return showError(form, explain(answer));
        toast("Grupo criado.");
        setTimeout(function () { location.reload(); }, 600);
      });
    },
    "cover": function (form) {
      var file = form.cover.files[0];
      if (!file) return Promise.resolve(showError(form, "Escolha uma imagem."));
      if (file.size > 300000) return Promise.resolve(showError(form, "A capa pode ter até 300 KB."));
      var ticketBody = { purpose: "catalog_cover", content_type: file.type, size_bytes: file.size };
      return api("POST", "/merchant/v1/uploads", ticketBody).then(function (ticket) {
        if (!ticket.ok) return showError(form, explain(ticket));
        var data = new FormData();
        Object.keys(ticket.body.fields).forEach(function (name) { data.append(name, ticket.body.fields[name]); });
        data.append("file", file);
        return fetch(ticket.body.url, { method: "POST", body: data }).then(function (sent) {
          if (!sent.ok) return showError(form, "O envio da imagem falhou. Tente de novo.");
          var path = "/merchant/v1/catalogs/" + form.getAttribute("data-catalog") + "/cover";
          return api("PUT", path, { upload_id: ticket.body.upload_id }).then(function (attached) {
            if (!attached.ok) return showError(form, explain(attached));
            toast("Capa salva.");
            setTimeout(function () { location.reload(); }, 600);
          });
        });
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

  // "10,50" or "10.50" -> 1050 centavos; null when it is not an amount.
  function reais(text) {
    var match = /^(\d{1,7})(?:[,.](\d{1,2}))?$/.exec(String(text).trim());
    if (!match) return null;
    return parseInt(match[1], 10) * 100 + parseInt((match[2] || "0").padEnd(2, "0"), 10);
  }

  var actions = {
    "add-range": function (button) {
      var body = button.closest("fieldset").querySelector("tbody");
      var row = document.createElement("tr");
      ["CEP de", "CEP até", "Frete (R$)", "Dias"].forEach(function (label, index) {
        var cell = document.createElement("td");
        var input = document.createElement("input");
        input.name = ["cep_from", "cep_to", "price", "days"][index];
        input.setAttribute("aria-label", label);
        input.inputMode = index === 2 ? "decimal" : "numeric";
        cell.appendChild(input);
        row.appendChild(cell);
      });
      var last = document.createElement("td");
      last.innerHTML = '<button type="button" data-action="remove-row" aria-label="Remover faixa">×</button>';
      row.appendChild(last);
      body.appendChild(row);
      return Promise.resolve();
    },
    "remove-row": function (button) {
      button.closest("tr").remove();
      return Promise.resolve();
    },
    "unlock-staff": function (button) {
      return api("POST", "/merchant/v1/staff/" + button.getAttribute("data-staff") + "/unlock").then(function (answer) {
        toast(answer.ok ? "Login desbloqueado: a pessoa já pode tentar de novo." : explain(answer));
      });
    },
    "toggle-staff": function (button) {
      var member = JSON.parse(button.getAttribute("data-member"));
      member.active = !member.active;
      return api("PUT", "/merchant/v1/staff/" + button.getAttribute("data-staff"), member)
        .then(reloadOr(member.active ? "Pessoa reativada." : "Pessoa desativada: suas sessões terminaram."));
    },
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
      var done = function () { toast("Copiado."); };
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

  // The WhatsApp card shows the chosen cover before it is sent.
  document.addEventListener("change", function (event) {
    if (event.target.id !== "cover" || !event.target.files[0]) return;
    var image = document.querySelector(".wa-image");
    image.src = URL.createObjectURL(event.target.files[0]);
    image.hidden = false;
  });

  // Runs a page's handlers: ``forms`` by the submitted form's data-form, ``actions`` by the clicked data-action; the
  // button is disabled while its request runs. Shared with the pages' own scripts (``window.painel.serve``).
  function serve(forms, actions) {
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
  }

  window.painel.serve = serve;
  serve(forms, actions);
})();

/* The consultation form, enhanced. Without this script the form is a plain
   POST that the intake service answers with the thank-you page or the form
   again with errors; with it, the same errors show inline without a reload.
   Field names are the intake service's; each field's error goes in
   #<name>-error. */
(function () {
  "use strict";
  var form = document.querySelector("form.consult-form");
  if (!form || !window.fetch || !window.FormData) return;
  var summary = document.getElementById("form-summary");
  var status = form.querySelector(".form-status");
  var button = form.querySelector("button[type=submit]");
  var sending = false;

  // The procedure of the page the patient came from: ?procedure=<slug>.
  var wanted = new URLSearchParams(location.search).get("procedure");
  if (wanted) {
    var select = form.elements.procedure;
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === wanted) select.value = wanted;
    }
  }
  form.elements.page.value = location.pathname + location.search;

  // One key per form: a retry after a lost answer makes no second request.
  var key = new Uint8Array(18);
  crypto.getRandomValues(key);
  form.elements.idempotency_key.value = Array.prototype.map.call(key, function (b) {
    return ("0" + b.toString(16)).slice(-2);
  }).join("");

  // The form token tells the service how long the form has been open. A
  // token grows old in a tab left open (overnight, say): when the patient
  // comes back to the form, or sends it, an old token is replaced first.
  var tokenAge = 60 * 60 * 1000; // an hour: well within the service's day
  var tokenAt = 0; // Date.now() when the token arrived; 0: none yet
  var refreshing = null;
  function refreshToken() {
    if (refreshing) return refreshing;
    refreshing = fetch(form.action + "/token", { headers: { Accept: "application/json" }, credentials: "omit", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : {}; })
      .then(function (d) {
        if (d.token) { form.elements.form_token.value = d.token; tokenAt = Date.now(); }
      })
      .catch(function () {})
      .then(function () { refreshing = null; });
    return refreshing;
  }
  function tokenOld() { return !tokenAt || Date.now() - tokenAt > tokenAge; }
  function freshToken() { return tokenOld() ? refreshToken() : Promise.resolve(); }
  refreshToken();
  form.addEventListener("focusin", freshToken);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) freshToken(); });
  window.addEventListener("pageshow", function (e) { if (e.persisted) freshToken(); });

  // Where the visit came from, as visit.js kept it for this tab.
  function visit() {
    try { return JSON.parse(sessionStorage.getItem("consulta-visit")) || {}; } catch (e) { return {}; }
  }

  function errorSlot(name) { return document.getElementById(name + "-error"); }

  function clearErrors() {
    summary.hidden = true;
    summary.textContent = "";
    form.querySelectorAll("[aria-invalid]").forEach(function (el) {
      el.removeAttribute("aria-invalid");
      var ids = (el.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
        return id && id !== el.name + "-error";
      });
      if (ids.length) el.setAttribute("aria-describedby", ids.join(" "));
      else el.removeAttribute("aria-describedby");
    });
    form.querySelectorAll(".field-error").forEach(function (p) { p.hidden = true; p.textContent = ""; });
  }

  // showErrors puts each message beside its field and lists them all in the
  // summary, which takes focus so that screen readers read it out.
  function showErrors(errors) {
    var h = document.createElement("h2");
    var list = document.createElement("ul");
    var n = 0;
    Array.prototype.forEach.call(form.elements, function (el) {
      var msg = errors[el.name];
      if (!msg || el.type === "hidden" || el.getAttribute("aria-invalid")) return;
      var slot = errorSlot(el.name);
      if (slot && slot.hidden) { slot.textContent = msg; slot.hidden = false; }
      form.querySelectorAll("[name='" + el.name + "']").forEach(function (f) {
        f.setAttribute("aria-invalid", "true");
        var ids = (f.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
        ids.unshift(el.name + "-error");
        f.setAttribute("aria-describedby", ids.join(" "));
      });
      var a = document.createElement("a");
      a.href = "#" + el.id;
      a.textContent = msg;
      var li = document.createElement("li");
      li.appendChild(a);
      list.appendChild(li);
      delete errors[el.name];
      n++;
    });
    // Errors of fields the patient cannot fix (hidden ones): say what to do.
    Object.keys(errors).forEach(function (name) {
      var li = document.createElement("li");
      li.textContent = errors[name];
      list.appendChild(li);
      n++;
    });
    h.textContent = n === 1 ? "One thing needs correcting" : n + " things need correcting";
    summary.appendChild(h);
    summary.appendChild(list);
    summary.hidden = false;
    summary.focus();
  }

  function showProblem(text) {
    summary.textContent = "";
    var p = document.createElement("p");
    p.textContent = text;
    summary.appendChild(p);
    summary.hidden = false;
    summary.focus();
  }

  // contactSentence says back how the practice will be in touch, as the
  // theme's "consultation-contact" does.
  function contactSentence(p, way, phone, email) {
    p.textContent = "";
    function strong(text) { var s = document.createElement("strong"); s.textContent = text; return s; }
    function add() {
      Array.prototype.forEach.call(arguments, function (x) { p.append(typeof x === "string" ? document.createTextNode(x) : x); });
    }
    var nbsp = phone.replace(/ /g, "\u00a0");
    if (phone && (way === "phone" || way === "text")) {
      add(way === "phone" ? "We will call you on " : "We will text you on ", strong(nbsp), ", and have your email as ", strong(email), ".");
    } else {
      add("We will write to you at ", strong(email));
      if (phone) add(", and have your phone number as ", strong(nbsp));
      add(".");
    }
    p.hidden = false;
  }

  // thank shows the thank-you state; body is the service's answer, whose
  // due_text says when the practice will be in touch, confirmation whether
  // an email to confirm is on its way, correction where to correct the
  // phone and email, and opens_text when the practice opens if it is
  // closed. sent is what the patient sent.
  function thank(body, sent) {
    var tpl = document.getElementById("consult-thanks");
    var section = form.closest(".consult") || form.parentNode;
    var thanks = tpl.content.firstElementChild.cloneNode(true);
    var due = thanks.querySelector(".thanks-due");
    if (due && body.due_text) {
      due.querySelector("span").textContent = body.due_text;
      due.hidden = false;
    }
    var contact = thanks.querySelector(".thanks-contact");
    if (contact && sent.email) contactSentence(contact, sent.preferred_contact, sent.phone, sent.email);
    // Only a request with a form token gets a confirmation, and not every
    // one: say so only when the service queued one.
    var confirmation = thanks.querySelector(".thanks-confirmation");
    if (confirmation && body.confirmation === true) {
      confirmation.hidden = false;
    }
    var ref = thanks.querySelector(".thanks-ref");
    if (ref && body.ref) {
      ref.querySelector("strong").textContent = body.ref;
      ref.hidden = false;
    }
    var closed = thanks.querySelector(".thanks-closed");
    if (closed && body.opens_text) {
      closed.querySelector("span").textContent = body.opens_text;
      closed.hidden = false;
      thanks.querySelector(".thanks-call").hidden = true;
    }
    var fix = thanks.querySelector(".correct-form");
    if (fix && body.correction) {
      fix.action = new URL(body.correction, form.action).href;
      fix.elements.phone.value = sent.phone;
      fix.elements.email.value = sent.email;
      correct(fix, thanks, sent);
    } else if (fix) {
      fix.closest("details").hidden = true;
    }
    section.replaceWith(thanks);
    thanks.focus();
  }

  // correct sends the correction form of the thank-you state, and says
  // the corrected details back, or its errors beside their fields.
  function correct(fix, thanks, sent) {
    var fixStatus = fix.querySelector(".form-status");
    var busy = false;
    fix.addEventListener("submit", function (e) {
      e.preventDefault();
      if (busy) return;
      busy = true;
      fixStatus.textContent = "Sending your correction…";
      var data = { phone: fix.elements.phone.value.trim(), email: fix.elements.email.value.trim() };
      fetch(fix.action, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(data),
        credentials: "omit"
      }).then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (body) {
          fixStatus.textContent = "";
          ["phone", "email"].forEach(function (name) {
            var input = fix.elements[name], slot = document.getElementById("correct-" + name + "-error");
            input.removeAttribute("aria-invalid");
            input.removeAttribute("aria-describedby");
            slot.hidden = true;
            var msg = r.status === 422 && body.errors && body.errors[name];
            if (msg) {
              slot.textContent = msg;
              slot.hidden = false;
              input.setAttribute("aria-invalid", "true");
              input.setAttribute("aria-describedby", slot.id);
            }
          });
          if (r.status === 200) {
            contactSentence(thanks.querySelector(".thanks-contact"), sent.preferred_contact, body.phone || "", body.email || data.email);
            thanks.querySelector(".thanks-corrected").hidden = false;
            fix.closest("details").open = false;
          } else if (r.status === 422) {
            fix.querySelector("[aria-invalid]").focus();
          } else {
            fixStatus.textContent = body.error || "Your correction could not be sent. Please call us.";
          }
        });
      }).catch(function () {
        fixStatus.textContent = "Your correction could not be sent: the connection failed. Please try again, or call us.";
      }).then(function () { busy = false; });
    });
  }

  summary.addEventListener("click", function (e) {
    var a = e.target.closest("a[href^='#']");
    if (!a) return;
    var field = document.getElementById(a.getAttribute("href").slice(1));
    if (field) { e.preventDefault(); field.focus(); }
  });

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (sending) return; // a second tap while the first is on its way
    sending = true;
    button.setAttribute("aria-disabled", "true");
    status.textContent = "Sending your request…";
    var data = {};
    new FormData(form).forEach(function (v, k) { data[k] = typeof v === "string" ? v.trim() : ""; });
    data.consent_privacy = form.elements.consent_privacy.checked;
    data.sms_opt_in = form.elements.sms_opt_in.checked;
    var from = visit();
    Object.keys(from).forEach(function (k) { // never one of the form's own fields
      if (!(k in data) && typeof from[k] === "string") data[k] = from[k];
    });
    freshToken().then(function () {
      data.form_token = form.elements.form_token.value;
      return fetch(form.action, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(data),
        credentials: "omit"
      });
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        clearErrors();
        if (r.status === 202 || r.status === 200) return thank(body, data);
        status.textContent = "";
        if (r.status === 422 && body.errors) return showErrors(body.errors);
        if (r.status === 429) return showProblem("We have had many requests from your connection. Please wait a minute and send the form again.");
        showProblem(body.error || "Your request could not be sent. Please try again, or call us.");
      });
    }).catch(function () {
      status.textContent = "";
      showProblem("Your request could not be sent: the connection failed. Please check it and send the form again, or call us.");
    }).then(function () {
      sending = false;
      button.removeAttribute("aria-disabled");
    });
  });
})();

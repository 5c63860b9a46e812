/* Where the visit came from. When a visit begins (a page reached from
   outside the site, or with campaign parameters), this keeps the page, the
   page that linked to it and the campaign parameters in sessionStorage:
   this tab only, no cookie, sent nowhere but with a consultation request
   (form.js adds them to it). Without this script the request carries only
   the form's own page. */
(function () {
  "use strict";
  var names = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id",
    "gclid", "fbclid", "msclkid"];
  try {
    var q = new URLSearchParams(location.search);
    var ref = document.referrer;
    var outside = ref && new URL(ref).origin !== location.origin;
    var campaign = names.some(function (n) { return q.get(n); });
    if (sessionStorage.getItem("consulta-visit") && !outside && !campaign) return;
    var v = { landing_page: location.pathname };
    if (outside) v.referrer = ref;
    names.forEach(function (n) { var x = q.get(n); if (x) v[n] = x.slice(0, 255); });
    sessionStorage.setItem("consulta-visit", JSON.stringify(v));
  } catch (e) { /* storage off or full: the request goes without it */ }
})();

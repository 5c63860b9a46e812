// Before/after gallery enhancements. Everything works without this file:
// pairs are side by side, and a sensitive case's photos are on their own page.
(function () {
  "use strict";
  var KEY = "consulta-show-sensitive";

  // A comparison slider for one pair: a range input (arrow keys, Home, End)
  // and buttons that need no dragging (WCAG 2.2, 2.5.7).
  function slider(fig, n) {
    var images = fig.querySelector(".ba-images");
    var controls = document.createElement("div");
    controls.className = "ba-controls";
    var id = "ba-range-" + n;
    controls.innerHTML =
      '<button type="button" aria-pressed="false" data-mode>Compare with a slider</button>' +
      '<label class="visually-hidden ba-slider-only" for="' + id + '">Show more of the before or the after photo</label>' +
      '<input class="ba-slider-only" id="' + id + '" type="range" min="0" max="100" step="5" value="50" aria-valuetext="Half before, half after">' +
      '<span class="ba-steps ba-slider-only"><button type="button" data-to="100">Before</button>' +
      '<button type="button" data-to="50">Half and half</button><button type="button" data-to="0">After</button></span>';
    images.after(controls);
    var range = controls.querySelector("input");
    var mode = controls.querySelector("[data-mode]");
    function set(v) {
      range.value = v;
      images.style.setProperty("--pos", v + "%");
      range.setAttribute("aria-valuetext", v >= 100 ? "Before only" : v <= 0 ? "After only" : v + "% before, " + (100 - v) + "% after");
    }
    range.addEventListener("input", function () { set(+range.value); });
    controls.querySelectorAll("[data-to]").forEach(function (b) {
      b.addEventListener("click", function () { set(+b.dataset.to); });
    });
    mode.addEventListener("click", function () {
      var on = fig.classList.toggle("is-slider");
      mode.setAttribute("aria-pressed", String(on));
      if (on) { range.focus(); }
    });
    set(50);
  }

  function enhance(root) {
    root.querySelectorAll("[data-compare]").forEach(slider);
  }

  // A sensitive case: its photos are fetched from the photos page only
  // when the visitor chooses, and the choice is kept for the visit.
  function veil(v) {
    var slot = document.querySelector("[data-slot]");
    var button = v.querySelector("[data-reveal]");
    button.hidden = false;
    function load(focus) {
      button.disabled = true;
      fetch(v.dataset.photos, { credentials: "same-origin" })
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.text(); })
        .then(function (html) {
          var pairs = new DOMParser().parseFromString(html, "text/html").querySelector(".ba-pairs");
          if (!pairs) { throw new Error("no photos"); }
          pairs = document.importNode(pairs, true);
          pairs.tabIndex = -1;
          slot.replaceWith(pairs);
          v.hidden = true;
          enhance(pairs);
          if (focus) { pairs.focus(); }
        })
        .catch(function () { button.disabled = false; });
    }
    button.addEventListener("click", function () {
      try { sessionStorage.setItem(KEY, "1"); } catch (e) { /* private mode */ }
      load(true);
    });
    var remembered = false;
    try { remembered = sessionStorage.getItem(KEY) === "1"; } catch (e) { /* private mode */ }
    if (remembered) { load(false); }
  }

  // Filters: one list open at a time, so the links stay in view.
  var filters = document.querySelectorAll(".ba-filter");
  filters.forEach(function (d) {
    d.addEventListener("toggle", function () {
      if (d.open) { filters.forEach(function (o) { if (o !== d) { o.open = false; } }); }
    });
  });

  enhance(document);
  var v = document.querySelector("[data-veil]");
  if (v) { veil(v); }
})();

// Before/after gallery enhancements. Everything works without this file:
// pairs are side by side, and a sensitive case's photos are on their own page.
(function () {
  "use strict";
  var ALL = "consulta-show-sensitive"; // "1": every sensitive case's photos, for the visit
  var SHOWN = "consulta-shown-cases"; // the cases whose photos were shown one by one, for the visit
  var CARD_SIZES = "(min-width: 60rem) 11rem, (min-width: 40rem) 23vw, 46vw";

  function read(key) { try { return sessionStorage.getItem(key); } catch (e) { return null; } }
  function keep(key, value) {
    try { if (value === null) { sessionStorage.removeItem(key); } else { sessionStorage.setItem(key, value); } } catch (e) { /* private mode */ }
  }
  function shown() { try { return JSON.parse(read(SHOWN) || "[]"); } catch (e) { return []; } }
  function remember(url, on) {
    var list = shown().filter(function (u) { return u !== url; });
    if (on) { list.push(url); }
    keep(SHOWN, JSON.stringify(list));
  }

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

  // photos fetches a sensitive case's photos page and returns its pairs.
  function photos(url) {
    return fetch(url, { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.text(); })
      .then(function (html) {
        var pairs = new DOMParser().parseFromString(html, "text/html").querySelector(".ba-pairs");
        if (!pairs) { throw new Error("no photos"); }
        return document.importNode(pairs, true);
      });
  }

  // A sensitive case: its photos are fetched only when the visitor
  // chooses, for this case (kept for the visit) or for every sensitive
  // case of the gallery; "Hide the photos" puts the veil back, and ends
  // the choice of every case.
  function veil(v) {
    var slot = document.querySelector("[data-slot]");
    var one = v.querySelector("[data-reveal]");
    var all = v.querySelector("[data-reveal-all]");
    var shownBox = null;
    one.hidden = all.hidden = false;
    function busy(on) { one.disabled = all.disabled = on; }
    function load(focus) {
      busy(true);
      photos(v.dataset.photos).then(function (pairs) {
        shownBox = document.createElement("div");
        shownBox.className = "ba-shown";
        shownBox.tabIndex = -1;
        shownBox.innerHTML = '<p class="ba-hide"><button type="button" class="button ghost" data-hide>Hide the photos</button></p>';
        shownBox.append(pairs);
        slot.replaceWith(shownBox);
        v.hidden = true;
        enhance(pairs);
        shownBox.querySelector("[data-hide]").addEventListener("click", hide);
        if (focus) { shownBox.focus(); }
      }).catch(function () { busy(false); });
    }
    function hide() {
      remember(v.dataset.case, false);
      keep(ALL, null);
      shownBox.replaceWith(slot);
      shownBox = null;
      v.hidden = false;
      busy(false);
      one.focus();
    }
    one.addEventListener("click", function () { remember(v.dataset.case, true); load(true); });
    all.addEventListener("click", function () { keep(ALL, "1"); load(true); });
    if (read(ALL) === "1" || shown().indexOf(v.dataset.case) >= 0) { load(false); }
  }

  // A gallery listing: every sensitive card's first pair, once the visitor
  // chooses to see all; the same button then hides them again.
  function listing(bar) {
    var button = bar.querySelector("[data-reveal-all]");
    bar.hidden = false;
    function showCards() {
      button.textContent = "Hide the sensitive photos";
      document.querySelectorAll(".ba-card-veil[data-photos]").forEach(function (cardVeil) {
        photos(cardVeil.dataset.photos).then(function (pairs) {
          var first = pairs.querySelector(".ba-images");
          var card = document.createElement("div");
          card.className = "ba-card-pair";
          first.querySelectorAll(".ba-side").forEach(function (side) {
            side.querySelector("img").sizes = CARD_SIZES;
            card.append(side);
          });
          cardVeil.replaceWith(card);
        }).catch(function () { /* the card keeps its veil */ });
      });
    }
    button.addEventListener("click", function () {
      if (read(ALL) === "1") {
        keep(ALL, null);
        location.reload();
        return;
      }
      keep(ALL, "1");
      showCards();
    });
    if (read(ALL) === "1") { showCards(); }
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
  var bar = document.querySelector("[data-sensitive]");
  if (bar) { listing(bar); }
})();

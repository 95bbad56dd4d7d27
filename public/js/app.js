// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // What only works with this file (the one-key attendance) is shown only
  // when it runs (CSS: .js-only).
  document.documentElement.classList.add("js");
  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }
  // htmx requests that are not form posts still carry the CSRF token.
  document.addEventListener("htmx:configRequest", function (evt) {
    evt.detail.headers["X-CSRF-Token"] = csrfToken();
  });
  // Disclosures marked "wide-open" (the menu, the staff filters) are shown
  // on wide screens by CSS through ::details-content; a browser without it
  // gets them opened here. On a phone they stay folded.
  var wide = window.matchMedia("(min-width: 40.01rem)");
  var cssShows = !!(window.CSS && CSS.supports && CSS.supports("selector(::details-content)"));
  function openWide(root) {
    if (cssShows || !wide.matches) return;
    var list = (root || document).querySelectorAll("details.wide-open");
    for (var i = 0; i < list.length; i++) list[i].open = true;
  }
  openWide();
  if (wide.addEventListener) wide.addEventListener("change", function () { openWide(); });
  document.addEventListener("htmx:load", function (evt) { openWide(evt.target); });
  // The phone menu closes once a page from it is shown, and with Escape.
  function closeMenu(focusButton) {
    var menu = document.getElementById("menu");
    if (!menu || !menu.open || (wide.matches && !cssShows)) return;
    menu.open = false;
    if (focusButton) menu.querySelector("summary").focus();
  }
  document.addEventListener("keydown", function (evt) {
    if (evt.key === "Escape" && evt.target.closest && evt.target.closest("#menu")) closeMenu(true);
  });
  // After a boosted navigation, move focus to the new page's heading so that
  // keyboard and screen-reader users start where the content starts.
  document.addEventListener("htmx:afterSettle", function (evt) {
    if (!evt.detail.target || evt.detail.target.id !== "main") return;
    closeMenu(false);
    if (evt.detail.requestConfig && evt.detail.requestConfig.triggeringEvent &&
        evt.detail.requestConfig.triggeringEvent.type === "input") return; // keep focus while typing
    var heading = document.querySelector("#main h1");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus({ preventScroll: true });
    }
  });
  // Taking attendance with the keyboard: in a participant's row, the first
  // letter of a choice (shown in the legend) marks it and moves to the
  // next person. The change is sent by htmx as a click would send it.
  document.addEventListener("keydown", function (evt) {
    if (evt.ctrlKey || evt.metaKey || evt.altKey || evt.key.length !== 1) return;
    var row = evt.target.closest && evt.target.closest("tr.attendance-row");
    if (!row || evt.target.type === "number") return;
    var key = evt.key.toLowerCase();
    var radios = row.querySelectorAll('input[type="radio"][data-key]');
    for (var i = 0; i < radios.length; i++) {
      if (radios[i].getAttribute("data-key") !== key) continue;
      evt.preventDefault();
      radios[i].checked = true;
      radios[i].dispatchEvent(new Event("change", { bubbles: true }));
      var next = row.nextElementSibling;
      var target = next && (next.querySelector('input[type="radio"]:checked') || next.querySelector('input[type="radio"]'));
      if (target) target.focus();
      return;
    }
  });
})();

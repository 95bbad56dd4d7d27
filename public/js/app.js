// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }
  // htmx requests that are not form posts still carry the CSRF token.
  document.addEventListener("htmx:configRequest", function (evt) {
    evt.detail.headers["X-CSRF-Token"] = csrfToken();
  });
  // After a boosted navigation, move focus to the new page's heading so that
  // keyboard and screen-reader users start where the content starts.
  document.addEventListener("htmx:afterSettle", function (evt) {
    if (!evt.detail.target || evt.detail.target.id !== "main") return;
    if (evt.detail.requestConfig && evt.detail.requestConfig.triggeringEvent &&
        evt.detail.requestConfig.triggeringEvent.type === "input") return; // keep focus while typing
    var heading = document.querySelector("#main h1");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus({ preventScroll: true });
    }
  });
})();

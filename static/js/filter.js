/* The list filters with htmx (templates/includes/filter_export.html, templates/bosetting/oversikt.html).
   When an update fails (a server error, no network), the old results stay; say so in the form's status
   element, visibly and to screen readers, instead of in silence. The text comes from the element's
   data-feil attribute, in the page's language. The next request hides it again. */
(function () {
  "use strict";

  function fromFilter(event) {
    var elt = event.detail && event.detail.elt;
    return elt && elt.closest ? elt.closest("form.app-filter") : null;
  }

  function failed(event) {
    var status = document.getElementById("filter-status");
    if (!status || !fromFilter(event)) return;
    status.textContent = status.getAttribute("data-feil");
    status.classList.add("app-filter-feil");
  }

  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:sendError", failed);
  document.addEventListener("htmx:beforeRequest", function (event) {
    var status = document.getElementById("filter-status");
    if (status && fromFilter(event)) status.classList.remove("app-filter-feil");
  });
})();

/* Searchable multi-select (core/widgets.py SokbarFlervalg). A native <select multiple data-sokbar>
   gets Designsystemet's <ds-suggestion data-multiple> beside it: type to filter, Enter or click to
   choose, the chosen ones shown as removable chips. The select stays in the form, hidden, and holds
   the value that is posted; without JavaScript it is used as it is. The spoken texts come from the
   select's data-sr-* attributes, in the page's language. */
(function () {
  "use strict";

  function el(name, attrs, text) {
    var node = document.createElement(name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text) node.textContent = text;
    return node;
  }

  function sync(box, select) {
    var chosen = {};
    Array.prototype.forEach.call(box.querySelectorAll(":scope > data"), function (d) { chosen[d.value] = true; });
    Array.prototype.forEach.call(select.options, function (o) { o.selected = !!chosen[o.value]; });
  }

  function enhance(select) {
    if (select.hasAttribute("data-sokbar-klar")) return;
    select.setAttribute("data-sokbar-klar", "");
    var box = el("ds-suggestion", { "class": "ds-suggestion", "data-multiple": "" });
    Array.prototype.forEach.call(select.attributes, function (a) {
      if (a.name.indexOf("data-sr-") === 0) box.setAttribute(a.name, a.value);
    });
    var input = el("input", { type: "search", "class": "ds-input", id: select.id, autocomplete: "off" });
    ["aria-describedby", "aria-invalid"].forEach(function (name) {
      if (select.hasAttribute(name)) input.setAttribute(name, select.getAttribute(name));
    });
    var list = el("u-datalist");
    list.appendChild(el("u-option", { "data-empty": "" }, select.getAttribute("data-tomt") || ""));
    Array.prototype.forEach.call(select.options, function (o) {
      list.appendChild(el("u-option", { value: o.value }, o.textContent));
      if (o.selected) box.appendChild(el("data", { value: o.value }, o.textContent));
    });
    box.appendChild(input);
    box.appendChild(el("del", { "aria-label": select.getAttribute("data-sr-clear") || "" }));
    box.appendChild(list);
    select.id = select.id + "_valg";
    select.removeAttribute("required");
    select.removeAttribute("aria-describedby");
    select.hidden = true;
    select.tabIndex = -1;
    select.parentNode.insertBefore(box, select);
    new MutationObserver(function () { sync(box, select); }).observe(box, { childList: true });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("select[data-sokbar]"), enhance);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

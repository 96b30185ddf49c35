// Network pages: "tick everyone on this page" in the people list, filter addresses without
// empty fields, the sub-navigation kept in view, Ctrl+Enter in the memory jogger. Every page
// works without this file.
(function () {
  "use strict";

  function reveal() {
    document.querySelectorAll("[data-select-all]").forEach(function (box) {
      box.hidden = false;
    });
  }

  // On a phone the network's sub-navigation scrolls sideways: keep the current page in view.
  function centreSubnav() {
    var current = document.querySelector(".subnav [aria-current=page]");
    var strip = current && current.parentElement;
    if (strip && strip.scrollWidth > strip.clientWidth) {
      strip.scrollLeft = current.offsetLeft - strip.offsetLeft - (strip.clientWidth - current.offsetWidth) / 2;
    }
  }

  document.addEventListener("DOMContentLoaded", reveal);
  document.addEventListener("DOMContentLoaded", centreSubnav);
  document.addEventListener("htmx:afterSettle", reveal);

  // A filter form sends only the filters that are set: the address stays short and shareable.
  document.addEventListener("htmx:configRequest", function (event) {
    if (!event.detail.elt.matches || !event.detail.elt.matches("[data-drop-empty]")) return;
    var data = event.detail.formData;
    var empty = [];
    data.forEach(function (value, key) {
      if (value === "") empty.push(key);
    });
    empty.forEach(function (key) {
      data.delete(key);
    });
  });

  // Ctrl+Enter (or Cmd+Enter) sends a list of names without reaching for the mouse.
  document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
    if (!box.matches || !box.matches("textarea[data-send-on-ctrl-enter]")) return;
    var form = box.closest("form");
    if (form && form.requestSubmit) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("[data-select-all]")) return;
    var form = box.closest("form");
    if (!form) return;
    form.querySelectorAll('input[type=checkbox][name=ids]').forEach(function (tick) {
      tick.checked = box.checked;
    });
  });
})();

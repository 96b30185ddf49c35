// Network pages: "tick everyone on this page" in the people list, and filter addresses without
// empty fields. Every page works without this file.
(function () {
  "use strict";

  function reveal() {
    document.querySelectorAll("[data-select-all]").forEach(function (box) {
      box.hidden = false;
    });
  }

  document.addEventListener("DOMContentLoaded", reveal);
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

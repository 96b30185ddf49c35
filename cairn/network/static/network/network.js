// Network pages: "tick everyone on this page" in the people list. The list works without it.
(function () {
  "use strict";

  function reveal() {
    document.querySelectorAll("[data-select-all]").forEach(function (box) {
      box.hidden = false;
    });
  }

  document.addEventListener("DOMContentLoaded", reveal);
  document.addEventListener("htmx:afterSettle", reveal);

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

// The drop zone: a file dropped anywhere on it goes into its file input. Without this
// script the zone is a plain file input with a label.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-drop-zone]").forEach(function (zone) {
      var input = zone.querySelector("input[type=file]");
      var name = zone.querySelector("[data-drop-name]");
      if (!input) return;
      function show() {
        if (name && input.files && input.files.length) name.textContent = input.files[0].name;
      }
      input.addEventListener("change", show);
      ["dragenter", "dragover"].forEach(function (type) {
        zone.addEventListener(type, function (event) {
          event.preventDefault();
          zone.classList.add("dragging");
        });
      });
      ["dragleave", "drop"].forEach(function (type) {
        zone.addEventListener(type, function () { zone.classList.remove("dragging"); });
      });
      zone.addEventListener("drop", function (event) {
        event.preventDefault();
        if (event.dataTransfer && event.dataTransfer.files.length) {
          input.files = event.dataTransfer.files;
          show();
        }
      });
    });
  });
})();

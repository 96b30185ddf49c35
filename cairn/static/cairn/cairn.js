// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  // Pre-fill a time-zone field with the browser's own zone on the sign-up form.
  document.addEventListener("DOMContentLoaded", function () {
    var zone = document.querySelector("select[name=time_zone][data-detect]") ||
      document.querySelector("form select#id_time_zone");
    if (zone && zone.value === "UTC" && window.Intl) {
      var detected = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (detected && zone.querySelector('option[value="' + detected + '"]')) zone.value = detected;
    }
  });

  // Keyboard shortcuts: "/" focuses search, "a" opens quick add (not while typing).
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "/") {
      var search = document.getElementById("global-search");
      if (search) { event.preventDefault(); search.focus(); }
    } else if (event.key === "a") {
      var add = document.querySelector(".quick-add");
      if (add) { event.preventDefault(); window.location.href = add.href; }
    }
  });
})();

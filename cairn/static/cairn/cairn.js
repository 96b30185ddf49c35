// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  function isTyping(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  document.addEventListener("DOMContentLoaded", function () {
    // Sign-up: pre-fill the time zone with the browser's own (only while it is the default).
    var zone = document.querySelector("form[data-detect-zone] select[name=time_zone]");
    if (zone && zone.value === "UTC" && window.Intl) {
      var detected = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (detected && zone.querySelector('option[value="' + detected + '"]')) zone.value = detected;
    }

    // On a narrow screen the area tabs scroll sideways: keep the current one in view.
    var current = document.querySelector(".areas [aria-current=page]");
    var strip = document.querySelector(".areas");
    if (current && strip && strip.scrollWidth > strip.clientWidth) {
      var item = current.parentElement;
      strip.scrollLeft = item.offsetLeft - (strip.clientWidth - item.offsetWidth) / 2;
    }

    // Copy buttons exist only where this script runs.
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      var field = document.getElementById(button.getAttribute("data-copy"));
      if (!field || !navigator.clipboard) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(field.value).then(function () {
          button.textContent = "Copied";
        });
      });
    });
  });

  // The account menu closes on Escape or on a click elsewhere, like any menu.
  function closeMenus(except) {
    document.querySelectorAll("details.account-menu[open]").forEach(function (menu) {
      if (menu !== except) menu.removeAttribute("open");
    });
  }
  document.addEventListener("click", function (event) {
    closeMenus(event.target.closest && event.target.closest("details.account-menu"));
  });

  // Keyboard shortcuts: "/" focuses search, "a" opens quick add (not while typing).
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      var open = document.querySelector("details.account-menu[open]");
      if (open) {
        open.removeAttribute("open");
        open.querySelector("summary").focus();
      }
      return;
    }
    if (isTyping(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "/") {
      var search = document.getElementById("global-search");
      if (search) {
        event.preventDefault();
        search.focus();
        search.select();
      }
    } else if (event.key === "a") {
      var add = document.querySelector(".quick-add");
      if (add) {
        event.preventDefault();
        window.location.href = add.href;
      }
    }
  });
})();

// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // After an htmx swap, move focus to the updated region so keyboard and screen-reader users follow it.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (target && target.hasAttribute("data-focus-after-swap")) {
      target.setAttribute("tabindex", "-1");
      target.focus();
    }
  });
  // Buttons that ask for confirmation declare it with data-confirm (no inline handlers: CSP).
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var message = (button && button.getAttribute("data-confirm")) || event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
})();

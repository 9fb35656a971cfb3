// Small behaviours for the admin UI, loaded as a file (the CSP forbids inline scripts).
(function () {
  "use strict";
  // Forms with data-confirm ask before submitting (delete, rotate).
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  });
  // Copy buttons copy the text of the element named by data-copy.
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var el = document.getElementById(button.getAttribute("data-copy"));
      if (el && navigator.clipboard) {
        navigator.clipboard.writeText(el.textContent).then(function () {
          button.textContent = "Copied";
        });
      }
    });
  });
})();

// Behaviour templates ask for with data attributes instead of inline handlers, which the
// Content-Security-Policy does not run: data-print prints the page, a form's data-confirm
// asks before it is sent; after a failed submit, focus moves to the error summary
// ([data-error-summary], tabindex -1) so that screen readers announce it first; folded sections
// print open.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
  // Folded sections ([data-print-open]) print open.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details[data-print-open]").forEach(function (details) {
      details.open = true;
    });
  });
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
})();

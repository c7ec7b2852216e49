// Behaviour templates ask for with data attributes instead of inline handlers, which the
// Content-Security-Policy does not run: data-print prints the page, a form's data-confirm
// asks before it is sent.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
})();

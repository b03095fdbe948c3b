// Progressive enhancement for the booking pages: each works fully without this file.
(function () {
  "use strict";

  // After a form comes back with problems, start keyboard and screen reader users at the list.
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }

  // A second press while the first submission is on its way sends nothing more (the server
  // would return the same booking anyway, but the patient waits less).
  document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.submitted) {
        event.preventDefault();
      }
      form.dataset.submitted = "true";
    });
  });

  // Coming back with the browser's Back button restores the page as it was: allow submitting again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
      delete form.dataset.submitted;
    });
  });
})();

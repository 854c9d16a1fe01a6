// Small progressive enhancements. Every page works fully without this file.
(function () {
  "use strict";

  // A link in the error summary moves focus to the control to fix and scrolls its question
  // (the legend or label) into view with it, not just the control itself.
  function focusTarget(event) {
    var id = decodeURIComponent(this.hash.slice(1));
    var target = document.getElementById(id);
    if (!target) {
      return;
    }
    event.preventDefault();
    var question = target.closest("fieldset") || target.closest(".usa-form-group") || target;
    question.scrollIntoView();
    target.focus({ preventScroll: true });
  }

  // Pressing "Submit complaint" twice must not send the complaint twice: the second answer
  // would come without the access code, which is shown only once.
  function sendOnce(form) {
    var sending = false;
    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      if (!submitter || submitter.value !== "submit") {
        return;
      }
      if (sending) {
        event.preventDefault();
        return;
      }
      sending = true;
      submitter.setAttribute("aria-disabled", "true");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    // Move focus to the error summary so screen reader users hear what went wrong.
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
      summary.querySelectorAll("a[href^='#']").forEach(function (link) {
        link.addEventListener("click", focusTarget);
      });
    }
    var complaintForm = document.getElementById("complaint-form");
    if (complaintForm) {
      sendOnce(complaintForm);
    }
    // Print buttons are hidden until this script can make them work.
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        window.print();
      });
    });
  });
})();

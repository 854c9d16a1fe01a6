// Small progressive enhancements. Every page works fully without this file.
(function () {
  "use strict";

  // What a person has typed in the complaint form is kept in this browser tab only
  // (sessionStorage: gone when the tab closes; phones are shared), until the complaint is filed
  // or the person clears it. Nothing is kept on the server before filing.
  var DRAFT_KEY = "complaint-draft";
  var NOT_KEPT = { csrf_token: true, website: true, action: true, restored: true };

  function readDraft() {
    try {
      return JSON.parse(window.sessionStorage.getItem(DRAFT_KEY) || "null");
    } catch (error) {
      return null;
    }
  }

  function saveDraft(form) {
    var pairs = [];
    new FormData(form).forEach(function (value, name) {
      if (!NOT_KEPT[name] && typeof value === "string") {
        pairs.push([name, value]);
      }
    });
    try {
      window.sessionStorage.setItem(DRAFT_KEY, JSON.stringify(pairs));
    } catch (error) {
      // Storage full or refused: the form still works, only without the safety net.
    }
  }

  function clearDraft() {
    try {
      window.sessionStorage.removeItem(DRAFT_KEY);
    } catch (error) {
      // Nothing to clear.
    }
  }

  // The form's own address. (Not form.action: the buttons are named "action", which hides it.)
  function formAddress(form) {
    return form.getAttribute("action");
  }

  // Show the answer to a form post in place of this page, as a navigation would.
  function showPage(html, url) {
    window.complaintsPageSwapped = true;
    document.open();
    document.write(html);
    document.close();
    if (url && url !== window.location.href) {
      window.history.replaceState(null, "", url);
    }
  }

  function offlineNotice(form) {
    var notice = document.getElementById("connection-notice");
    var text = notice.querySelector(".usa-alert__text");
    notice.hidden = false;
    text.textContent = "";
    // Re-filling the live region makes screen readers announce it again.
    window.setTimeout(function () {
      text.textContent = form.getAttribute("data-offline-message");
      notice.scrollIntoView({ block: "center" });
    }, 50);
  }

  // Steps are sent in the background: if the link drops, the page stays, says so in the
  // person's language, and keeps everything typed, ready to send again.
  function sendSafely(form) {
    var sending = false;
    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      event.preventDefault();
      if (sending) {
        return; // a second press while the first is on its way (the code is shown once)
      }
      sending = true;
      saveDraft(form);
      var data = new FormData(form);
      if (submitter && submitter.name) {
        data.append(submitter.name, submitter.value);
      }
      var url = (submitter && submitter.getAttribute("formaction")) || formAddress(form);
      window.fetch(url, { method: "POST", body: data, credentials: "same-origin" })
        .then(function (response) {
          return response.text().then(function (html) {
            showPage(html, response.url);
          });
        })
        .catch(function () {
          sending = false;
          offlineNotice(form);
        });
    });
  }

  function restoreDraft(form, draft) {
    var data = new FormData();
    var token = form.querySelector("input[name='csrf_token']");
    if (token) {
      data.append("csrf_token", token.value);
    }
    draft.forEach(function (pair) {
      data.append(pair[0], pair[1]);
    });
    data.append("action", "stay");
    data.append("restored", "1");
    window.fetch(formAddress(form), { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) {
        return response.text().then(function (html) {
          showPage(html, response.url);
        });
      })
      .catch(function () {
        // Offline: the empty form stays; the draft is still there for the next load.
      });
  }

  function offerClear(form) {
    var button = document.querySelector("[data-clear-draft]");
    if (!button) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      if (window.confirm(button.getAttribute("data-confirm"))) {
        clearDraft();
        window.location.assign(formAddress(form));
      }
    });
  }

  function complaintForm(form) {
    var draft = readDraft();
    if (form.hasAttribute("data-fresh") && draft && draft.length) {
      restoreDraft(form, draft);
      return;
    }
    ["input", "change"].forEach(function (type) {
      form.addEventListener(type, function () {
        saveDraft(form);
      });
    });
    if (!form.hasAttribute("data-fresh")) {
      saveDraft(form); // a later step: what earlier steps carried along is worth keeping
    }
    offerClear(form);
    sendSafely(form);
  }

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

  function start() {
    if (document.querySelector("[data-complaint-filed]")) {
      clearDraft();
    }
    // Move focus to the error summary so screen reader users hear what went wrong; after a
    // step sent in the background, to the page's main content, as a new page would.
    var summary = document.querySelector("[data-error-summary]");
    var main = document.getElementById("main-content");
    if (!summary && window.complaintsPageSwapped && main) {
      main.focus();
    }
    if (summary) {
      summary.focus();
      summary.querySelectorAll("a[href^='#']").forEach(function (link) {
        link.addEventListener("click", focusTarget);
      });
    }
    var form = document.getElementById("complaint-form");
    if (form && window.fetch && window.FormData) {
      complaintForm(form);
    }
    // Print buttons are hidden until this script can make them work.
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        window.print();
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

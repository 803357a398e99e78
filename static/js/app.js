// ModelAtlas: small glue on top of htmx. Every page works without it.
(function () {
  "use strict";

  // htmx 2 does not swap error responses: say what happened instead of doing nothing.
  var MESSAGES = {
    403: "You are not allowed to change this. Only the model's owners and editors can.",
    404: "That no longer exists. Reload the page to see the current state.",
    503: "The catalogue is unavailable for a moment. Nothing was saved; try again in a few seconds.",
  };

  function toast(text) {
    var box = document.getElementById("toast");
    if (!box) return;
    box.textContent = text;
    box.hidden = false;
    clearTimeout(box._timer);
    box._timer = setTimeout(function () { box.hidden = true; }, 6000);
  }

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    toast(MESSAGES[status] || "Something went wrong (" + status + "). Nothing was saved; please try again.");
  });
  document.addEventListener("htmx:sendError", function () {
    toast("The server could not be reached. Nothing was saved; check your connection.");
  });

  // After a save straight on top of the version the page showed, the Remove
  // forms elsewhere on the page may follow the new version (the server says
  // when that is safe, in #version-sync); otherwise they keep the old one and
  // a click is refused with the current rows.
  document.addEventListener("htmx:afterSettle", function () {
    var sync = document.getElementById("version-sync");
    if (!sync || !sync.dataset.from) return;
    document.querySelectorAll("input.js-follows-version").forEach(function (input) {
      if (input.value === sync.dataset.from) input.value = sync.dataset.to;
    });
    delete sync.dataset.from;
  });

  // A search box with data-live-search-from="N" fires "livesearch" as the
  // user types, once it is empty or holds N characters: the page's hx-trigger
  // listens for it (an hx-trigger filter would need eval, which the CSP forbids).
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.dataset || !box.dataset.liveSearchFrom) return;
    var length = box.value.trim().length;
    if (length === 0 || length >= Number(box.dataset.liveSearchFrom)) {
      box.dispatchEvent(new CustomEvent("livesearch", { bubbles: true }));
    }
  });

  // Escape closes an open inline form, as its Cancel button does.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var form = event.target.closest && event.target.closest("form");
    var cancel = form && form.querySelector(".js-cancel");
    if (cancel) {
      event.preventDefault();
      cancel.click();
    }
  });

  // A button marked data-print opens the browser's print dialog (the model card: print or save as PDF).
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) window.print();
  });

  // Close the user menu when clicking elsewhere.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.user-menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });
})();

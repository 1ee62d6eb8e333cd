// The organiser's console and what it does to others, in small behaviours the server cannot do.
(function () {
  "use strict";

  // Someone removed from a room: the server refuses their socket for good (4403). Reloading
  // once shows them the page that says they were removed and why, not "Reconnecting…".
  document.addEventListener("htmx:ws:close", function (evt) {
    if (evt.detail.code !== 4403 || !document.querySelector("[data-live-url]")) return;
    var key = "refused:" + location.pathname;
    if (sessionStorage.getItem(key)) return;
    sessionStorage.setItem(key, "1");
    location.reload();
  });
  document.addEventListener("DOMContentLoaded", function () {
    if (document.querySelector("[data-live-url]")) return;
    Object.keys(sessionStorage).forEach(function (k) { if (k.indexOf("refused:") === 0) sessionStorage.removeItem(k); });
  });

  // Copy buttons next to invitation links.
  document.addEventListener("click", function (evt) {
    var button = evt.target.closest("[data-copy]");
    if (!button) return;
    var source = document.getElementById(button.dataset.copy);
    if (!source || !navigator.clipboard) return;
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      var status = document.getElementById(button.dataset.copy + "-status");
      if (status) status.textContent = "Copied.";
    });
  });
})();

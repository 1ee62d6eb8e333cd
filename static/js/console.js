// The organiser's console and what it does to others, in small behaviours the server cannot do.
(function () {
  "use strict";

  // Someone removed from a room: their socket is refused at the handshake, which a browser
  // reports only as a dropped connection. When one drops, ask the page itself: a 403 means
  // this person may no longer be here, and reloading shows the page saying why.
  var checking = false;
  document.addEventListener("htmx:ws:close", function () {
    if (checking || !document.querySelector("[data-live-url]")) return;
    checking = true;
    fetch(location.href, {redirect: "manual", credentials: "same-origin"}).then(function (response) {
      if (response.status === 403) location.reload();
    }).catch(function () {}).then(function () { setTimeout(function () { checking = false; }, 3000); });
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

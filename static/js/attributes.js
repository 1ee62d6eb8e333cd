// What inline `style` and `onclick` attributes would do, declared with data attributes instead,
// so the Content-Security-Policy needs no 'unsafe-inline'. Works on whatever arrives later:
// htmx swaps, morphs and socket pushes included.
(function () {
  "use strict";

  function applyWidths(root) {
    if (root.matches && root.matches("[data-width]")) root.style.width = root.dataset.width + "%";
    if (root.querySelectorAll) {
      root.querySelectorAll("[data-width]").forEach(function (el) { el.style.width = el.dataset.width + "%"; });
    }
  }

  new MutationObserver(function (records) {
    records.forEach(function (record) {
      if (record.type === "attributes") applyWidths(record.target);
      record.addedNodes.forEach(applyWidths);
    });
  }).observe(document.documentElement, {subtree: true, childList: true, attributes: true, attributeFilter: ["data-width"]});
  document.addEventListener("DOMContentLoaded", function () { applyWidths(document); });

  document.addEventListener("click", function (evt) {
    if (evt.target.closest("[data-print]")) window.print();
  });
})();

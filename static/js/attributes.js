// What inline `style` and `onclick` attributes would do, declared with data attributes instead,
// so the Content-Security-Policy needs no 'unsafe-inline'. Works on whatever arrives later:
// htmx swaps, morphs and socket pushes included.
(function () {
  "use strict";

  function applyWidth(el) {
    var width = el.dataset.width + "%";
    if (el.style.width !== width) el.style.width = width;
  }

  function applyWidths(root) {
    if (root.matches && root.matches("[data-width]")) applyWidth(root);
    if (root.querySelectorAll) root.querySelectorAll("[data-width]").forEach(applyWidth);
  }

  // A morph (the live refreshes' outerMorph) copies the server's attributes onto the elements it
  // keeps: it removes the style set here while data-width, unchanged, records nothing. So a style
  // change on an element with data-width is watched too (applyWidth writes only when it differs,
  // so its own write ends there).
  new MutationObserver(function (records) {
    records.forEach(function (record) {
      if (record.type === "attributes" && record.target.matches("[data-width]")) applyWidth(record.target);
      record.addedNodes.forEach(applyWidths);
    });
  }).observe(document.documentElement, {subtree: true, childList: true, attributes: true,
                                         attributeFilter: ["data-width", "style"]});
  document.addEventListener("DOMContentLoaded", function () { applyWidths(document); });

  document.addEventListener("click", function (evt) {
    if (evt.target.closest("[data-print]")) window.print();
  });
})();

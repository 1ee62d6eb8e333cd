// The plenary deck: one slide on screen at a time. Arrow keys, Page Up/Down (what presentation
// clickers send), space, Home and End move; the address keeps the slide (#slide-N), and a link
// to anything on a slide (#a-12, a cited amendment) shows that slide.
(function () {
  const deck = document.querySelector("[data-deck]");
  if (!deck) return;
  const slides = Array.from(deck.querySelectorAll(".slide"));
  let current = 0;
  document.body.classList.add("deck-on");

  function show(index, push) {
    current = Math.max(0, Math.min(slides.length - 1, index));
    slides.forEach((slide, i) => { slide.hidden = i !== current; });
    if (push) history.replaceState(null, "", "#" + slides[current].id);
  }

  function fromHash() {
    const target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    const slide = target && target.closest(".slide");
    show(slide ? slides.indexOf(slide) : 0, false);
  }

  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.target.closest("input, textarea, select")) return;
    const moves = {ArrowRight: 1, ArrowDown: 1, PageDown: 1, " ": 1, ArrowLeft: -1, ArrowUp: -1, PageUp: -1};
    if (event.key in moves) show(current + (event.shiftKey && event.key === " " ? -1 : moves[event.key]), true);
    else if (event.key === "Home") show(0, true);
    else if (event.key === "End") show(slides.length - 1, true);
    else return;
    event.preventDefault();
  });
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();

// The annotated article: a span's tooltip shows while the pointer is on it or it has the focus
// (Escape hides it); Enter or a click on a span goes to its fact in the list below.
"use strict";

(() => {
  const text = document.getElementById("article-text");
  if (!text) return;
  let current = null; // {mark, tip}
  let hideTimer = 0;

  const markOf = (node) => (node instanceof Element ? node.closest("mark.ev") : null);
  const piecesOf = (mark) => text.querySelectorAll(`mark[data-span="${mark.dataset.span}"]`);

  function place(tip, mark) {
    const rects = mark.getClientRects();
    const box = rects.length ? rects[0] : mark.getBoundingClientRect();
    tip.style.left = "0px";
    tip.style.top = "0px";
    const width = tip.offsetWidth;
    const left = Math.max(8, Math.min(box.left, document.documentElement.clientWidth - width - 8));
    let top = box.bottom + 6;
    if (top + tip.offsetHeight > window.innerHeight && box.top - tip.offsetHeight - 6 > 0) {
      top = box.top - tip.offsetHeight - 6;
    }
    tip.style.left = `${left + window.scrollX}px`;
    tip.style.top = `${top + window.scrollY}px`;
  }

  function hide() {
    window.clearTimeout(hideTimer);
    if (!current) return;
    current.tip.hidden = true;
    piecesOf(current.mark).forEach((piece) => piece.classList.remove("active"));
    current = null;
  }

  function show(mark) {
    window.clearTimeout(hideTimer);
    const tip = document.getElementById(mark.dataset.tip);
    if (!tip) return;
    if (current && current.mark === mark) return;
    hide();
    current = { mark, tip };
    piecesOf(mark).forEach((piece) => piece.classList.add("active"));
    tip.hidden = false;
    place(tip, mark);
  }

  function hideSoon() {
    window.clearTimeout(hideTimer);
    hideTimer = window.setTimeout(() => {
      const focused = markOf(document.activeElement);
      if (focused && text.contains(focused)) show(focused);
      else hide();
    }, 250);
  }

  function goToFact(mark) {
    const tip = mark.dataset.tip;
    const entry = document.getElementById(tip.replace(/^tip-/, "fact-"));
    if (!entry) return;
    hide();
    entry.scrollIntoView({ block: "center" });
    entry.focus({ preventScroll: true });
  }

  text.addEventListener("focusin", (event) => {
    const mark = markOf(event.target);
    if (mark) show(mark);
  });
  text.addEventListener("focusout", hideSoon);
  text.addEventListener("mouseover", (event) => {
    const mark = markOf(event.target);
    if (mark) show(mark);
  });
  text.addEventListener("mouseout", (event) => {
    if (!markOf(event.relatedTarget)) hideSoon();
  });
  text.addEventListener("click", (event) => {
    const mark = markOf(event.target);
    if (mark && !window.getSelection().toString()) goToFact(mark);
  });
  text.addEventListener("keydown", (event) => {
    const mark = markOf(event.target);
    if (mark && event.key === "Enter") {
      event.preventDefault();
      goToFact(mark);
    }
  });
  // The tooltip stays while the pointer is on it (WCAG 1.4.13), and Escape dismisses it.
  document.getElementById("tips").addEventListener("mouseover", () => window.clearTimeout(hideTimer));
  document.getElementById("tips").addEventListener("mouseout", hideSoon);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") hide();
  });
  // Following a link to a span (from the fact list) focuses it, so its tooltip shows.
  function focusTarget() {
    const target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    if (target && target.matches("mark.ev") && text.contains(target)) target.focus();
  }
  window.addEventListener("hashchange", focusTarget);
  focusTarget();
  window.addEventListener("resize", () => {
    if (current) place(current.tip, current.mark);
  });
})();

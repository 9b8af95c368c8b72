// Marks what is wider than its box (see "Narrow screens" in stylesheets/book.css): a figure or
// output printed as a table, so that the stylesheet shows a cue to scroll it sideways, and an
// inline formula, so that it scrolls in a box of its own rather than the whole page, with a mark on
// each side where more of it is out of view; a formula at most a tenth too wide is set smaller to
// fit instead (never smaller than the text around it: the math font is 1.12 em, and 0.9 of it is
// still 1 em). What scrolls can be focused, so that a keyboard can scroll it too. Once the page has
// loaded, and again whenever a box changes width. (Measuring while the page is parsed would force a
// layout before a phone has applied the page's viewport, at a desktop's width.)
(() => {
  // A figure hiding at most this many CSS px hides only part of its white margin (matplotlib's
  // layouts leave more than that around the axes): it is not said to scroll.
  const WHITE_MARGIN_PX = 8;
  const SMALLEST_FORMULA_SCALE = 0.9;
  const korean = document.documentElement.lang === "ko";
  // What a screen reader says of a figure's box once it can be focused, to scroll it; the box of a
  // lab's figure is a <div>, named as a group.
  const FIGURE_LABEL = korean ? "좌우로 스크롤해 그림 전체 보기" : "Scroll sideways to see the whole figure";
  const figures = document.querySelectorAll(".book-figure, .jupyter-wrapper .jp-RenderedImage");
  const formulas = document.querySelectorAll(".md-typeset span.book-math");
  // Output printed as a table (bookbuild/narrow.py) scrolls rather than wrap, with the figures' cue;
  // a display formula wider than the column scrolls too, its shadows its cue (book.css).
  const tables = document.querySelectorAll("pre.book-table > code, .jupyter-wrapper pre.book-table");
  const displayFormulas = document.querySelectorAll(".md-typeset div.book-math");
  const focusable = (box, scrolls) => {
    if (scrolls) box.tabIndex = 0;
    else box.removeAttribute("tabindex");
  };
  // A box that hides more than `slack` px shows the cue and can be focused. (A table's box is a
  // <code> or <pre>, which may not be named: what a screen reader reads there is its text.)
  const markScrolling = (box, slack = 0) => {
    const scrolls = box.scrollWidth > box.clientWidth + slack;
    box.classList.toggle("book-scrolls", scrolls);
    focusable(box, scrolls);
    return scrolls;
  };
  const markDisplayFormula = box => focusable(box, box.scrollWidth > box.clientWidth);
  const markFigure = box => {
    const scrolls = markScrolling(box, WHITE_MARGIN_PX);
    if (scrolls) box.setAttribute("aria-label", FIGURE_LABEL);
    else box.removeAttribute("aria-label");
    if (!box.matches(".book-figure")) {
      if (scrolls) box.setAttribute("role", "group");
      else box.removeAttribute("role");
    }
  };
  const markEnds = span => {
    const wide = span.classList.contains("book-math-wide");
    span.classList.toggle("book-math-more-before", wide && span.scrollLeft > 1);
    span.classList.toggle("book-math-more-after", wide && span.scrollLeft + span.clientWidth < span.scrollWidth - 1);
  };
  const markFormula = span => {
    const math = span.querySelector("math");
    let box = span.parentElement;  // the block the formula's line is in
    while (box.parentElement && getComputedStyle(box).display.startsWith("inline")) box = box.parentElement;
    const room = box.clientWidth - parseFloat(getComputedStyle(box).paddingInlineStart)
      - parseFloat(getComputedStyle(box).paddingInlineEnd);
    const scale = parseFloat(span.style.getPropertyValue("--book-math-scale")) || 1;
    const width = math === null ? 0 : math.getBoundingClientRect().width / scale;
    // What is kept on the formula's line after it (bookbuild/languages.py: a particle, a comma) stays
    // there when the two fit on one line, the formula set up to a tenth smaller for it; otherwise it
    // is let go to the next line, and the formula is fitted alone.
    let space = room;
    if (span.parentElement.matches(".book-keep-formula")) {
      const following = document.createRange();
      following.setStartAfter(span);
      following.setEndAfter(span.parentElement.lastChild);
      const after = following.getBoundingClientRect().width;
      const together = (room - after) / width >= SMALLEST_FORMULA_SCALE;
      span.parentElement.classList.toggle("book-keep-loose", !together);
      if (together) space = room - after;
    }
    const fits = width <= space;
    const fitted = !fits && space / width >= SMALLEST_FORMULA_SCALE;
    if (fitted) span.style.setProperty("--book-math-scale", (Math.floor(1000 * space / width) / 1000).toString());
    else span.style.removeProperty("--book-math-scale");
    const wide = !fits && !fitted;
    span.classList.toggle("book-math-wide", wide);
    focusable(span, wide);
    markEnds(span);
  };
  formulas.forEach(span => span.addEventListener("scroll", () => markEnds(span), { passive: true }));
  // What depends on the column's width, not on a figure's own.
  const markText = () => {
    formulas.forEach(markFormula);
    tables.forEach(box => markScrolling(box));
    displayFormulas.forEach(markDisplayFormula);
  };
  const observer = new ResizeObserver(entries => {
    entries.filter(entry => entry.target.tagName !== "ARTICLE").forEach(entry => markFigure(entry.target));
    markText();
  });
  figures.forEach(box => observer.observe(box));
  document.querySelectorAll("article").forEach(article => observer.observe(article));
  addEventListener("load", () => {
    figures.forEach(markFigure);
    markText();
  });
})();

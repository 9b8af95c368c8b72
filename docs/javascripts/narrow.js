// Marks what is wider than its box (see "Narrow screens" in stylesheets/book.css): a figure, so
// that the stylesheet shows a cue to scroll it sideways, and an inline formula, so that it scrolls
// in a box of its own rather than the whole page. Once the page has loaded, and again whenever a
// box changes width. (Measuring while the page is parsed would force a layout before a phone has
// applied the page's viewport, at a desktop's width.)
(() => {
  const figures = document.querySelectorAll(".book-figure, .jupyter-wrapper .jp-RenderedImage");
  const formulas = document.querySelectorAll(".md-typeset span.book-math");
  const markFigure = box => box.classList.toggle("book-scrolls", box.scrollWidth > box.clientWidth + 1);
  const markFormula = span => {
    const math = span.querySelector("math");
    const room = span.parentElement.clientWidth;
    span.classList.toggle("book-math-wide", math !== null && math.getBoundingClientRect().width > room);
  };
  const observer = new ResizeObserver(entries => {
    entries.filter(entry => entry.target.tagName !== "ARTICLE").forEach(entry => markFigure(entry.target));
    formulas.forEach(markFormula);
  });
  figures.forEach(box => observer.observe(box));
  document.querySelectorAll("article").forEach(article => observer.observe(article));
  addEventListener("load", () => {
    figures.forEach(markFigure);
    formulas.forEach(markFormula);
  });
})();

// Marks what is wider than its box ("Narrow screens" in stylesheets/book.css): a figure or output
// printed as a table gets the cue to scroll it sideways; an inline formula scrolls in a box of its
// own, marked on each side where more of it is hidden, unless it is at most a tenth too wide: then
// it is set smaller (the math font is 1.12 em, so 0.9 of it is still the text's size). What scrolls
// can be focused, so that a keyboard can scroll it, and nothing else.
//
// A box is measured once the browser has laid it out, never before: the stylesheet lays a block
// out only when it comes near the screen (content-visibility), and measuring a whole chapter at
// load laid all of it out, a phone's main thread busy for most of a second. So: at load, what is
// laid out; each block as it is laid out; what a new width or an opened solution or tab changes.
// A keyboard can reach a box never seen: at the first key, every block is laid out and marked.
// The work is sliced (a batch measured, then marked: one layout), and while some is left <html>
// has the attribute data-book-marking (the browser tests wait for it to go).
(() => {
  const WHITE_MARGIN_PX = 8;  // a figure hiding less hides only its white margin
  const SMALLEST_FORMULA_SCALE = 0.9;
  const SLICE_MS = 4;  // on a phone four times slower (Lighthouse), still far from a long task
  const BATCH = 8;
  const root = document.documentElement;
  // What a screen reader says of a figure's box once it is focusable (a lab's is a <div>, a group).
  const FIGURE_LABEL = root.lang === "ko" ? "좌우로 스크롤해 그림 전체 보기" : "Scroll sideways to see the whole figure";
  const MARKING = "data-book-marking";

  const scrolls = (box, slack = 0) => box.scrollWidth > box.clientWidth + slack;
  const focusable = (box, scrolling) => {
    if (scrolling) box.tabIndex = 0;
    else box.removeAttribute("tabindex");
  };
  const showScrolling = (box, scrolling) => {
    box.classList.toggle("book-scrolls", scrolling);
    focusable(box, scrolling);
  };
  const markEnds = span => {
    const wide = span.classList.contains("book-math-wide");
    span.classList.toggle("book-math-more-before", wide && span.scrollLeft > 1);
    span.classList.toggle("book-math-more-after", wide && span.scrollLeft + span.clientWidth < span.scrollWidth - 1);
  };
  const lineWidth = span => {  // of the block a formula's line is in
    let box = span.parentElement;
    while (box.parentElement && getComputedStyle(box).display.startsWith("inline")) box = box.parentElement;
    const style = getComputedStyle(box);
    return box.clientWidth - parseFloat(style.paddingInlineStart) - parseFloat(style.paddingInlineEnd);
  };

  // Each kind of box: which boxes, what is measured of one, and how it is marked; the first kind a
  // box matches is its kind.
  const KINDS = [
    {
      selector: ".book-figure, .jupyter-wrapper .jp-RenderedImage",
      measure: box => scrolls(box, WHITE_MARGIN_PX),
      mark: (box, scrolling) => {
        showScrolling(box, scrolling);
        if (scrolling) box.setAttribute("aria-label", FIGURE_LABEL);
        else box.removeAttribute("aria-label");
        if (!box.matches(".book-figure")) {
          if (scrolling) box.setAttribute("role", "group");
          else box.removeAttribute("role");
        }
      },
    },
    {  // output printed as a table (bookbuild/narrow.py), which scrolls rather than wrap
      selector: "pre.book-table > code, .jupyter-wrapper pre.book-table",
      measure: box => scrolls(box),
      mark: showScrolling,
    },
    {  // a display formula wider than the column (its shadows are its cue: book.css)
      selector: ".md-typeset div.book-math",
      measure: box => scrolls(box),
      mark: focusable,
    },
    {
      selector: ".md-typeset span.book-math",
      measure: span => {
        const math = span.querySelector("math");
        const scale = parseFloat(span.style.getPropertyValue("--book-math-scale")) || 1;
        let after = 0;  // the width of what is kept on its line after it
        if (span.parentElement.matches(".book-keep-formula")) {
          const following = document.createRange();
          following.setStartAfter(span);
          following.setEndAfter(span.parentElement.lastChild);
          after = following.getBoundingClientRect().width;
        }
        return { room: lineWidth(span), width: math === null ? 0 : math.getBoundingClientRect().width / scale, after };
      },
      // What is kept after it (bookbuild/languages.py: a particle, a comma) stays on its line when
      // both fit there, the formula up to a tenth smaller; otherwise it goes to the next line.
      mark: (span, { room, width, after }) => {
        let space = room;
        if (span.parentElement.matches(".book-keep-formula")) {
          const together = (room - after) / width >= SMALLEST_FORMULA_SCALE;
          span.parentElement.classList.toggle("book-keep-loose", !together);
          if (together) space = room - after;
        }
        const fits = width <= space;
        const fitted = !fits && space / width >= SMALLEST_FORMULA_SCALE;
        if (fitted) span.style.setProperty("--book-math-scale", (Math.floor(1000 * space / width) / 1000).toString());
        else span.style.removeProperty("--book-math-scale");
        span.classList.toggle("book-math-wide", !fits && !fitted);
        focusable(span, !fits && !fitted);
      },
    },
  ];
  const SELECTOR = KINDS.map(kind => kind.selector).join(", ");
  const inside = element => element.matches(SELECTOR) ? [element] : [...element.querySelectorAll(SELECTOR)];
  const articles = [...document.querySelectorAll("article")];
  const everyBox = () => articles.flatMap(inside);
  const laidOut = "checkVisibility" in Element.prototype
    ? box => box.checkVisibility({ contentVisibilityAuto: true }) : () => true;

  const pending = new Set();
  let slicing = false;
  const slices = new MessageChannel();  // a message, not a timer, which a tab behind others slows
  slices.port1.onmessage = () => {
    const end = performance.now() + SLICE_MS;
    while (pending.size && performance.now() < end) {
      const batch = [...pending].slice(0, BATCH);
      batch.forEach(box => pending.delete(box));
      const measured = batch.map(box => {
        const kind = KINDS.find(kind => box.matches(kind.selector));
        return [box, kind, kind.measure(box)];
      });
      measured.forEach(([box, kind, measure]) => kind.mark(box, measure));
      batch.filter(box => box.matches(".book-math-wide")).forEach(markEnds);
    }
    if (pending.size) slices.port2.postMessage(null);
    else {
      slicing = false;
      root.removeAttribute(MARKING);
    }
  };
  const mark = boxes => {
    boxes.forEach(box => pending.add(box));
    if (!slicing && pending.size) {
      slicing = true;
      root.setAttribute(MARKING, "");
      slices.port2.postMessage(null);
    }
  };

  if (!articles.length) return;
  root.setAttribute(MARKING, "");  // until the first marking
  // A formula's width depends on the math font, which the page may not have asked for yet.
  const mathFont = document.querySelector(".md-typeset .book-math")
    ? document.fonts.load(`1em "Book Math"`).catch(() => null) : Promise.resolve();
  let keyboard = false;
  addEventListener("keydown", () => {
    keyboard = true;
    root.classList.add("book-keyboard");  // book.css: every block laid out
    mathFont.then(() => mark(everyBox()));
  }, { once: true, capture: true });
  document.addEventListener("contentvisibilityautostatechange", event => {
    if (!event.skipped) mathFont.then(() => mark(inside(event.target)));
  });
  addEventListener("load", () => mathFont.then(() => {
    mark(everyBox().filter(box => keyboard || laidOut(box)));
    if (!slicing) root.removeAttribute(MARKING);  // nothing to mark
    const markedWidths = new WeakMap();
    const resized = new ResizeObserver(entries => {
      const boxes = new Set();
      for (const { target, contentRect } of entries) {
        const before = markedWidths.get(target);
        markedWidths.set(target, contentRect.width);
        // Marked at load; an article's height changes as its blocks are laid out, not its width.
        if (before === undefined || (target.tagName === "ARTICLE" && before === contentRect.width)) continue;
        inside(target).filter(box => keyboard || laidOut(box)).forEach(box => boxes.add(box));
      }
      mark(boxes);
    });
    articles.forEach(article => [article, ...article.querySelectorAll("details, .tabbed-block, .book-figure, .jp-RenderedImage")]
      .forEach(box => resized.observe(box)));
  }));
  // A formula's marks follow its scrolling (scroll events do not bubble: caught on the way down).
  document.addEventListener("scroll", event => {
    if (event.target instanceof Element && event.target.matches("span.book-math-wide")) markEnds(event.target);
  }, { capture: true, passive: true });
  // Material mounts a code block once it is seen (mkdocs.yml: content.lazy), and where no pointer
  // hovers (a phone) it takes a scrolling <code>'s tabindex off: a table that scrolls gets it back.
  const refocusable = new MutationObserver(records => records.forEach(({ target }) => {
    if (target.classList.contains("book-scrolls") && !target.hasAttribute("tabindex")) target.tabIndex = 0;
  }));
  document.querySelectorAll("pre.book-table > code").forEach(box => refocusable.observe(box, { attributeFilter: ["tabindex"] }));
})();

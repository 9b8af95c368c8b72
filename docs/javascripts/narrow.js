// Marks what is wider than its box ("Narrow screens" in stylesheets/book.css): a figure or output
// printed as a table gets the cue to scroll it sideways; an inline formula scrolls in a box of its
// own, marked on each side where more of it is hidden, unless it is at most a tenth too wide: then
// it is set smaller (the math font is 1.12 em, so 0.9 of it is still the text's size). What scrolls
// can be focused, so that a keyboard can scroll it, and nothing else.
//
// A box is measured once the browser has laid it out, never before: the stylesheet lays a block
// out only when it comes near the screen (content-visibility), and measuring a whole chapter at
// load laid all of it out, a phone's main thread busy for most of a second. So boxes are marked:
// at load, those already laid out; then each block's as the browser lays the block out; and again
// whatever a new width or an opened solution changes. The keyboard can reach boxes never near the
// screen, so at the first key press every block is laid out and every box marked. The work runs in
// slices of a few milliseconds, each batch measured before any of it is marked (one layout a
// batch, not a box); while work is left, <html> has data-book-marking (the browser tests wait).
(() => {
  const WHITE_MARGIN_PX = 8;  // a figure hiding less hides only its white margin
  const SMALLEST_FORMULA_SCALE = 0.9;
  const SLICE_MS = 4;  // 16 ms under Lighthouse's 4× phone slowdown, far from a long task's 50
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
    {  // any other output of a lab that scrolls, as an HTML table might
      selector: ".jupyter-wrapper .jp-OutputArea-output",
      measure: box => {
        const style = getComputedStyle(box);
        return (/auto|scroll/.test(style.overflowX) && box.scrollWidth > box.clientWidth)
          || (/auto|scroll/.test(style.overflowY) && box.scrollHeight > box.clientHeight);
      },
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
  const boxesIn = element => element.matches(SELECTOR) ? [element] : [...element.querySelectorAll(SELECTOR)];
  const articles = [...document.querySelectorAll("article")];
  const everyBox = () => articles.flatMap(boxesIn);
  const laidOut = "checkVisibility" in Element.prototype
    ? box => box.checkVisibility({ contentVisibilityAuto: true }) : () => true;

  const pending = new Set();
  let slicing = false;
  const slices = new MessageChannel();  // a message, not setTimeout, which a background tab throttles
  slices.port1.onmessage = () => {
    const end = performance.now() + SLICE_MS;
    while (pending.size && performance.now() < end) {
      const batch = [];
      for (const box of pending) {
        batch.push(box);
        if (batch.length === BATCH) break;
      }
      batch.forEach(box => pending.delete(box));
      const measured = batch.map(box => {
        const kind = KINDS.find(kind => box.matches(kind.selector));
        return [box, kind, kind.measure(box)];
      });
      measured.forEach(([box, kind, measure]) => kind.mark(box, measure));
      batch.filter(box => box.matches("span.book-math")).forEach(markEnds);
    }
    if (pending.size) slices.port2.postMessage(null);
    else {
      slicing = false;
      root.removeAttribute(MARKING);
    }
  };
  const schedule = boxes => {
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
  const markable = box => keyboard || laidOut(box);  // now, rather than when its block is laid out
  addEventListener("keydown", () => {
    keyboard = true;
    root.classList.add("book-keyboard");  // book.css: every block laid out
    mathFont.then(() => schedule(everyBox()));
  }, { once: true, capture: true });
  document.addEventListener("contentvisibilityautostatechange", event => {
    if (!event.skipped) mathFont.then(() => schedule(boxesIn(event.target)));
  }, { capture: true });  // it bubbles in Chromium alone
  addEventListener("load", () => mathFont.then(() => {
    schedule(everyBox().filter(markable));
    if (!slicing) root.removeAttribute(MARKING);  // nothing to mark
    const lastWidths = new WeakMap();
    const resized = new ResizeObserver(entries => {
      const boxes = new Set();
      for (const { target, contentRect } of entries) {
        const before = lastWidths.get(target);
        lastWidths.set(target, contentRect.width);
        // The first report gives the size a box was marked at (at load, or when its block was laid
        // out); an article is marked again only for a new width, as its height changes whenever a
        // block is laid out.
        if (before === undefined || (target.tagName === "ARTICLE" && before === contentRect.width)) continue;
        boxesIn(target).filter(markable).forEach(box => boxes.add(box));
      }
      schedule(boxes);
    });
    articles.forEach(article => [article, ...article.querySelectorAll("details, .book-figure, .jp-RenderedImage")]
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

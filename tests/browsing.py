"""The built book in headless Chromium, served on 127.0.0.1 with every request to another host
blocked: what a learner offline would see. tests/test_browser.py checks what these fixtures find.

Loading a page is the costly part, so every page is visited only once in the light theme, on a
desktop, and each English chapter (and the Korean twins of three, PHONE_KOREAN) once more in the
dark one, on a phone, where the tests also check how the page reads at a phone's width, by one
background thread, which also does what the tests
do on pages (search, open missing pages, fetch from another host, toggle the theme). The pages of a
theme are opened in a few tabs of one browser context, which keep what the pages share (scripts,
styles, fonts) in their cache and renderers: a context of its own per page took 2.5 times the CPU
time (measured: 70 against 27 s of a core for the 24 pages). The thread starts before the first
test, waits for the book's build, and then works while the tests that do not need the book run
(conftest.py runs the tests that need the book last)."""

from __future__ import annotations

import collections
import contextlib
import functools
import os
import shutil
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from conftest import ROOT, SCREENSHOTS, SITE_BASE, BackgroundBuild, in_the_background, needs

from bookbuild import narrow
from bookbuild.serving import served

if TYPE_CHECKING:
    from playwright.sync_api import Browser

LANGUAGE = "ko"  # the other edition, under /ko/
IN_FLIGHT = 3  # pages loading at once in visits()
DESKTOP = {"width": 1280, "height": 900}
MARKING = "data-book-marking"  # on <html> while docs/javascripts/narrow.js has boxes to mark
PHONE = {"width": 390, "height": 844}  # a phone held upright, in CSS pixels (an iPhone 12 to 15)
# Full-page screenshots are for people to look at, not checked beyond being taken, and cost about a
# second of a core each: taken only when asked for (the Pages workflow asks, for reviewers).
TAKE_SCREENSHOTS = os.environ.get("BOOK_SCREENSHOTS", "") not in ("", "0")

# Debian's Chromium by default; CHROMIUM names another Chromium-based browser (the Pages workflow).
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Headless Chromium that can run as root (no sandbox), without the background services that would
# call Google's hosts, and with every host name but the test server's unresolvable: a page cannot
# load anything from elsewhere even by accident, and Visit records each attempt.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


# axe-core, the accessibility engine Lighthouse runs, from npm (MPL-2.0): .ci/run installs it with
# `npm install --prefix .cache/axe-core axe-core@4.14.1` (README "Set up, read, test").
AXE = ROOT / ".cache" / "axe-core" / "node_modules" / "axe-core" / "axe.min.js"
# Every rule of WCAG 2.0 and 2.1, levels A and AA, and axe-core's best practices.
AXE_RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
# The theme changes colours alone: in the dark one, the rules about colour, on pages that show
# between them every kind of thing the book colours (code of each kind, math, tables, admonitions,
# figures, a lab's cells). All pages share one stylesheet, and the colour rules take seconds a page.
AXE_COLOUR_RULES = ["color-contrast", "link-in-text-block"]
DARK_AXE = ["/forward-propagation/", "/optimizers/", "/glossary/", "/lab-house-prices/"]
# Each violation: its rule, what it asks, and the first elements that break it with axe's reason.
AXE_RUN = """options => axe.run(document, options).then(results => results.violations.map(v => ({
    rule: v.id, help: v.help, count: v.nodes.length,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + ": " + n.failureSummary.replace(/\\s+/g, " ")),
})))"""


def axe_violations(page, rules: list[str]) -> list[dict]:
    """What axe-core finds on the page: `rules` names tags (AXE_RULES) or rule ids."""
    if not AXE.is_file():
        pytest.fail(f"the browser tests need axe-core at {AXE}: npm install --prefix .cache/axe-core axe-core@4.14.1")
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(_axe_source())
    kind = "tag" if rules == AXE_RULES else "rule"
    return page.evaluate(AXE_RUN, {"runOnly": {"type": kind, "values": rules}, "resultTypes": ["violations"]})


@functools.cache
def _axe_source() -> str:
    return AXE.read_text()


@contextlib.contextmanager
def chromium():
    """Headless Chromium, driven by Playwright from the thread that opened it."""
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"the browser tests need Chromium at {CHROMIUM}: apt-get install chromium, or set CHROMIUM")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_context(browser, color_scheme: str = "light", phone: bool = False):
    """A browser context as a reader's window: the system asks for `color_scheme`, and for reduced
    motion, so that Material opens the language switcher without a transition to wait out. With
    `phone`, the window is a phone's (PHONE: its CSS size, 3 device pixels per CSS pixel, touch)."""
    if phone:
        return browser.new_context(
            viewport=PHONE,
            device_scale_factor=3,
            is_mobile=True,
            has_touch=True,
            color_scheme=color_scheme,
            reduced_motion="reduce",
        )
    return browser.new_context(viewport=DESKTOP, color_scheme=color_scheme, reduced_motion="reduce")


class Visit:
    """A page opened in a fresh context of `browser` (see new_context), or in `tab`, a page that
    `visits` opens again and again, with everything that went wrong while it loaded. The page itself
    must answer with `status` (404 for the 404 page served at a missing path). Its problems are
    judged once its network is idle, as what its scripts fetch after the load event can fail too; a
    test that only acts on the page may start at `wait_until="load"`. With `wait=False` the page is
    left loading until `wait()` is called (see `visits`)."""

    def __init__(
        self,
        browser,
        url: str,
        color_scheme: str = "light",
        status: int = 200,
        wait_until: str = "networkidle",
        wait: bool = True,
        tab=None,
    ) -> None:
        self._own_context = tab is None
        if self._own_context:
            self.context = new_context(browser, color_scheme)
            tab = self.context.new_page()
        self.page = tab
        self._problems: list[str] = []
        self._console_errors: list[tuple[str, str]] = []  # (text, the URL it is about)
        self._failed_responses: list[tuple[int, str]] = []
        origin = urlsplit(url).netloc
        # Removed again by close(), so that a tab's next visit records only its own problems.
        self._listeners = {
            "request": lambda request: self._check_host(request.url, origin),
            "console": lambda message: (
                message.type == "error" and self._console_errors.append((message.text, message.location["url"]))
            ),
            "pageerror": lambda error: self._problems.append(f"uncaught exception: {error}"),
            "requestfailed": lambda request: self._problems.append(
                f"failed request: {request.url} ({request.failure})"
            ),
            "response": self._check_response,
        }
        for event, listener in self._listeners.items():
            self.page.on(event, listener)
        self._response = self.page.goto(url, wait_until="commit")
        self._url, self._status, self._wait_until = url, status, wait_until
        if wait:
            self.wait()

    def wait(self) -> None:
        """Wait until the page reaches `wait_until`, record a problem if its own status or URL is not
        the expected one, and wait for its fonts and for narrow.js to have marked every box."""
        self.page.wait_for_load_state(self._wait_until)
        response = self._response
        if response.status != self._status or response.request.redirected_from:
            self._problems.append(
                f"the page answered {response.status} from {response.url}, not {self._status} from {self._url}"
            )
        self.page.evaluate("document.fonts.ready.then(() => true)")
        # Shift puts the page in keyboard mode (book-keyboard: every block laid out, every box
        # marked by narrow.js), so that what follows checks every box, as a keyboard user gets the
        # page; the tests of layout shifts and of marking as blocks are laid out press no key.
        self.page.keyboard.press("Shift")
        self.wait_for_marking()

    def wait_for_marking(self) -> None:
        """Until narrow.js has marked what it has to mark (book-marking: while it has work left)."""
        self.page.wait_for_function(f"!document.documentElement.hasAttribute('{MARKING}')", polling=50)

    @property
    def problems(self) -> list[str]:
        failed = [f"HTTP {status}: {url}" for status, url in self._failed_responses]
        console = [
            f"console error: {text} ({source})"
            for text, source in self._console_errors
            if not (
                source == self._response.url and text.startswith("Failed to load resource:")
            )  # the page's own status
        ]
        return self._problems + failed + console

    def _check_response(self, response) -> None:
        """Record every response with status 400 or more except the page's own: `wait` checks that
        one, and `problems` drops the console error the browser logs for it."""
        if response.status >= 400 and not (
            response.request.is_navigation_request() and response.frame == self.page.main_frame
        ):
            self._failed_responses.append((response.status, response.url))

    def switch_language(self) -> dict:
        """Click the language switcher's other language: where the click landed (a page's path on
        the server, as site_pages names it), with which status, through which redirects."""
        language = self.page.evaluate("document.documentElement.lang")
        # A tab behind others gets almost no animation frames, which Playwright waits for before it
        # hovers or clicks (a second or two each).
        self.page.bring_to_front()
        self.page.locator(".md-header .md-select").hover()  # the switcher opens on hover
        # Until the twin's DOM is loaded: Chromium can hang for good closing a page whose navigation
        # is committing (microsoft/playwright#42366), and the visit is closed next.
        with self.page.expect_navigation(wait_until="domcontentloaded") as navigation:
            self.page.locator(f'.md-header a.md-select__link:not([hreflang="{language}"])').click()
        response = navigation.value
        redirects, request = [], response.request
        while request.redirected_from:
            request = request.redirected_from
            redirects.append(request.url)
        path = urlsplit(response.url).path[len(SITE_BASE) - 1 :]  # as site_pages names them
        return {"path": path, "status": response.status, "redirected_from": redirects}

    def _check_host(self, url: str, origin: str) -> None:
        if not url.startswith(("data:", "blob:")) and urlsplit(url).netloc != origin:
            self._problems.append(f"request to another host: {url}")

    def screenshot(self, scheme: str) -> None:
        """A full-page screenshot for people to look at; the folder is printed at the end of the run."""
        name = urlsplit(self.page.url).path[len(SITE_BASE) :].strip("/").replace("/", "-") or "home"
        self.page.screenshot(path=SCREENSHOTS / f"{name}-{scheme}.jpg", full_page=True, type="jpeg", quality=85)

    def close(self) -> None:
        if self._own_context:
            self.context.close()
        else:
            # What the page still loads (a script may start a fetch after the network was idle)
            # is stopped while this visit's listeners hear it, not the next one's.
            self.page.goto("about:blank")
            for event, listener in self._listeners.items():
                self.page.remove_listener(event, listener)


def visits(context, server: str, paths: list[str]):
    """(path, Visit) for each path in turn, waited for while the next ones load, so that their waits
    for an idle network overlap; each is closed when the next is asked for. The pages open in
    IN_FLIGHT tabs of `context`, each tab reused: a tab's renderer keeps its compiled scripts, and a
    new tab per page cost twice the CPU time (measured)."""
    tabs = collections.deque(context.new_page() for _ in range(min(IN_FLIGHT, len(paths))))
    loading = collections.deque()
    upcoming = iter(paths)
    while True:
        while tabs and (path := next(upcoming, None)) is not None:
            loading.append((path, Visit(None, server + path, wait=False, tab=tabs.popleft())))
        if not loading:
            return
        path, visit = loading.popleft()
        visit.wait()
        yield path, visit
        visit.close()
        tabs.append(visit.page)


def site_pages(site: Path) -> list[str]:
    """Every page's path on the server: /, /forward-propagation/, …, and /404.html."""
    paths = []
    for html in sorted(site.rglob("*.html")):
        relative = html.relative_to(site).as_posix()
        paths.append("/" + (relative[: -len("index.html")] if relative.endswith("index.html") else relative))
    return paths


def chapters(site: Path) -> list[str]:
    """Every chapter, lab and glossary page, in both languages."""
    return [path for path in site_pages(site) if path.strip("/") not in {"", "404.html", "ko", "ko/404.html"}]


def english_chapters(site: Path) -> list[str]:
    """The English edition's chapters, lab and glossary. The dark theme is one stylesheet for both
    languages, so these pages cover it."""
    return [path for path in chapters(site) if not path.startswith("/ko/")]


# What the per-page tests read, gathered in one visit of each page.
PAGE_FACTS = """() => ({
    lang: document.documentElement.lang,
    title: document.title,
    heading: document.querySelector("article h1").innerText,
    search_base: new URL(JSON.parse(document.getElementById("__config").textContent).base, location).pathname,
    text: document.querySelector("article").innerText,
    formulas: [...document.querySelectorAll("article math")].map(m => ({
        display: m.getAttribute("display"), font: getComputedStyle(m).fontFamily,
        area: m.getBoundingClientRect().width * m.getBoundingClientRect().height})),
    formula_errors: document.querySelectorAll("article merror").length,
    // operators TeX sets with no space around them (in a script, but a big operator; a bar |), with the
    // widest space a browser leaves between one and a neighbour in its row, in em of the operator's
    // size; not beside an operator, which brings its own, or after a script (MathML's space after it)
    tight_operators: [...document.querySelectorAll("article math mrow > mo")]
        .filter(mo => mo.textContent === "|" && !mo.hasAttribute("fence")
            || getComputedStyle(mo).mathDepth > 0 && !"\u2211\u220f\u222b".includes(mo.textContent))
        .map(mo => {
            const box = mo.getBoundingClientRect(), em = parseFloat(getComputedStyle(mo).fontSize);
            const spaces = [[mo.previousElementSibling, b => box.left - b.right],
                            [mo.nextElementSibling, b => b.left - box.right]]
                .filter(([next, _]) => next && !/^m(o|sub|sup|subsup|under|over|underover)$/.test(next.localName))
                .map(([next, space]) => space(next.getBoundingClientRect()) / em);
            return {formula: mo.closest("math").getAttribute("alttext"), operator: mo.textContent,
                    space: Math.max(0, ...spaces), shown: box.width > 0};
        }),
    // in aligned equations, the padding between the two cells of each right/left pair ("L" | "= ...")
    pair_gaps: [...document.querySelectorAll("article mtr")].flatMap(row => [...row.children].slice(1)
        .map((cell, index) => [row.children[index], cell])
        .filter(([a, b]) => a.getAttribute("columnalign") === "right" && b.getAttribute("columnalign") === "left")
        .map(([a, b]) => parseFloat(getComputedStyle(a).paddingInlineEnd)
            + parseFloat(getComputedStyle(b).paddingInlineStart))),
    // code comments in Korean, and those the browser slants itself for want of an italic in the font
    korean_comments: [...document.querySelectorAll("article :is(.highlight, .highlight-ipynb) [class^=c]")]
        .filter(e => /[\uac00-\ud7a3]/.test(e.textContent)).map(e => getComputedStyle(e))
        .map(style => style.fontStyle === "italic" && style.fontSynthesisStyle !== "none"),
    code_blocks: document.querySelectorAll("article .highlight:not(.no-copy) pre > code").length,
    copy_buttons: document.querySelectorAll("article pre > nav > button[data-md-type=copy]").length,
    output_blocks: document.querySelectorAll("article .book-exec .no-copy pre > code").length,
    notebook_code_cells: document.querySelectorAll("article .jp-InputArea pre").length,
    notebook_copy_buttons: document.querySelectorAll("article .jp-InputArea clipboard-copy").length,
    // the figures the reader moves (docs/javascripts/frames.js): how many frames, how many shown
    sliders: [...document.querySelectorAll("article .book-frames")].map(frames => ({
        label: frames.querySelector("label").innerText,
        controls_shown: frames.querySelector(".book-frames-controls").checkVisibility(),
        positions: Number(frames.querySelector("input[type=range]").max) + 1,
        frames: frames.querySelectorAll("figure img").length,
        shown: [...frames.querySelectorAll("figure img")].filter(img => img.checkVisibility()).length})),
    // What the page loaded from the site (its document's, not its search worker's), by path.
    loaded: [location.href, ...performance.getEntriesByType("resource").map(entry => entry.name)]
        .filter(url => url.startsWith(location.origin)).map(url => new URL(url).pathname),
    switcher: Object.fromEntries([...document.querySelectorAll(".md-header a.md-select__link")].map(
        a => [a.hreflang, new URL(a.href).pathname])),
})"""
# What tests/test_narrow.py checks on a phone, in PHONE_FACTS: each code or output line that wraps,
# where its continuations and their mark start against its first character (in characters); the
# Hangul words and the names a line break cuts; for each code block, whether a name looks the same
# as the code around it without its span; the output blocks printed as tables, and their cue to
# scroll; inline formulas cut at their box's edge, and whether a mark says so; the download
# buttons' boxes; the output blocks' colours.
NARROW_FACTS = r"""(article, blocks) => {
    const charBox = (node, at) => {
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + 1);
        return range.getBoundingClientRect();
    };
    const characters = element => {  // each character's text node and offset
        const found = [], walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
            for (let at = 0; at < walker.currentNode.data.length; at++) found.push([walker.currentNode, at]);
        }
        return found;
    };
    const hangul = /[\uac00-\ud7a3]/;
    const indents = [], brokenWords = [], brokenNames = [], brokenSigns = [];
    for (const line of article.querySelectorAll(".book-line")) {
        const lineHeight = parseFloat(getComputedStyle(line).lineHeight);
        if (line.getClientRects().length !== 1 || line.getBoundingClientRect().height < 1.5 * lineHeight) continue;
        // the line's text in pieces, one a visual line (a character at a time only where needed)
        const whole = document.createRange();
        whole.selectNodeContents(line);
        const pieces = [...whole.getClientRects()].filter(rect => rect.width > 0 && rect.height < 1.5 * lineHeight);
        const top = Math.min(...pieces.map(rect => rect.top));
        const continuation = Math.min(...pieces.filter(rect => rect.top > top + lineHeight / 2).map(rect => rect.left));
        const chars = characters(line);
        const first = chars.findIndex(([node, at]) => node.data[at] !== " ");
        const firstLeft = charBox(...chars[first]).left;
        const width = charBox(...chars[0]).width / (hangul.test(chars[0][0].data[0]) ? 2 : 1);  // a column's
        const mark = line.getBoundingClientRect().left + parseFloat(getComputedStyle(line, "::before").left);
        indents.push({text: line.textContent.slice(0, 60), spaces: first,
            continuation: (continuation - firstLeft) / width, mark: (mark - firstLeft) / width});
        // where the line breaks between two characters of a Hangul word, or of a name
        const text = chars.map(([node, at]) => node.data[at]).join("");
        const tops = chars.map(([node, at]) => charBox(node, at).top);
        for (let at = 1; at < chars.length; at++) {
            if (tops[at] <= tops[at - 1] + lineHeight / 2) continue;
            const pair = text.slice(at - 1, at + 1);
            if (/^[\uac00-\ud7a3]{2}$/.test(pair)) brokenWords.push(line.textContent.slice(0, 60));
            const minus = /^-\S$/.test(pair) && chars[at - 1][0].parentElement.classList.contains("o");
            if (minus) brokenSigns.push(line.textContent.slice(0, 60));
            if (/^\w\w$/.test(pair)) {
                const name = text.slice(0, at).match(/\w*$/)[0] + text.slice(at).match(/^\w*/)[0];
                brokenNames.push({name, line: line.textContent.slice(0, 60)});
            }
        }
    }
    const tables = [...article.querySelectorAll("pre.book-table")].map(pre => {
        const box = pre.querySelector("code") || pre;
        const cue = getComputedStyle(box, "::before");
        return {text: box.textContent.slice(0, 60), scrolls: box.scrollWidth > box.clientWidth,
            focusable: box.tabIndex === 0,
            wrapped: [...box.querySelectorAll(".book-line")].some(line => line.getClientRects().length > 1),
            cue: cue.content === "none" ? null : cue.content, cue_colour: cue.color,
            background: getComputedStyle(box).backgroundColor,
            // from the top of the box's content to its first line: the cue's line, if any
            above: box.querySelector(".book-line").getBoundingClientRect().top - box.getBoundingClientRect().top
                - parseFloat(getComputedStyle(box).paddingTop) - box.clientTop};
    });
    const shown = [...article.querySelectorAll("span.book-math")].filter(span => span.offsetParent !== null);
    const formulas = shown.map(span => {
        const math = span.querySelector("math").getBoundingClientRect(), box = span.getBoundingClientRect();
        const mark = getComputedStyle(span, "::after");
        return {alttext: span.querySelector("math").getAttribute("alttext").slice(0, 60),
            cut: math.right > box.right + 1 || math.left < box.left - 1,
            marked: mark.visibility === "visible" && mark.content !== "none",
            px: parseFloat(getComputedStyle(span.querySelector("math")).fontSize),
            text_px: parseFloat(getComputedStyle(span.parentElement).fontSize)};
    });
    // whether a name, had it kept Pygments' span (narrow.py: PLAIN_TOKEN), would look the same
    const plainNames = blocks.filter(block => block.querySelector(".book-line > span[class]")).map(block => {
        const name = document.createElement("span");
        name.className = "n";
        name.textContent = "x";
        const line = block.querySelector(".book-line");
        line.append(name);
        const [a, b] = [getComputedStyle(name), getComputedStyle(line)];
        const same = ["color", "fontWeight", "fontStyle"].every(property => a[property] === b[property]);
        name.remove();
        return same;
    });
    const outputs = [...article.querySelectorAll(
        ".book-exec .no-copy pre > code, .jp-RenderedText:not([data-mime-type*=stderr]) pre")];
    const colours = block => [getComputedStyle(block).backgroundColor, getComputedStyle(block).color];
    return {
        indents, broken_words: brokenWords, broken_names: brokenNames, broken_signs: brokenSigns,
        plain_names: plainNames,
        output_tables: tables, inline_formulas: formulas,
        buttons: [...article.querySelectorAll(".book-downloads .md-button")].map(button => {
            const box = button.getBoundingClientRect();
            return {left: box.left, right: box.right, top: box.top, bottom: box.bottom};
        }),
        output_colours: outputs.slice(0, 1).map(colours),
    };
}"""
# What the tests read of a page at a phone's width (PHONE), every <details> opened, given the
# smallest text size in points of the labs' PNG figures (bookbuild/narrow.py): whether the page
# scrolls sideways; the code and output blocks whose lines are cut, or whose copy (Material's copy
# button copies innerText) differs from their text; the smallest code font; the text under a copy
# button; each figure's smallest text in CSS px, read from its SVG (matplotlib scales each glyph
# run by its size in points; the user unit is a point) or, for a PNG, from its pixels per inch;
# whether a figure wider than its column shows the cue to scroll it; each table's overflow; the
# widest paragraph's width; what tests/test_narrow.py checks (see there).
PHONE_FACTS = r"""async (labPoints) => {
    const NARROW_FACTS = """ + NARROW_FACTS + r""";
    const article = document.querySelector("article");
    article.querySelectorAll("details").forEach(details => { details.open = true; });  // folded code, solutions
    const blocks = [...article.querySelectorAll("pre > code, .highlight-ipynb pre, .jp-RenderedText pre")];
    const textRects = element => {
        const rects = [], walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
            if (!walker.currentNode.data.trim()) continue;
            const range = document.createRange();
            range.selectNodeContents(walker.currentNode);
            rects.push(...[...range.getClientRects()].filter(rect => rect.width > 0));
        }
        return rects;
    };
    const overlap = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    const covered = [];
    for (const button of article.querySelectorAll("pre > nav.md-code__nav, .jp-InputArea clipboard-copy")) {
        const area = button.getBoundingClientRect();
        const block = button.closest("pre") || button.closest(".jp-InputArea").querySelector("pre");
        if (block) {
            const under = textRects(block).filter(rect => overlap(rect, area));
            covered.push(...under.map(() => block.innerText.slice(0, 60)));
        }
    }
    const smallestText = async image => {  // read from its file (bookbuild/figures.py), loaded or not yet
        const bytes = new Uint8Array(await (await fetch(image.src)).arrayBuffer());
        const shown = image.getBoundingClientRect().width, uint32 = at => new DataView(bytes.buffer).getUint32(at);
        if (image.src.endsWith(".png")) {  // its width, then its pixels per metre
            const chunks = new TextDecoder("latin1").decode(bytes);  // one character a byte: offsets kept
            return labPoints * uint32(chunks.indexOf("pHYs") + 4) * 0.0254 / 72 * shown / uint32(16);
        }
        const svg = new TextDecoder().decode(bytes);
        const viewBoxWidth = +svg.match(/viewBox="[-\d.]+ [-\d.]+ ([\d.]+) /)[1];
        let points = Infinity;
        const runs = /<g transform="[^"]*scale\(([\d.e-]+) -[\d.e-]+\)">([\s\S]*?)<\/g>/g;
        for (const [, scale, run] of svg.matchAll(runs)) {
            points = Math.min(points, 100 * scale);
            for (const [, glyph] of run.matchAll(/<use [^>]*transform="[^"]*scale\(([\d.e-]+)\)"/g)) {
                points = Math.min(points, 100 * scale * glyph);
            }
        }
        return points * shown / viewBoxWidth;
    };
    const paragraphs = [...article.querySelectorAll("p")]
        .filter(p => !p.closest("table, details, .admonition, li, figure"));
    return {
        sideways: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        cut: blocks.filter(block => !block.closest("pre.book-table") && block.scrollWidth > block.clientWidth)
            .map(block => block.innerText.slice(0, 60)),
        copied_differently: blocks.filter(block => block.innerText.trimEnd() !== block.textContent.trimEnd())
            .map(block => block.textContent.slice(0, 60)),
        code_font_px: Math.min(...blocks.map(block => parseFloat(getComputedStyle(block).fontSize))),
        covered,
        // (a figure the reader moves: its frame shown)
        figures: await Promise.all([...article.querySelectorAll(
            "figure.book-figure img:not([hidden]), .jp-RenderedImage img")]
            .map(async image => ({alt: image.alt.slice(0, 60), text_px: await smallestText(image),
            hidden: image.parentElement.scrollWidth - image.parentElement.clientWidth,
            readable: parseFloat(image.style.getPropertyValue("--book-readable-width")) || 0,
            cue: getComputedStyle(image.parentElement, "::before").content !== "none",
            above: image.getBoundingClientRect().top - image.parentElement.getBoundingClientRect().top,
            focusable: image.parentElement.tabIndex === 0,
            named: Boolean(image.parentElement.getAttribute("aria-label")) && (
                image.parentElement.tagName === "FIGURE" || image.parentElement.getAttribute("role") === "group")}))),
        tables: [...article.querySelectorAll("table")].filter(table => !table.closest(".jp-OutputArea")).map(table => ({
            overflow: table.getBoundingClientRect().right - article.getBoundingClientRect().right,
            hidden: table.scrollWidth - table.clientWidth,
            stacked: getComputedStyle(table).display === "block",
            text_px: Math.min(
                ...[...table.querySelectorAll("td")].map(cell => parseFloat(getComputedStyle(cell).fontSize))),
        })),
        prose_px: parseFloat(getComputedStyle(paragraphs[0] || article).fontSize),
        ...NARROW_FACTS(article, blocks),
        column_px: Math.max(...paragraphs.map(p => p.getBoundingClientRect().width)),
    };
}"""
SCHEME = "document.body.getAttribute('data-md-color-scheme')"
# As PAGE_FACTS's `loaded`.
LOADED = """[location.href, ...performance.getEntriesByType("resource").map(entry => entry.name)]
    .filter(url => url.startsWith(location.origin)).map(url => new URL(url).pathname)"""
# Each image of the article, once loaded: a lazy one (the figures: bookbuild/figures.py) is made to
# load as when the reader scrolls to it. After PAGE_FACTS, whose `loaded` is what a first visit loads.
IMAGES = r"""async () => Promise.all([...document.querySelectorAll("article img")].map(async img => {
    const lazy = img.loading === "lazy";
    img.loading = "eager";
    await img.decode().catch(() => null);
    return {src: img.src.slice(0, 80), alt: img.alt, lazy, complete: img.complete, frame_hidden: img.hidden,
            natural: img.naturalWidth * img.naturalHeight,
            shown: img.getBoundingClientRect().width * img.getBoundingClientRect().height};
}))"""
MATH_FONT_LOADED = (
    "document.fonts.ready.then(fonts => [...fonts].some(f => f.family === 'Book Math' && f.status === 'loaded'))"
)


# What the tests do on pages besides visiting each (search, open missing pages, fetch from another
# host, toggle the theme), registered with @in_the_browser_thread: the visiting thread does it once
# its visits are done.
_ACTS: dict[str, Callable[[Browser, str], Any]] = {}


def in_the_browser_thread(act: Callable[[Browser, str], Any]) -> Callable[[Browser, str], Any]:
    """Register act(browser, server URL); a test reads what it returned with `browsed(<the act's
    function name>)`."""
    _ACTS[act.__name__] = act
    return act


# Where the language switcher is clicked: a page of each kind, in each language. Its links are plain
# links (bookbuild/languages.py keeps Material's script out of the switch), and every page's are
# checked where they point; the clicks prove that following one lands on the twin.
SWITCHED = [
    f"{prefix}{page}"
    for prefix in ["", f"/{LANGUAGE}"]
    for page in ["/", "/404.html", "/forward-propagation/", "/glossary/", "/lab-house-prices/"]
]


# Korean pages also read on the phone: the glossary, whose table is its own, and a chapter whose code
# has long Korean comments (a Hangul syllable is two columns wide in a monospace font), and one that
# prints a table wider than a phone (its cue to scroll in Korean). The labs'
# pages are laid out alike in both languages.
PHONE_KOREAN = [f"/{LANGUAGE}/glossary/", f"/{LANGUAGE}/backpropagation/", f"/{LANGUAGE}/classification/"]


def browse(build: BackgroundBuild) -> dict[str, Any]:
    """Wait for the book's build, then visit each page once, in one context whose system asks for a
    light scheme, reporting what went wrong while it loaded, the facts the tests check and what
    axe-core finds (every rule of AXE_RULES), and clicking the language switcher on the pages of
    SWITCHED; then each English chapter and the pages of PHONE_KOREAN in a context that is a phone
    whose system asks for dark, with the facts of PHONE_FACTS (and on the pages of DARK_AXE, what
    axe-core's colour rules find). With TAKE_SCREENSHOTS, take each chapter's screenshot on the
    way, in light, and each English chapter's on the phone in dark too. Then do each registered
    act. Returns the
    light and dark reports by path, and each act's result or error by its name."""
    in_the_background()  # this thread, and the browser it starts
    site = build.wait()
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    light, dark, acts = {}, {}, {}
    shown = set(chapters(site)) if TAKE_SCREENSHOTS else set()
    if shown:
        SCREENSHOTS.mkdir(parents=True)
    with served(site) as server, chromium() as browser:
        context = new_context(browser, "light")
        for path, visit in visits(context, server, site_pages(site)):
            facts = visit.page.evaluate(PAGE_FACTS)
            facts["images"] = visit.page.evaluate(IMAGES)
            if facts["formulas"]:
                facts["math_font_loaded"] = visit.page.evaluate(MATH_FONT_LOADED)
            facts["scheme"] = visit.page.evaluate(SCHEME)
            facts["axe"] = axe_violations(visit.page, AXE_RULES)
            light[path] = {"problems": visit.problems, **facts}
            if path in shown:
                visit.screenshot("light")
            if path in SWITCHED:
                light[path]["switch"] = visit.switch_language()
        context.close()
        context = new_context(browser, "dark", phone=True)
        for path, visit in visits(context, server, english_chapters(site) + PHONE_KOREAN):
            dark[path] = {
                # Before PHONE_FACTS, which fetches every figure: what a first visit on a phone loads.
                "loaded": visit.page.evaluate(LOADED),
                "scheme": visit.page.evaluate(SCHEME),
                "figure_backgrounds": visit.page.eval_on_selector_all(
                    "figure.book-figure img", "imgs => imgs.map(img => getComputedStyle(img).backgroundColor)"
                ),
                "problems": visit.problems,
                "phone": visit.page.evaluate(PHONE_FACTS, narrow.LAB_FIGURE_SMALLEST_PT),
                "axe": axe_violations(visit.page, AXE_COLOUR_RULES) if path in DARK_AXE else [],
            }
            if path in shown and path not in PHONE_KOREAN:
                visit.screenshot("dark")
        context.close()
        for name, act in _ACTS.items():
            try:
                acts[name] = act(browser, server), None
            except Exception as error:  # raised again for the test that reads it, and no other
                acts[name] = None, error
    return {"light": light, "dark": dark, "acts": acts}


@pytest.fixture(scope="session", autouse=True)
def _browsing(request, _book_builds) -> Future | None:
    """browse(), started before the first test when a test reads what it finds."""
    readers = ("visited", "visited_dark", "browsed")
    if not any(needs(item, reader) for item in request.session.items for reader in readers):
        yield None
        return
    with ThreadPoolExecutor(1, thread_name_prefix="browse") as executor:
        yield executor.submit(browse, _book_builds["site"])


@pytest.fixture(scope="session")
def visited(_browsing, site) -> dict[str, dict]:
    """Every page's report in the light theme (see browse)."""
    return _browsing.result()["light"]


@pytest.fixture(scope="session")
def visited_dark(_browsing, site) -> dict[str, dict]:
    """Every English chapter's report in the dark theme."""
    return _browsing.result()["dark"]


@pytest.fixture(scope="session")
def browsed(_browsing, site) -> Callable[[str], Any]:
    """What the act registered under a name returned; the error it raised, raised again."""
    acts = _browsing.result()["acts"]

    def result(name: str) -> Any:
        value, error = acts[name]
        if error is not None:
            raise error
        return value

    return result

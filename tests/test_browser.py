"""Every page of the built site in headless Chromium, served on 127.0.0.1 with every request to
another host blocked: what a learner offline would see (tests/browsing.py visits the pages)."""

from __future__ import annotations

import io
import re
from urllib.parse import urlsplit

import pytest
from browsing import (
    DARK_AXE,
    LANGUAGE,
    PAGE_FACTS,
    PHONE_KOREAN,
    SCHEME,
    SWITCHED,
    TAKE_SCREENSHOTS,
    Visit,
    chapters,
    english_chapters,
    in_the_browser_thread,
    new_context,
)
from conftest import SCREENSHOTS, SITE_BASE
from page_weight import loads
from PIL import Image
from test_figures import LINE_CONTRAST, contrast, over


def test_every_page_loads_cleanly_offline(visited):
    """No failed request, no request to another host, no console error, no uncaught exception."""
    problems = {path: report["problems"] for path, report in visited.items() if report["problems"]}
    assert not problems, problems


def twin(path: str) -> str:
    """Where the language switcher leads: a page's twin in the other language; from a 404 page, the
    other language's home."""
    korean = path.startswith(f"/{LANGUAGE}/")
    if path.endswith("/404.html"):
        return "/" if korean else f"/{LANGUAGE}/"
    return path[len(LANGUAGE) + 1 :] if korean else f"/{LANGUAGE}{path}"


def test_the_language_switcher_lands_on_the_twin_directly(visited):
    """On every page the switcher links the page itself (a 404 page: its language's home) and its
    twin; clicked on a page of each kind in both languages, it lands on the twin, which answers 200
    at once, with no redirect."""
    for path, report in visited.items():
        language = LANGUAGE if path.startswith(f"/{LANGUAGE}/") else "en"
        other = "en" if language == LANGUAGE else LANGUAGE
        itself = twin(twin(path)) if path.endswith("/404.html") else path
        links = {hreflang: href[len(SITE_BASE) - 1 :] for hreflang, href in report["switcher"].items()}
        assert links == {language: itself, other: twin(path)}, path
    for path in SWITCHED:
        assert visited[path]["switch"] == {"path": twin(path), "status": 200, "redirected_from": []}, path


def test_each_page_is_in_its_language_and_searches_its_language(visited):
    for path, report in visited.items():
        language = LANGUAGE if path.startswith(f"/{LANGUAGE}/") else "en"
        assert report["lang"] == language, path
        assert report["search_base"] == SITE_BASE + ("" if language == "en" else f"{LANGUAGE}/"), path


def test_each_language_has_its_own_404_page(visited):
    """Left alone, mkdocs-static-i18n writes every language's 404.html to the root, the last one winning."""
    english, korean = visited["/404.html"], visited[f"/{LANGUAGE}/404.html"]
    assert english["heading"] == "404 - Page not found" and english["title"].startswith(
        "404 - Deep Learning with PyTorch"
    )
    assert korean["heading"] == "404 - 페이지를 찾을 수 없습니다" and korean["title"].startswith(
        "404 - 파이토치로 배우는 딥러닝"
    )


MISSING = ["/no/such/deep/page.html", f"/{LANGUAGE}/no-such-page/"]


@in_the_browser_thread
def missing_pages(browser, server: str) -> dict[str, dict]:
    """Each path of MISSING opened: what went wrong, the page's facts and header colour, and where
    its language switcher leads (or the error that stopped it, for that path's test alone)."""
    found = {}
    for path in MISSING:
        visit = Visit(browser, server + path, status=404)
        try:
            found[path] = {
                "facts": visit.page.evaluate(PAGE_FACTS),
                "header": visit.page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor"),
                "problems": visit.problems,
                "switch": visit.switch_language(),
            }
        except Exception as error:
            found[path] = {"error": error}
        visit.close()
    return found


@pytest.mark.parametrize("path", MISSING)
def test_a_missing_page_is_answered_with_the_english_404_page_whole_at_any_depth(browsed, path):
    """As on GitHub Pages, which serves the root 404.html, status 404, at any missing path: its
    styles, scripts, search index and switcher are found from there too."""
    missing = browsed("missing_pages")[path]
    if "error" in missing:
        raise missing["error"]
    facts = missing["facts"]
    assert not missing["problems"], missing["problems"]
    assert facts["lang"] == "en" and facts["heading"] == "404 - Page not found"
    assert facts["search_base"] == SITE_BASE
    assert missing["header"] == "rgb(64, 81, 181)"  # Material's indigo, #4051b5: the stylesheets loaded
    assert missing["switch"] == {"path": f"/{LANGUAGE}/", "status": 200, "redirected_from": []}


@in_the_browser_thread
def another_host(browser, server: str) -> tuple[str, list[str]]:
    """A fetch from another host on the home page: how it ended, and the problems recorded."""
    visit = Visit(browser, server + "/", wait_until="load")
    status = visit.page.evaluate("fetch('https://example.org/x.js').then(() => 'loaded', () => 'failed')")
    visit.close()
    return status, visit.problems


def test_a_request_to_another_host_is_caught_and_fails(browsed):
    status, problems = browsed("another_host")
    assert status == "failed"
    assert "request to another host: https://example.org/x.js" in problems


def test_every_image_is_loaded_sized_and_described(visited):
    for path, report in visited.items():
        for image in report["images"]:
            assert image["complete"] and image["natural"] > 0, f"{path}: image not loaded: {image}"
            # a figure the reader moves shows one frame at a time (test_a_slider_…)
            assert image["shown"] > 0 or image["frame_hidden"], f"{path}: image has no size on the page: {image}"
            assert image["alt"].strip(), f"{path}: image without alt text: {image}"
            if "/assets/figures/" in image["src"]:
                assert image["lazy"], f"{path}: a figure that is not loaded lazily: {image}"
    assert any(image["lazy"] for report in visited.values() for image in report["images"])


# The pages with figures the reader moves (bookbuild/execute.py: slider="…"), in both languages:
# SLIDER_PAGES must name them all, and each of their sliders is moved with the keyboard.
SLIDER_PAGES = [
    f"{prefix}/{page}/"
    for prefix in ["", f"/{LANGUAGE}"]
    for page in ["gradient-descent", "optimizers", "training-workflow"]
]
# What a slider shows: its value, its frame, and what a screen reader is told of both.
SLIDER_STATE = """async frames => {
    const input = frames.querySelector("input[type=range]");
    const images = [...frames.querySelectorAll("figure img")];
    const shown = images.filter(img => img.checkVisibility());
    await Promise.all(shown.map(img => img.decode().catch(() => null)));
    const outline = getComputedStyle(input);
    return {position: input.valueAsNumber, focused: document.activeElement === input,
            outlined: outline.outlineStyle !== "none" && parseFloat(outline.outlineWidth) > 0,
            valuetext: input.getAttribute("aria-valuetext"),
            value_shown: frames.querySelector(".book-frames-value").innerText,
            described_by: input.getAttribute("aria-describedby"),
            shown: shown.map(img => ({position: images.indexOf(img), id: img.id, alt: img.alt,
                                      value: img.dataset.value, loaded: img.complete && img.naturalWidth > 0,
                                      area: img.getBoundingClientRect().width * img.getBoundingClientRect().height}))};
}"""
SLIDER_KEYS = ["ArrowRight", "Home", "ArrowRight", "End", "ArrowLeft"]
CONTROLS_HEIGHTS = "controls => controls.map(box => box.getBoundingClientRect().height)"


@in_the_browser_thread
def moved_sliders(browser, server: str) -> dict[str, list]:
    """Each slider of SLIDER_PAGES focused, then moved with each key of SLIDER_KEYS in turn: its state
    (SLIDER_STATE) at rest and after each key, and what went wrong on its page."""
    found = {}
    for path in SLIDER_PAGES:
        visit = Visit(browser, server + path)
        sliders = []
        heights = visit.page.eval_on_selector_all(".book-frames-controls", CONTROLS_HEIGHTS)
        for frames in visit.page.locator("article .book-frames").all():
            frames.locator("input[type=range]").focus()
            states = [frames.evaluate(SLIDER_STATE)]
            for key in SLIDER_KEYS:
                visit.page.keyboard.press(key)
                states.append(frames.evaluate(SLIDER_STATE))
            sliders.append(states)
        visit.close()
        found[path] = {"sliders": sliders, "problems": visit.problems, "heights": heights}
    # Each slider's place, on a page whose frames.js has not come (yet): the same as once it has.
    context = new_context(browser)
    context.route("**/javascripts/frames.js", lambda route: route.abort())
    page = context.new_page()
    page.goto(server + SLIDER_PAGES[0], wait_until="load")
    found["before frames.js"] = page.eval_on_selector_all(".book-frames-controls", CONTROLS_HEIGHTS)
    context.close()
    return found


def test_a_slider_has_its_place_before_its_script_runs(browsed):
    """So that showing it moves nothing below it (test_no_page_moves_under_the_reader_s_eyes…)."""
    moved = browsed("moved_sliders")
    assert moved["before frames.js"] == moved[SLIDER_PAGES[0]]["heights"]
    assert all(height > 0 for height in moved["before frames.js"])


def test_the_pages_with_figures_the_reader_moves_are_those_the_slider_test_moves(visited):
    with_sliders = sorted(path for path, report in visited.items() if report["sliders"])
    assert with_sliders == sorted(SLIDER_PAGES)
    sliders = [slider for report in visited.values() for slider in report["sliders"]]
    assert len(sliders) >= 10  # the five figures, in both languages
    for slider in sliders:
        assert slider["controls_shown"] and slider["label"].strip(), slider
        assert slider["frames"] == slider["positions"] >= 2 and slider["shown"] == 1, slider


def test_a_slider_moved_with_the_keyboard_shows_its_frame_and_says_its_value(browsed):
    for path in SLIDER_PAGES:
        report = browsed("moved_sliders")[path]
        assert not report["problems"], (path, report["problems"])
        assert report["sliders"], path
        for states in report["sliders"]:
            positions = [state["position"] for state in states]
            start, end = positions[0], positions[SLIDER_KEYS.index("End") + 1]
            assert positions[1:] == [min(start + 1, end), 0, 1, end, end - 1], (path, positions)
            for state in states:
                assert state["focused"] and state["outlined"], (path, state)
                (frame,) = state["shown"]  # one frame at a time
                assert frame["position"] == state["position"], (path, state)
                assert frame["value"] == state["valuetext"] == state["value_shown"], (path, state)
                assert frame["value"] in frame["alt"] and state["described_by"] == frame["id"], (path, state)
                assert frame["loaded"] and frame["area"] > 0, (path, state)
            alts = {state["shown"][0]["alt"] for state in states}
            assert len(alts) == len(set(positions)), (path, alts)  # each frame its own alt text


def test_every_formula_is_typeset_in_the_served_math_font(visited):
    for path, report in visited.items():
        text = report["text"]
        assert "$$" not in text and "\\frac" not in text and "\\(" not in text, f"{path}: raw LaTeX on the page"
        assert report["formula_errors"] == 0, f"{path}: {report['formula_errors']} formula(s) with a typesetting error"
        assert all(formula["area"] > 0 for formula in report["formulas"]), f"{path}: a formula has no size"
        assert all(formula["font"].startswith('"Book Math"') for formula in report["formulas"]), path
        if report["formulas"]:
            assert report["math_font_loaded"], f"{path}: the served math font did not load"
    assert sum(formula["display"] == "block" for formula in visited["/forward-propagation/"]["formulas"]) >= 3


def test_an_operator_in_a_script_and_a_bar_have_no_space_around_them(visited):
    """As TeX sets them: "j=1" under a sum, "e^{1−y}", "|x − 1| < 1". Chromium spaces an operator in
    a script as on the line, only smaller, "j = 1", and a bar in mid-row as a relation, "|x − 1 | < 1"
    (bookbuild/mathml.py sets their spaces)."""
    shown = [(path, operator) for path, report in visited.items() for operator in report["tight_operators"]]
    shown = [(path, operator) for path, operator in shown if operator["shown"]]  # not in a closed solution
    assert len(shown) > 150 and {"=", "\u2212", ",", "|"} <= {operator["operator"] for _, operator in shown}
    for path, operator in shown:
        assert operator["space"] < 0.05, (path, operator)


def test_an_aligned_equation_s_sides_meet_at_their_sign(visited):
    """Each line of an aligned equation is right/left pairs of cells around "&=": nothing between
    the two of a pair ("L = …", not "L  = …"), however many pairs a line has."""
    gaps = [(path, gap) for path, report in visited.items() for gap in report["pair_gaps"]]
    assert len(gaps) > 20 and all(gap == 0 for _, gap in gaps), [item for item in gaps if item[1]][:5]


def test_every_page_loads_only_what_its_weight_counts(visited, visited_dark, site):
    """tests/test_page_weight.py weighs what it finds each page loads; Chromium loads nothing else, on a
    desktop (every page) or on a phone (the chapters), where a lazy figure that the weight leaves out
    (not near the top) would load first. The math font is left out of this check: the pages share one
    browser cache here, and Chromium then lists a font in its cache that a page's stylesheet declares
    among the page's loads, formulas or not (a first visit, with an empty cache, loads it only on a
    page with formulas)."""
    everything = set()
    for window, reports in [("desktop", visited), ("phone", visited_dark)]:
        for path, report in reports.items():
            page = site / path.lstrip("/") / ("index.html" if path.endswith("/") else "")
            counted = set(loads(site, page))
            loaded = {url[len(SITE_BASE) :] + ("index.html" if url.endswith("/") else "") for url in report["loaded"]}
            uncounted = {file for file in loaded - counted if not file.startswith("fonts/")}
            assert not uncounted, f"{path} ({window}) loads files that its weight leaves out: {sorted(uncounted)}"
            everything |= loaded
    assert any(file.startswith("assets/figures/") for file in everything), "no figure loaded: is the check alive?"


def test_every_code_block_has_a_copy_button_and_no_output_block_has_one(visited):
    """Output is there to be read, not pasted (bookbuild/execute.py), as in the labs."""
    for path, report in visited.items():
        assert report["copy_buttons"] == report["code_blocks"], f"{path}: {report}"
        # The labs' code cells come from nbconvert, with the copy button of mkdocs-jupyter.
        assert report["notebook_copy_buttons"] == report["notebook_code_cells"], f"{path}: {report}"
    assert any(report["notebook_code_cells"] for report in visited.values()), "no lab was visited"
    assert sum(report["output_blocks"] for report in visited.values()) > 100  # they were counted


# A copy button's icon colour (its ::after, a mask filled with currentcolor), then the backgrounds it
# is drawn on, from the button's own out to the first opaque one.
BUTTON_COLOURS = """button => {
    const colours = [getComputedStyle(button, "::after").backgroundColor];
    for (let under = button; under; under = under.parentElement) {
        const background = getComputedStyle(under).backgroundColor;
        if (background === "rgba(0, 0, 0, 0)") continue;
        colours.push(background);
        if (!background.startsWith("rgba")) break;
    }
    return colours;
}"""


@in_the_browser_thread
def copied(browser, server: str) -> dict[str, str]:
    """A chapter's last code block, far below the first screen, copied from the keyboard with its
    copy button (written into the page at build time: bookbuild/pageload.py): what the clipboard
    then holds, and the block's code."""
    context = new_context(browser)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    visit = Visit(browser, server + "/forward-propagation/", wait_until="load", tab=context.new_page())
    page = visit.page
    block = page.locator("article .highlight:not(.no-copy):not(details *)").last  # not folded away
    block.locator("pre > nav > button[data-md-type=copy]").focus()
    page.keyboard.press("Enter")
    copy = {"clipboard": page.evaluate("navigator.clipboard.readText()")}
    copy["code"] = block.locator("pre > code").text_content()
    page.mouse.move(0, 0)  # and at rest, neither hovered nor focused
    page.evaluate("document.activeElement.blur()")
    copy["colours"] = block.locator("pre > nav > button").evaluate(BUTTON_COLOURS)
    visit.close()
    context.close()
    return copy


def test_a_copy_button_copies_its_block_s_code_and_is_seen_at_rest(browsed):
    """It copies its block's code from the keyboard, far below the first screen (the button is in
    the page from the start: bookbuild/pageload.py); and at rest it is seen: a phone has no hover to
    darken it, and a control needs 3:1 (WCAG 1.4.11)."""
    copy = browsed("copied")
    assert copy["code"].count("\n") > 3, copy  # a block of code was found
    assert copy["clipboard"] == copy["code"].rstrip()
    icon, *backgrounds = (css_colour(colour) for colour in copy["colours"])
    background = backgrounds.pop()
    for layer in reversed(backgrounds):
        background = over(layer, background)
    assert contrast(over(icon, background), background) >= LINE_CONTRAST, copy["colours"]


def css_colour(colour: str) -> tuple[float, ...]:
    """A computed CSS colour, rgb() or rgba(), as matplotlib's (r, g, b, alpha), each from 0 to 1."""
    r, g, b, *alpha = (float(value) for value in re.findall(r"[\d.]+", colour))
    return (r / 255, g / 255, b / 255, *(alpha or [1.0]))


SEARCHES = [
    ("broadcasting", "/tensors/"),
    ("forward propagation", "/forward-propagation/"),  # a chapter's English name
    ("weighted sum", "/forward-propagation/"),  # a term the chapter defines, in its text
    ("torch.dot", "/forward-propagation/"),  # an API name from the text
    ("backpropagation", "/backpropagation/"),
    ("chain rule", "/backpropagation/"),
    ("inference_mode", "/autograd/"),
    ("BCEWithLogitsLoss", "/loss-functions/"),
    ("gradient descent", "/gradient-descent/"),
    ("AdaDelta", "/optimizers/"),
    ("least-squares floor", "/lab-house-prices/"),  # a lab (a notebook page)
    # The Korean edition, searched from its own pages: the deck's terms find their chapters.
    ("브로드캐스팅", "/ko/tensors/"),
    ("역전파", "/ko/backpropagation/"),
    ("경사하강법", "/ko/gradient-descent/"),
    ("손실함수", "/ko/loss-functions/"),
]


# How the search results, and a word that search highlights on a page, break their lines.
WORD_BREAKS = """() => {
    const mark = document.createElement("mark");
    document.querySelector("article p").append(mark);
    return {results: getComputedStyle(document.querySelector(".md-search-result")).wordBreak,
            highlight: getComputedStyle(mark).wordBreak};
}"""


@in_the_browser_thread
def searches(browser, server: str) -> dict:
    """The paths each query of SEARCHES finds, best first, typed into the search box of the home
    page of the language it is in, one query after another; and, in Korean, WORD_BREAKS."""
    found, word_breaks = {}, {}
    for home in ["/", f"/{LANGUAGE}/"]:
        visit = Visit(browser, server + home, wait_until="load")
        page = visit.page
        page.locator("label.md-search__icon, .md-search__input").first.click()
        search = page.locator("input.md-search__input")
        results = page.locator(".md-search-result__item a")
        for query, expected in SEARCHES:
            if home == (f"/{LANGUAGE}/" if expected.startswith(f"/{LANGUAGE}/") else "/"):
                search.fill("")
                results.first.wait_for(state="detached", timeout=10_000)  # no results of the last query
                search.fill(query)
                # Material searches on keyup, as a reader's keyboard fires one for every key, a
                # Korean IME's included (keyCode 229, the query composing): fill() fires none.
                search.press("End")
                results.first.wait_for(timeout=10_000)
                found[query] = [urlsplit(href).path for href in results.evaluate_all("links => links.map(a => a.href)")]
        if home != "/":
            word_breaks = page.evaluate(WORD_BREAKS)
        visit.close()
    return {"found": found, "korean_word_breaks": word_breaks}


@pytest.mark.parametrize(("query", "expected"), SEARCHES)
def test_search_finds_the_chapter(browsed, query, expected):
    """Found among the results. (The best match came first while the index held the code too; the
    index now leaves the code out (bookbuild/execute.py), and "weighted sum", which the chapter's
    code comments said five times more, finds first the labs and the glossary, which use it too,
    then the chapter.)"""
    found = browsed("searches")["found"][query]
    assert SITE_BASE.rstrip("/") + expected in found, found


def test_korean_search_results_and_highlights_break_between_words(browsed):
    """Material gives both a word-break of their own, which broke "학/습을" in a result and the very
    word searched for on the page it leads to ("학⏎습률"): they keep Korean words whole."""
    assert browsed("searches")["korean_word_breaks"] == {"results": "keep-all", "highlight": "keep-all"}


@in_the_browser_thread
def theme_toggle(browser, server: str) -> dict[str, str]:
    """A chapter opened by a system that asks for dark, its theme toggled to light and back: the
    scheme and the page's background at each step."""
    visit = Visit(browser, server + "/forward-propagation/", color_scheme="dark", wait_until="load")
    page = visit.page
    steps = {}
    for step, toggle in [("opened", None), ("light", "Switch to light mode"), ("dark again", "Switch to dark mode")]:
        if toggle:
            page.locator(f"label[title='{toggle}']:visible").click()
        steps[step] = (page.evaluate(SCHEME), page.evaluate("getComputedStyle(document.body).backgroundColor"))
    visit.close()
    return steps


def test_the_theme_is_what_the_system_asks_for_and_the_toggle_switches_it(browsed, visited):
    assert {report["scheme"] for report in visited.values()} == {"default"}  # visited asks for light
    steps = browsed("theme_toggle")
    assert [scheme for scheme, _ in steps.values()] == ["slate", "default", "slate"]
    assert steps["light"][1] != steps["opened"][1] == steps["dark again"][1]


def test_every_english_chapter_opens_dark_and_cleanly_when_the_system_asks_for_dark(visited_dark, site):
    assert sorted(visited_dark) == sorted(english_chapters(site) + PHONE_KOREAN)
    assert {report["scheme"] for report in visited_dark.values()} == {"slate"}
    assert not {path: report["problems"] for path, report in visited_dark.items() if report["problems"]}


@pytest.mark.skipif(not TAKE_SCREENSHOTS, reason="screenshots are taken with BOOK_SCREENSHOTS=1")
def test_screenshots_of_every_chapter_in_light_and_of_the_english_ones_in_dark(visited, visited_dark, site):
    shots = sorted(SCREENSHOTS.glob("*.jpg"))
    assert len(shots) == len(chapters(site)) + len(english_chapters(site))
    assert all(shot.stat().st_size > 10_000 for shot in shots)


def test_figures_are_white_cards_in_the_dark_theme(visited_dark):
    """Figures are drawn on white; in the dark theme they must keep that white, not turn dark."""
    backgrounds = [colour for report in visited_dark.values() for colour in report["figure_backgrounds"]]
    assert backgrounds and set(backgrounds) == {"rgb(255, 255, 255)"}


def test_every_page_passes_axe_core(visited):
    """axe-core's rules for WCAG 2.0 and 2.1, A and AA, and its best practices, on every page of
    both languages in the light theme (tests/browsing.py runs them as it visits)."""
    violations = {path: report["axe"] for path, report in visited.items() if report["axe"]}
    assert not violations, violations


def test_axe_cores_colour_rules_pass_in_the_dark_theme(visited_dark):
    assert all(path in visited_dark for path in DARK_AXE)
    violations = {path: report["axe"] for path, report in visited_dark.items() if report["axe"]}
    assert not violations, violations


# A page's parts, in the order of the page: the skip link, the header (the language switch among
# its controls), the chapters' navigation, the table of contents, the text, the footer. (The book
# has no content tabs, and Material's navigation tabs are off: there are no tabs to reach.)
REGIONS = ["skip", "header", "nav", "toc", "article", "footer"]
FOCUS = """() => {
    const e = document.activeElement;
    if (e === document.body || e === null) return null;
    const seen = e.dataset.bookFocus !== undefined;
    e.dataset.bookFocus = "";
    // Material's theme toggle is a hidden radio button whose label shows the focus.
    const shows = e.matches(".md-option") ? e.nextElementSibling : e;
    const style = getComputedStyle(shows), box = shows.getBoundingClientRect();
    const region = e.closest(".md-skip") ? "skip" : e.closest(".md-header") ? "header"
        : e.closest(".md-sidebar--primary") ? "nav" : e.closest(".md-sidebar--secondary") ? "toc"
        : e.closest("article") ? "article" : e.closest(".md-footer, .md-copyright") ? "footer" : "elsewhere";
    return {
        seen, region, tag: e.tagName.toLowerCase(), hreflang: e.getAttribute("hreflang"),
        label: (e.getAttribute("aria-label") || e.textContent).trim().slice(0, 30),
        position: [...document.querySelectorAll("*")].indexOf(e),
        outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 1
            && !style.outlineColor.endsWith(", 0)")  // not transparent
            && box.width >= 1 && box.height >= 1,  // around something
        in_view: box.right > 0 && box.left < innerWidth && box.bottom > 0 && box.top < innerHeight,
    };
}"""
# What a keyboard must reach: every link, collapsed solution's summary and copy button the page shows
# (not those inside a closed <details>), with the language switch's link to the other language.
REACHABLE = """() => [...document.querySelectorAll(
    "article a[href], article summary, article button, article clipboard-copy, .md-header a.md-select__link"
)].filter(e => e.checkVisibility({contentVisibilityAuto: true}) && !e.closest("[hidden]")).map(
    e => [...document.querySelectorAll("*")].indexOf(e))"""
KEYBOARD_PAGES = ["/forward-propagation/", "/lab-house-prices/"]


def walk_with_tab(page) -> list[dict]:
    """The page walked with the Tab key alone from its top until the focus leaves the page or comes
    back to an element it was on: each element focused, in turn (FOCUS)."""
    page.bring_to_front()  # a tab behind others gets no animation frames, Material's focus styles
    focused = []
    for _ in range(1000):
        page.keyboard.press("Tab")
        step = page.evaluate(FOCUS)
        if step is None or step["seen"]:
            break
        focused.append(step)
    return focused


@in_the_browser_thread
def keyboard_walks(browser, server: str) -> dict[str, dict]:
    """Each page of KEYBOARD_PAGES, walked with the Tab key alone (walk_with_tab), and the elements
    the walk must reach (positions in document order)."""
    walks = {}
    for path in KEYBOARD_PAGES:
        visit = Visit(browser, server + path, wait_until="load")
        page = visit.page
        reachable = page.evaluate(REACHABLE)
        walks[path] = {"focused": walk_with_tab(page), "reachable": reachable}
        visit.close()
    return walks


# The chapters' navigation at a phone's width: Material's drawer, and the button that opens it.
DRAWER = """() => ({
    expanded: document.querySelector(".md-header .book-menu").getAttribute("aria-expanded"),
    shown: getComputedStyle(document.querySelector(".md-sidebar--primary")).visibility === "visible",
    focused: document.activeElement.matches(".md-header .book-menu"),
})"""
# Where the focus is in the open drawer: drawn there on top of everything, with an outline.
IN_DRAWER = """() => {
    const e = document.activeElement, box = e.getBoundingClientRect();
    const top = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
    return {label: (e.getAttribute("aria-label") || e.textContent).trim().slice(0, 30),
            in_drawer: Boolean(e.closest(".md-sidebar--primary")),
            shown: Boolean(top) && (top === e || e.contains(top)),
            outline: getComputedStyle(e).outlineStyle !== "none"};
}"""
# Tab presses in the open drawer, and Shift+Tab presses after them.
DRAWER_TABS, DRAWER_BACK_TABS = 12, 3


@in_the_browser_thread
def phone_keyboard_walk(browser, server: str) -> dict:
    """A chapter at a phone's width in the dark theme, walked with the Tab key alone as
    keyboard_walks walks it; its navigation drawer's state before and after Enter on its menu
    button, and after Escape; its theme before and after Space on the theme toggle."""
    context = new_context(browser, "dark", phone=True)
    visit = Visit(browser, server + KEYBOARD_PAGES[0], wait_until="load", tab=context.new_page())
    page = visit.page
    focused = walk_with_tab(page)
    page.focus(".md-header .book-menu")
    drawer = {"closed": page.evaluate(DRAWER)}
    page.keyboard.press("Enter")
    drawer["opened"] = page.evaluate(DRAWER)
    page.wait_for_timeout(400)  # the drawer's first link takes the focus once it has slid in
    inside = [page.evaluate(IN_DRAWER)]
    for key in ["Tab"] * DRAWER_TABS + ["Shift+Tab"] * DRAWER_BACK_TABS:
        page.keyboard.press(key)
        inside.append(page.evaluate(IN_DRAWER))
    drawer["inside"] = inside
    page.keyboard.press("Escape")
    drawer["escaped"] = page.evaluate(DRAWER)
    page.focus("[data-md-component=palette] input:checked")
    themes = [page.evaluate(SCHEME)]
    page.keyboard.press(" ")
    themes.append(page.evaluate(SCHEME))
    visit.close()
    context.close()
    return {"focused": focused, "drawer": drawer, "themes": themes}


def test_on_a_phone_the_keyboard_never_goes_out_of_sight_and_opens_the_navigation(browsed):
    """At a phone's width the chapters' navigation is a drawer, off screen while closed: its links
    are no Tab stops then (they were, focused out of sight), and its menu button is one, named,
    that Enter opens and Escape closes; the open drawer keeps the focus on what is seen of it (its
    levels slide over one another, the hidden ones' links focusable). In the dark theme the theme
    toggle shows its focus (it vanished) and Space switches it, as Enter does."""
    walk = browsed("phone_keyboard_walk")
    out_of_sight = [step for step in walk["focused"] if not (step["outline"] and step["in_view"])]
    assert not out_of_sight, out_of_sight
    assert [step["label"] for step in walk["focused"] if step["region"] == "header"][0] == "Menu"
    drawer = walk["drawer"]
    assert drawer["closed"] == {"expanded": "false", "shown": False, "focused": True}
    assert drawer["opened"] == {"expanded": "true", "shown": True, "focused": True}
    # in the open drawer, the focus goes round what is seen there, outlined, and stays there
    inside = drawer["inside"]
    assert all(step["in_drawer"] and step["shown"] and step["outline"] for step in inside), inside
    assert len({step["label"] for step in inside}) >= 5, inside
    assert drawer["escaped"]["expanded"] == "false" and drawer["escaped"]["focused"]
    assert walk["themes"] == ["slate", "default"]  # the dark theme's toggle is checked; Space switches


@pytest.mark.parametrize("path", KEYBOARD_PAGES)
def test_a_keyboard_reaches_everything_in_the_pages_order_with_a_visible_focus(browsed, path):
    walk = browsed("keyboard_walks")[path]
    focused = walk["focused"]
    assert focused and focused[0]["region"] == "skip", focused[:3]
    regions = [step["region"] for step in focused]
    assert [region for region in REGIONS if region in regions] == list(dict.fromkeys(regions)), regions
    positions = [step["position"] for step in focused]
    assert positions == sorted(positions), "the focus does not follow the page's order"
    missed = set(walk["reachable"]) - set(positions)
    assert not missed, f"{len(missed)} elements the keyboard never reaches"
    assert [step["region"] for step in focused if step["hreflang"] == LANGUAGE] == ["header"]  # the switch
    invisible = [step for step in focused if not (step["outline"] and step["in_view"])]
    assert not invisible, f"focused without a visible outline: {invisible}"


# On a phone (tests/browsing.py: 390 × 844 CSS px, dark): every English chapter, lab and glossary
# and the Korean pages of PHONE_KOREAN, every <details> opened.
READABLE_CODE_PX = 11
READABLE_FIGURE_PX = 9


def test_on_a_phone_no_page_scrolls_sideways_and_no_code_or_output_line_is_cut(visited_dark):
    """Long lines wrap (bookbuild/narrow.py): nothing of a block is out of view, its text is at least
    READABLE_CODE_PX, and the copy button copies exactly the block's text, no continuation mark."""
    for path, report in visited_dark.items():
        phone = report["phone"]
        assert phone["sideways"] == 0, path
        assert not phone["cut"], f"{path}: blocks that scroll sideways: {phone['cut']}"
        assert not phone["copied_differently"], f"{path}: copied with something added: {phone['copied_differently']}"
        if "/glossary/" not in path:
            assert phone["code_font_px"] >= READABLE_CODE_PX, path


def test_on_a_phone_no_copy_button_covers_code_or_output(visited_dark):
    for path, report in visited_dark.items():
        assert not report["phone"]["covered"], f"{path}: text under a copy button: {report['phone']['covered']}"


def test_on_a_phone_figure_text_is_readable_and_a_wide_figure_says_it_scrolls(visited_dark):
    """The smallest text of every figure, sub- and superscripts included, is at least
    READABLE_FIGURE_PX; a figure kept wider than the column for it shows the cue to scroll."""
    figures = [(path, figure) for path, report in visited_dark.items() for figure in report["phone"]["figures"]]
    assert len(figures) > 30
    for path, figure in figures:
        assert figure["text_px"] >= READABLE_FIGURE_PX, f"{path}: {figure}"
        assert figure["cue"] == (figure["hidden"] > 8), f"{path}: {figure}"  # narrow.js: WHITE_MARGIN_PX


def test_on_a_phone_tables_fit_as_stacked_rows(visited_dark):
    tables = [(path, table) for path, report in visited_dark.items() for table in report["phone"]["tables"]]
    assert any(path.endswith("/glossary/") for path, _ in tables)
    for path, table in tables:
        assert table["stacked"] and table["overflow"] <= 0 and table["hidden"] <= 0, f"{path}: {table}"


def test_on_a_phone_a_lab_has_a_chapter_s_text_column(visited_dark):
    columns = {path: report["phone"]["column_px"] for path, report in visited_dark.items()}
    assert columns["/lab-house-prices/"] == columns["/lab-digits/"] == columns["/forward-propagation/"]


# Where a layout shift is looked for: pages whose first screen holds a long paragraph, a table or a
# lab's first cells, on a phone, and those where the most blocks share the first screen on a desktop.
SHIFTED = {"phone": ["/glossary/", "/forward-propagation/", "/lab-house-prices/"],
           "desktop": ["/training-workflow/", f"/{LANGUAGE}/training-workflow/", "/training-step/"]}
LAYOUT_SHIFT = """window.bookShift = 0;
new PerformanceObserver(list => list.getEntries().forEach(shift => { window.bookShift += shift.value; }))
    .observe({type: "layout-shift", buffered: true});"""


@in_the_browser_thread
def layout_shifts(browser, server: str) -> dict[str, float]:
    """The pages of SHIFTED as they load and settle, untouched: how much what is on the screen moved
    (the layout-shift score of each page, as Lighthouse's Cumulative Layout Shift adds it up)."""
    shifts = {}
    for window, paths in SHIFTED.items():
        context = new_context(browser, phone=window == "phone")
        context.add_init_script(LAYOUT_SHIFT)
        for path in paths:
            visit = Visit(browser, server + path, wait=False, tab=context.new_page())
            visit.page.wait_for_load_state("load")
            visit.page.wait_for_timeout(800)
            shifts[f"{window} {path}"] = visit.page.evaluate("window.bookShift")
            visit.close()
        context.close()
    return shifts


def test_no_page_moves_under_the_reader_s_eyes_as_it_loads(browsed):
    """A page's blocks are laid out as they come near the screen (book.css: content-visibility),
    each held at a guessed height till then, except those of the first screen: one laid out late
    there grew and pushed what was below it down (0.11 on the glossary on a phone; Lighthouse
    counts 0.1 as the most a page should have)."""
    shifts = browsed("layout_shifts")
    assert len(shifts) == sum(len(paths) for paths in SHIFTED.values())
    assert not {page: shift for page, shift in shifts.items() if shift > 0.005}, shifts


FIGURES = "document.querySelectorAll('figure.book-figure')"


@in_the_browser_thread
def marked_when_seen(browser, server: str) -> dict[str, dict]:
    """On a phone, the last figure of the optimizers chapter that scrolls sideways once every box is
    marked (Visit.wait), opened again untouched: how it is marked at first, far below the first
    screen, and once it has been scrolled to."""
    context = new_context(browser, phone=True)
    visit = Visit(browser, server + "/optimizers/", tab=context.new_page())
    scrolling = visit.page.evaluate(f"[...{FIGURES}].findLastIndex(figure => figure.matches('.book-scrolls'))")
    visit.close()
    visit = Visit(browser, server + "/optimizers/", wait=False, tab=context.new_page())
    page = visit.page
    page.wait_for_load_state("load")
    visit.wait_for_marking()
    mark = f"""(figure => ({{scrolls: figure.classList.contains("book-scrolls"), focusable: figure.tabIndex === 0,
        below: figure.getBoundingClientRect().top / innerHeight}}))({FIGURES}[{scrolling}])"""
    marks = {"index": scrolling, "at first": page.evaluate(mark)}
    page.evaluate(f"{FIGURES}[{scrolling}].scrollIntoView({{block: 'center'}})")  # clear of the header
    page.wait_for_timeout(300)
    visit.wait_for_marking()
    marks["seen"] = page.evaluate(mark)
    # It spans the screen, past its block's side (16 px): what is drawn in the screen's first 15 px.
    image = f"{FIGURES}[{scrolling}].querySelector('img')"
    top, height = page.evaluate(f"(r => [r.top, r.height])({image}.getBoundingClientRect())")
    edge = {"x": 0, "y": top + 20, "width": 15, "height": height - 40}  # its axis label, not its title
    strip = Image.open(io.BytesIO(page.screenshot(clip=edge)))
    marks["ink at the edge"] = sum(value < 200 for value in strip.convert("L").tobytes())
    visit.close()
    context.close()
    return marks


def test_a_box_is_marked_when_it_is_laid_out_not_before(browsed):
    """narrow.js measures a box when the browser lays it out (book.css: content-visibility), not as
    the page loads: measuring a whole chapter laid it all out, which kept a phone busy for most of
    a second. A figure far down is marked once the reader scrolls to it."""
    marks = browsed("marked_when_seen")
    assert marks["index"] >= 0, "no figure scrolls sideways on a phone: is the check alive?"
    assert marks["at first"]["below"] > 3, marks  # screens below the first
    assert marks["at first"]["scrolls"] is False and marks["at first"]["focusable"] is False, marks
    assert marks["seen"]["scrolls"] is True and marks["seen"]["focusable"] is True, marks
    # A block with content-visibility: auto clips what overflows it (paint containment), laid out
    # or not: the figure's edge must fall within its overflow-clip-margin (book.css).
    assert marks["ink at the edge"] > 0, "the figure's edge past its block is cut off"

"""Every page of the built site in headless Chromium, served on 127.0.0.1 with every request to
another host blocked: what a learner offline would see."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import SCREENSHOTS, SITE_BASE

# Debian's Chromium by default; CHROMIUM names another Chromium-based browser (the Pages workflow).
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Headless Chromium as root, without the background services that would call Google's hosts, and
# with every host name but the test server's unresolvable: a page cannot load anything from
# elsewhere even by accident, and Visit records each attempt.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


@pytest.fixture(scope="session")
def server(site):
    """The site served under SITE_BASE, as on GitHub Pages; returns the URL to add page paths to."""
    handler = functools.partial(SiteHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}{SITE_BASE.rstrip('/')}"
    httpd.shutdown()


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    def translate_path(self, path: str) -> str:
        if not path.startswith(SITE_BASE):
            return "/nonexistent"  # outside the site: 404
        return super().translate_path("/" + path[len(SITE_BASE) :])

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"the browser tests need Chromium at {CHROMIUM}: apt-get install chromium, or set CHROMIUM")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Visit:
    """A page opened in a fresh context, with everything that went wrong while it loaded."""

    def __init__(self, browser, url: str, color_scheme: str = "light") -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=color_scheme)
        self._problems: list[str] = []
        self._console_errors: list[str] = []
        self._failed_responses: list[tuple[int, str]] = []
        origin = urlsplit(url).netloc
        self.page = self.context.new_page()
        self.page.on("request", lambda request: self._check_host(request.url, origin))
        self.page.on("console", lambda message: message.type == "error" and self._console_errors.append(message.text))
        self.page.on("pageerror", lambda error: self._problems.append(f"uncaught exception: {error}"))
        self.page.on("requestfailed", lambda request: self._problems.append(f"failed request: {request.url} ({request.failure})"))
        self.page.on("response", lambda response: response.status >= 400 and self._failed_responses.append((response.status, response.url)))
        self.page.goto(url, wait_until="load")
        self.page.evaluate("document.fonts.ready.then(() => true)")
        self.alternates = self.page.eval_on_selector_all('head link[rel="alternate"][hreflang]', "links => links.map(link => link.href)")

    @property
    def problems(self) -> list[str]:
        """What went wrong, except Material's look for a sitemap beside each language alternate.

        Material fetches <alternate>/sitemap.xml to map pages between languages, expecting each
        alternate to be a language's root; mkdocs-static-i18n makes them the page's twins, where
        there is no sitemap. Material's script handles the 404 and the twin links work without it.
        """
        sitemaps = {urljoin(alternate, "sitemap.xml") for alternate in self.alternates}
        expected = [url for status, url in self._failed_responses if status == 404 and url in sitemaps]
        failed = [f"HTTP {status}: {url}" for status, url in self._failed_responses if url not in expected]
        console = list(self._console_errors)
        for _ in expected:  # the browser logs each of those 404s once, without its URL
            logged = [text for text in console if text.startswith("Failed to load resource") and "404" in text]
            if logged:
                console.remove(logged[0])
        return self._problems + failed + [f"console error: {text}" for text in console]

    def _check_host(self, url: str, origin: str) -> None:
        if not url.startswith(("data:", "blob:")) and urlsplit(url).netloc != origin:
            self._problems.append(f"request to another host: {url}")

    def screenshot(self, scheme: str) -> None:
        """A full-page screenshot for people to look at; the folder is printed at the end of the run."""
        name = urlsplit(self.page.url).path[len(SITE_BASE) :].strip("/").replace("/", "-") or "home"
        self.page.screenshot(path=SCREENSHOTS / f"{name}-{scheme}.jpg", full_page=True, type="jpeg", quality=85)

    def close(self) -> None:
        self.context.close()


def site_pages(site: Path) -> list[str]:
    """Every page's path on the server: /, /forward-propagation/, …, and /404.html."""
    paths = []
    for html in sorted(site.rglob("*.html")):
        relative = html.relative_to(site).as_posix()
        paths.append("/" + (relative[: -len("index.html")] if relative.endswith("index.html") else relative))
    return paths


@pytest.fixture(scope="session")
def pages(site) -> list[str]:
    found = site_pages(site)
    assert "/" in found and "/forward-propagation/" in found
    return found


def chapters(site: Path) -> list[str]:
    """Every chapter, lab and glossary page, in both languages."""
    return [path for path in site_pages(site) if path.strip("/") not in {"", "404.html", "ko", "ko/404.html"}]


def english_chapters(site: Path) -> list[str]:
    """The dark theme is one stylesheet for both languages: visiting the English pages covers it."""
    return [path for path in chapters(site) if not path.startswith("/ko/")]


# What the per-page tests read, gathered in one visit of each page.
PAGE_FACTS = """() => ({
    text: document.querySelector("article").innerText,
    images: [...document.querySelectorAll("article img")].map(img => ({
        src: img.src.slice(0, 40), alt: img.alt, complete: img.complete,
        natural: img.naturalWidth * img.naturalHeight,
        shown: img.getBoundingClientRect().width * img.getBoundingClientRect().height})),
    formulas: [...document.querySelectorAll("article math")].map(m => ({
        display: m.getAttribute("display"), font: getComputedStyle(m).fontFamily,
        area: m.getBoundingClientRect().width * m.getBoundingClientRect().height})),
    formula_errors: document.querySelectorAll("article merror").length,
    code_blocks: document.querySelectorAll("article pre > code").length,
    copy_buttons: document.querySelectorAll("article pre > nav > button[data-md-type=copy]").length,
    notebook_code_cells: document.querySelectorAll("article .jp-InputArea pre").length,
    notebook_copy_buttons: document.querySelectorAll("article .jp-InputArea clipboard-copy").length,
})"""
SCHEME = "document.body.getAttribute('data-md-color-scheme')"
MATH_FONT_LOADED = "document.fonts.ready.then(fonts => [...fonts].some(f => f.family === 'Book Math' && f.status === 'loaded'))"


@pytest.fixture(scope="session")
def screenshots() -> Path:
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def visited(browser, server, pages, site, screenshots) -> dict[str, dict]:
    """Each page visited once in the light theme: what went wrong while it loaded, and the facts
    the tests check; each chapter's screenshot is taken on the way."""
    reports = {}
    for path in pages:
        visit = Visit(browser, server + path)
        facts = visit.page.evaluate(PAGE_FACTS)
        if facts["formulas"]:
            facts["math_font_loaded"] = visit.page.evaluate(MATH_FONT_LOADED)
        facts["scheme"] = visit.page.evaluate(SCHEME)
        reports[path] = {"problems": visit.problems, **facts}
        if path in chapters(site):
            visit.screenshot("light")
        visit.close()
    return reports


@pytest.fixture(scope="session")
def visited_dark(browser, server, site, screenshots) -> dict[str, dict]:
    """Each English chapter visited once in the dark theme, with its screenshot."""
    reports = {}
    for path in english_chapters(site):
        visit = Visit(browser, server + path, color_scheme="dark")
        reports[path] = {
            "problems": visit.problems,
            "scheme": visit.page.evaluate(SCHEME),
            "figure_backgrounds": visit.page.eval_on_selector_all(
                "figure.book-figure img", "imgs => imgs.map(img => getComputedStyle(img).backgroundColor)"
            ),
        }
        visit.screenshot("dark")
        visit.close()
    return reports


def test_every_page_loads_cleanly_offline(visited):
    """No failed request, no request to another host, no console error, no uncaught exception."""
    problems = {path: report["problems"] for path, report in visited.items() if report["problems"]}
    assert not problems, problems


def test_a_request_to_another_host_is_caught_and_fails(browser, server):
    visit = Visit(browser, server + "/")
    status = visit.page.evaluate("fetch('https://example.org/x.js').then(() => 'loaded', () => 'failed')")
    visit.close()
    assert status == "failed"
    assert "request to another host: https://example.org/x.js" in visit.problems


def test_every_image_is_loaded_sized_and_described(visited):
    for path, report in visited.items():
        for image in report["images"]:
            assert image["complete"] and image["natural"] > 0, f"{path}: image not loaded: {image}"
            assert image["shown"] > 0, f"{path}: image has no size on the page: {image}"
            assert image["alt"].strip(), f"{path}: image without alt text: {image}"


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


def test_every_code_block_has_a_copy_button(visited):
    for path, report in visited.items():
        assert report["copy_buttons"] == report["code_blocks"], f"{path}: {report}"
        # The labs' code cells come from nbconvert, with the copy button of mkdocs-jupyter.
        assert report["notebook_copy_buttons"] == report["notebook_code_cells"], f"{path}: {report}"
    assert any(report["notebook_code_cells"] for report in visited.values()), "no lab was visited"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("forward propagation", "/forward-propagation/"),  # a chapter's English name
        ("saturated", "/forward-propagation/"),  # a word from the chapter's text
        ("nn.Sequential", "/forward-propagation/"),  # an API name from the text
        ("backpropagation", "/backpropagation/"),
        ("chain rule", "/backpropagation/"),
        ("inference_mode", "/autograd/"),
        ("BCEWithLogitsLoss", "/loss-functions/"),
        ("gradient descent", "/gradient-descent/"),
        ("AdaDelta", "/optimizers/"),
        ("least-squares floor", "/lab-house-prices/"),  # a lab (a notebook page)
        # The Korean edition, searched from its own pages: the deck's terms find their chapters.
        ("역전파", "/ko/backpropagation/"),
        ("경사하강법", "/ko/gradient-descent/"),
        ("손실함수", "/ko/loss-functions/"),
    ],
)
def test_search_finds_the_chapter(browser, server, query, expected):
    visit = Visit(browser, server + ("/ko/" if expected.startswith("/ko/") else "/"))
    visit.page.locator("label.md-search__icon, .md-search__input").first.click()
    search = visit.page.locator("input.md-search__input")
    search.fill(query)
    search.press("End")  # fill() alone does not always start Material's search
    results = visit.page.locator(".md-search-result__item a")
    results.first.wait_for(timeout=10_000)
    hrefs = [urlsplit(href).path for href in results.evaluate_all("links => links.map(a => a.href)")]
    visit.close()
    assert hrefs[0] == SITE_BASE.rstrip("/") + expected, hrefs  # the best match comes first


def test_dark_theme_toggle_switches_the_scheme(browser, server):
    visit = Visit(browser, server + "/forward-propagation/")
    page = visit.page
    scheme = lambda: page.evaluate("document.body.getAttribute('data-md-color-scheme')")  # noqa: E731
    background = lambda: page.evaluate("getComputedStyle(document.body).backgroundColor")  # noqa: E731
    assert scheme() == "default"
    light = background()
    page.locator("label[title='Switch to dark mode']:visible").click()
    assert scheme() == "slate"
    assert background() != light
    page.locator("label[title='Switch to light mode']:visible").click()
    assert scheme() == "default"
    visit.close()


def test_screenshots_of_every_chapter_in_light_and_of_the_english_ones_in_dark(visited, visited_dark, site):
    """Both themes are what the reader's system asks for, and each screenshot was taken."""
    assert {report["scheme"] for report in visited.values()} == {"default"}
    assert {report["scheme"] for report in visited_dark.values()} == {"slate"}
    assert not {path: report["problems"] for path, report in visited_dark.items() if report["problems"]}
    shots = sorted(SCREENSHOTS.glob("*.jpg"))
    assert len(shots) == len(chapters(site)) + len(english_chapters(site))
    assert all(shot.stat().st_size > 10_000 for shot in shots)


def test_figures_are_white_cards_in_the_dark_theme(visited_dark):
    """Figures are drawn on white; in the dark theme they must keep that white, not turn dark."""
    backgrounds = [colour for report in visited_dark.values() for colour in report["figure_backgrounds"]]
    assert backgrounds and set(backgrounds) == {"rgb(255, 255, 255)"}

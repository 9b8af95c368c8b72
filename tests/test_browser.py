"""Every page of the built site in headless Chromium, served on 127.0.0.1 with every request to
another host blocked: what a learner offline would see."""

from __future__ import annotations

import collections
import functools
import http.server
import os
import shutil
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import SCREENSHOTS, SITE_BASE

LANGUAGE = "ko"  # the other edition, under /ko/
IN_FLIGHT = 3  # pages loading at once while the tests visit every page

# Debian's Chromium by default; CHROMIUM names another Chromium-based browser (the Pages workflow).
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Headless Chromium as root, without the background services that would call Google's hosts, and
# with every host name but the test server's unresolvable: a page cannot load anything from
# elsewhere even by accident, and Visit records each attempt.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


@pytest.fixture(scope="session")
def server(site):
    """The site served under SITE_BASE, as on GitHub Pages; returns the URL to add page paths to."""
    handler = functools.partial(SiteHandler, directory=str(site))
    httpd = SiteServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}{SITE_BASE.rstrip('/')}"
    httpd.shutdown()


class SiteServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # not a browser that left a page mid-load
            super().handle_error(request, client_address)


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    def translate_path(self, path: str) -> str:
        if not path.startswith(SITE_BASE):
            return "/nonexistent"  # outside the site: 404
        return super().translate_path("/" + path[len(SITE_BASE) :])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """As GitHub Pages does, answer a missing path with the site's 404.html, status 404."""
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

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
    """A page opened in a fresh context, with everything that went wrong while it loaded. The page
    itself must answer with `status` (the 404 page at a missing path, 404). Its problems are judged
    once its network is idle, as what its scripts fetch after the load event can fail too; a test
    that only acts on the page may start at `wait_until="load"`. With `wait=False` the page is left
    loading until `wait()` is called (see `visits`)."""

    def __init__(
        self,
        browser,
        url: str,
        color_scheme: str = "light",
        status: int = 200,
        wait_until: str = "networkidle",
        wait: bool = True,
    ) -> None:
        # Reduced motion: Material opens the language switcher without a transition to wait out.
        self.context = browser.new_context(
            viewport={"width": 1280, "height": 900}, color_scheme=color_scheme, reduced_motion="reduce"
        )
        self._problems: list[str] = []
        self._console_errors: list[tuple[str, str]] = []  # (text, the URL it is about)
        self._failed_responses: list[tuple[int, str]] = []
        origin = urlsplit(url).netloc
        self.page = self.context.new_page()
        self.page.on("request", lambda request: self._check_host(request.url, origin))
        self.page.on(
            "console",
            lambda message: (
                message.type == "error" and self._console_errors.append((message.text, message.location["url"]))
            ),
        )
        self.page.on("pageerror", lambda error: self._problems.append(f"uncaught exception: {error}"))
        self.page.on(
            "requestfailed", lambda request: self._problems.append(f"failed request: {request.url} ({request.failure})")
        )
        self.page.on("response", self._check_response)
        self._response = self.page.goto(url, wait_until="commit")
        self._url, self._status, self._wait_until = url, status, wait_until
        if wait:
            self.wait()

    def wait(self) -> None:
        """Until the page reaches `wait_until`; then its own status is checked."""
        self.page.wait_for_load_state(self._wait_until)
        response = self._response
        if response.status != self._status or response.request.redirected_from:
            self._problems.append(
                f"the page answered {response.status} from {response.url}, not {self._status} from {self._url}"
            )
        self.page.evaluate("document.fonts.ready.then(() => true)")

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
        """Every response of 400 or more but the page's own, whose status `wait` checks (and the
        browser logs as a console error when it is 400 or more)."""
        if response.status >= 400 and not (
            response.request.is_navigation_request() and response.frame == self.page.main_frame
        ):
            self._failed_responses.append((response.status, response.url))

    def switch_language(self) -> dict:
        """Click the language switcher's other language: where the click landed, with which status,
        through which redirects."""
        language = self.page.evaluate("document.documentElement.lang")
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
        return {"url": response.url, "status": response.status, "redirected_from": redirects}

    def _check_host(self, url: str, origin: str) -> None:
        if not url.startswith(("data:", "blob:")) and urlsplit(url).netloc != origin:
            self._problems.append(f"request to another host: {url}")

    def screenshot(self, scheme: str) -> None:
        """A full-page screenshot for people to look at; the folder is printed at the end of the run."""
        name = urlsplit(self.page.url).path[len(SITE_BASE) :].strip("/").replace("/", "-") or "home"
        self.page.screenshot(path=SCREENSHOTS / f"{name}-{scheme}.jpg", full_page=True, type="jpeg", quality=85)

    def close(self) -> None:
        self.context.close()


def visits(browser, server: str, paths: list[str], **options):
    """(path, Visit) for each path in turn, waited for while the next ones load, so that their waits
    for an idle network overlap; each is closed when the next is asked for."""
    loading = collections.deque()
    upcoming = iter(paths)
    while True:
        while len(loading) < IN_FLIGHT and (path := next(upcoming, None)) is not None:
            loading.append((path, Visit(browser, server + path, wait=False, **options)))
        if not loading:
            return
        path, visit = loading.popleft()
        visit.wait()
        yield path, visit
        visit.close()


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
    lang: document.documentElement.lang,
    title: document.title,
    heading: document.querySelector("article h1").innerText,
    search_base: new URL(JSON.parse(document.getElementById("__config").textContent).base, location).pathname,
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
MATH_FONT_LOADED = (
    "document.fonts.ready.then(fonts => [...fonts].some(f => f.family === 'Book Math' && f.status === 'loaded'))"
)


@pytest.fixture(scope="session")
def screenshots() -> Path:
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def visited(browser, server, pages, site, screenshots) -> dict[str, dict]:
    """Each page visited once in the light theme: what went wrong while it loaded, and the facts
    the tests check; each chapter's screenshot is taken on the way, and last the language switcher
    is clicked."""
    reports = {}
    for path, visit in visits(browser, server, pages):
        facts = visit.page.evaluate(PAGE_FACTS)
        if facts["formulas"]:
            facts["math_font_loaded"] = visit.page.evaluate(MATH_FONT_LOADED)
        facts["scheme"] = visit.page.evaluate(SCHEME)
        reports[path] = {"problems": visit.problems, **facts}
        if path in chapters(site):
            visit.screenshot("light")
        reports[path]["switch"] = visit.switch_language()
    return reports


@pytest.fixture(scope="session")
def visited_dark(browser, server, site, screenshots) -> dict[str, dict]:
    """Each English chapter visited once in the dark theme, with its screenshot."""
    reports = {}
    for path, visit in visits(browser, server, english_chapters(site), color_scheme="dark"):
        reports[path] = {
            "problems": visit.problems,
            "scheme": visit.page.evaluate(SCHEME),
            "figure_backgrounds": visit.page.eval_on_selector_all(
                "figure.book-figure img", "imgs => imgs.map(img => getComputedStyle(img).backgroundColor)"
            ),
        }
        visit.screenshot("dark")
    return reports


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


def test_the_language_switcher_lands_on_the_twin_directly(visited, server):
    """Clicked on every page, both ways: the twin answers 200 at once, with no redirect on the way."""
    for path, report in visited.items():
        assert report["switch"] == {"url": server + twin(path), "status": 200, "redirected_from": []}, path
    assert {"/", "/ko/", "/404.html", "/ko/404.html", "/lab-house-prices/", "/ko/glossary/"} <= visited.keys()


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


@pytest.mark.parametrize("path", ["/no/such/deep/page.html", f"/{LANGUAGE}/no-such-page/"])
def test_a_missing_page_is_answered_with_the_english_404_page_whole_at_any_depth(browser, server, path):
    """As on GitHub Pages, which serves the root 404.html, status 404, at any missing path: its
    styles, scripts, search index and switcher are found from there too."""
    visit = Visit(browser, server + path, status=404)
    facts = visit.page.evaluate(PAGE_FACTS)
    header = visit.page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor")
    problems = visit.problems
    switch = visit.switch_language()
    visit.close()
    assert not problems, problems
    assert facts["lang"] == "en" and facts["heading"] == "404 - Page not found"
    assert facts["search_base"] == SITE_BASE
    assert header == "rgb(64, 81, 181)"  # Material's indigo, #4051b5: the stylesheets loaded
    assert switch == {"url": f"{server}/{LANGUAGE}/", "status": 200, "redirected_from": []}


def test_a_request_to_another_host_is_caught_and_fails(browser, server):
    visit = Visit(browser, server + "/", wait_until="load")
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
    visit = Visit(browser, server + ("/ko/" if expected.startswith("/ko/") else "/"), wait_until="load")
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
    visit = Visit(browser, server + "/forward-propagation/", wait_until="load")
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

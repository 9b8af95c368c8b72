"""What each page of the built site makes a browser load on a first visit, and how many bytes that is
as served (gzipped where GitHub Pages gzips: bookbuild/serving.py, which the browser tests serve the
site with), read from the site's files: tests/test_page_weight.py holds
every page to a budget, and tests/test_browser.py checks that Chromium loads nothing this leaves out.

Run as a script on a built site, it prints the table: python tests/page_weight.py SITE_DIR
"""

from __future__ import annotations

import json
import re
import sys
from html import unescape
from pathlib import Path, PurePosixPath
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, SoupStrainer

from bookbuild.serving import SITE_BASE as BASE
from bookbuild.serving import sent

BUDGET = 300 * 1024  # bytes per page, as transferred
# BASE: the path the site is served under (GitHub Pages: /book/), from site_url; the 404 page's
# links start with it, as it is served at any depth.
FONT_FACE = re.compile(r"@font-face\s*{[^}]*}", re.S)
FONT_FAMILY = re.compile(r"font-family:\s*\"([^\"]+)\"")
URL = re.compile(r"url\(\s*[\"']?([^\"')]+)[\"']?\s*\)")
# Chromium loads a lazy image (the figures: bookbuild/figures.py) once it is within 1250 px of the
# window: measured at 390 × 844 and at 1280 × 900, the figures whose top was within 2094 and 2150 px
# of the page's top loaded on a first visit, those from 2625 px on did not. Where a figure will be is
# not in the HTML, but how much text comes before it is: a figure is counted when less than
# NEAR_THE_TOP characters of the page's text come before it. Measured, that counts every figure a
# first visit loaded (under 5,000 characters before them) and leaves out only figures at least
# 4,100 px down at either width; tests/test_browser.py checks that Chromium loads none of those.
NEAR_THE_TOP = 8000
TEXT = re.compile(r"<[^>]*>")
LAZY_IMAGE = re.compile(r'<img\b[^>]*\bloading="lazy"[^>]*>')
# A frame of a figure the reader moves that is not shown (bookbuild/execute.py): Chromium fetches a
# lazy image only when it is shown, here when the reader moves the slider to it.
HIDDEN = re.compile(r"\shidden(?=[\s>/])")
# The one font the book serves, and the element drawn in it (book.css): it loads where one is.
FONTS_USED_BY = {"Book Math": "math"}


def loads(site: Path, page: Path) -> list[str]:
    """The paths in the site ("assets/…", "search/…") that a first visit of the page loads: the page; its
    stylesheets, scripts, icon and images (of its lazily loaded figures, those near the top);
    the fonts of its stylesheets whose elements it has; and what Material's script fetches at once for
    search (its worker, the language's index and lunr's language support for the index's languages)."""
    here = BASE + page.relative_to(site).as_posix()
    html = page.read_text()
    # Only the elements that load something, and those this reads: parsing whole pages took seconds.
    soup = BeautifulSoup(html, "html.parser", parse_only=SoupStrainer(["link", "script", "img", "form"]))
    found = [here]
    references = [link["href"] for link in soup.select('link[rel~="stylesheet"], link[rel~="icon"]')]
    references += [tag["src"] for tag in soup.select("script[src], img[src]:not([loading=lazy])")]
    references += _near_the_top(html)
    for reference in references:
        if not reference.startswith("data:"):
            found.append(urlsplit(urljoin(here, reference)).path)
    for stylesheet in [path for path in found if path.endswith(".css")]:
        text = (site / stylesheet[len(BASE) :]).read_text()
        for face in FONT_FACE.findall(text):
            family = FONT_FAMILY.search(face)[1]
            if family not in FONTS_USED_BY:
                raise AssertionError(f"{stylesheet} declares the font {family!r}: say which elements use it")
            if f"<{FONTS_USED_BY[family]}" in html:
                found += [urlsplit(urljoin(stylesheet, url)).path for url in URL.findall(face)]
    config = soup.find("script", id="__config")
    if config is not None and soup.find("form", attrs={"name": "search"}) is not None:
        settings = json.loads(config.get_text())
        base = urljoin(here, settings["base"].rstrip("/") + "/")
        found.append(urlsplit(urljoin(here, settings["search"])).path)
        index = urlsplit(urljoin(base, "search/search_index.json")).path
        found.append(index)
        languages = json.loads((site / index[len(BASE) :]).read_text())["config"]["lang"]
        others = [language for language in languages if language != "en"]
        lunr = urlsplit(urljoin(here, settings["search"])).path.rsplit("/workers/", 1)[0] + "/lunr/min/"
        if others:
            found.append(lunr + "lunr.stemmer.support.min.js")
            found += [f"{lunr}lunr.{language}.min.js" for language in others]
        if len(languages) > 1:
            found.append(lunr + "lunr.multi.min.js")
    return [PurePosixPath(path).as_posix()[len(BASE) :] for path in dict.fromkeys(found)]


def _near_the_top(html: str) -> list[str]:
    """The sources of the page's lazy images with less than NEAR_THE_TOP characters of text before them."""
    start = html.find("<article")
    sources = []
    for image in LAZY_IMAGE.finditer(html, start):
        if len(unescape(TEXT.sub("", html[start : image.start()]))) >= NEAR_THE_TOP:
            break
        if not HIDDEN.search(image[0]):
            sources.append(re.search(r'\ssrc="([^"]+)"', image[0])[1])
    return sources


def weights(site: Path) -> dict[str, dict[str, int]]:
    """For each page (its path in the site), the bytes of each file a first visit loads, as sent."""
    pages = {}
    for page in sorted(site.rglob("*.html")):
        files = {}
        for path in loads(site, page):
            file = site / path
            files[path] = len(sent(file / "index.html" if file.is_dir() else file))
        pages[page.relative_to(site).as_posix()] = files
    return pages


def table(pages: dict[str, dict[str, int]]) -> str:
    """weights() as a Markdown table."""
    rows = ["| page | page HTML | other files | total |", "|---|---:|---:|---:|"]
    for page, files in pages.items():
        own = next(iter(files.values()))
        rows.append(
            f"| {page} | {own / 1024:.1f} KiB | {(sum(files.values()) - own) / 1024:.1f} KiB "
            f"| {sum(files.values()) / 1024:.1f} KiB |"
        )
    return "\n".join(rows)


if __name__ == "__main__":
    print(table(weights(Path(sys.argv[1]))))

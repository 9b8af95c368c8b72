"""The built site, read as files: every internal link and anchor resolves, and nothing loads from
another host (links *to* other sites are fine; scripts, styles, fonts, images and frames are not)."""

import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from conftest import SITE_BASE, parsed

# Elements and attributes whose URL the browser fetches when it shows the page.
LOADS = {"script": "src", "img": "src", "iframe": "src", "source": "src", "audio": "src", "video": "src",
         "embed": "src", "object": "data"}
# <link rel=…> values whose href is fetched (a canonical or alternate link is only a reference).
FETCHED_LINK_RELS = {"stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest", "apple-touch-icon"}
# The only external URLs in Material's script bundle, and why none of them is ever requested here.
MATERIAL_BUNDLE_URLS = {
    "https://unpkg.com/resize-observer-polyfill":
        "loaded only by browsers without ResizeObserver, which every supported browser has",
    "https://unpkg.com/mermaid@11/dist/mermaid.min.js":
        "loaded only on pages with a mermaid diagram (test_no_page_needs_mermaid)",
    "https://api.github.com/repos/":
        "repository facts, fetched only from an element data-md-component=source"
        " (test_no_page_fetches_repository_facts)",
    "https://api.github.com/users/": "the same, for a user rather than a repository",
    "https://clipboardjs.com/": "text of clipboard.js's licence comment",
    "https://bit.ly/2s3ChXG": "text of a console warning about an invalid search query",
}


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def is_external(url: str) -> bool:
    return bool(urlsplit(url).netloc) or url.startswith("//")


def resolve(site: Path, page: Path, url: str) -> Path:
    """The file in the site that a URL on `page` points to: relative, or absolute under SITE_BASE."""
    path = unquote(urlsplit(url).path)
    if path.startswith("/"):
        assert path.startswith(SITE_BASE), f"{page.relative_to(site)}: {url} is outside the site's path {SITE_BASE}"
        return resolve(site, site / "index.html", path[len(SITE_BASE) :] or "./")
    # Normalised as a browser resolves a URL, ".." and all: one path per file, so each page is parsed once.
    target = Path(os.path.normpath(page.parent / path)) if path else page
    return target / "index.html" if target.is_dir() or path.endswith("/") else target


def test_the_site_has_pages(site):
    assert len(html_pages(site)) >= 3  # the home page, chapter 1 and the 404 page


def test_every_internal_link_and_anchor_resolves(site):
    broken = []
    ids = {}
    for page in html_pages(site):
        for anchor in parsed(page).select("a[href]"):
            href = anchor["href"]
            if is_external(href) or href.startswith(("mailto:", "javascript:", "data:")):
                continue
            if page.name == "404.html":  # served at any depth, so its links are absolute from the root
                continue
            target = resolve(site, page, href)
            if not target.is_file():
                broken.append(f"{page.relative_to(site)}: {href} -> no file {os.path.relpath(target, site)}")
                continue
            fragment = urlsplit(href).fragment
            if fragment:
                if target not in ids:
                    ids[target] = {element["id"] for element in parsed(target).select("[id]")}
                if unquote(fragment) not in ids[target]:
                    broken.append(
                        f"{page.relative_to(site)}: {href} -> no id {fragment!r} in {target.relative_to(site)}"
                    )
    assert not broken, "\n".join(broken)


def test_no_page_loads_anything_from_another_host(site):
    loads = []
    for page in html_pages(site):
        where = page.relative_to(site)
        for el in parsed(page).find_all(True):  # one pass over each page: a lab page has some 100,000 elements
            attribute = LOADS.get(el.name)
            if attribute and el.has_attr(attribute) and is_external(el[attribute]):
                loads.append(f"{where}: <{el.name}> {el[attribute]}")
            if el.name == "link" and el.has_attr("href"):
                if FETCHED_LINK_RELS & set(el.get("rel", [])) and is_external(el["href"]):
                    loads.append(f"{where}: <link rel={el['rel']}> {el['href']}")
            if el.name == "style":
                loads += [f"{where}: <style> {url}" for url in css_loads(el.get_text())]
            if el.has_attr("style"):
                loads += [f"{where}: style= {url}" for url in css_loads(el["style"])]
    assert not loads, "\n".join(loads)


def css_loads(css: str) -> list[str]:
    urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", css) + re.findall(r"@import\s+['\"]([^'\"]+)", css)
    return [url for url in urls if is_external(url)]


def test_no_stylesheet_loads_anything_from_another_host(site):
    loads = [f"{css.relative_to(site)}: {url}" for css in site.rglob("*.css") for url in css_loads(css.read_text())]
    assert not loads, "\n".join(loads)


def test_the_only_external_urls_in_materials_script_are_ones_never_requested(site):
    (bundle,) = site.glob("assets/javascripts/bundle.*.js")
    urls = set(re.findall(r"https?://[^\s\"'`$)]+", bundle.read_text())) - {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    unexplained = {url for url in urls if not any(url.startswith(known) for known in MATERIAL_BUNDLE_URLS)}
    assert not unexplained, f"new external URLs in Material's bundle; check whether they load: {unexplained}"


def test_no_page_needs_mermaid(site):
    assert not [page for page in html_pages(site) if parsed(page).select(".mermaid")]


def test_no_page_fetches_repository_facts(site):
    assert not [page for page in html_pages(site) if parsed(page).select('[data-md-component="source"]')]
    assert [page for page in html_pages(site) if parsed(page).select("a.md-source")], "the repository link is gone"


def test_headings_are_in_order(site):
    """Each page has one h1, and no level is skipped on the way down (h2 then h4 skips h3)."""
    for page in html_pages(site):
        content = parsed(page).select_one("article.md-content__inner")
        levels = [int(heading.name[1]) for heading in content.find_all(re.compile(r"^h[1-6]$"))]
        assert levels[0] == 1 and levels.count(1) == 1, f"{page.relative_to(site)}: {levels}"
        assert all(after <= before + 1 for before, after in zip(levels, levels[1:])), (
            f"{page.relative_to(site)}: {levels}"
        )

"""The whole book builds with `mkdocs build --strict`, and each page shows what its code does."""

import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import jupytext
import nbformat
import pytest
from bs4 import BeautifulSoup
from conftest import DATA, DOCS, ENV, ROOT, SITE_BASE, TRANSLATION, script_run, snippet_files

LABS = sorted(DOCS.glob("lab-*.py"))  # with their translations
PAGES = sorted(DOCS.rglob("*.md")) + LABS
# Fences and includes may be indented, e.g. inside a collapsible solution.
EXEC_FENCE = re.compile(r'^(?P<indent> *)```python exec="on"(?P<options>[^\n]*)\n(?P<body>.*?)^(?P=indent)```$', re.M | re.S)
INCLUDE = re.compile(r'^ *--8<-- "snippets/(?P<file>[^":]+)(?::(?P<section>[^"]+))?"$', re.M)


def url_path(page: Path) -> str:
    """Where a page is served, relative to the site: "", "autograd/", "ko/", "ko/autograd/"."""
    stem, *language = page.name.split(".")[:-1]
    prefix = f"{language[0]}/" if language else ""
    return prefix + ("" if stem == "index" else f"{stem}/")


def built(site: Path, page: Path) -> BeautifulSoup:
    html = site / url_path(page) / "index.html"
    assert html.is_file(), f"{page} was not built"
    return BeautifulSoup(html.read_text(), "html.parser")


def original(lab: Path) -> Path:
    """The English lab a translation shares its code with."""
    return lab.with_name(lab.name.split(".")[0] + ".py") if TRANSLATION.match(lab.name) else lab


def alt_texts(page: Path) -> list[str]:
    texts = []
    for fence in EXEC_FENCE.finditer(page.read_text()):
        alt = re.search(r'alt="([^"]*)"', fence["options"])
        texts += [text.strip() for text in alt[1].split("|")] if alt else []
    return texts


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(DOCS)))
def test_page_has_every_figure_with_its_alt_text(site, page):
    figures = built(site, page).select("figure.book-figure img")
    assert [img["alt"] for img in figures] == alt_texts(page)
    for img in figures:
        assert img["src"].startswith("data:image/svg+xml;base64,")
        alt = img["alt"].lower()
        assert len(alt) >= 20 and not alt.startswith(("figure", "image", "plot", "graph")), (
            f"alt text must say what the plot shows: {img['alt']!r}"
        )


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(DOCS)))
def test_page_has_no_unexpanded_include_error_or_raw_math(site, page):
    soup = built(site, page)
    text = soup.get_text()
    assert "--8<--" not in text
    assert "Traceback (most recent call last)" not in text
    assert not soup.select(".arithmatex"), "a formula was left untypeset"
    assert "$$" not in text and "\\frac" not in text


@pytest.mark.parametrize("relative", snippet_files())
def test_pages_show_what_the_script_prints(site, relative):
    """Every line the snippet prints as a script appears on the pages that include it."""
    pages = [page for page in PAGES if any(m["file"] == relative for m in INCLUDE.finditer(page.read_text()))]
    assert pages, f"no page includes snippets/{relative}"
    shown = "\n".join(built(site, page).get_text() for page in pages)
    run = script_run(relative)
    assert run.returncode == 0, run.stderr
    for line in run.stdout.splitlines():
        assert line.strip() in shown, f"snippets/{relative} prints {line!r}, which no page shows"


@pytest.mark.parametrize("notebook", LABS, ids=lambda path: path.name)
def test_lab_page_shows_each_figure_with_its_cells_alt_text(site, notebook):
    cells = [cell for cell in jupytext.read(notebook).cells if cell.cell_type == "code"]
    expected = [text.strip() for cell in cells if "alt" in cell.metadata for text in cell.metadata["alt"].split("|")]
    images = built(site, notebook).select(".jp-OutputArea img")
    assert expected and [img.get("alt") for img in images] == expected
    assert all(img["src"].startswith("data:image/png;base64,") for img in images)


@pytest.mark.parametrize("notebook", LABS, ids=lambda path: path.name)
def test_lab_page_shows_what_the_lab_prints(site, lab, notebook):
    shown = built(site, notebook).get_text()
    printed = lab(original(notebook).name).stdout.splitlines()
    assert printed
    for line in printed:
        assert line.strip() in shown, f"{notebook.name} prints {line!r}, which its page does not show"


@pytest.mark.parametrize("notebook", LABS, ids=lambda path: path.name)
def test_lab_page_offers_the_notebook_the_script_and_the_data(site, notebook):
    page = built(site, notebook)
    folder = site / url_path(notebook)
    stem = original(notebook).stem
    links = [a["href"] for a in page.select("p.book-downloads a[download]")]
    assert links[:2] == [f"{stem}.ipynb", f"{stem}.py"]
    assert (folder / f"{stem}.py").read_bytes() == notebook.read_bytes()
    downloaded = nbformat.read(folder / f"{stem}.ipynb", as_version=4)
    nbformat.validate(downloaded)
    assert downloaded.metadata.kernelspec.name == "python3"
    source = jupytext.read(notebook)
    assert [cell.source for cell in downloaded.cells] == [cell.source for cell in source.cells]
    assert not any(cell.get("outputs") for cell in downloaded.cells), "the download is for running"
    data = links[2:]
    assert data, "a lab offers the data it reads"
    for href in data:
        assert (folder / href).read_bytes() == (ROOT / href).read_bytes() and (ROOT / href).parent == DATA


def test_every_exec_block_includes_exactly_one_snippet_section():
    for page in PAGES:
        for fence in EXEC_FENCE.finditer(page.read_text()):
            lines = [line for line in fence["body"].splitlines() if line.strip()]
            assert len(lines) == 1 and INCLUDE.match(lines[0]), f"{page}: {fence.group(0)!r}"


def test_snippet_paths_named_in_the_pages_exist():
    for page in PAGES:
        for relative in re.findall(r"snippets/([\w/]+\.py)", page.read_text()):
            assert (DOCS.parent / "snippets" / relative).is_file(), f"{page} names snippets/{relative}"


def test_mkdocs_serve_serves_the_book(site):  # after `site`, so the execution cache is warm
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "-a", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    home = response.read().decode()
                break
            except OSError:
                assert server.poll() is None, f"mkdocs serve exited:\n{server.stderr.read()}"
                assert time.monotonic() < deadline, "mkdocs serve did not answer within 120 s"
                time.sleep(0.5)
        assert "<title>Deep Learning with PyTorch</title>" in home
        for page in PAGES:
            url = f"http://127.0.0.1:{port}{SITE_BASE}" + url_path(page)
            with urllib.request.urlopen(url, timeout=10) as response:
                assert response.status == 200
    finally:
        server.terminate()
        server.wait(timeout=30)

"""The whole book builds with `mkdocs build --strict`, and each page shows what its code does."""

import html
import json
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import jupytext
import nbformat
import pytest
from bs4 import BeautifulSoup
from conftest import (
    DATA,
    DOCS,
    ENV,
    ROOT,
    SITE_BASE,
    SNIPPETS,
    TRANSLATION,
    figure_file,
    once_built,
    parsed,
    script_run,
    snippet_files,
    snippet_sections,
)

from bookbuild import pageload
from bookbuild.cache import cache_dir
from bookbuild.execute import WORDS, continues
from bookbuild.serving import sent

LABS = sorted(DOCS.glob("lab-*.py"))  # with their translations
PAGES = sorted(DOCS.rglob("*.md")) + LABS
# Fences and includes may be indented, e.g. inside a collapsible solution.
EXEC_FENCE = re.compile(
    r'^(?P<indent> *)```python exec="on"(?P<options>[^\n]*)\n(?P<body>.*?)^(?P=indent)```$', re.M | re.S
)
INCLUDE = re.compile(r'^ *--8<-- "snippets/(?P<file>[^":]+)(?::(?P<section>[^"]+))?"$', re.M)


def url_path(page: Path) -> str:
    """Where a page is served, relative to the site: "", "autograd/", "ko/", "ko/autograd/"."""
    stem, *language = page.name.split(".")[:-1]
    prefix = f"{language[0]}/" if language else ""
    return prefix + ("" if stem == "index" else f"{stem}/")


def built(site: Path, page: Path) -> BeautifulSoup:
    html = site / url_path(page) / "index.html"
    assert html.is_file(), f"{page} was not built"
    return parsed(html)


def original(lab: Path) -> Path:
    """The English lab a translation shares its code with."""
    return lab.with_name(lab.name.split(".")[0] + ".py") if TRANSLATION.match(lab.name) else lab


def alt_texts(page: Path) -> list[str]:
    texts = []
    for fence in EXEC_FENCE.finditer(page.read_text()):
        alt = re.search(r'alt="([^"]*)"', fence["options"])
        texts += [text.strip() for text in alt[1].split("|")] if alt else []
    return texts


# All the frames of one figure the reader moves, as sent (gzipped), at most: the budget.
FRAMES_BUDGET = 150 * 1024
ENGLISH_PAGES = [page for page in PAGES if not TRANSLATION.match(page.name)]
HANGUL = re.compile("[\uac00-\ud7a3]")


def sliders(site: Path, page: Path) -> list[dict]:
    """The figures the reader moves on a built page (bookbuild/execute.py): label, values, the frame
    shown first, alt texts and the frames' bytes as sent."""
    found = []
    for frames in built(site, page).select("div.book-frames"):
        images = frames.select("figure.book-figure > img")
        found.append({
            "label": frames.select_one(".book-frames-controls label").get_text(),
            "values": [image["data-value"] for image in images],
            "start": [not image.has_attr("hidden") for image in images].index(True),
            "alts": [image["alt"] for image in images],
            "sent": sum(len(sent(figure_file(site, image))) for image in images),
        })
    return found


def test_figures_the_reader_moves_are_light_and_the_same_in_both_languages(site):
    english = {page: sliders(site, page) for page in ENGLISH_PAGES}
    assert sum(map(len, english.values())) >= 5  # the five
    for page, moved in english.items():
        twin = page.with_suffix(f".ko{page.suffix}")
        korean = sliders(site, twin)
        assert [(slider["values"], slider["start"]) for slider in korean] == [
            (slider["values"], slider["start"]) for slider in moved
        ], twin
        for slider in moved + korean:
            assert slider["sent"] <= FRAMES_BUDGET, (page, slider["label"], slider["sent"])
        for slider in korean:  # written in Korean, not left in English
            assert all(HANGUL.search(text) for text in [slider["label"], *slider["alts"]]), (twin, slider)


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(DOCS)))
def test_page_has_every_figure_with_its_alt_text(site, page):
    figures = built(site, page).select("figure.book-figure img")
    assert [img["alt"] for img in figures] == alt_texts(page)
    for img in figures:
        assert figure_file(site, img).suffix == ".svg" and img["loading"] == "lazy"
        assert int(img["width"]) > 0 and int(img["height"]) > 0  # its place kept while it loads
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


@pytest.mark.parametrize(
    "page", [page for page in PAGES if page.suffix == ".md"], ids=lambda page: str(page.relative_to(DOCS))
)
def test_each_block_shows_exactly_what_its_section_prints_as_a_script(site, page):
    """Block by block, in order, in each language: the output under a block is what that section
    of the snippet prints when the snippet runs as a script; nothing missing, nothing added."""
    includes = [INCLUDE.search(fence["body"]) for fence in EXEC_FENCE.finditer(page.read_text())]
    blocks = built(site, page).select("div.book-exec")
    assert len(blocks) == len(includes), f"{page.name}: {len(includes)} executed blocks, {len(blocks)} on the page"
    for include, block in zip(includes, blocks):
        run = script_run(include["file"])
        assert run.returncode == 0, run.stderr
        output = block.select_one("div.language-text code")
        shown = output.get_text() if output else ""
        expected = run.sections[include["section"]]
        assert shown.rstrip("\n") == expected.rstrip("\n"), (
            f"{page.name}: snippets/{include['file']}:{include['section']}"
        )


@pytest.mark.parametrize(
    "page", [page for page in PAGES if page.suffix == ".md"], ids=lambda page: str(page.relative_to(DOCS))
)
def test_each_block_names_its_snippet_and_folds_its_code_when_the_page_asks(site, page):
    """The title over each block's code is the snippet file, plus "continues the code above" (in the
    page's language) exactly when the block reads a name it does not define; with fold="on" the
    code is in a closed <details> and the output and figures are not. The code has a copy button
    (bookbuild/pageload.py), the output none."""
    fences = list(EXEC_FENCE.finditer(page.read_text()))
    blocks = built(site, page).select("div.book-exec")
    assert len(blocks) == len(fences)
    continued = " · " + WORDS["ko" if TRANSLATION.match(page.name) else "en"]["continues"]
    for fence, block in zip(fences, blocks):
        include = INCLUDE.search(fence["body"])
        code = dict(snippet_sections(SNIPPETS / include["file"]))[include["section"]]
        title = block.select_one(".highlight .filename").get_text()
        code_block = block.select_one("div.language-python")
        assert code_block.select(f'.md-code__button[data-clipboard-target="#{code_block.get("id")} > pre > code"]')
        assert not block.select(".language-text .md-code__button")
        assert title == f"snippets/{include['file']}" + (continued if continues(code) else "")
        folded = block.find("details", class_="book-code", recursive=False)
        if 'fold="on"' in fence["options"]:
            assert folded is not None and not folded.has_attr("open") and folded.select_one("code")
            assert not block.select("details .language-text, details figure")
        else:
            assert folded is None


def test_every_snippet_section_is_on_a_page():
    shown = {(m["file"], m["section"]) for page in PAGES for m in INCLUDE.finditer(page.read_text())}
    for relative in snippet_files():
        for name, _ in snippet_sections(SNIPPETS / relative):
            assert (relative, name) in shown, f"snippets/{relative}: section {name} is on no page"


@pytest.mark.parametrize("notebook", LABS, ids=lambda path: path.name)
def test_lab_page_shows_each_figure_with_its_cells_alt_text(site, notebook):
    cells = [cell for cell in jupytext.read(notebook).cells if cell.cell_type == "code"]
    expected = [text.strip() for cell in cells if "alt" in cell.metadata for text in cell.metadata["alt"].split("|")]
    images = built(site, notebook).select(".jp-OutputArea img")
    assert expected and [img.get("alt") for img in images] == expected
    assert all(figure_file(site, img).suffix == ".png" and img["loading"] == "lazy" for img in images)


@pytest.mark.parametrize("notebook", LABS, ids=lambda path: path.name)
def test_each_lab_cell_shows_exactly_what_it_prints_as_a_script(site, lab, notebook):
    """Cell by cell, in each language: the text a code cell shows is what that cell prints when the
    lab runs as a script (plus, in a notebook, the value of a cell's last expression)."""
    printed = lab(original(notebook).name).cell_outputs
    page = built(site, notebook)
    # nbconvert wraps each cell's div in a second one of the same class: take the outer ones.
    cells = [div for div in page.select("div.jp-CodeCell") if div.find_parent("div", class_="jp-CodeCell") is None]
    assert len(cells) == len(printed) and any(printed)
    for number, (cell, expected) in enumerate(zip(cells, printed), 1):
        texts = [
            o
            for o in cell.select("div.jp-OutputArea-output.jp-RenderedText")
            if "jp-OutputArea-executeResult" not in o["class"]
        ]
        shown = "".join(text.get_text().strip("\n") + "\n" for text in texts)
        assert shown.strip("\n") == expected.strip("\n"), f"{notebook.name}, code cell {number}"


@pytest.mark.parametrize("notebook", LABS, ids=lambda path: path.name)
def test_lab_page_offers_the_notebook_the_script_and_the_data(site, notebook):
    """The notebook is the lab but its solutions (tests/test_labs.py checks their links); the script
    is the whole lab."""
    page = built(site, notebook)
    folder = site / url_path(notebook)
    stem = original(notebook).stem
    links = [a["href"] for a in page.select("p.book-downloads a[download]")]
    assert links[:2] == [f"{stem}.ipynb", f"{stem}.py"]
    assert (folder / f"{stem}.py").read_bytes() == notebook.read_bytes()
    downloaded = nbformat.read(folder / f"{stem}.ipynb", as_version=4)
    nbformat.validate(downloaded)
    assert downloaded.metadata.kernelspec.name == "python3"
    # Its code cells are the lab's but the solutions, after the torch-version note it opens with (its
    # Markdown cells' links are made absolute: tests/test_labs.py).
    code = [cell for cell in jupytext.read(notebook).cells if cell.cell_type == "code"]
    kept = [cell.source for cell in code if "solution" not in cell.metadata.get("tags", [])]
    assert [cell.source for cell in downloaded.cells if cell.cell_type == "code"][1:] == kept
    assert not any(cell.get("outputs") for cell in downloaded.cells), "the download is for running"
    data = links[2:]
    assert data, "a lab offers the data it reads"
    for href in data:  # served once, at the site's root as in the repository
        served = (folder / href).resolve()
        assert served.parent == (site / "data").resolve() and (DATA / served.name).read_bytes() == served.read_bytes()


@pytest.mark.parametrize(
    "page", [page for page in PAGES if page in LABS or EXEC_FENCE.search(page.read_text())], ids=lambda page: page.name
)
def test_no_line_of_code_or_output_is_in_the_search_index(site, page):
    """The search index, which every page loads, holds a page's text, not its code or output or the
    labs' copy buttons' notices (a reader searches for names and ideas, which the text has). The
    mark must sit on elements with no element of their own tag inside: Material's search ends an
    exclusion at the first closing tag of the same name (each lab's code, twice, was 46 KB of its
    entry; the chapters' outputs, after the exclusion ended at each code block's own </div>, were
    32 KB of the English index)."""
    language, _, path = url_path(page).rstrip("/").rpartition("/")
    index = json.loads((site / language / "search" / "search_index.json").read_text())
    entries = [doc["text"] for doc in index["docs"] if doc["location"].startswith(f"{path}/")]
    text = " ".join(html.unescape(" ".join(entries)).split())  # the index runs lines together
    assert text, f"{page.name} is not in its search index"
    soup = built(site, page)
    lines = {
        " ".join(line.split()) for pre in soup.select(".book-exec pre, .jp-Cell pre")
        for line in pre.get_text().splitlines() if len(line.strip()) > 30
    }
    assert lines, "no line of code or output long enough to look for"
    # The prose's own code (a Markdown block, not run) is searched; it may share a line with the code.
    prose = [pre for pre in soup.select(".md-content pre") if not pre.find_parent(class_=["book-exec", "jp-Cell"])]
    prose_code = " ".join(" ".join(pre.get_text().split()) for pre in prose)
    lines = {line for line in lines if line not in prose_code}
    assert not [line for line in lines if line in text]
    copied = pageload.material_words((site / url_path(page) / "index.html").read_text())["clipboard.copied"]
    assert copied not in text


def test_every_exec_block_includes_exactly_one_snippet_section():
    for page in PAGES:
        for fence in EXEC_FENCE.finditer(page.read_text()):
            lines = [line for line in fence["body"].splitlines() if line.strip()]
            assert len(lines) == 1 and INCLUDE.match(lines[0]), f"{page}: {fence.group(0)!r}"


def test_every_block_that_draws_a_figure_folds_its_code():
    """A figure block's code is plotting code (the computing is in the sections before it): folded,
    so that the figure follows the sentence about it instead of a screen of matplotlib calls."""
    for page in PAGES:
        for fence in EXEC_FENCE.finditer(page.read_text()):
            if "alt=" in fence["options"]:
                assert 'fold="on"' in fence["options"], f"{page.name}: {fence['body'].strip()}"


def test_snippet_paths_named_in_the_pages_exist():
    for page in PAGES:
        for relative in re.findall(r"snippets/([\w/]+\.py)", page.read_text()):
            assert (DOCS.parent / "snippets" / relative).is_file(), f"{page} names snippets/{relative}"


def test_the_book_is_the_same_on_any_machine(site, hostile_site):
    """Built from a clean cache with a display set (as on a desktop, where matplotlib's Agg warns on
    plt.show()), a matplotlibrc that changes every default in the home folder and in the folder
    mkdocs runs from: every file of the site is the same, byte for byte."""
    files = sorted(path.relative_to(site) for path in site.rglob("*") if path.is_file())
    assert files == sorted(path.relative_to(hostile_site) for path in hostile_site.rglob("*") if path.is_file())
    different = [str(name) for name in files if (site / name).read_bytes() != (hostile_site / name).read_bytes()]
    assert not different, different


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str:
    # mkdocs serve answers a request only once the build under way has ended: on two busy cores
    # (this suite runs beside it) a rebuild of both languages can take longer than 10 s.
    with urllib.request.urlopen(url, timeout=60) as response:
        assert response.status == 200, url
        return response.read().decode()


def test_mkdocs_serve_serves_the_book_and_follows_the_code(built_check):
    built_check(mkdocs_serve_follows_the_code.__name__)


@once_built  # about 15 s, spent while other tests run
def mkdocs_serve_follows_the_code(site: Path) -> None:
    """`mkdocs serve` on a copy of the book (with the execution cache of the build of `site`):
    every page and figure answers, and an edit to a snippet shows on its page after the rebuild it starts,
    which runs that page's code alone, once for both languages; every other page, in either
    language, shows what the strict build shows."""
    book = Path(tempfile.mkdtemp()) / "book"
    for name in ["docs", "snippets", "locale", "data", "bookbuild", "overrides"]:
        shutil.copytree(ROOT / name, book / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", book)
    shutil.copytree(cache_dir(ROOT), book / "cache")
    port = free_port()
    server = subprocess.Popen(  # -v: bookbuild/execute.py logs each block it runs
        [sys.executable, "-m", "mkdocs", "serve", "-v", "-a", f"127.0.0.1:{port}"],
        cwd=book,
        env={**ENV, "BOOK_EXEC_CACHE": str(book / "cache")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    log = []
    threading.Thread(target=lambda: log.extend(server.stderr), daemon=True).start()
    base = f"http://127.0.0.1:{port}{SITE_BASE}"
    try:
        home = wait_for(lambda: fetch(base), server, log, "mkdocs serve did not answer")
        assert "<title>Deep Learning with PyTorch</title>" in home
        for page in PAGES:
            for image in BeautifulSoup(fetch(base + url_path(page)), "html.parser").select("figure.book-figure img"):
                assert fetch(base + url_path(page) + image["src"]).startswith("<?xml")  # its own file
        watched = next(line for line in log if "Watching paths for changes" in line)
        folders = ["docs", "mkdocs.yml", "snippets", "locale", "data", "bookbuild"]
        assert all(f"'{name}'" in watched for name in folders), watched
        assert not ran(log), "the first build ran code that the strict build had cached"

        served = len(log)
        snippet = book / "snippets" / "forward_propagation" / "neuron.py"
        lines = snippet.read_text().split("\n")
        lines.insert(1, 'print("edited while the book is served")')  # inside the first section
        snippet.write_text("\n".join(lines))
        wait_for(
            lambda: "edited while the book is served" in fetch(base + "forward-propagation/"),
            server,
            log,
            "the edit never showed",
        )
        wait_for(lambda: any("Reloading browsers" in line for line in log[served:]), server, log, "no rebuild ended")
        chapter = DOCS / "forward-propagation.md"
        included = {f"snippets/{match['file']}" for match in INCLUDE.finditer(chapter.read_text())}
        rebuilt, blocks = ran(log[served:]), len(EXEC_FENCE.findall(chapter.read_text()))
        assert len(rebuilt) == blocks and set(rebuilt) <= included, (
            f"the rebuild ran {len(rebuilt)} blocks, not the {blocks} of {chapter.name}: {sorted(set(rebuilt))}"
        )
        for page in PAGES:
            if page.suffix == ".md" and page.name.split(".")[0] != chapter.stem:
                blocks = BeautifulSoup(fetch(base + url_path(page)), "html.parser").select("div.book-exec")
                assert blocks == built(site, page).select("div.book-exec"), f"{page.name} changed in the rebuild"
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(book.parent)


def ran(log: list[str]) -> list[str]:
    """The snippet file of each block that mkdocs serve -v logged as run."""
    return [re.search(r"executing (\S+),", line)[1] for line in log if "executing snippets/" in line]


def wait_for(condition, server: subprocess.Popen, log: list[str], failure: str, timeout: float = 120):
    """The first true value of condition(), polled while the server runs, for at most `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = condition()
            if value:
                return value
        except OSError:
            pass
        assert server.poll() is None, "mkdocs serve exited:\n" + "".join(log)
        assert time.monotonic() < deadline, f"{failure} within {timeout} s:\n" + "".join(log[-20:])
        time.sleep(0.5)

"""Every chapter is a notebook, made from its page (bookbuild/chapter_notebooks.py): linked under
its title for download and for Colab, its prose the page's in the page's language, its code cells
the page's blocks but the solutions, and, run in a fresh kernel from an empty folder, it prints
what the page shows. At the end of every chapter and lab, a note says what its code ran with."""

from __future__ import annotations

import importlib.metadata
import os
import platform
import re
import tempfile

import nbformat
import pytest
from conftest import DOCS, LABS, ROOT, TRANSLATION, in_fresh_processes, once_built, parsed
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

from bookbuild.chapter_notebooks import EXECUTED, NOTEBOOK_BRANCH
from bookbuild.translations import same_code

CHAPTERS = sorted(page for page in DOCS.glob("*.md") if any(map(EXECUTED.match, page.read_text().split("\n"))))
KOREAN = [page for page in CHAPTERS if TRANSLATION.match(page.name)]
LAB_PAGES = [*LABS, *(DOCS.glob("lab-*.ko.py"))]
ENGLISH = [page for page in CHAPTERS if not TRANSLATION.match(page.name)]
REPOSITORY = re.search(r"^repo_url: https://github\.com/(\S+?)/?$", (ROOT / "mkdocs.yml").read_text(), re.M)[1]
SOLUTION_LINK = "**Solution**: [on the book's page]("


def _folder(page) -> str:
    """The page's folder in the site: forward-propagation/, ko/forward-propagation/."""
    stem = page.name.split(".")[0]
    return ("ko/" if TRANSLATION.match(page.name) else "") + f"{stem}/"


def _built(site, page):
    return parsed(site / _folder(page) / "index.html")


def _notebook(site, page):
    return nbformat.read(site / _folder(page) / f"{page.name.split('.')[0]}.ipynb", as_version=4)


def _code(block) -> str:
    return block.select_one("div.language-python code").get_text().rstrip("\n")


def _output(block) -> str:
    output = block.select_one("div.language-text code")
    return output.get_text().rstrip("\n") if output else ""


def _in_solution(block) -> bool:
    return any("success" in (details.get("class") or []) for details in block.find_parents("details"))


@pytest.mark.parametrize("page", [*CHAPTERS, *LAB_PAGES], ids=lambda page: page.name)
def test_each_chapter_and_lab_links_its_notebook_for_download_and_for_colab(site, page):
    download, colab = _built(site, page).select_one("h1 + p.book-downloads").select("a")[:2]
    assert download.has_attr("download") and (site / _folder(page) / download["href"]).is_file()
    path = _folder(page) + download["href"]
    assert colab["href"] == f"https://colab.research.google.com/github/{REPOSITORY}/blob/{NOTEBOOK_BRANCH}/{path}"


@pytest.mark.parametrize("page", CHAPTERS, ids=lambda page: page.name)
def test_a_notebooks_code_cells_are_the_pages_blocks_but_the_solutions(site, page):
    notebook = _notebook(site, page)
    nbformat.validate(notebook)
    assert all(not cell.outputs for cell in notebook.cells if cell.cell_type == "code")
    code = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    blocks = [_code(block) for block in _built(site, page).select("div.book-exec") if not _in_solution(block)]
    assert code[1:] == blocks, f"{page.name}: the notebook's code cells are not the page's blocks"
    assert "import torch" in code[0] and "torch.__version__" in code[0]  # the set-up: a note on the version
    assert "install" not in code[0]


@pytest.mark.parametrize("page", CHAPTERS, ids=lambda page: page.name)
def test_a_notebooks_prose_is_its_pages(site, page):
    """Its headings are the page's, without their ids; its links go to the published site; each
    solution is a link to the page, in the page's language."""
    notebook = _notebook(site, page)
    prose = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    headings = [line.lstrip("# ").replace("`", "") for line in prose.split("\n") if line.startswith("#")]
    shown = [heading.get_text().rstrip("¶").strip() for heading in _built(site, page).select("h1, h2, h3, h4, h5, h6")]
    assert headings == shown
    assert "{#" not in prose and "--8<--" not in prose and '.md)' not in prose
    solutions = _built(site, page).select("details.success")
    assert prose.count("](https://deep-learning-with-pytorch.github.io/book/") >= len(solutions) > 0
    if TRANSLATION.match(page.name):
        for cell in notebook.cells:
            letters = re.sub(r"\$[^$]*\$|`[^`]*`|\([^)]*\)", "", cell.source)
            if cell.cell_type == "markdown" and re.search(r"[A-Za-z]{4}", letters):
                assert re.search(r"[\uac00-\ud7a3]", letters), f"{page.name}: English prose: {cell.source}"


@pytest.mark.parametrize("page", KOREAN, ids=lambda page: page.name)
def test_a_korean_notebooks_code_is_its_english_twins(site, page):
    english = DOCS / page.name.replace(".ko.md", ".md")
    ko = [cell for cell in _notebook(site, page).cells if cell.cell_type == "code"]
    en = [cell for cell in _notebook(site, english).cells if cell.cell_type == "code"]
    assert len(ko) == len(en)
    assert all(same_code(a.source, b.source) for a, b in zip(en, ko))
    assert [a.source for a in en] != [b.source for b in ko]  # the comments are Korean


def _run(task: tuple[str, str]) -> list[tuple[str, int]]:
    """Run a notebook (as nbformat JSON) in a fresh kernel of this interpreter, in an empty folder:
    what each code cell printed, and how many figures it showed."""
    name, text = task
    os.environ.pop("MPLBACKEND", None)  # a kernel shows figures inline only if no backend is named
    notebook = nbformat.reads(text, as_version=4)
    kernel = KernelManager(kernel_name="python3", kernel_spec_manager=KernelSpecManager(kernel_dirs=[]))
    with tempfile.TemporaryDirectory() as folder:
        try:
            NotebookClient(notebook, km=kernel, resources={"metadata": {"path": folder}}, timeout=300).execute()
        finally:
            kernel.shutdown_kernel(now=True)  # nbclient leaves a kernel manager it was given running
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    return [
        (
            "".join(output.text for output in cell.outputs if output.get("name") == "stdout"),
            sum("image/png" in output.get("data", {}) for output in cell.outputs),
        )
        for cell in code
    ]


@pytest.fixture(scope="module")
def runs(built_check) -> dict[str, list[tuple[str, int]]]:
    return built_check(notebook_runs.__name__)


@once_built  # about a minute of the cores, spent while other tests run
def notebook_runs(site) -> dict[str, list[tuple[str, int]]]:
    """Every English notebook run, with the page's solutions in place of the links to them (so that
    the checks after them pass), two at a time."""
    tasks = []
    for page in ENGLISH:
        notebook = _notebook(site, page)
        solutions = iter(
            [_code(block) for block in details.select("div.book-exec")]
            for details in _built(site, page).select("details.success")
        )
        cells = []
        for cell in notebook.cells:
            if cell.cell_type == "markdown" and cell.source.startswith(SOLUTION_LINK):
                cells += [nbformat.v4.new_code_cell(code) for code in next(solutions)]
            else:
                cells.append(cell)
        notebook.cells = cells
        tasks.append((page.name, nbformat.writes(notebook)))
    return {name: result for (name, _), result in in_fresh_processes(_run, tasks, background=True).items()}


@pytest.mark.parametrize("page", ENGLISH, ids=lambda page: page.name)
def test_a_notebook_run_from_an_empty_folder_prints_what_the_page_shows(site, runs, page):
    blocks = _built(site, page).select("div.book-exec")
    ran = runs[page.name]
    assert ran[0] == ("", 0), "the set-up cell has something to say on this very torch"
    assert len(ran) - 1 == len(blocks)
    for (printed, figures), block in zip(ran[1:], blocks):
        assert printed.rstrip("\n") == _output(block), f"{page.name}: {_code(block)[:200]}"
        assert figures == len(block.select("figure img"))


@pytest.mark.parametrize("page", [*CHAPTERS, *LAB_PAGES], ids=lambda page: page.name)
def test_each_chapter_and_lab_ends_with_what_it_ran_with_and_its_tests(site, page):
    note = _built(site, page).select("div.book-verified")
    assert len(note) == 1
    text = note[0].get_text()
    assert f"Python {platform.python_version()}" in text
    assert f"torch {importlib.metadata.version('torch').split('+')[0]}" in text
    module = "tests/test_" + page.name.split(".")[0].replace("-", "_") + ".py"
    link = note[0].select_one("a")
    assert link.get_text() == module and (ROOT / module).is_file()
    assert link["href"] == f"https://github.com/{REPOSITORY}/blob/main/{module}"
    assert not re.search(r"\b20\d\d\b", text), "no date: two builds must be the same"

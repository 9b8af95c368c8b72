"""MkDocs hooks that make every chapter a notebook, from the page itself, and say under its title
where to get it and at its end what it was run with.

A chapter's notebook is made from its Markdown, in its own language, as the page is built:

- the prose becomes Markdown cells, with its math kept as LaTeX (Jupyter and Colab typeset it), its
  headings without their ``{#id}``, its links made absolute (to the published site, in the page's
  language), and each admonition a quotation under its title in bold;
- each executed block (```` ```python exec="on" ````) becomes a code cell holding the snippet
  sections it includes, with their comments in the page's language (the code itself is the same in
  every language);
- an exercise's solution (``??? success``) becomes a link to it on the page: the notebook keeps the
  task and the check (tests/test_exercises.py), so that the reader's answer meets the check first;
- a first code cell prints a note when the installed torch is not the one the book was built with.
  It installs nothing: the chapters need only torch, numpy, pandas and matplotlib, which Colab has.

The notebook is written beside the page (``<page>/<page>.ipynb``, without outputs). Under the
title, the page links it for download and for Colab, which opens notebooks from a GitHub branch:
the Pages workflow (.github/workflows/pages.yml) publishes the site's notebooks to the branch
NOTEBOOK_BRANCH on every deploy. The labs keep their own notebooks (bookbuild/notebooks.py),
which open with the same two cells (opening_cells) and are linked the same way.

At the end of every chapter and lab, a note says what its code ran with (Python and the libraries
that shape its output, with their versions) and which test module checks its claims.
"""

from __future__ import annotations

import importlib.metadata
import platform
import re
from html import escape
from pathlib import Path, PurePath

import nbformat
from markdown.extensions.toc import slugify
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from bookbuild.execute import SECTION_MARKER, ExecutionError, in_language

NOTEBOOK_BRANCH = "notebooks"
EXECUTED = re.compile(r'^```python exec="on"')
FENCE = re.compile(r"^(`{3,}|~{3,})")
INCLUDE = re.compile(r'^--8<-- "(snippets/[^":]+):([^"]+)"$')
ADMONITION = re.compile(r'^(?:!!!|\?\?\?\+?) (\w+)(?: "([^"]*)")?\s*$')
HEADING = re.compile(r"^(#{1,6}) (.*?)(?: \{#([\w-]+)\})?\s*$")
LINK = re.compile(r"\]\(([^)\s]+)\)")
# The libraries whose versions can change what a page prints or draws, by the module that the
# page's code imports.
SHAPING = {"torch": "torch", "numpy": "numpy", "pandas": "pandas", "matplotlib": "matplotlib"}
WORDS = {
    "en": {
        "chapter": "chapter",
        "lab": "lab",
        "chapter intro": "This notebook is the chapter [{title}]({url}) of *Deep Learning with PyTorch*, made "
        "from that page. Run its cells from the top. The exercises at the end check your answers; their "
        "solutions are on the page.",
        "lab intro": "This notebook is a lab of *Deep Learning with PyTorch*; [the lab's page]({url}) shows it "
        "with the output of every cell. Run its cells from the top. The exercises at the end check your "
        "answers; their solutions are on that page.",
        "setup": "# The book ran this {kind} with torch {version}: another version may print\n"
        "# slightly different numbers.\n"
        "import torch\n\n"
        'if torch.__version__.split("+")[0] != "{version}":\n'
        '    print("Note: the book ran with torch {version}; this is torch",\n'
        "          torch.__version__)",
        "solution": "**{title}**: [on the book's page]({url}).",
        "downloads": "Run it yourself:",
        "notebook": "Notebook (.ipynb)",
        "colab": "Open in Colab",
        "script": "Script (.py)",
        "verified": "This page's code ran when the site was built, with {libraries}; the tests in "
        "{tests} check what the page says.",
    },
    "ko": {
        "chapter": "장",
        "lab": "실습",
        "chapter intro": "이 노트북은 *파이토치로 배우는 딥러닝*의 [{title}]({url}) 장의 페이지를 바탕으로 "
        "만들었다. 셀을 위에서부터 차례로 실행하라. 끝의 연습문제는 답을 확인해 주며, 풀이는 페이지에 있다.",
        "lab intro": "이 노트북은 *파이토치로 배우는 딥러닝*의 실습이다. [실습 페이지]({url})에서는 모든 셀을 "
        "출력과 함께 볼 수 있다. 셀을 위에서부터 차례로 실행하라. 끝의 연습문제는 답을 확인해 주며, 풀이는 "
        "그 페이지에 있다.",
        "setup": "# 이 {kind}의 코드는 torch {version}에서 실행했다. 버전이 다르면 출력되는\n"
        "# 숫자가 조금 다를 수 있다.\n"
        "import torch\n\n"
        'if torch.__version__.split("+")[0] != "{version}":\n'
        '    print("참고: 이 {kind}의 코드는 torch {version}에서 실행했다. 지금 버전:",\n'
        "          torch.__version__)",
        "solution": "**{title}**: [책의 페이지에서 보기]({url})",
        "downloads": "직접 실행하기:",
        "notebook": "노트북(.ipynb)",
        "colab": "Colab에서 열기",
        "script": "스크립트(.py)",
        "verified": "이 페이지의 코드는 사이트를 빌드할 때 {libraries} 환경에서 실행되었다. "
        "이 페이지의 내용은 {tests}의 테스트가 검증한다.",
    },
}


def _words(language: str) -> dict[str, str]:
    return WORDS.get(language, WORDS["en"])


def _language(config: MkDocsConfig) -> str:
    return config.theme["language"]


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).parent


def _stem(page: Page) -> str:
    """forward-propagation.ko.md -> forward-propagation: the page's name in every language."""
    return PurePath(page.file.src_uri).name.split(".")[0]


def is_chapter(page: Page) -> bool:
    """A chapter is a Markdown page that runs code."""
    return page.file.src_uri.endswith(".md") and any(EXECUTED.match(line) for line in page.markdown.split("\n"))


def _section(root: Path, snippet: str, name: str) -> str:
    """A snippet's section, as pymdownx.snippets includes it."""
    lines, inside = [], False
    for line in (root / snippet).read_text().split("\n"):
        marker = SECTION_MARKER.match(line)
        if marker and marker[2] == name:
            inside = marker[1] == "start"
        elif inside:
            lines.append(line)
    if not lines:
        raise ExecutionError(f'--8<-- "{snippet}:{name}": no such section')
    return "\n".join(lines)


class _Converter:
    """A page's Markdown as notebook cells."""

    def __init__(self, root: Path, language: str, site_url: str, page_url: str) -> None:
        self.root, self.language = root, language
        self.site = site_url + ("" if language == "en" else f"{language}/")
        self.page_url = site_url + page_url
        self.anchor = ""  # the id of the heading above, for links to a solution

    def cells(self, lines: list[str]) -> list:
        cells, prose = [], []

        def flush() -> None:
            text = "\n".join(prose).strip("\n")
            if text:
                cells.append(nbformat.v4.new_markdown_cell(text))
            prose.clear()

        index = 0
        while index < len(lines):
            line = lines[index]
            fence = FENCE.match(line)
            admonition = ADMONITION.match(line)
            if fence:
                end = next(i for i in range(index + 1, len(lines)) if lines[i].startswith(fence[1]))
                if EXECUTED.match(line):
                    flush()
                    cells.append(nbformat.v4.new_code_cell(self._code(lines[index + 1 : end])))
                else:
                    prose.extend(lines[index : end + 1])
                index = end + 1
            elif admonition:
                body, index = self._indented(lines, index + 1)
                kind, title = admonition[1], admonition[2] or admonition[1].capitalize()
                flush()
                if kind == "success":  # a solution: the notebook links it, the reader tries first
                    words = _words(self.language)["solution"]
                    link = words.format(title=title, url=f"{self.page_url}#{self.anchor}")
                    cells.append(nbformat.v4.new_markdown_cell(link))
                else:
                    cells.extend(self._quoted(title, self.cells(body)))
            else:
                prose.append(self._prose(line))
                index += 1
        flush()
        return cells

    def _code(self, lines: list[str]) -> str:
        includes = [INCLUDE.match(line.strip()) for line in lines if line.strip()]
        if not all(includes):
            raise ExecutionError(f"an executed block holds more than includes: {lines}")
        code = "\n".join(_section(self.root, include[1], include[2]) for include in includes)
        return in_language(self.root, code, self.language).strip("\n")

    @staticmethod
    def _indented(lines: list[str], index: int) -> tuple[list[str], int]:
        """An admonition's body, dedented, and the index of the line after it."""
        body = []
        while index < len(lines) and (not lines[index].strip() or lines[index].startswith("    ")):
            body.append(lines[index][4:])
            index += 1
        return body, index

    @staticmethod
    def _quoted(title: str, cells: list) -> list:
        """An admonition's cells: its title and prose as a quotation, its code as it is."""
        quoted = [nbformat.v4.new_markdown_cell(f"> **{title}**")]
        for cell in cells:
            if cell.cell_type == "markdown":
                text = "\n".join(f"> {line}".rstrip() for line in cell.source.split("\n"))
                if quoted[-1].cell_type == "markdown":
                    quoted[-1].source += "\n>\n" + text
                    continue
                cell.source = text
            quoted.append(cell)
        return quoted

    def _prose(self, line: str) -> str:
        heading = HEADING.match(line)
        if heading:
            self.anchor = heading[3] or slugify(heading[2], "-")
            line = f"{heading[1]} {heading[2]}"
        return LINK.sub(lambda link: f"]({self._absolute(link[1])})", line)

    def _absolute(self, target: str) -> str:
        if target.startswith("#"):
            return self.page_url + target
        path, _, anchor = target.partition("#")
        if not path.endswith(".md") or "://" in path:
            return target
        stem = path[: -len(".md")]
        url = self.site + ("" if stem == "index" else f"{stem}/")
        return url + (f"#{anchor}" if anchor else "")


def notebook(page: Page, config: MkDocsConfig) -> nbformat.NotebookNode:
    """The chapter's notebook, made from its Markdown, in its language."""
    language = _language(config)
    lines = page.markdown.split("\n")
    title = next((i for i, line in enumerate(lines) if line.startswith("# ")), None)
    if title is None:
        raise PluginError(f"{page.file.src_uri}: a chapter must start with a '# Title'")
    converter = _Converter(_root(config), language, config.site_url, page.url)
    name = HEADING.match(lines[title])[2]
    cells = [*opening_cells(language, "chapter", name, converter.page_url), *converter.cells(lines[title + 1 :])]
    for number, cell in enumerate(cells, 1):
        cell.id = str(number)  # nbformat's are random: two builds must write the same file
    result = nbformat.v4.new_notebook(cells=cells)
    result.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    result.metadata["language_info"] = {"name": "python"}
    return result


def opening_cells(language: str, kind: str, title: str, url: str) -> list:
    """The first two cells of a chapter's or a lab's notebook (kind "chapter" or "lab"): its title
    and a paragraph that links its page at `url`, then a code cell that prints a note when the
    installed torch is not the one the book was built with."""
    words = _words(language)
    intro = words[f"{kind} intro"].format(title=title, url=url)
    version = importlib.metadata.version("torch").split("+")[0]
    return [
        nbformat.v4.new_markdown_cell(f"# {title}\n\n{intro}"),
        nbformat.v4.new_code_cell(words["setup"].format(kind=words[kind], version=version)),
    ]


def colab_url(repo_url: str | None, path: str) -> str | None:
    """Colab's address for the notebook at `path` in the site, which the notebooks branch mirrors
    (None for a book whose repository is not on GitHub: Colab could not open it)."""
    repository = re.match(r"https://github\.com/([^/]+/[^/]+?)/?$", repo_url or "")
    if repository is None:
        return None
    return f"https://colab.research.google.com/github/{repository[1]}/blob/{NOTEBOOK_BRANCH}/{path}"


def downloads(language: str, links: list[tuple[str, str, bool]]) -> str:
    """The paragraph under a chapter's or lab's title: links (href, text, whether to download) to
    run it yourself."""
    anchors = " ".join(
        f'<a class="md-button" href="{escape(href)}"{" download" if download else ""}>{escape(text)}</a>'
        for href, text, download in links
    )
    return f'<p class="book-downloads">{escape(_words(language)["downloads"])} {anchors}</p>'


def notebook_links(language: str, repo_url: str | None, page_url: str, name: str) -> list[tuple[str, str, bool]]:
    """The notebook `name`, beside the page at `page_url`: to download, and in Colab."""
    words = _words(language)
    colab = colab_url(repo_url, page_url + name)
    return [(name, words["notebook"], True)] + ([(colab, words["colab"], False)] if colab else [])


def verified(page: Page, config: MkDocsConfig, code: str) -> str:
    """The note at the end of a page: what its code ran with, and the test module of its claims."""
    words = _words(_language(config))
    module = "tests/test_" + _stem(page).replace("-", "_") + ".py"  # tests/test_chapter_notebooks.py: it exists
    imported = set(re.findall(r"^\s*(?:import|from) (\w+)", code, re.M))
    versions = [f"Python {platform.python_version()}"] + [
        f"{name} {importlib.metadata.version(name).split('+')[0]}"
        for module_name, name in sorted(SHAPING.items())
        if module_name in imported
    ]
    libraries = ", ".join(versions)
    source = (config.repo_url or "").rstrip("/") + "/blob/main/" + module
    tests = f'<a href="{source}"><code>{module}</code></a>'
    return f'<div class="book-verified"><p>{words["verified"].format(libraries=libraries, tests=tests)}</p></div>'


_notebooks: dict[str, nbformat.NotebookNode] = {}  # page URL -> its notebook, until the page is written


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if page.file.src_uri.endswith(".py"):  # a lab (bookbuild/notebooks.py): its code is its source
        return html + verified(page, config, Path(page.file.abs_src_path).read_text())
    if not is_chapter(page):
        return html
    try:
        chapter = _notebooks[page.url] = notebook(page, config)
    except ExecutionError as error:
        raise PluginError(f"{page.file.src_uri}: {error}") from None
    code = "\n".join(cell.source for cell in chapter.cells if cell.cell_type == "code")
    language = _language(config)
    links = downloads(language, notebook_links(language, config.repo_url, page.url, f"{_stem(page)}.ipynb"))
    title_end = html.find("</h1>")
    if title_end < 0:
        raise PluginError(f"{page.file.src_uri}: a chapter must start with a '# Title'")
    title_end += len("</h1>")
    return html[:title_end] + "\n" + links + html[title_end:] + verified(page, config, code)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """The chapter's notebook, beside the page."""
    chapter = _notebooks.pop(page.url, None)
    if chapter is not None:
        path = Path(page.file.abs_dest_path).parent / f"{_stem(page)}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(chapter, path)
    return output

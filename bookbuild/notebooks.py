"""MkDocs hooks for the labs: notebooks written as jupytext percent-format .py files in docs/,
rendered as pages by the mkdocs-jupyter plugin's converter.

The hooks run the labs themselves, so that each language's copy of a lab (lab-x.py and its
translation lab-x.ko.py, whose code cells are the same) is executed once:

- a lab's code cells run in a Jupyter kernel, in the repository root, and their outputs are cached,
  keyed on the code cells alone, the data files and the library versions: editing or translating
  the prose runs nothing. A translation's code cells are the original's but for comments and
  strings in its language, so its page takes the original's outputs, whose figures are drawn in
  every language built (bookbuild/translations.py);
- a failing cell stops the build, naming the file and the line of the cell, and so does a figure
  without alt text (``# %% alt="…"`` on the cell's first line, one text per figure separated by
  ``|``);
- the rendered page is cached too, keyed on the executed notebook;
- the loaders that nbconvert's template puts on the page for MathJax and mermaid, which would fetch
  them from a CDN, are removed: the book loads nothing from other hosts (labs write no formulas);
- the random cell ids that jupytext gives a .py notebook are replaced by numbers, which nbconvert
  writes into the page, so that two builds give the same files;
- the stylesheets that nbconvert's template inlines in every lab (JupyterLab's, 590 KB, most of each
  lab page's bytes) are taken out of the page: each lab keeps the rules that match an element of
  its page, and the site serves the rules that some lab keeps as one stylesheet,
  stylesheets/labs.css, which every lab page links (cached once for all labs and languages),
  without the custom properties (--jp-…) that none of those rules reads. mkdocs-jupyter has no
  option for this: its template always inlines the stylesheets;
- an exercise's solution and its check, the cells tagged ``solution`` and ``check`` (jupytext:
  ``# %% tags=["solution"]``), are each folded in a closed <details>, as in the chapters; the page
  runs every cell in order, so the build proves that each check passes with the solution;
- under its title, links to download the lab as a notebook (.ipynb, without outputs, opened by
  the chapters' two first cells, its links absolute, and each solution a link to it on the page,
  so that the reader meets the check first), as a script (.py, the whole lab) and the data files
  it reads (each ``data/<name>`` it names that data/SHA256SUMS lists), which the site serves
  once, at ``data/<name>``, where the lab downloads them from;
- with mkdocs-static-i18n, whose file list drops mkdocs-jupyter's pages, the labs are made pages
  again, with their alternates in the other languages.

BOOK_EXEC=off renders the labs without running them.
"""

from __future__ import annotations

import copy
import html
import os
import re
import tempfile
import types
from pathlib import Path, PurePath
from urllib.parse import urljoin

import jupytext
import nbformat
import tinycss2
from bs4 import BeautifulSoup
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs_jupyter import convert
from mkdocs_jupyter.plugin import NotebookFile, _get_markdown_toc, _get_nb_toc_tokens
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from soupsieve import SelectorSyntaxError

from bookbuild import cache, chapter_notebooks, languages, pageload, runner, translations
from bookbuild.cache import cache_dir, fingerprint
from bookbuild.data import DataError, recorded_checksums
from bookbuild.execute import LIBRARIES, executing

PLUGIN = "mkdocs-jupyter"
# The outputs depend on these as well as on the code; the rendering on nbconvert and the plugin.
NOTEBOOK_LIBRARIES = (*LIBRARIES, "mkdocs-jupyter", "nbconvert", "nbclient", "jupytext", "ipykernel")
MATHJAX = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S)
KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}
# Run before a lab's first cell, and not shown: the lab's figures must not depend on the
# matplotlibrc of the machine (in the home folder or the repository root) that builds it.
KERNEL_SETUP = "import matplotlib\nmatplotlib.rcdefaults()"
# ...and the figures drawn in the other languages built too (bookbuild/translations.py), which a
# cell after the lab's last checks.
FIGURES_IN = "\nfrom bookbuild.translations import NotebookFigures\n_book_figures = NotebookFigures({!r}, {!r})"
FIGURES_CHECKED = "_book_figures.check()"
# The labs' shared stylesheet in the site, and what a selector needs no element of the page for: a
# state (hover, focus…), a part (::before, ::-webkit-scrollbar) or Material's colour scheme, which
# its script sets on <body> for the reader's theme.
STYLESHEET = "stylesheets/labs.css"
# nbconvert's copy buttons, in English (with a stray "," attribute from its template).
COPY_BUTTON = '<clipboard-copy ,="" aria-label="Copy to Clipboard"'
COPIED = '<span class="notice" hidden="">Copied!</span>'
STATE_OR_PART = re.compile(
    r"::?(?:hover|focus|focus-visible|focus-within|active|visited|link|any-link|target|checked|disabled"
    r"|before|after|first-line|first-letter|selection|placeholder|marker|backdrop|-(?:webkit|moz|ms)-[\w-]+)"
    r"(?:\([^)]*\))?"
)
COLOR_SCHEME = re.compile(r"\[data-md-color-scheme[^\]]*\]")
CUSTOM_PROPERTY = re.compile(r"var\(\s*(--[\w-]+)")
CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
NEGATION = re.compile(r":not\([^)]*\)")
# Options of the plugin that shape the rendered page, passed on to its converter.
RENDER_OPTIONS = (
    "kernel_name",
    "theme",
    "allow_errors",
    "show_input",
    "no_input",
    "no_prompt",
    "remove_tag_config",
    "highlight_extra_classes",
    "include_requirejs",
    "custom_mathjax_url",
)
# The cells of an exercise folded on the page, by their tag: the admonition type of the chapters'
# fold (Material styles <details class="success"> as it does `??? success`) and its title.
FOLDS = {
    "en": {"solution": ("success", "Solution"), "check": ("question", "Check your answer")},
    "ko": {"solution": ("success", "풀이"), "check": ("question", "답 확인하기")},
}

_state: dict = {}


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    root = Path(config.config_file_path).parent
    plugin = _plugin_config(config)
    if plugin["execute"] or plugin["cache"] or plugin["include_source"]:
        raise PluginError(
            f"set execute, cache and include_source of {PLUGIN} to false in mkdocs.yml: "
            "bookbuild/notebooks.py runs, caches and offers the labs"
        )
    try:
        key = fingerprint(root, NOTEBOOK_LIBRARIES)
    except DataError as error:
        raise PluginError(str(error)) from None
    _state.update(root=root, key=key, plugin=plugin, cache=cache_dir(root) / "notebooks", repo_url=config.repo_url)
    # The kernel inherits this process's environment, and it shows figures through Jupyter's
    # inline backend only if MPLBACKEND names no other (headless test runs set it to Agg).
    os.environ.pop("MPLBACKEND", None)
    runner.share_the_machine()
    return config


def _plugin_config(config: MkDocsConfig):
    try:
        return config.plugins[PLUGIN].config
    except KeyError:
        raise PluginError(f"bookbuild/notebooks.py needs the {PLUGIN} plugin in mkdocs.yml") from None


def _is_lab(path: str | None) -> bool:
    return bool(path) and any(PurePath(path).match(pattern) for pattern in _state["plugin"]["include"])


@event_priority(-200)  # after mkdocs-static-i18n (-100), which rebuilds the file list
def on_files(files: Files, config: MkDocsConfig) -> Files:
    i18n = config.plugins.get("i18n")
    for file in list(files):
        if not _is_lab(file.abs_src_path) or file.is_documentation_page():
            continue
        # mkdocs-static-i18n made a plain file of it, with the right destination: make it a page.
        page_file = NotebookFile(file, use_directory_urls=config.use_directory_urls, site_dir=config.site_dir)
        page_file.dest_path, page_file.abs_dest_path = file.dest_path, file.abs_dest_path
        page_file.url = file.url
        if i18n is not None:
            stem = _stem(file.src_uri)
            # What mkdocs-static-i18n reads of a twin, for the switcher and sitemap.xml: its URL.
            page_file.alternates = {
                language.locale: types.SimpleNamespace(
                    url=("" if language.default else f"{language.locale}/") + stem + "/", page=None
                )
                for language in i18n.config.languages
                if language.build
            }
        files.remove(file)
        files.append(page_file)
    return files


def _stem(src_uri: str) -> str:
    """lab-house-prices.ko.py -> lab-house-prices: the lab's name in every language."""
    return PurePath(src_uri).name.split(".")[0]


@event_priority(-50)  # after mkdocs-jupyter's own, which would render the page its way
def on_pre_page(page: Page, config: MkDocsConfig, files: Files) -> Page:
    if _is_lab(page.file.abs_src_path):
        page.render = types.MethodType(_render, page)
    return page


def _notebook(source: Path):
    """The lab as a notebook, with numbered cell ids (jupytext's are random) and a kernel, and
    without jupytext's own metadata, whose list of cell metadata keys comes in a different order
    from one run of Python to the next."""
    notebook = jupytext.read(source)
    notebook.metadata.pop("jupytext", None)
    notebook.metadata["kernelspec"] = KERNEL
    for number, cell in enumerate(notebook.cells, 1):
        cell.id = str(number)
    return notebook


def _render(page: Page, config: MkDocsConfig, files: Files) -> None:
    source = Path(page.file.abs_src_path)
    notebook = _notebook(source)
    language = getattr(page.file, "locale", None) or "en"
    if executing():
        _fill_outputs(notebook, source, language, languages.built(config))
    rendered = _rendered(notebook, source, language, page.url)
    page.content = rendered["content"]
    _state.setdefault("css", {}).update({tuple(key): text for key, text in rendered["css"]})
    _state.setdefault("page_properties", set()).update(CUSTOM_PROPERTY.findall(rendered["content"]))
    # Material's search cannot split a lab at its headings, which nbconvert nests inside cells: it
    # indexes the whole lab as one entry besides its sections, and that entry, holding every word of
    # the lab, ranked it above the chapter that defines a term. Half weight keeps the chapters first
    # for their terms; a lab still comes first for its own.
    page.meta["search"] = {"boost": 0.5}
    page.toc = get_toc(rendered["toc_tokens"])
    if rendered["title"] and not _state["plugin"]["ignore_h1_titles"]:
        page.title = rendered["title"]


def _fill_outputs(notebook, source: Path, language: str, languages: list[str]) -> None:
    """Give every code cell its outputs, in the page's language: from the cache, or by running the
    original lab's code once, with its figures drawn in every language built."""
    original = _original(source)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    ran = code if original == source else [cell for cell in _notebook(original).cells if cell.cell_type == "code"]
    if len(ran) != len(code):
        raise PluginError(f"{source}: {len(code)} code cells, but {original.name} has {len(ran)}")
    for ours, theirs in zip(ran, code):
        if not translations.same_code(ours.source, theirs.source):
            raise PluginError(
                f"{source}: its code cells must be those of {original.name}, but for comments and strings "
                f"in its language; this one differs:\n{theirs.source}"
            )
    try:
        texts = translations.figure_texts(_state["root"], languages)
    except translations.TranslationError as error:
        raise PluginError(str(error)) from None
    tables = {name: [table.exact, table.patterns] for name, table in texts.items()}
    key = cache.digest([_state["key"], [cell.source for cell in ran], sorted(languages), tables])
    cached = _state["cache"] / f"outputs-{key}.json"
    outputs = cache.read(cached, lambda value: isinstance(value, list) and len(value) == len(code))
    if outputs is None:
        outputs = _execute(_notebook(original), original, languages)
        cache.write(cached, outputs)
    for number, (cell, cell_outputs) in enumerate(zip(code, outputs), 1):
        cell.outputs = [nbformat.from_dict(_output_in_language(output, language)) for output in cell_outputs]
        cell.execution_count = number


def _output_in_language(output: dict, language: str) -> dict:
    """An output with its figure in the language (bookbuild.translations.NotebookFigures)."""
    output = copy.deepcopy(output)
    alternate = translations.ALTERNATE.format(language)
    for part in ("data", "metadata"):
        values = output.get(part)
        if not isinstance(values, dict):
            continue
        if alternate in values:
            values["image/png"] = values[alternate]
        prefix, suffix = translations.ALTERNATE.split("{}")
        for name in [name for name in values if name.startswith(prefix) and name.endswith(suffix)]:
            del values[name]
    return output


def _execute(notebook, source: Path, languages: list[str]) -> list[list[dict]]:
    lines = _cell_lines(source, notebook)
    runnable = copy.deepcopy(notebook)
    # This interpreter, not whatever a "python3" kernel spec installed on the machine names: the
    # cache key holds this interpreter's version and libraries.
    kernel = KernelManager(kernel_name="python3", kernel_spec_manager=KernelSpecManager(kernel_dirs=[]))
    others = [language for language in languages if language != "en"]
    runnable.cells.insert(0, nbformat.v4.new_code_cell(KERNEL_SETUP + FIGURES_IN.format(str(_state["root"]), others)))
    runnable.cells.append(nbformat.v4.new_code_cell(FIGURES_CHECKED))
    client = NotebookClient(
        runnable, km=kernel, resources={"metadata": {"path": str(_state["root"])}}, shutdown_kernel="immediate"
    )
    # Shut the kernel down when the lab has run: nbclient cleans up only a kernel manager it made.
    # Left running, the kernel outlives mkdocs until it notices that its parent has gone, holding
    # the output pipes of whoever started mkdocs (and mkdocs serve would leave one per rebuild).
    with client.setup_kernel(cleanup_kc=True):
        for index, cell in enumerate(runnable.cells):
            try:
                client.execute_cell(cell, index)
            except CellExecutionError as error:
                if index in (0, len(runnable.cells) - 1):  # the hidden set-up, the check of the figures
                    raise PluginError(f"{source}: {error.ename}: {error.evalue}") from None
                raise PluginError(_cell_error(source, lines[index - 1], error)) from None
    return [_joined_streams(cell.outputs) for cell in runnable.cells[1:-1] if cell.cell_type == "code"]


def _joined_streams(outputs: list) -> list:
    """The outputs with each run of printed text (one stream) as one output. How many pieces the
    kernel sends it in depends on timing (it flushes what is printed at intervals), and each
    piece would be its own box on the page."""
    joined: list = []
    for output in outputs:
        previous = joined[-1] if joined else None
        if output.output_type == "stream" and previous is not None and previous.output_type == "stream" and (
            previous.name == output.name
        ):
            previous.text += output.text
        else:
            joined.append(output)
    return joined


def _cell_error(source: Path, cell_line: int, error: CellExecutionError) -> str:
    """Where a cell failed, as a line of the lab's file, with the kernel's traceback."""
    # IPython names the failing line of a cell "Cell In[n], line k" (k counts from the cell's code,
    # which starts on the line after its '# %%' marker, or on the marker's line for a first cell
    # that has none).
    lines = re.findall(r"Cell In\[\d+\], line (\d+)", _ANSI.sub("", str(error)))
    marker = source.read_text().split("\n")[cell_line - 1].startswith("# %%")
    where = f"line {cell_line + int(lines[-1]) - (0 if marker else 1)}" if lines else f"the cell on line {cell_line}"
    return f"{source}, {where}: {error.ename}: {error.evalue}\n{_ANSI.sub('', str(error))}"


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _cell_lines(source: Path, notebook) -> list[int]:
    """The line on which each cell of a percent-format notebook starts."""
    text = source.read_text().split("\n")
    markers = [number for number, line in enumerate(text, 1) if line.startswith("# %%")]
    if len(notebook.cells) == len(markers) + 1:  # code before the first marker is a cell too
        markers.insert(0, next(number for number, line in enumerate(text, 1) if line.strip()))
    if len(notebook.cells) != len(markers):
        raise PluginError(f"{source}: {len(notebook.cells)} cells, but {len(markers)} '# %%' lines")
    return markers


def _rendered(notebook, source: Path, language: str, url: str) -> dict:
    """The page's HTML, table of contents and title, from the cache or converted now."""
    options = {name: _state["plugin"][name] for name in RENDER_OPTIONS}
    text = nbformat.writes(notebook)
    # A translation takes its heading ids from the original's headings (_name_headings).
    original_ids = _heading_ids(_original(source))
    key = cache.digest([_state["key"], text, options, language, source.name, url, _state["repo_url"], original_ids])
    cached = _state["cache"] / f"page-{key}.json"
    rendered = cache.read(
        cached, lambda value: isinstance(value, dict) and set(value) == {"content", "toc_tokens", "title", "css"}
    )
    if rendered is not None:
        return rendered
    with tempfile.TemporaryDirectory() as folder:  # nbconvert reads a file; no other build sees it
        ipynb = Path(folder) / f"{_stem(source.name)}.ipynb"
        ipynb.write_text(text)
        html = convert.nb2html(str(ipynb), execute=False, **options)
    soup = BeautifulSoup(MATHJAX.sub("", html), "html.parser")
    for script in soup.find_all("script", string=re.compile("mermaid")):
        script.decompose()
    css = _used_css(soup)
    if any(cell.cell_type == "code" and cell.outputs for cell in notebook.cells):
        _describe_figures(soup, notebook, source)
    _fold_exercises(soup, language)
    _unsearched(soup)
    _unfocusable(soup)
    _add_downloads(soup, source, language, url)
    toc_tokens, title = _get_nb_toc_tokens(str(source), _state["plugin"]["toc_depth"])
    _name_headings(soup, toc_tokens, source, original_ids)
    rendered = {"content": str(soup), "toc_tokens": toc_tokens, "title": title, "css": css}
    cache.write(cached, rendered)
    return rendered


def _unfocusable(soup: BeautifulSoup) -> None:
    """nbconvert makes every cell's input and output focusable (tabindex="0"), so that a keyboard
    can scroll them, a Tab stop at every paragraph of a lab; but its code and printed output wrap
    (bookbuild/narrow.py), and what does scroll (a figure, output printed as a table, any other
    output) is made focusable by docs/javascripts/narrow.js when it scrolls (axe-core checks that
    every box that scrolls can be focused, tests/test_browser.py)."""
    for region in soup.select(".jp-Cell-inputWrapper[tabindex], .jp-OutputArea-output[tabindex]"):
        del region["tabindex"]


def _used_css(soup: BeautifulSoup) -> list[list]:
    """Take nbconvert's <style> elements out of the page: the rules of theirs that match an element
    of it, as [[style number, rule number], text], in their order. (mkdocs-jupyter also appends its
    code highlighting's stylesheet as a Python list's repr, which is no CSS: it is dropped.)"""
    styles = soup.find_all("style")
    classes = {name for element in soup.find_all(class_=True) for name in element["class"]}
    used = []
    for style_number, style in enumerate(styles):
        text = style.get_text()
        style.decompose()
        if text.strip().startswith("["):
            continue
        for rule_number, rule in enumerate(tinycss2.parse_stylesheet(text, skip_whitespace=True, skip_comments=True)):
            if _rule_used(rule, soup, classes):
                used.append([[style_number, rule_number], tinycss2.serialize([rule]).strip()])
    return used


def _rule_used(rule, soup: BeautifulSoup, classes: set[str]) -> bool:
    if rule.type == "qualified-rule":
        return any(_selector_used(selector, soup, classes) for selector in _split_selectors(rule.prelude))
    if rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports") and rule.content:
        return any(_rule_used(inner, soup, classes) for inner in tinycss2.parse_rule_list(rule.content, True, True))
    # @keyframes are kept (_shared_css drops those no kept rule names); @charset is void mid-page.
    return rule.type == "at-rule" and rule.lower_at_keyword.endswith("keyframes")


def _split_selectors(prelude) -> list[str]:
    selectors, current = [], []
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            selectors.append(tinycss2.serialize(current))
            current = []
        else:
            current.append(token)
    return [*selectors, tinycss2.serialize(current)]


def _selector_used(selector: str, soup: BeautifulSoup, classes: set[str]) -> bool:
    """Whether some element of the page could match, whatever the reader does and whichever theme.
    A selector that soupsieve cannot read is kept. (Most of JupyterLab's name a class that no element
    of the page has, which is quick to see: soupsieve would search the whole page for each.)"""
    simple = COLOR_SCHEME.sub("", STATE_OR_PART.sub("", selector)).strip()
    if not simple:
        return True
    if not set(CLASS.findall(NEGATION.sub("", simple))) <= classes:
        return False
    try:
        return soup.select_one(simple) is not None
    except (SelectorSyntaxError, NotImplementedError):
        return True


def _shared_css(used: dict) -> str:
    """The rules some lab page uses, in nbconvert's order, less the custom property declarations
    (--jp-…) that no kept rule or page reads, directly or through another property."""
    rules = [used[key] for key in sorted(used)]
    declared: dict[str, str] = {}  # each custom property's declarations, joined
    parsed = []
    for text in rules:
        rule = tinycss2.parse_one_rule(text, skip_comments=True)
        if rule.type == "qualified-rule":
            declarations = tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True, skip_comments=True)
            for declaration in declarations:
                if declaration.type == "declaration" and declaration.name.startswith("--"):
                    value = tinycss2.serialize(declaration.value)
                    declared[declaration.name] = declared.get(declaration.name, "") + value
            parsed.append((rule, declarations))
        else:
            parsed.append((rule, None))
    read = set()
    for rule, declarations in parsed:
        for part in declarations if declarations is not None else [rule]:
            if getattr(part, "name", "").startswith("--"):
                continue
            read |= set(CUSTOM_PROPERTY.findall(tinycss2.serialize([part])))
    read |= set(_state.get("page_properties", set()))
    unread = list(read)
    while unread:
        for name in CUSTOM_PROPERTY.findall(declared.get(unread.pop(), "")):
            if name not in read:
                read.add(name)
                unread.append(name)
    animated = " ".join(tinycss2.serialize(rule.content) for rule, declarations in parsed if declarations is not None)
    kept = []
    for rule, declarations in parsed:
        if declarations is None:
            text = tinycss2.serialize([rule])
            if rule.lower_at_keyword.endswith("keyframes") and tinycss2.serialize(rule.prelude).strip() not in animated:
                continue
            kept.append(text.strip())
            continue
        body = [
            tinycss2.serialize([declaration]).strip()
            for declaration in declarations
            if declaration.type == "declaration" and (not declaration.name.startswith("--") or declaration.name in read)
        ]
        if body:
            kept.append(f"{tinycss2.serialize(rule.prelude).strip()}{{{';'.join(body)}}}")
    return "\n".join(kept) + "\n"


def _original(source: Path) -> Path:
    """lab-x.ko.py -> lab-x.py, the lab a translation shares its code and heading ids with."""
    return source.with_name(_stem(source.name) + ".py")


def _heading_ids(source: Path) -> list[str]:
    return [token["id"] for token in _flat(_get_nb_toc_tokens(str(source), _state["plugin"]["toc_depth"])[0])]


def _describe_figures(soup: BeautifulSoup, notebook, source: Path) -> None:
    """Give each output image the alt text of its cell; fail where the counts differ."""
    lines = _cell_lines(source, notebook)
    code_cells = [(cell, line) for cell, line in zip(notebook.cells, lines) if cell.cell_type == "code"]
    # nbconvert wraps each cell's div in a second one of the same class: take the outer ones.
    rendered = [div for div in soup.select("div.jp-CodeCell") if div.find_parent("div", class_="jp-CodeCell") is None]
    if len(rendered) != len(code_cells):
        raise PluginError(f"{source}: {len(code_cells)} code cells, but the page shows {len(rendered)}")
    for (cell, line), html_cell in zip(code_cells, rendered):
        images = html_cell.select(".jp-OutputArea img")
        alt = cell.metadata.get("alt")
        texts = [text.strip() for text in alt.split("|")] if alt else []
        if len(images) != len(texts):
            raise PluginError(
                f"{source}, line {line}: the cell shows {len(images)} figure(s) but gives {len(texts)} alt "
                "text(s); write alt=\"…\" on its '# %%' line, one description per figure separated by '|'"
            )
        for image, text in zip(images, texts):
            image["alt"] = text


def _unsearched(soup: BeautifulSoup) -> None:
    """Keep the code cells and their outputs out of the search index (Material's
    `data-search-exclude`), as the chapters keep their outputs out: the index, which every page
    loads, held each lab's whole code with its copy buttons' markup (108 KB of its 525 KB), while
    what a reader searches for, the names and ideas, is in the lab's text. Material's search
    compares the elements it skips by their tag alone, so that it stops excluding an element at the
    first closing tag of the same name inside it: the mark is on elements with none of their own
    tag inside (the code, its copy button, the output, and the code again that the button copies)."""
    code = ".jp-CodeCell :is(.jp-InputArea pre, clipboard-copy), .clipboard-copy-txt"
    for area in soup.select(f"{code}, .jp-OutputArea :is(pre, table)"):
        area["data-search-exclude"] = ""
    for mark in soup.select("a.anchor-link"):  # its ¶ would end the heading's title in the results
        mark["data-search-exclude"] = ""


def _fold_exercises(soup: BeautifulSoup, language: str) -> None:
    """Each run of cells tagged solution, or check, in a closed <details> with its title.

    nbconvert writes a cell's tags as classes (celltag_<tag>): on a code cell's outer div, on a
    Markdown cell's rendered text. It also shows a code cell's tags over it, in a toolbar, which
    the fold's title replaces.
    """
    folds = FOLDS.get(language, FOLDS["en"])
    fold, folded_tag = None, None
    for cell in soup.select("div.jp-Notebook > div.jp-Cell"):
        classes = set(cell["class"])
        if "jp-MarkdownCell" in classes:
            classes |= set(cell.select_one("div.jp-RenderedMarkdown")["class"])
        tag = next((tag for tag in folds if f"celltag_{tag}" in classes), None)
        if tag is None:
            fold = None
            continue
        for toolbar in cell.select(".celltoolbar"):
            toolbar.decompose()
        if fold is None or folded_tag != tag:
            kind, title = folds[tag]
            fold, folded_tag = soup.new_tag("details", attrs={"class": kind}), tag
            summary = soup.new_tag("summary")
            summary.string = title
            fold.append(summary)
            cell.insert_before(fold)
        fold.append(cell.extract())


def _name_headings(soup: BeautifulSoup, toc_tokens: list[dict], source: Path, original_ids: list[str]) -> None:
    """Give the headings of a lab, and its table of contents, the ids of the original's headings.

    Links to a section then work in every language, and headings in Korean, from which neither
    nbconvert nor Python-Markdown makes an id, get one.
    """
    tokens = _flat(toc_tokens)
    headings = [h for h in soup.find_all(re.compile(r"^h[1-6]$")) if h.find_parent(class_="jp-MarkdownCell")]
    if len(original_ids) != len(tokens) or len(headings) != len(tokens):
        raise PluginError(
            f"{source}: {len(tokens)} headings, but {_original(source).name} has {len(original_ids)}; "
            "a translation keeps the original's headings"
        )
    for token, heading, id in zip(tokens, headings, original_ids):
        token["id"] = heading["id"] = id
        for anchor in heading.select("a.anchor-link"):
            anchor["href"] = f"#{id}"


def _flat(tokens: list[dict]) -> list[dict]:
    return [item for token in tokens for item in [token, *_flat(token["children"])]]


def _data_files(source: Path) -> list[str]:
    """The data files a lab reads: each data/<name> it mentions that data/SHA256SUMS lists."""
    text = source.read_text()
    return [f"data/{name}" for name in sorted(recorded_checksums(_state["root"] / "data")) if f"data/{name}" in text]


def _add_downloads(soup: BeautifulSoup, source: Path, language: str, url: str) -> None:
    """Links, under the title, to the notebook (to download, and in Colab), the script and the data
    it reads (at the site's root, where on_post_page writes it: relative, so that they work in
    every language and under any path the site is served from)."""
    stem = _stem(source.name)
    links = chapter_notebooks.notebook_links(language, _state["repo_url"], url, f"{stem}.ipynb")
    links.append((f"{stem}.py", chapter_notebooks.WORDS.get(language, chapter_notebooks.WORDS["en"])["script"], True))
    links += [("../" * url.count("/") + path, PurePath(path).name, True) for path in _data_files(source)]
    title = soup.find("h1")
    if title is None:
        raise PluginError(f"{source}: a lab must start with a '# Title' markdown cell")
    title.insert_after(BeautifulSoup(chapter_notebooks.downloads(language, links), "html.parser"))


def _downloaded(source: Path, language: str, page_url: str | None):
    """The lab as the reader downloads it, in the page's language: opened by the chapters' two
    first cells (its title and a link to its page, then the note on torch's version); each run of
    solution cells replaced by a Markdown cell that links the solution on the published page (at
    its exercise's heading); its links made absolute, as Jupyter and Colab would resolve the page's
    relative ones against the notebook's own address."""
    if page_url is None:
        raise PluginError(f"{source}: set site_url in mkdocs.yml, which its notebook's links name")
    notebook = _notebook(source)
    ids = iter(_heading_ids(_original(source)))
    words = chapter_notebooks.WORDS.get(language, chapter_notebooks.WORDS["en"])
    title = FOLDS.get(language, FOLDS["en"])["solution"][1]
    cells, anchor, in_solution = [], "", False
    for cell in notebook.cells:
        solution = "solution" in cell.metadata.get("tags", [])
        if solution and not in_solution:
            link = words["solution"].format(title=title, url=f"{page_url}#{anchor}")
            cells.append(nbformat.v4.new_markdown_cell(link))
        in_solution = solution
        if cell.cell_type == "markdown":  # every heading, a solution's too, has its id on the page
            for _ in _flat(_get_markdown_toc(cell.source, _state["plugin"]["toc_depth"])):
                anchor = next(ids)  # the heading's id on the page (_name_headings)
        if solution:
            continue
        if cell.cell_type == "markdown":
            cell.source = chapter_notebooks.LINK.sub(lambda link: f"]({urljoin(page_url, link[1])})", cell.source)
        cells.append(cell)
    heading = re.match(r"# (.+)\n*", cells[0].source) if cells[0].cell_type == "markdown" else None
    if heading is None:
        raise PluginError(f"{source}: a lab must start with a '# Title' markdown cell")
    rest = cells[0].source[heading.end() :]
    cells[:1] = [
        *chapter_notebooks.opening_cells(language, "lab", heading[1], page_url),
        *([nbformat.v4.new_markdown_cell(rest)] if rest else []),
    ]
    for number, cell in enumerate(cells, 1):
        cell.id = str(number)
    notebook.cells = cells
    return notebook


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Beside the page: the lab as a notebook without outputs or solutions, and as a script; at the
    site's root, as in the repository, the data it reads (one copy, for every lab and language)."""
    if _is_lab(page.file.abs_src_path):
        source = Path(page.file.abs_src_path)
        folder = Path(page.file.abs_dest_path).parent
        stem = _stem(source.name)
        language = getattr(page.file, "locale", None) or "en"
        folder.mkdir(parents=True, exist_ok=True)
        page_url = config.site_url + page.url if config.site_url else None
        jupytext.write(_downloaded(source, language, page_url), folder / f"{stem}.ipynb")
        (folder / f"{stem}.py").write_bytes(source.read_bytes())
        for path in _data_files(source):
            served = Path(config.site_dir) / path
            served.parent.mkdir(parents=True, exist_ok=True)
            served.write_bytes((_state["root"] / path).read_bytes())
        # After the theme's and book.css, as nbconvert's inline styles came after them.
        link = f'<link rel="stylesheet" href="{"../" * page.url.count("/")}{STYLESHEET}">'
        if "</head>" not in output:
            raise PluginError(f"{source}: its page has no </head> to link {STYLESHEET} in")
        output = output.replace("</head>", f"{link}\n</head>", 1)
        output = _copy_buttons_in_language(output, source)
    return output


def _copy_buttons_in_language(output: str, source: Path) -> str:
    """The code cells' copy buttons in the page's language, with the words of Material's own copy
    buttons on the chapters' code (from the page's __config, which Material's script reads). Another
    theme (the tests' small sites use MkDocs' own) has no words for them: nbconvert's stay."""
    words = pageload.material_words(output)
    if words is None:
        return output
    buttons = output.count("<clipboard-copy")
    output = output.replace(COPY_BUTTON, f'<clipboard-copy aria-label="{html.escape(words["clipboard.copy"])}"')
    output = output.replace(COPIED, f'<span class="notice" hidden="">{html.escape(words["clipboard.copied"])}</span>')
    if output.count("Copy to Clipboard") or output.count("Copied!"):
        raise PluginError(f"{source}: {buttons} copy buttons, not all in the page's language; has nbconvert changed?")
    return output


@event_priority(-300)  # after mkdocs-static-i18n (-100) has built every language
def on_post_build(config: MkDocsConfig) -> None:
    """Write the labs' shared stylesheet, once every lab of every language is built."""
    if not languages.all_built(config):
        return
    used = _state.pop("css", None)
    properties = _state.get("page_properties")
    if used is None:
        return
    served = Path(config.site_dir) / STYLESHEET
    served.parent.mkdir(parents=True, exist_ok=True)
    served.write_text(_shared_css(used))
    if properties is not None:
        properties.clear()

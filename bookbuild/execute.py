"""Run the book's ```python exec="on"``` fences at build time.

A pymdownx.superfences custom fence around markdown-exec. markdown-exec renders the source and the
output; this module adds what the book needs on top of it:

- one namespace per page: every executed block of a page sees the variables of the blocks above it;
  a page's code runs in a process of its own (bookbuild/runner.py), so that nothing it does reaches
  another page, and the output does not depend on the machine's display or matplotlib settings;
- figures: each matplotlib figure a block leaves open is embedded after its output as an SVG image
  with the alt text the page gives (``alt="…"``, one text per figure separated by ``|``), which
  bookbuild/figures.py then serves as a file of its own;
- errors that name the snippet file and line: executed code must be a section of a file in
  snippets/, and it is compiled with that file's name and line numbers;
- a cache (bookbuild/cache.py): a block's output is keyed on the code of every block of the page up
  to it, the data files, the library versions and the build machinery, so an unchanged page runs
  nothing and an edited page re-runs only its own code;
- the data files are checked against data/SHA256SUMS before anything runs;
- a title over the code names its snippet file, and says when the block continues the code above
  it (uses a name it does not define), so a reader knows what runs on its own and where to find it;
- in a language other than English, the code is shown with its comments translated, and the
  figures with their text translated (bookbuild/translations.py);
- ``fold="on"`` shows a block's code collapsed under a summary, its output and figures open: for
  blocks that are mostly plotting code, so that the figure follows the sentence about it;
- ``slider="<label>: <value>, <value>, …"`` makes the block's figures the frames of one figure the
  reader moves through with a slider, one frame per value (see _frames_html).

Each executed block is wrapped in ``<div class="book-exec">`` (its code, then its output in a
``language-text`` block when it printed anything, then its figures), so that tests can compare a
page's outputs with what the snippets print; the search leaves it out but for the names of the API
its code uses (see _wrapped).

Set BOOK_EXEC=off to render the code without running it (fast drafts of prose).
"""

from __future__ import annotations

import ast
import atexit
import base64
import builtins
import contextlib
import dataclasses
import functools
import hashlib
import html
import logging
import multiprocessing
import multiprocessing.context
import os
import re
import traceback
from pathlib import Path
from typing import Any

from markdown_exec import ExecutionError, base_format, code_block
from markdown_exec import validator as markdown_exec_validator

from bookbuild import cache, figures, runner, translations
from bookbuild.cache import cache_dir, fingerprint
from bookbuild.data import DataError

LIBRARIES = ("torch", "numpy", "matplotlib", "pandas", "markdown-exec", "koreanize-matplotlib", "babel")
SECTION_MARKER = re.compile(r"^\s*#\s*-+8<-+\s*\[(start|end):([^\]]*)\]\s*$")

log = logging.getLogger("mkdocs.plugins.bookbuild.execute")

# The words around the code, in the page's language (the theme's, which mkdocs-static-i18n sets for
# each language's build); bookbuild/hooks.py sets it before each page.
WORDS = {
    "en": {"continues": "continues the code above", "fold": "The code that draws the figure"},
    "ko": {"continues": "위 코드에 이어짐", "fold": "그림을 그리는 코드"},
}
page_language = "en"
# The languages the build makes pages in (bookbuild/hooks.py sets them): a block's figures are
# saved in each, when it runs.
languages = ["en"]


def validator(language: str, inputs: dict, options: dict, attrs: dict, md: Any) -> bool:
    """markdown-exec's validator, with the book's defaults: source above, output as text."""
    given = set(inputs)
    alt = inputs.pop("alt", None)
    fold = inputs.pop("fold", "off")
    slider = inputs.pop("slider", None)
    start = inputs.pop("start", None)
    if not markdown_exec_validator(language, inputs, options, attrs, md):
        return False
    if "source" not in given:
        options["source"] = "above"
    if "result" not in given:
        options["result"] = "text"
    # The output is text, with no headings for the table of contents. (markdown-exec keeps every
    # page's Markdown instance, and so the whole build, in a cache when it looks for headings:
    # `mkdocs serve` would grow by every rebuild.)
    options["update_toc"] = False
    options["alt"] = [text.strip() for text in alt.split("|")] if alt else []
    options["fold"] = fold
    options["slider"] = slider
    options["start"] = start
    return True


def formatter(source: str, language: str, css_class: str, options: dict, md: Any, **kwargs: Any) -> str:
    """Run the block (or take it from the cache) and render source, output and figures."""
    options = dict(options)
    alt_texts = options.pop("alt")
    fold = options.pop("fold")
    slider, start = options.pop("slider"), options.pop("start")
    try:
        if fold not in {"on", "off"}:
            raise ExecutionError(f'fold="{fold}": write fold="on" to show the code collapsed, or leave it out')
        fold = fold == "on"
        if slider is not None:
            slider = Slider.parse(slider, start, alt_texts)
        elif start is not None:
            raise ExecutionError(f'start="{start}" names the first frame of a slider: write slider="…" too')
        root = _root(md)
        options["extra"] = {**options.get("extra", {}), "title": _title(root, source)}
        shown = in_language(root, source, page_language)
        if not executing():
            return _wrapped(*_rendered(shown, "", md, options, fold)) + _search_names(source, source)
        page = _page(md)
        index = page.add(source)
        result = page.result(index)
        if slider is None and len(result["figures"]["en"]) != len(alt_texts):
            raise ExecutionError(
                f"{page.origin(index)}: the block leaves {len(result['figures']['en'])} figure(s) open "
                f'but the page gives {len(alt_texts)} alt text(s); write alt="…" on the fence, '
                "one description per figure separated by '|'"
            )
        svgs = result["figures"][page_language]
        if slider is not None:
            drawn = _frames_html(slider, svgs, alt_texts, f"book-frames-{index}", page.origin(index))
        else:
            drawn = "".join(_figure_html(svg, alt) for svg, alt in zip(svgs, alt_texts))
        searched = _search_names(source, "\n".join(page.blocks))
        return _wrapped(*_rendered(shown, result["output"], md, options, fold), drawn) + searched
    except Exception as error:  # superfences would swallow it and show the fence as text
        if isinstance(error, ExecutionError):
            failure = error
        else:
            failure = ExecutionError(code_block("python", traceback.format_exc()))

        def run(code: str, **_: Any) -> str:
            raise failure  # base_format reports it as a warning, which stops a --strict build

        return base_format(language=language, run=run, code=source, md=md, **options)


def in_language(root: Path, code: str, language: str) -> str:
    """The code as a page in `language` shows it: its comments in that language."""
    if language == "en":
        return code
    path, lines = _locate(root, code)
    try:
        catalogue = translations.entries(root, language, translations.COMMENT)
        shown, missing = translations.translate_comments(code, catalogue, lines)
    except translations.TranslationError as error:
        raise ExecutionError(f"{path.relative_to(root)}: {error}") from None
    if missing:
        where = ", ".join(f"line {lines[comment.first - 1]}: {comment.text!r}" for comment in missing)
        raise ExecutionError(
            f"{path.relative_to(root)}: comments without a translation in "
            f"{translations.LOCALE}/{language}/{path.parent.name}.po ({where}); "
            "python -m bookbuild.translations adds them, to be translated"
        )
    return shown


def _rendered(source: str, output: str, md: Any, options: dict, fold: bool) -> list[str]:
    """The code, under its title (in a collapsed <details> if folded), then the output, if any."""
    if not fold:
        if not output:
            options = {**options, "result": ""}  # no empty output box under code that prints nothing
        return [base_format(language="python", run=lambda code, **_: output, code=source, md=md, **options)]
    code = base_format(language="python", run=lambda code, **_: "", code=source, md=md, **{**options, "result": ""})
    summary = html.escape(WORDS.get(page_language, WORDS["en"])["fold"])
    parts = [f'<details class="book-code"><summary>{summary}</summary>{code}</details>']
    if output:
        shown = {**options, "source": "", "extra": {}}
        parts.append(base_format(language="python", run=lambda code, **_: output, code=source, md=md, **shown))
    return parts


OUTPUT_BLOCK = '<div class="language-text highlight">'  # how base_format shows the output
# The blocks a code fence becomes: its code, folded or not, its output and its figures (whose alt
# text the search does not read; marked all the same, should a caption come).
BLOCKS = re.compile(r'<(div class="language-\w+ highlight[^"]*"|details class="book-code"|figure class="book-figure")')


def _wrapped(*parts: str) -> str:
    # str(): adding text to the Markup that base_format returns would escape the text. The output
    # block gets no copy button (Material's `no-copy`): output is there to be read, not pasted, and
    # on a touch screen the button covered its first line. The labs, too, copy only their code.
    shown = "".join(str(part) for part in parts).replace(OUTPUT_BLOCK, OUTPUT_BLOCK[:-2] + ' no-copy">')
    # Neither code nor output is searched (Material's `data-search-exclude`): the search index,
    # which every page loads, was half code and output (75 of 175 KiB gzipped in Korean), while what
    # a reader searches for is the ideas, in the prose, and the names of the API the code uses, which
    # _search_names keeps. Material's search ends an exclusion at the first closing tag of the same
    # name inside it (it tells elements apart by their tag), so the mark is on each block, none of
    # which holds an element of its own tag, rather than on the div around them all.
    return '<div class="book-exec">' + BLOCKS.sub(r"<\1 data-search-exclude", shown) + "</div>"


def _search_names(code: str, page_code: str) -> str:
    """What the search keeps of a block's code: the names of the library API it uses (torch.dot,
    nn.Linear, plt.subplots), each a dotted name whose first part the page's code imports, in a
    paragraph that only the search index reads (`hidden`), so that a reader who searches for a
    function finds the pages whose code calls it."""
    try:
        imported = {
            (alias.asname or alias.name).split(".")[0]
            for node in ast.walk(ast.parse(page_code))
            if isinstance(node, (ast.Import, ast.ImportFrom))
            for alias in node.names
        }
        tree = ast.parse(code)
    except SyntaxError:  # running it reports the error, with the snippet's line
        return ""
    inner = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and id(node) not in inner:
            parts, base = [], node
            while isinstance(base, ast.Attribute):
                parts.insert(0, base.attr)
                base = base.value
            if isinstance(base, ast.Name) and base.id in imported:
                names.append(".".join([base.id, *parts]))
    if not names:
        return ""
    return f'<p class="book-search-names" hidden>{html.escape(" ".join(sorted(set(names))))}</p>'


def _figure_html(svg: str, alt: str) -> str:
    return f'<figure class="book-figure">{_image(svg, alt)}</figure>'


def _image(svg: str, alt: str, attributes: str = "") -> str:
    data = base64.b64encode(svg.encode()).decode()
    return f'<img src="data:image/svg+xml;base64,{data}" alt="{html.escape(alt)}"{attributes}>'


@dataclasses.dataclass(frozen=True)
class Slider:
    """A fence's ``slider="<label>: <value>, …"`` and ``start="<value>"`` (the first value if not
    given), checked against its alt texts: one per value, each saying its value."""

    label: str
    values: tuple[str, ...]
    start: str

    @classmethod
    def parse(cls, spec: str, start: str | None, alt_texts: list[str]) -> Slider:
        label, colon, listed = spec.partition(":")
        values = tuple(value.strip() for value in listed.split(","))
        if not colon or not label.strip() or len(values) < 2 or "" in values:
            raise ExecutionError(f'slider="{spec}": write slider="<label>: <value>, <value>, …", two values or more')
        if len(set(values)) != len(values):
            raise ExecutionError(f'slider="{spec}": a value is given twice')
        start = values[0] if start is None else start
        if start not in values:
            raise ExecutionError(f'start="{start}" is not one of the values of slider="{spec}"')
        if len(alt_texts) != len(values):
            raise ExecutionError(
                f'slider="{spec}" has {len(values)} values but the page gives {len(alt_texts)} alt text(s): '
                "write one per frame, separated by '|'"
            )
        for value, alt in zip(values, alt_texts):
            if not says(alt, value):
                raise ExecutionError(f"the alt text of the frame for {value} does not say {value}: {alt!r}")
        return cls(label.strip(), values, start)


def says(text: str, number: str) -> bool:
    """Whether `text` says `number` as a word of its own: "0.5" is not in "0.55", nor "1" in "0.1";
    a Korean particle may follow it ("0.5에서")."""
    return re.search(rf"(?<![0-9A-Za-z_.]){re.escape(number)}(?![0-9A-Za-z_]|\.\d)", text) is not None


def _frames_html(slider: Slider, svgs: list[str], alt_texts: list[str], ident: str, origin: str) -> str:
    """The frames of a figure the reader moves, one image per value of the slider, and the slider.

    Every frame but the start one is ``hidden`` (a lazy image that is not shown is not fetched until
    it is), and so is the slider: read without scripts, the page shows one frame and no control
    that does nothing (docs/javascripts/frames.js shows it). The slider is a native range input over
    the frames' positions, named by its label; it says its value (aria-valuetext, as shown beside
    it) and is described by the frame it shows, whose alt text says what that frame shows."""
    if len(svgs) != len(slider.values):
        raise ExecutionError(
            f"{origin}: the block leaves {len(svgs)} figure(s) open but its slider has "
            f"{len(slider.values)} values: draw one figure per value, in the slider's order"
        )
    sizes = {figures.size("svg+xml", svg.encode()) for svg in svgs}
    if len(sizes) > 1:
        raise ExecutionError(f"{origin}: the frames of a slider must all be the same size; they are {sorted(sizes)}")
    shown = slider.values.index(slider.start)
    images = "".join(
        _image(svg, alt, f' id="{ident}-{number}" data-value="{html.escape(value)}"' + " hidden" * (number != shown))
        for number, (svg, alt, value) in enumerate(zip(svgs, alt_texts, slider.values))
    )
    start = html.escape(slider.start)
    ticks = "".join(f'<option value="{number}"></option>' for number in range(len(svgs)))  # a mark per frame
    controls = (
        f'<div class="book-frames-controls" data-search-exclude hidden>'
        f'<label for="{ident}">{html.escape(slider.label)}</label>'
        f'<input type="range" id="{ident}" min="0" max="{len(svgs) - 1}" value="{shown}" list="{ident}-ticks" '
        f'aria-valuetext="{start}" aria-describedby="{ident}-{shown}"><datalist id="{ident}-ticks">{ticks}</datalist>'
        f'<span class="book-frames-value" aria-hidden="true">{start}</span></div>'
    )
    return f'<div class="book-frames">{controls}<figure class="book-figure">{images}</figure></div>'


def executing() -> bool:
    """False when BOOK_EXEC=off: pages show their code without running it."""
    return os.environ.get("BOOK_EXEC", "on").lower() not in {"off", "0", "no", "false"}


def _page(md: Any) -> _Page:
    """The state of the page being converted; MkDocs makes a new Markdown instance per page."""
    page = getattr(md, "_book_page", None)
    if page is None:
        page = md._book_page = _Page(_root(md))
    return page


def _root(md: Any) -> Path:
    """The folder that holds snippets/ and data/: the base path given to pymdownx.snippets."""
    try:
        base_paths = md.preprocessors["snippet"].base_path
    except (KeyError, AttributeError):
        raise RuntimeError("bookbuild.execute needs pymdownx.snippets with base_path set to the repository") from None
    return Path(base_paths[0]).resolve()


class _Page:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.cache_dir = cache_dir(root)
        self.blocks: list[str] = []
        self.keys: list[str] = []
        self.executed = 0  # how many blocks have run in the page's process
        self.worker: _Worker | None = None
        self.failed: str | None = None  # where the block that failed comes from
        try:
            self._key = hashlib.sha256(fingerprint(root, LIBRARIES).encode())
            self.figure_texts = translations.figure_texts(root, languages)
        except (DataError, translations.TranslationError) as error:
            raise ExecutionError(str(error)) from None
        # The figures' text in every language is part of what a block makes.
        texts = {name: [table.exact, table.patterns] for name, table in self.figure_texts.items()}
        self._key.update(cache.digest(texts).encode())

    def add(self, code: str) -> int:
        self.blocks.append(code)
        self._key.update(len(code).to_bytes(8, "big") + code.encode())
        self.keys.append(self._key.hexdigest())
        return len(self.blocks) - 1

    def result(self, index: int) -> dict:
        path = self.cache_dir / f"{self.keys[index]}.json"
        cached = cache.read(path, _is_result)
        if cached is not None:
            return cached
        if self.failed is not None:
            # What ran after a failure ran in a half-built namespace: show nothing of it, keep nothing.
            raise ExecutionError(f"not run, because the block from {self.failed} above failed")
        try:
            # The page's process must hold what the blocks above left in it: replay those not yet run.
            while self.executed < index:
                self._execute(self.executed)
            result = self._execute(index)
        except ExecutionError:
            self.failed = self.origin(self.executed)
            self.close()
            raise
        cache.write(path, result)
        return result

    def origin(self, index: int) -> str:
        path, lines = self._locate(self.blocks[index])
        return f"{path.relative_to(self.root)}, lines {lines[0]}-{lines[-1]}"

    def _locate(self, code: str) -> tuple[Path, list[int]]:
        return _locate(self.root, code)

    def _execute(self, index: int) -> dict:
        code = self.blocks[index]
        path, lines = self._locate(code)
        log.debug("executing %s, lines %d-%d", path.relative_to(self.root), lines[0], lines[-1])
        if self.worker is None:
            self.worker = _Worker.start(self.root, self.figure_texts)
        result = self.worker.run(code, str(path), lines)
        self.executed = index + 1
        return result

    def close(self) -> None:
        if self.worker is not None:
            self.worker.close()
            self.worker = None


def _locate(root: Path, code: str) -> tuple[Path, list[int]]:
    """The snippet file and line numbers that this block's code comes from."""
    wanted = tuple(code.rstrip("\n").split("\n"))
    for path in sorted((root / "snippets").rglob("*.py")):
        stat = path.stat()
        numbers, texts = _unmarked_lines(path, stat.st_mtime_ns, stat.st_size)
        for start in range(len(texts) - len(wanted) + 1):
            if texts[start : start + len(wanted)] == wanted:
                return path, list(numbers[start : start + len(wanted)])
    raise ExecutionError(
        "executed code must be a section of a file in snippets/, included with "
        f'--8<-- "snippets/<chapter>/<topic>.py:<section>"; this block is not:\n\n{code}'
    )


@functools.lru_cache(maxsize=256)  # every block of every page looks through every snippet
def _unmarked_lines(path: Path, mtime_ns: int, size: int) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """The numbers and texts of a snippet's lines but its section markers (as of that version)."""
    numbered = [
        (number, text) for number, text in enumerate(path.read_text().split("\n"), 1) if not SECTION_MARKER.match(text)
    ]
    return tuple(number for number, _ in numbered), tuple(text for _, text in numbered)


def _title(root: Path, code: str) -> str:
    """The snippet file the block comes from, and whether it continues the code above."""
    path, _ = _locate(root, code)
    title = str(path.relative_to(root))
    if continues(code):
        title += " · " + WORDS.get(page_language, WORDS["en"])["continues"]
    return title


def continues(code: str) -> bool:
    """Whether the code reads a name it does not define or import (nor a builtin): then it runs
    only after the blocks above it, not on its own."""
    try:
        tree = ast.parse(code)
    except SyntaxError:  # running it reports the error, with the snippet's line
        return False
    defined, read = set(dir(builtins)) | {"__file__"}, set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else defined).add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            defined.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defined.add(node.name)
        elif isinstance(node, ast.arg):
            defined.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            defined.add(node.name)
    return bool(read - defined)


def _is_result(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("output"), str)
        and isinstance(value.get("figures"), dict)
        and set(value["figures"]) == {"en", *languages}
        and all(isinstance(figure, str) for figures in value["figures"].values() for figure in figures)
    )


class _Worker:
    """The process that runs one page's code (bookbuild/runner.py), one block at a time.

    Processes are forked from a server that has already imported the modules the snippets import
    (torch alone takes over a second), so a page starts in well under a second and still starts
    from a fresh interpreter's state. Where there is no fork server (Windows), each page's process
    is spawned afresh.
    """

    current: _Worker | None = None  # one page is converted at a time

    def __init__(self, root: Path, figure_texts: dict) -> None:
        context = _context(root)
        self.connection, theirs = context.Pipe()
        self.process = context.Process(
            target=runner.serve, args=(theirs, str(root), figure_texts), name="book-page"
        )
        self.process.start()
        theirs.close()

    @classmethod
    def start(cls, root: Path, figure_texts: dict) -> _Worker:
        if cls.current is not None:  # the previous page is done with its process
            cls.current.close()
        cls.current = cls(root, figure_texts)
        return cls.current

    def run(self, code: str, path: str, lines: list[int]) -> dict:
        try:
            self.connection.send((code, path, lines))
            status, value = self.connection.recv()
        except (EOFError, OSError):
            self.process.join(timeout=5)
            raise ExecutionError(
                f"the process running this page's code died (exit code {self.process.exitcode})"
            ) from None
        if status == "error":
            raise ExecutionError(code_block("python", value))
        return value

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.connection.send(None)
        self.connection.close()
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        if _Worker.current is self:
            _Worker.current = None


def close() -> None:
    """End the process of the last page converted (the build calls it when it is done)."""
    if _Worker.current is not None:
        _Worker.current.close()


atexit.register(close)


@functools.cache
def _context(root: Path) -> multiprocessing.context.BaseContext:
    runner.share_the_machine()  # before any page process starts and loads torch
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_imported_by_snippets(root))
    return context


def _imported_by_snippets(root: Path) -> list[str]:
    """The modules the snippets import, which the fork server imports once for every page."""
    modules = set()
    for path in (root / "snippets").rglob("*.py"):
        try:
            tree = ast.parse(path.read_text())
        except SyntaxError:  # the page that runs it reports it, with its line
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                modules.add(node.module)
    if "torch" in modules:
        # torch.optim imports it when a process makes its first optimizer: over a second per page.
        modules.add("torch._dynamo")
    return sorted(modules)

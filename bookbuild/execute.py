"""Run the book's ```python exec="on"``` fences at build time.

A pymdownx.superfences custom fence around markdown-exec. markdown-exec renders the source and the
output; this module adds what the book needs on top of it:

- one namespace per page: every executed block of a page sees the variables of the blocks above it;
- figures: each matplotlib figure a block leaves open is embedded after its output as an SVG image
  with the alt text the page gives (``alt="…"``, one text per figure separated by ``|``);
- errors that name the snippet file and line: executed code must be a section of a file in
  snippets/, and it is compiled with that file's name and line numbers;
- a cache: a block's output is keyed on the code of every block of the page up to it, the data
  files and the library versions, so an unchanged page runs nothing and an edited page re-runs
  only its own code;
- the data files are checked against data/SHA256SUMS before anything runs.

Set BOOK_EXEC=off to render the code without running it (fast drafts of prose).
"""

from __future__ import annotations

import ast
import base64
import contextlib
import hashlib
import html
import io
import json
import logging
import os
import re
import sys
import traceback
import warnings
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from types import ModuleType
from typing import Any

from markdown_exec import ExecutionError, base_format, code_block
from markdown_exec import validator as markdown_exec_validator

from bookbuild.data import DataError, verify

# Bump when the cached format or the way output is produced changes.
CACHE_FORMAT = 1
LIBRARIES = ("torch", "numpy", "matplotlib", "pandas", "markdown-exec")
SVG_HASH_SALT = "deep-learning-with-pytorch"
SECTION_MARKER = re.compile(r"^\s*#\s*-+8<-+\s*\[(start|end):[^\]]*\]\s*$")

log = logging.getLogger("mkdocs.plugins.bookbuild.execute")


def validator(language: str, inputs: dict, options: dict, attrs: dict, md: Any) -> bool:
    """markdown-exec's validator, with the book's defaults: source above, output as text."""
    given = set(inputs)
    alt = inputs.pop("alt", None)
    if not markdown_exec_validator(language, inputs, options, attrs, md):
        return False
    if "source" not in given:
        options["source"] = "above"
    if "result" not in given:
        options["result"] = "text"
    options["alt"] = [text.strip() for text in alt.split("|")] if alt else []
    return True


def formatter(source: str, language: str, css_class: str, options: dict, md: Any, **kwargs: Any) -> str:
    """Run the block (or take it from the cache) and render source, output and figures."""
    options = dict(options)
    alt_texts = options.pop("alt")
    if not executing():
        options["result"] = ""
        return base_format(language=language, run=lambda code, **_: "", code=source, md=md, **options)

    try:
        page = _page(md)
        index = page.add(source)
        result = page.result(index)
        if len(result["figures"]) != len(alt_texts):
            raise ExecutionError(
                f"{page.origin(index)}: the block leaves {len(result['figures'])} figure(s) open "
                f"but the page gives {len(alt_texts)} alt text(s); write alt=\"…\" on the fence, "
                "one description per figure separated by '|'"
            )
    except Exception as error:  # noqa: BLE001 - superfences would swallow it and skip the block
        if isinstance(error, ExecutionError):
            failure = error
        else:
            failure = ExecutionError(code_block("python", traceback.format_exc()))

        def run(code: str, **_: Any) -> str:
            raise failure  # base_format reports it as a warning, which stops a --strict build

        return base_format(language=language, run=run, code=source, md=md, **options)

    if not result["output"]:
        options["result"] = ""  # no empty output box under code that prints nothing
    rendered = base_format(language=language, run=lambda code, **_: result["output"], code=source, md=md, **options)
    # str(): adding text to the Markup that base_format returns would escape the text.
    return str(rendered) + "".join(_figure_html(svg, alt) for svg, alt in zip(result["figures"], alt_texts))


def _figure_html(svg: str, alt: str) -> str:
    data = base64.b64encode(svg.encode()).decode()
    return f'<figure class="book-figure"><img src="data:image/svg+xml;base64,{data}" alt="{html.escape(alt)}"></figure>'


def executing() -> bool:
    """False when BOOK_EXEC=off: pages show their code without running it."""
    return os.environ.get("BOOK_EXEC", "on").lower() not in {"off", "0", "no", "false"}


def cache_dir(root: Path) -> Path:
    """Where executed output is kept between builds (BOOK_EXEC_CACHE overrides it)."""
    return Path(os.environ.get("BOOK_EXEC_CACHE", root / ".cache" / "book-exec"))


def fingerprint(root: Path, libraries: tuple[str, ...] = LIBRARIES) -> str:
    """What executed output depends on besides the code: Python, the libraries and the data files.

    Raises DataError if a data file is missing or differs from data/SHA256SUMS.
    """
    checksums = verify(root / "data")
    versions = {}
    for name in libraries:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = None
    return json.dumps([CACHE_FORMAT, sys.version, versions, checksums], sort_keys=True)


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
        self.executed = 0  # how many blocks have run in this page's namespace
        self.module: ModuleType | None = None
        try:
            self._key = hashlib.sha256(fingerprint(root).encode())
        except DataError as error:
            raise ExecutionError(str(error)) from None

    def add(self, code: str) -> int:
        self.blocks.append(code)
        self._key.update(len(code).to_bytes(8, "big") + code.encode())
        self.keys.append(self._key.hexdigest())
        return len(self.blocks) - 1

    def result(self, index: int) -> dict:
        path = self.cache_dir / f"{self.keys[index]}.json"
        if path.is_file():
            return json.loads(path.read_text())
        # The namespace must hold what the blocks above left in it: replay those not yet run.
        while self.executed < index:
            self._execute(self.executed)
        result = self._execute(index)
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(result))
        temporary.replace(path)
        return result

    def origin(self, index: int) -> str:
        path, lines = self._locate(self.blocks[index])
        return f"{path.relative_to(self.root)}, lines {lines[0]}-{lines[-1]}"

    def _locate(self, code: str) -> tuple[Path, list[int]]:
        """The snippet file and line numbers that this block's code comes from."""
        wanted = code.rstrip("\n").split("\n")
        for path in sorted((self.root / "snippets").rglob("*.py")):
            numbered = [
                (number, text)
                for number, text in enumerate(path.read_text().split("\n"), 1)
                if not SECTION_MARKER.match(text)
            ]
            texts = [text for _, text in numbered]
            for start in range(len(texts) - len(wanted) + 1):
                if texts[start : start + len(wanted)] == wanted:
                    return path, [number for number, _ in numbered[start : start + len(wanted)]]
        raise ExecutionError(
            "executed code must be a section of a file in snippets/, included with "
            f"--8<-- \"snippets/<chapter>/<topic>.py:<section>\"; this block is not:\n\n{code}"
        )

    def _execute(self, index: int) -> dict:
        code = self.blocks[index]
        path, lines = self._locate(code)
        log.debug("executing %s, lines %d-%d", path.relative_to(self.root), lines[0], lines[-1])
        import matplotlib

        matplotlib.use("agg", force=True)
        import matplotlib.pyplot as plt

        if self.module is None:
            name = f"book_page_{id(self)}"
            self.module = sys.modules[name] = ModuleType(name)
        output = io.StringIO()
        try:
            tree = ast.parse(code, filename=str(path))
            for node in ast.walk(tree):  # block line numbers -> the snippet file's line numbers
                if getattr(node, "lineno", None):
                    node.lineno = lines[node.lineno - 1]
                if getattr(node, "end_lineno", None):
                    node.end_lineno = lines[node.end_lineno - 1]
            compiled = compile(tree, str(path), "exec")
            with _captured(output):
                exec(compiled, self.module.__dict__)  # noqa: S102
        except SyntaxError as error:
            if error.filename == str(path) and error.lineno:
                error.lineno = lines[error.lineno - 1]
            raise ExecutionError(code_block("python", self._traceback(error, path))) from error
        except Exception as error:  # noqa: BLE001 - any failure of the reader's code stops the build
            raise ExecutionError(code_block("python", self._traceback(error, path))) from error
        finally:
            self.executed = index + 1
        figures = []
        with matplotlib.rc_context({"svg.hashsalt": SVG_HASH_SALT}):
            for number in plt.get_fignums():
                svg = io.StringIO()
                plt.figure(number).savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
                figures.append(svg.getvalue())
        plt.close("all")
        return {"output": output.getvalue(), "figures": figures}

    def _traceback(self, error: BaseException, path: Path) -> str:
        """The traceback from the snippet's own frame on, with paths relative to the repository."""
        frames = traceback.extract_tb(error.__traceback__)
        while frames and frames[0].filename != str(path):
            frames.pop(0)
        text = "".join(traceback.format_list(frames) + traceback.format_exception_only(error))
        return text.replace(str(self.root) + os.sep, "")


@contextlib.contextmanager
def _captured(output: io.StringIO):
    """Send prints and warnings to the page, as a reader running the script would see them."""

    def show(message, category, filename, lineno, file=None, line=None):  # noqa: ARG001
        output.write(f"{category.__name__}: {message}\n")

    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output), warnings.catch_warnings():
        warnings.simplefilter("default")
        warnings.showwarning = show
        yield

"""Run one page's executed blocks in a process of its own, as a script of its blocks would run.

bookbuild.execute starts this process for a page whose output is not all in the cache, sends it
the page's blocks one at a time and gets back what each printed and the figures it left open. A
fresh process per page means nothing one page does (the default dtype, print options, random
state, matplotlib settings, imported modules) reaches another page or stays in `mkdocs serve`.
The process starts from the same state on every machine: in the repository root, with
matplotlib's own default settings (not the reader's matplotlibrc) and a backend whose
``plt.show()`` prints nothing (bookbuild/backend.py).
"""

from __future__ import annotations

import ast
import contextlib
import io
import os
import sys
import traceback
import types
import warnings
from multiprocessing.connection import Connection

from bookbuild import translations

SVG_HASH_SALT = "deep-learning-with-pytorch"
# With OMP_WAIT_POLICY=PASSIVE the threads of torch's OpenMP pool sleep, rather than spin, while
# they wait for work. A build often shares the machine (two builds at once, the tests beside it),
# and spinning threads take the cores the busy ones need (measured once: two clean builds at once
# on two cores took 36 s instead of 24). It changes how idle threads wait, not what they compute.
THREAD_ENVIRONMENT = {"OMP_WAIT_POLICY": "PASSIVE"}


def share_the_machine() -> None:
    """Put THREAD_ENVIRONMENT in os.environ (keeping any value the user set), so that every process
    started from now on (page processes, lab kernels) uses it. It takes effect only in a process
    that loads torch after it is set."""
    for name, value in THREAD_ENVIRONMENT.items():
        os.environ.setdefault(name, value)


def serve(connection: Connection, root: str, figure_texts: dict) -> None:
    """Answer each block sent, ``(code, path, lines)``, with ``("ok", {"output", "figures"})`` or
    ``("error", message)``, until the build sends None or goes away. ``figures`` holds, for English
    and for each language of `figure_texts` (bookbuild.translations.FigureTranslator), the block's
    figures with their text in that language."""
    os.chdir(root)
    import matplotlib

    matplotlib.rcdefaults()
    matplotlib.use("module://bookbuild.backend", force=True)
    # A page runs as a script does: its names live in __main__.
    sys.modules["__main__"] = module = types.ModuleType("__main__")
    while True:
        try:
            request = connection.recv()
        except EOFError:
            return
        if request is None:
            return
        code, path, lines = request
        try:
            connection.send(("ok", run(code, path, lines, module.__dict__, root, figure_texts)))
        except BlockError as error:
            connection.send(("error", str(error)))


class BlockError(Exception):
    """The block raised (the message is its traceback from the snippet's own frame on), or one of
    its figures cannot be drawn in a language (the message says why)."""


def run(code: str, path: str, lines: list[int], namespace: dict, root: str, figure_texts: dict) -> dict:
    """Execute one block, compiled as lines `lines` of the snippet file `path`, in `namespace`."""
    import matplotlib
    import matplotlib.pyplot as plt

    output = io.StringIO()
    try:
        tree = ast.parse(code, filename=path)
        for node in ast.walk(tree):  # block line numbers -> the snippet file's line numbers
            if getattr(node, "lineno", None):
                node.lineno = lines[node.lineno - 1]
            if getattr(node, "end_lineno", None):
                node.end_lineno = lines[node.end_lineno - 1]
        compiled = compile(tree, path, "exec")
        with _captured(output):
            exec(compiled, namespace)
    except SyntaxError as error:
        if error.filename == path and error.lineno:
            error.lineno = lines[error.lineno - 1]
        raise BlockError(_traceback(error, path, root)) from None
    except Exception as error:  # any failure of the reader's code stops the build
        raise BlockError(_traceback(error, path, root)) from None
    figures: dict[str, list[str]] = {"en": [], **{language: [] for language in figure_texts}}
    try:
        with matplotlib.rc_context({"svg.hashsalt": SVG_HASH_SALT}):
            for number in plt.get_fignums():
                figure = plt.figure(number)
                figures["en"].append(_svg(figure))
                for language, translate in figure_texts.items():
                    with translations.translated(figure, translate, translations.font_family(language)):
                        figures[language].append(_svg(figure))
                    if translate.missing:
                        raise BlockError(
                            f"{os.path.relpath(path, root)}, lines {lines[0]}-{lines[-1]}: figure text "
                            f"without a translation in {translations.LOCALE}/{language}/*.po: "
                            + ", ".join(map(repr, sorted(translate.missing)))
                            + "\n(python -m bookbuild.translations adds them, to be translated)"
                        )
    except (translations.FontMissing, translations.TranslationError, _GlyphMissing) as error:
        raise BlockError(f"{os.path.relpath(path, root)}, lines {lines[0]}-{lines[-1]}: {error}") from None
    finally:
        for translate in figure_texts.values():
            translate.missing.clear()
        plt.close("all")
    return {"output": output.getvalue(), "figures": figures}


class _GlyphMissing(Exception):
    pass


def _svg(figure) -> str:
    """The figure as SVG, its text drawn as paths; a character that no font of its text has (which
    matplotlib would draw as an empty box, with a warning) stops the build."""
    svg = io.StringIO()
    with translations.glyphs_missing() as missing:
        figure.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    if missing:
        raise _GlyphMissing(f"a figure text has a character its fonts lack: {missing[0]}")
    return svg.getvalue()


def _traceback(error: BaseException, path: str, root: str) -> str:
    """The traceback from the snippet's own frame on, with paths relative to the repository."""
    frames = traceback.extract_tb(error.__traceback__)
    while frames and frames[0].filename != path:
        frames.pop(0)
    text = "".join(traceback.format_list(frames) + traceback.format_exception_only(error))
    return text.replace(root + os.sep, "")


@contextlib.contextmanager
def _captured(output: io.StringIO):
    """Send prints and warnings to the page, as a reader running the script would see them."""

    def show(message, category, filename, lineno, file=None, line=None):
        output.write(f"{category.__name__}: {message}\n")

    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output), warnings.catch_warnings():
        warnings.simplefilter("default")
        warnings.showwarning = show
        yield

"""Shared test helpers: the repository's paths, snippets run in-process, and one strict site build."""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import multiprocessing.forkserver
import os
import re
import runpy
import shutil
import subprocess
import sys
import threading
import time
import traceback
import types
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import matplotlib
import pytest
from bs4 import BeautifulSoup

from bookbuild import figures, runner, serving
from bookbuild.execute import Slider

# Before any snippet imports pyplot: the build's backend, Agg with a plt.show() that opens no window
# and prints nothing (on any machine), and leaves the figures open for the tests to read.
matplotlib.use("module://bookbuild.backend")
import matplotlib.pyplot as plt

# The snippets that run in this process and in those it starts wait for work as the build's do.
runner.share_the_machine()

# page_commands: how the commands that README.md and docs/ give are run; browsing: the book's pages
# in a browser.
pytest_plugins = ["page_commands", "browsing"]

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
SNIPPETS = ROOT / "snippets"
DOCS = ROOT / "docs"
TRANSLATION = re.compile(r"^[^.]+\.[a-z]{2}\.(md|py)$")  # docs/<page>.ko.md, docs/lab-<name>.ko.py
# The labs: notebooks written as jupytext .py files, rendered by mkdocs-jupyter (English originals;
# a translation shares its code and so its run).
LABS = sorted(path for path in DOCS.glob("lab-*.py") if not TRANSLATION.match(path.name))
DATA = ROOT / "data"
SCREENSHOTS = ROOT / ".cache" / "screenshots"  # written by tests/browsing.py, for people to look at
SITE_BASE = serving.SITE_BASE  # the path the site is served under: GitHub Pages and `mkdocs serve` use it
# The environment of the builds the tests run. (The build gives every page the same start on any
# machine, display or not: test_site builds the book in a hostile environment to prove it.)
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
# A snippet is cut into sections, which the pages include: # --8<-- [start:name] … # --8<-- [end:name]
SECTION_MARKER = re.compile(r"^\s*#\s*-+8<-+\s*\[(start|end):([^\]]*)\]\s*$")


@cache
def _run_snippet(relative: str) -> dict:
    plt.close("all")
    namespace = runpy.run_path(str(SNIPPETS / relative), run_name="__main__")
    _FIGURES[relative] = [plt.figure(number) for number in plt.get_fignums()]
    plt.close("all")  # closed to pyplot, still whole for the tests that draw them (test_figures)
    _SHARED[f"snippets/{relative}"] = namespace, _fingerprint(namespace)
    return namespace


@cache
def parsed(path: Path) -> BeautifulSoup:
    """A built page, parsed once for every test that reads it (a lab page is a megabyte): read it,
    never change it."""
    return BeautifulSoup(path.read_text(), "html.parser")


def figure_file(site: Path, image) -> Path:
    """The file a figure's <img> on a built page shows (bookbuild/figures.py serves each figure as a
    file of its own, at the site's root, whatever the page's depth)."""
    assert re.fullmatch(rf"(\.\./)+{figures.FOLDER}/[0-9a-f]{{20}}\.(svg|png)", image["src"]), image["src"]
    return site / figures.FOLDER / image["src"].rsplit("/", 1)[1]


_FIGURES: dict[str, list] = {}  # the figures each snippet run by _run_snippet left open


def snippet_figures(relative: str) -> list:
    """The figures snippets/<relative> leaves open, from its one run in this session."""
    _run_snippet(relative)
    return _FIGURES[relative]


@pytest.fixture(scope="session")
def snippet():
    """Run snippets/<relative> once per session, as a learner would, and return its variables."""
    return _run_snippet


# The book's two languages, as a plugins entry for the small test sites of test_exec and test_notebooks.
I18N_PLUGIN = """\
  - i18n:
      docs_structure: suffix
      languages:
        - {locale: en, name: English, default: true}
        - {locale: ko, name: 한국어}
"""


def mkdocs_build(config: Path, site_dir: Path, **env: str) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of one config; returns the finished process (check returncode)."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site_dir)],
        capture_output=True,
        text=True,
        env={**ENV, **env},
        cwd=config.parent,
    )


# What a reader's machine may hold that the book's pages must not depend on: a matplotlibrc that
# changes every default a figure uses (in the home folder and in the folder mkdocs runs from).
HOSTILE_MATPLOTLIBRC = """\
backend: TkAgg
figure.facecolor: black
figure.dpi: 50
savefig.dpi: 50
font.size: 20
lines.linewidth: 6
axes.grid: True
axes.prop_cycle: cycler('color', ['red', 'green'])
svg.fonttype: none
svg.hashsalt: hostile
"""


class BackgroundBuild:
    """`mkdocs build --strict` of a config, started in the background; `wait()` returns the site."""

    def __init__(self, name: str, config: Path, site_dir: Path, cwd: Path, **env: str) -> None:
        self.name, self.site_dir = name, site_dir
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site_dir)],
            cwd=cwd,
            env={**ENV, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._lock = threading.Lock()  # the tests and the thread that visits the pages both call wait()
        self._stderr: str | None = None

    def wait(self, timeout: float = 600) -> Path:
        """Wait for the build and return the site folder; if the build failed, fail with its log."""
        with self._lock:
            if self._stderr is None:
                self._stderr = self.process.communicate(timeout=timeout)[1]
        assert self.process.returncode == 0, f"{self.name}: mkdocs build --strict failed:\n{self._stderr}"
        return self.site_dir


def mkdocs_builds_at_once(config: Path, site_dirs: list[Path], **env: str) -> None:
    """`mkdocs build --strict` of one config into each folder, all started at once; each must pass."""
    builds = [BackgroundBuild(f"the build into {site}", config, site, config.parent, **env) for site in site_dirs]
    for build in builds:
        build.wait(timeout=300)


def _hostile_build(folder: Path) -> BackgroundBuild:
    """The book built from a clean cache with a display set (as on a desktop) and a hostile
    matplotlibrc, from another folder than the repository."""
    (folder / "matplotlibrc").write_text(HOSTILE_MATPLOTLIBRC)
    (folder / "mplconfig").mkdir()
    (folder / "mplconfig" / "matplotlibrc").write_text(HOSTILE_MATPLOTLIBRC)
    environment = {"DISPLAY": ":0", "MPLCONFIGDIR": str(folder / "mplconfig"), "BOOK_EXEC_CACHE": str(folder / "cache")}
    return BackgroundBuild("the hostile build", ROOT / "mkdocs.yml", folder / "site", folder, **environment)


# The niceness of the work the tests start in the background (the book's builds, the browser, the
# chapter notebooks' kernels; not `mkdocs serve`, whose rebuild the serve check waits for). The
# tests themselves run one after another, mostly on one core: they get the cores first and finish
# sooner, and the background, which can use both cores, takes what they leave and, once they are
# done, all of it.
BACKGROUND_NICENESS = 10


def in_the_background(pid: int | None = None) -> None:
    """Lower the priority of process `pid`, or of the calling thread and what it starts from now
    on (Linux gives each thread its own; elsewhere the whole process would slow down: left alone)."""
    if sys.platform != "linux":
        return
    target = threading.get_native_id() if pid is None else pid
    with contextlib.suppress(ProcessLookupError):  # a process that has ended already reports why itself
        niceness = max(BACKGROUND_NICENESS, os.getpriority(os.PRIO_PROCESS, target))  # only ever lowered
        os.setpriority(os.PRIO_PROCESS, target, niceness)


def needs(item: pytest.Item, fixture: str) -> bool:
    return fixture in getattr(item, "fixturenames", ())


@pytest.fixture(scope="session", autouse=True)
def _book_builds(request, tmp_path_factory) -> dict[str, BackgroundBuild]:
    """Before the first test, when any test needs the book: its strict build (with the repository's
    execution cache) into BOOK_SITE_DIR if it is set (CI publishes exactly the site that the tests
    checked) or else into a temporary folder, and the hostile build if a test compares with it.
    Both run in the background while the tests that need neither run (they run first: see
    pytest_collection_modifyitems)."""
    items = request.session.items
    builds = {}
    if any(needs(item, "site") for item in items):
        if os.environ.get("BOOK_SITE_DIR"):
            site_dir = Path(os.environ["BOOK_SITE_DIR"]).resolve()
            shutil.rmtree(site_dir, ignore_errors=True)
        else:
            site_dir = tmp_path_factory.mktemp("site")
        builds["site"] = BackgroundBuild("the book's build", ROOT / "mkdocs.yml", site_dir, ROOT)
    if any(needs(item, "hostile_site") for item in items):
        builds["hostile"] = _hostile_build(tmp_path_factory.mktemp("hostile"))
    for build in builds.values():
        in_the_background(build.process.pid)
    return builds


@pytest.fixture(scope="session")
def site(_book_builds) -> Path:
    """The book, built strictly (see _book_builds)."""
    return _book_builds["site"].wait()


@pytest.fixture(scope="session")
def hostile_site(_book_builds, site) -> Path:
    """The hostile build (see _hostile_build), once built."""
    return _book_builds["hostile"].wait()


# Long checks of the built book that need no test's help (`mkdocs serve` on a copy of it), registered
# with @once_built: each runs in a thread of its own from the moment the book is built, while the
# tests run. A test reads what one returned, or the error it raised, with `built_check(<its name>)`.
_ONCE_BUILT: dict[str, Callable[[Path], Any]] = {}


def once_built(check: Callable[[Path], Any]) -> Callable[[Path], Any]:
    """Register check(site), where site is the built book's folder."""
    _ONCE_BUILT[check.__name__] = check
    return check


@pytest.fixture(scope="session", autouse=True)
def _once_built_checks(request, _book_builds):
    """The registered checks of the modules whose tests read them, started before the first test."""
    readers = {item.module.__name__ for item in request.session.items if needs(item, "built_check")}
    checks = {name: check for name, check in _ONCE_BUILT.items() if check.__module__ in readers}
    if not checks:
        yield {}
        return

    def run(check: Callable[[Path], Any]) -> Any:
        return check(_book_builds["site"].wait())

    with ThreadPoolExecutor(len(checks), thread_name_prefix="once-built") as executor:
        yield {name: executor.submit(run, check) for name, check in checks.items()}


@pytest.fixture(scope="session")
def built_check(_once_built_checks, site) -> Callable[[str], Any]:
    """What the check registered under a name returned; the error it raised, raised again."""
    return lambda name: _once_built_checks[name].result()


@dataclass
class LabRun:
    variables: dict
    stdout: str
    cell_outputs: list[str]  # what each code cell printed, in order
    figures: list


def lab_code_cells(path: Path) -> list[str]:
    """The code of each code cell of a percent-format lab, as it stands in the file (padded with
    blank lines so that it keeps the file's line numbers): the script is these cells in order."""
    lines = path.read_text().split("\n")
    starts = [number for number, line in enumerate(lines) if line.startswith("# %%")]
    if starts[0] != 0:
        starts.insert(0, 0)  # code before the first marker is a cell too
    cells = []
    for start, end in zip(starts, [*starts[1:], len(lines)]):
        if not lines[start].startswith("# %% [markdown]"):
            cells.append("\n" * start + "\n".join(lines[start:end]))
    return cells


# A lab's exercises. Each is a task cell (a function whose body raises NotImplementedError), the
# solution's cells (tagged "solution": the function written, what it gives and a note) and the
# check's (tagged "check": a note, the chapters' words, then the code). The page runs them in that
# order; the notebook has the task and the check.
LAB_TASK = re.compile(r'raise NotImplementedError\("\D*(\d+): [^"]+"\)')


@cache
def lab_exercises(page: str) -> dict[int, dict]:
    """{number: {"task": code, "solution": [cells], "check note": text, "check": code}} of the lab
    docs/<page> (read them, never change them)."""
    import jupytext

    found: dict[int, dict] = {}
    for cell in jupytext.read(DOCS / page).cells:
        tags = cell.metadata.get("tags", [])
        task = LAB_TASK.search(cell.source) if cell.cell_type == "code" and not tags else None
        if task:
            number = int(task[1])
            found[number] = {"task": cell.source, "solution": [], "check note": None, "check": None}
        elif "solution" in tags:
            found[number]["solution"].append(cell)
        elif "check" in tags:
            found[number]["check note" if cell.cell_type == "markdown" else "check"] = cell.source
    return found


def lab_check_outcome(variables: dict, page: str, number: int, answer: str | None, *, task: bool = True):
    """Run exercise `number` of the lab docs/<page>: its task (unless task=False), then `answer`
    (code the reader wrote; None for none), then its check, in a copy of the lab's variables after
    its run: what they raised, or None if the check passed."""
    exercise = lab_exercises(page)[number]
    namespace = dict(variables)  # the lab's own stay as they ran
    code = [exercise["task"]] if task else []
    code += [answer] if answer is not None else []
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            for part in [*code, exercise["check"]]:
                exec(compile(part, f"{page}, exercise {number}", "exec"), namespace)
        except Exception as error:  # what the reader would see
            return error
    return None


@cache
def _run_lab(name: str) -> LabRun:
    """Run docs/<name> from the root as `python docs/<name>` would: its code cells in order, in one
    namespace, recording what each prints."""
    plt.close("all")
    namespace = {"__name__": "__main__", "__file__": str(DOCS / name)}
    outputs = []
    with contextlib.chdir(ROOT):  # labs read data/ from the root
        for code in lab_code_cells(DOCS / name):
            stdout = io.StringIO()
            with contextlib.redirect_stdout(stdout):
                exec(compile(code, str(DOCS / name), "exec"), namespace)
            outputs.append(stdout.getvalue())
    figures = [plt.figure(number) for number in plt.get_fignums()]
    plt.close("all")
    _SHARED[f"docs/{name}"] = namespace, _fingerprint(namespace)
    return LabRun(namespace, "".join(outputs), outputs, figures)


@pytest.fixture(scope="session")
def lab():
    """Run docs/<name> once per session, as `python docs/<name>` from the root would; return its
    variables, what it printed and the figures it drew."""
    return _run_lab


# Every test sees the same snippet and lab namespaces, so no test may change them (a test works on a
# copy). Each namespace is fingerprinted when it has run and checked again after every test module.
_SHARED: dict[str, tuple[dict, dict]] = {}


def _fingerprint(namespace: dict) -> dict:
    """Each model's modes, parameters, buffers and gradients; each tensor's values and gradient."""
    import hashlib

    import torch

    def digest(tensor):
        if tensor is None:
            return None
        return hashlib.sha256(tensor.detach().cpu().contiguous().reshape(-1).view(torch.uint8).numpy()).hexdigest()

    prints = {}
    for name, value in namespace.items():
        if isinstance(value, torch.nn.Module):
            prints[name] = (
                [module.training for module in value.modules()],
                {key: digest(tensor) for key, tensor in value.state_dict().items()},
                {key: digest(parameter.grad) for key, parameter in value.named_parameters()},
            )
        elif isinstance(value, torch.Tensor):
            prints[name] = digest(value), digest(value.grad) if value.is_leaf else None
    return prints


@pytest.fixture(scope="module", autouse=True)
def _shared_namespaces_stay_as_they_ran(request):
    yield
    changed = []
    for path, (namespace, prints) in _SHARED.items():
        now = _fingerprint(namespace)
        changed += [f"{path}: {name}" for name, value in now.items() if prints.get(name) != value]
        _SHARED[path] = namespace, now  # so that the next module is blamed only for its own changes
    assert not changed, f"{request.node.nodeid} changed what other tests share: {changed}"


@dataclass
class ScriptRun:
    """`python snippets/<relative>` from the root."""

    returncode: int
    stderr: str
    sections: dict[str, str]  # what each section printed, warnings as the pages show them


def snippet_sections(path: Path) -> list[tuple[str, str]]:
    """(name, code) of each section of a snippet, the code padded with blank lines so that it keeps
    the file's line numbers. Every line of a snippet belongs to a section that a page shows."""
    sections, current, code = [], None, []
    for number, line in enumerate(path.read_text().split("\n"), 1):
        marker = SECTION_MARKER.match(line)
        if marker and marker[1] == "start":
            current, code = marker[2], ["" for _ in range(number)]
        elif marker:
            sections.append((current, "\n".join(code)))
            current = None
        elif current is not None:
            code.append(line)
        elif line.strip():
            raise AssertionError(f"{path}, line {number}: outside every section, so on no page")
    return sections


def _run_script(relative: str) -> ScriptRun:
    """`python snippets/<relative>` from the root, in a process forked from one that has already
    imported the libraries every snippet imports (torch alone takes over a second): the snippet
    still starts from a fresh process with empty globals and seeds, so it runs as a script would.
    Its sections run in order in one namespace, which is the script, recording what each prints."""
    path = SNIPPETS / relative
    os.chdir(ROOT)
    sys.argv = [str(Path("snippets") / relative)]
    main = sys.modules["__main__"] = types.ModuleType("__main__")
    main.__file__ = str(path)
    printed: dict[str, str] = {}
    stderr = io.StringIO()

    def show(message, category, filename, lineno, file=None, line=None):
        output.write(f"{category.__name__}: {message}\n")  # as bookbuild/runner.py shows them

    try:
        for name, code in snippet_sections(path):
            output = io.StringIO()
            with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output), warnings.catch_warnings():
                warnings.simplefilter("default")
                warnings.showwarning = show
                exec(compile(code, str(path), "exec"), main.__dict__)
            printed[name] = output.getvalue()
    except BaseException:  # reported as a script's traceback would be
        stderr.write(traceback.format_exc())
        return ScriptRun(1, stderr.getvalue(), printed)
    return ScriptRun(0, stderr.getvalue(), printed)


def run_alone(shown: tuple[str, str]) -> str | None:
    """Run one section, (snippet, section), in an empty namespace, as a reader who copies only that
    block would (in a fresh process: see in_fresh_processes): the traceback if it fails."""
    relative, section = shown
    code = dict(snippet_sections(SNIPPETS / relative))[section]
    os.chdir(ROOT)
    try:
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(compile(code, str(SNIPPETS / relative), "exec"), {"__name__": "__main__"})
    except BaseException:
        return traceback.format_exc()
    return None


_FORK_SERVER = threading.Lock()


def in_fresh_processes(function, items: list, background: bool = False) -> dict:
    """{item: function(item)}, each call in a fresh process of its own (nothing one call does can
    reach another), as many at a time as there are cores, `in_the_background` if asked. The
    processes are forked from one that has already imported conftest and the libraries the
    snippets import (torch alone takes over a second); a `function` from another module imports
    that module in each process."""
    context = multiprocessing.get_context("forkserver")
    with _FORK_SERVER:  # started once, from whichever thread first calls (a @once_built check's, perhaps)
        # torch._dynamo: torch.optim imports it when a process makes its first optimizer (over a second).
        context.set_forkserver_preload(["conftest", "torch", "torch._dynamo", "numpy", "pandas", "matplotlib.pyplot"])
        # Python 3.11's fork server ignores the sys.path it is sent, so it finds conftest only on
        # PYTHONPATH; without it each process imported conftest again (0.1 to 0.4 s of a core each).
        path = os.environ.get("PYTHONPATH")
        os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(TESTS), path]))
        try:
            multiprocessing.forkserver.ensure_running()
        finally:
            if path is None:
                del os.environ["PYTHONPATH"]
            else:
                os.environ["PYTHONPATH"] = path
    initializer = in_the_background if background else None
    with context.Pool(os.cpu_count() or 1, maxtasksperchild=1, initializer=initializer) as pool:
        return dict(zip(items, pool.map(function, items, chunksize=1)))


@cache
def _script_runs() -> dict[str, ScriptRun]:
    """Every snippet run once as a script."""
    return in_fresh_processes(_run_script, snippet_files())


def script_run(relative: str) -> ScriptRun:
    """Run snippets/<relative> as a learner would, `python snippets/<relative>` from the root."""
    return _script_runs()[relative]


def snippet_files() -> list[str]:
    return sorted(str(path.relative_to(SNIPPETS)) for path in SNIPPETS.rglob("*.py"))


def pytest_sessionstart(session):
    session.config.stash[_started] = time.time()


def pytest_terminal_summary(terminalreporter, config):
    if SCREENSHOTS.is_dir() and SCREENSHOTS.stat().st_mtime >= config.stash[_started]:
        terminalreporter.write_line(f"Screenshots of every chapter (both languages light, English dark): {SCREENSHOTS}")


_started = pytest.StashKey[float]()


def pytest_collection_modifyitems(items):
    """The tests that need the built book run last, so that it is built (and its pages visited,
    tests/browsing.py) while the others run.

    `pytest -m "not site"` is the fast loop: it leaves out every test that needs the built book
    (the `site` fixture, directly or through other fixtures) and every module that builds a small
    site of its own with `mkdocs_build`."""
    for item in items:
        module = getattr(item, "module", None)
        if needs(item, "site") or getattr(module, "mkdocs_build", None) is mkdocs_build:
            item.add_marker(pytest.mark.site)
    items.sort(key=lambda item: needs(item, "site"))  # stable: each group keeps its order


def fence_options(page: str, include: str) -> dict[str, str]:
    """The options (alt, fold, slider…) of the executed fence of docs/<page> that includes
    snippets/<include>."""
    text = (DOCS / page).read_text()
    fence = re.search(rf'^ *```python exec="on"(.*)\n *--8<-- "snippets/{re.escape(include)}"$', text, re.M)
    assert fence, f"{page}: no executed block includes {include}"
    return dict(re.findall(r'(\w+)="([^"]*)"', fence[1]))


def slider_fence(page: str, include: str) -> tuple[Slider, list[str], dict[str, str]]:
    """The slider of the fence of docs/<page> that includes snippets/<include>, parsed and checked as
    the build parses it (bookbuild.execute.Slider), its alt texts and all its options."""
    options = fence_options(page, include)
    assert "slider" in options, f"{page}: no slider on the block of {include}"
    alts = [alt.strip() for alt in options["alt"].split("|")]
    return Slider.parse(options["slider"], options.get("start"), alts), alts, options

"""Shared test helpers: the repository's paths, snippets run in-process, and one strict site build."""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import os
import re
import runpy
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import matplotlib
import pytest

pytest_plugins = ["page_commands"]  # how the commands that README.md and docs/ give are run

matplotlib.use("Agg")  # before any snippet imports pyplot: no window, figures stay in memory
import matplotlib.pyplot as plt  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SNIPPETS = ROOT / "snippets"
DOCS = ROOT / "docs"
TRANSLATION = re.compile(r"^[^.]+\.[a-z]{2}\.(md|py)$")  # docs/<page>.ko.md, docs/lab-<name>.ko.py
# The labs: notebooks written as jupytext .py files, rendered by mkdocs-jupyter (English originals;
# a translation shares its code and so its run).
LABS = sorted(path for path in DOCS.glob("lab-*.py") if not TRANSLATION.match(path.name))
DATA = ROOT / "data"
SCREENSHOTS = ROOT / ".cache" / "screenshots"  # written by test_browser.py, for people to look at
# The path the site is served under, from site_url: GitHub Pages and `mkdocs serve` both use it.
SITE_BASE = re.search(r"^site_url: https?://[^/]+(/.*)$", (ROOT / "mkdocs.yml").read_text(), re.M)[1]
# Python's own environment for subprocesses, without a display so matplotlib never opens a window.
ENV = {**os.environ, "MPLBACKEND": "Agg", "NO_MKDOCS_2_WARNING": "1"}


@cache
def _run_snippet(relative: str) -> dict:
    namespace = runpy.run_path(str(SNIPPETS / relative), run_name="__main__")
    plt.close("all")
    return namespace


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


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The book built strictly into a temporary folder (with the repository's execution cache)."""
    site_dir = tmp_path_factory.mktemp("site")
    build = mkdocs_build(ROOT / "mkdocs.yml", site_dir)
    assert build.returncode == 0, f"mkdocs build --strict failed:\n{build.stderr}"
    return site_dir


@dataclass
class LabRun:
    variables: dict
    stdout: str
    figures: list


@cache
def _run_lab(name: str) -> LabRun:
    plt.close("all")
    stdout = io.StringIO()
    with contextlib.chdir(ROOT), contextlib.redirect_stdout(stdout):  # labs read data/ from the root
        variables = runpy.run_path(str(DOCS / name), run_name="__main__")
    figures = [plt.figure(number) for number in plt.get_fignums()]
    plt.close("all")
    return LabRun(variables, stdout.getvalue(), figures)


@pytest.fixture(scope="session")
def lab():
    """Run docs/<name> once per session, as `python docs/<name>` from the root would; return its
    variables, what it printed and the figures it drew."""
    return _run_lab


def _run_script(relative: str) -> subprocess.CompletedProcess:
    """`python snippets/<relative>` from the root, in a process forked from one that has already
    imported the libraries every snippet imports (torch alone takes over a second): the snippet
    still starts from a fresh process with empty globals and seeds, so it runs as a script would."""
    path = SNIPPETS / relative
    stdout, stderr, returncode = io.StringIO(), io.StringIO(), 0
    os.chdir(ROOT)
    sys.argv = [str(Path("snippets") / relative)]
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            runpy.run_path(str(path), run_name="__main__")
        except SystemExit as error:
            returncode = error.code if isinstance(error.code, int) else 1
        except BaseException:  # noqa: BLE001 - reported as a script's traceback would be
            traceback.print_exc()
            returncode = 1
    return subprocess.CompletedProcess(sys.argv, returncode, stdout.getvalue(), stderr.getvalue())


@cache
def _script_runs() -> dict[str, subprocess.CompletedProcess]:
    """Every snippet run once as a script, as many at a time as there are cores."""
    files = snippet_files()
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["conftest", "torch", "numpy", "pandas", "matplotlib.pyplot"])
    # One fresh process per snippet: nothing one snippet does can reach another.
    with context.Pool(os.cpu_count() or 1, maxtasksperchild=1) as pool:
        return dict(zip(files, pool.map(_run_script, files, chunksize=1)))


def script_run(relative: str) -> subprocess.CompletedProcess:
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

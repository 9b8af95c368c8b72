"""Time the book's build: `python -m bookbuild.benchmark` from the repository root.

Prints, in one run: a clean build (empty execution cache) of the English edition alone and of both
languages, a rebuild with nothing changed, a build that executes nothing (BOOK_EXEC=off), and the
summed run time of every snippet and lab run as a script, each against the targets the project
holds itself to.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(command: list[str], **env: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        command,
        check=True,
        cwd=ROOT,
        env={**os.environ, "MPLBACKEND": "Agg", "NO_MKDOCS_2_WARNING": "1", **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        build = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", f"{scratch}/site"]
        cache = {"BOOK_EXEC_CACHE": f"{scratch}/cache"}
        english = timed(build, BOOK_EXEC_CACHE=f"{scratch}/cache-en", BOOK_ONLY_LANGUAGE="en")
        clean = timed(build, **cache)
        rebuild = timed(build, **cache)
        no_exec = timed(build, BOOK_EXEC="off")
    # The code a clean build runs: every snippet, and every lab (a notebook kept as a .py script;
    # a translation, lab-*.ko.py, shares the original's run).
    labs = [path for path in sorted((ROOT / "docs").glob("lab-*.py")) if len(path.suffixes) == 1]
    snippets = sorted((ROOT / "snippets").rglob("*.py")) + labs
    snippet_total = sum(timed([sys.executable, str(path.relative_to(ROOT))]) for path in snippets)

    rows = [
        ("clean build", clean, f"<= snippets + 10 s = {snippet_total + 10:.1f} s", clean <= snippet_total + 10),
        ("clean build, English only", english, "", True),
        ("clean build, both languages", clean, f"<= 1.2 x English only = {1.2 * english:.1f} s", clean <= 1.2 * english),
        ("no-change rebuild", rebuild, f"<= 1.5 x no-exec build = {1.5 * no_exec:.1f} s", rebuild <= 1.5 * no_exec),
        ("build that executes nothing", no_exec, "", True),
        (f"{len(snippets)} snippets and labs as scripts", snippet_total, "", True),
    ]
    for name, seconds, target, met in rows:
        verdict = ("met" if met else "MISSED") if target else ""
        print(f"{name:<30} {seconds:7.2f} s   {target:<38} {verdict}")
    sys.exit(0 if all(met for *_, met in rows) else 1)


if __name__ == "__main__":
    main()

"""Time the book's build: `python -m bookbuild.benchmark` from the repository root.

Prints, in one run: a clean build (empty execution cache) of the English edition alone and of both
languages, a rebuild with nothing changed, a build that executes nothing (BOOK_EXEC=off), the
summed run time of every snippet and lab run as a script, and the resident memory of `mkdocs serve`
over 20 rebuilds that each re-run a page, each against the targets the project holds itself to.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
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


def serve_memory(rebuilds: int = 20) -> tuple[list[float], list[float]]:
    """The resident memory (MB) of `mkdocs serve` after its first build and after each rebuild, and
    the time each rebuild took to finish after the edit that started it. It serves a copy of the
    book, and each rebuild follows an edit to a snippet, so the page that includes it runs again."""
    with tempfile.TemporaryDirectory() as scratch:
        book = Path(scratch) / "book"
        for name in ["docs", "snippets", "locale", "data", "bookbuild", "overrides"]:
            shutil.copytree(ROOT / name, book / name, ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy(ROOT / "mkdocs.yml", book)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=book,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "BOOK_EXEC_CACHE": f"{scratch}/cache"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        builds = threading.Semaphore(0)
        failures: list[str] = []

        def count_builds() -> None:
            # The first build ends with "Serving on"; each rebuild with "Reloading browsers". (Not
            # "Documentation built in": MkDocs drops a log message it has logged before, so a
            # rebuild that takes as long as an earlier one, to the hundredth of a second, logs none.)
            for line in server.stderr:
                if "Serving on" in line or "Reloading browsers" in line:
                    builds.release()
                elif "An error happened during the rebuild" in line:
                    failures.append(line)
                    builds.release()

        threading.Thread(target=count_builds, daemon=True).start()
        try:
            assert builds.acquire(timeout=600), "mkdocs serve did not finish its first build"
            memory, seconds = [_resident_mb(server.pid)], []
            snippet = book / "snippets" / "forward_propagation" / "neuron.py"
            original = snippet.read_text().split("\n")
            for rebuild in range(rebuilds):
                time.sleep(1)  # past the server's debounce of file events
                edited = [original[0], f"print({rebuild})", *original[1:]]  # inside the first section
                start = time.perf_counter()
                snippet.write_text("\n".join(edited))
                assert builds.acquire(timeout=300), f"rebuild {rebuild + 1} did not finish"
                assert not failures, f"rebuild {rebuild + 1} failed: {failures[0]}"
                seconds.append(time.perf_counter() - start)
                memory.append(_resident_mb(server.pid))
        finally:
            server.terminate()
            server.wait(timeout=30)
    return memory, seconds


def _resident_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


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
    memory, rebuild_seconds = serve_memory()
    # Python's allocator keeps some memory it freed: allow 10 % above the first rebuild's.
    growth_target = 1.1 * memory[1]

    rows = [
        ("clean build", clean, f"<= snippets + 10 s = {snippet_total + 10:.1f} s", clean <= snippet_total + 10),
        ("clean build, English only", english, "", True),
        (  # the Korean pass runs nothing, but every figure is also saved with Korean text
            "clean build, both languages",
            clean,
            f"<= 1.3 x English only = {1.3 * english:.1f} s",
            clean <= 1.3 * english,
        ),
        ("no-change rebuild", rebuild, f"<= 1.5 x no-exec build = {1.5 * no_exec:.1f} s", rebuild <= 1.5 * no_exec),
        ("build that executes nothing", no_exec, "", True),
        (f"{len(snippets)} snippets and labs as scripts", snippet_total, "", True),
        (f"serve: slowest of {len(rebuild_seconds)} rebuilds", max(rebuild_seconds), "", True),
    ]
    for name, seconds, target, met in rows:
        verdict = ("met" if met else "MISSED") if target else ""
        print(f"{name:<30} {seconds:7.2f} s   {target:<38} {verdict}")
    memory_met = max(memory[1:]) <= growth_target
    print(
        f"{'serve: resident memory':<30} {memory[-1]:7.1f} MB  after {len(memory) - 1} rebuilds "
        f"(first build {memory[0]:.1f} MB, first rebuild {memory[1]:.1f} MB, most {max(memory):.1f} MB; "
        f"target <= 1.1 x first rebuild = {growth_target:.1f} MB) {'met' if memory_met else 'MISSED'}"
    )
    rows.append(("serve memory", 0, "", memory_met))
    sys.exit(0 if all(met for *_, met in rows) else 1)


if __name__ == "__main__":
    main()

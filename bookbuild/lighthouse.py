"""Lighthouse's scores for a sample of the book's pages: `python -m bookbuild.lighthouse [SITE]`.

SITE is a built site (`mkdocs build -d SITE`); without it the book is built into a temporary folder
first. The site is served on 127.0.0.1 under site_url's path, gzipped as GitHub Pages serves it
(performance drops by 20 points and more without), and Lighthouse (mobile defaults) runs on each
page of PAGES in Chromium. Each score is printed beside its target, with the audits that failed,
and the bytes the page transferred on its first load.
Exits 1 when a target is missed, and 0 with a message, running nothing, when Lighthouse is not
installed (README, "Lighthouse", says how to install it).
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITE_BASE = re.search(r"^site_url: https?://[^/]+(/.*)$", (ROOT / "mkdocs.yml").read_text(), re.M)[1]
PAGES = [
    "",
    "forward-propagation/",
    "optimizers/",
    "ko/backpropagation/",
    "glossary/",
    "lab-house-prices/",
    "404.html",
]
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# What GitHub Pages compresses: text, and fonts other than WOFF2 (compressed already). Images other
# than SVG it sends as they are.
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".ipynb", ".py", ".csv", ".otf", ".ttf"}


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """The site under SITE_BASE, gzipped when the browser accepts it; a missing path answers the
    site's 404.html with status 404, as on GitHub Pages."""

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def _answer(self, body: bool) -> None:
        path = self.path.split("?")[0].split("#")[0]
        file = None
        if path.startswith(SITE_BASE):
            file = Path(self.translate_path("/" + path[len(SITE_BASE) :]))
            if file.is_dir():
                if not path.endswith("/"):
                    self.send_response(301)
                    self.send_header("Location", path + "/")
                    self.end_headers()
                    return
                file = file / "index.html"
        status = 200
        if file is None or not file.is_file():
            status, file = 404, Path(self.directory) / "404.html"
        data = file.read_bytes()
        zipped = file.suffix in COMPRESSED and "gzip" in self.headers.get("Accept-Encoding", "")
        if zipped:
            data = _gzipped(file)
        self.send_response(status)
        self.send_header("Content-Type", self.guess_type(str(file)))
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "max-age=600")  # GitHub Pages' caching
        if zipped:
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


@functools.cache
def _gzipped(file: Path) -> bytes:
    return gzip.compress(file.read_bytes(), compresslevel=6, mtime=0)


@contextlib.contextmanager
def served(site: Path):
    """The site served gzipped; yields the URL of its root, ending in '/'."""
    handler = functools.partial(GzipHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}{SITE_BASE}"
    finally:
        httpd.shutdown()


def audit(url: str, lighthouse: str) -> dict:
    """Lighthouse's report of one page, as JSON."""
    result = subprocess.run(
        [
            lighthouse,
            url,
            "--output=json",
            "--quiet",
            "--chrome-flags=--headless=new --no-sandbox",
            f"--only-categories={','.join(TARGETS)}",
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def failures(report: dict) -> list[str]:
    """The audits that count in a score and failed, each with the page's elements they name."""
    failed = []
    for category in report["categories"].values():
        for ref in category["auditRefs"]:
            found = report["audits"][ref["id"]]
            if ref["weight"] and found["score"] is not None and found["score"] < 1:
                items = (found.get("details") or {}).get("items") or []
                failed.append(f"{category['id']}: {ref['id']} ({found['score']:.2f}, {len(items)} items)")
    return failed


def main() -> None:
    lighthouse = shutil.which("lighthouse")
    if lighthouse is None:
        print("Lighthouse is not installed: npm install -g -E lighthouse@12.2.3 (README, \"Lighthouse\"). Nothing run.")
        return
    with tempfile.TemporaryDirectory() as scratch:
        if len(sys.argv) > 1:
            site = Path(sys.argv[1])
        else:
            site = Path(scratch) / "site"
            subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], cwd=ROOT, check=True)
        missed = False
        print(f"{'page':<24}" + "".join(f"{name:>18}" for name in TARGETS) + f"{'KiB transferred':>18}")
        print(f"{'target':<24}" + "".join(f"{'>= ' + str(target):>18}" for target in TARGETS.values()))
        with served(site) as root:
            for page in PAGES:
                report = audit(root + page, lighthouse)
                scores = {name: round(100 * report["categories"][name]["score"]) for name in TARGETS}
                met = {name: scores[name] >= TARGETS[name] for name in TARGETS}
                missed |= not all(met.values())
                cells = "".join(f"{str(scores[n]) + ('' if met[n] else ' MISSED'):>18}" for n in TARGETS)
                kib = report["audits"]["total-byte-weight"]["numericValue"] / 1024
                print(f"{'/' + page:<24}{cells}{kib:>18.0f}")
                for failure in failures(report):
                    print(f"{'':<26}{failure}")
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()

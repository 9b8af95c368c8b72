"""The built site served as GitHub Pages serves it, for the browser tests (tests/browsing.py), the
page-weight test (tests/page_weight.py, which counts the bytes this sends) and Lighthouse
(bookbuild/lighthouse.py): one server and one rule for what is gzipped, so that what the tests weigh
is what the browser is sent.

- The site is under SITE_BASE, site_url's path (/book/); a path outside it, or missing, answers the
  site's 404.html with status 404, as GitHub Pages does.
- A folder's path without its final slash is redirected (301) to the path with it; a folder answers
  its index.html.
- Files of a COMPRESSED type are sent gzipped (level 6, gzip's and most servers' default) to a
  browser that accepts it; other images and WOFF2 fonts, compressed already, as they are.
- Cache-Control: max-age=600, GitHub Pages' caching.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import re
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITE_BASE = re.search(r"^site_url: https?://[^/]+(/.*)$", (ROOT / "mkdocs.yml").read_text(), re.M)[1]
# What GitHub Pages compresses: text, and fonts other than WOFF2. Images other than SVG it sends as
# they are.
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".ipynb", ".py", ".csv", ".otf", ".ttf"}


def sent(file: Path) -> bytes:
    """The bytes of the file as the server sends it to a browser that accepts gzip."""
    stat = file.stat()
    return _sent(file, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4096)  # the same stylesheets, scripts and index for every page
def _sent(file: Path, mtime_ns: int, size: int) -> bytes:
    data = file.read_bytes()
    return gzip.compress(data, compresslevel=6, mtime=0) if file.suffix in COMPRESSED else data


class SiteServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # not a browser that left a page mid-load
            super().handle_error(request, client_address)


class SiteHandler(http.server.SimpleHTTPRequestHandler):
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
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                file = file / "index.html"
        status = 200
        if file is None or not file.is_file():
            status, file = 404, Path(self.directory) / "404.html"
        zipped = file.suffix in COMPRESSED and "gzip" in self.headers.get("Accept-Encoding", "")
        data = sent(file) if zipped else file.read_bytes()
        self.send_response(status)
        content_type = self.guess_type(str(file))
        if content_type.startswith("text/"):
            content_type += "; charset=utf-8"
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "max-age=600")
        if file.suffix in COMPRESSED:
            self.send_header("Vary", "Accept-Encoding")
        if zipped:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def served(site: Path) -> Iterator[str]:
    """The site served on 127.0.0.1; yields the URL of SITE_BASE without its final slash, to which
    a page's path ("/", "/glossary/") is added."""
    handler = functools.partial(SiteHandler, directory=str(site))
    httpd = SiteServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}{SITE_BASE.rstrip('/')}"
    finally:
        httpd.shutdown()
        httpd.server_close()

"""MkDocs hook: every figure a file of its own, loaded lazily.

The executed blocks (bookbuild/execute.py) and nbconvert (bookbuild/notebooks.py) embed each figure
as a base64 data URI; bookbuild/narrow.py reads its text sizes from there. This hook, the last to
see a page's HTML, writes each such image to FOLDER in the site, named by the SHA-256 of its bytes,
and points the <img> at it with a relative URL (so that the site works at any path, offline, under
`mkdocs serve`), with:

- width and height (those nbconvert gives a lab's figure, or the image's own size in CSS px), so
  that the page keeps the figure's place while it loads (no layout shift);
- loading="lazy" and decoding="async": a figure far below the first screen loads only as the
  reader scrolls towards it, and decoding it does not hold up the page.

Why files: base64 makes an image a third bigger, and it gzips far worse than the SVG text it
encodes (an optimizers page was 426 KB of figures in 670 KB of HTML); a file is cached on its own
and, named by its content, cached for good, and the same figure on two pages is one file. Every
page of both languages writes its figures into the one folder at the site's root (a Korean figure
differs from its English twin, so it gets its own name); the name depends on the bytes alone, so
two builds write the same site. The notebooks are not made from the pages' HTML
(bookbuild/chapter_notebooks.py, bookbuild/notebooks.py): they keep their figures inside.

Writing files in on_post_page is what bookbuild/notebooks.py does with the labs' data: MkDocs'
public way to add a file (on_files) needs the file before the pages are converted, and a figure
exists only once its page's code has run.
"""

from __future__ import annotations

import base64
import hashlib
import re
import struct
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

FOLDER = "assets/figures"
EMBEDDED = re.compile(r'<img\b([^>]*?) src="data:image/(svg\+xml|png);base64,([^"]+)"([^>]*)>')
SUFFIX = {"svg+xml": ".svg", "png": ".png"}
PX_PER_PT = 4 / 3  # matplotlib's SVG gives its size in points


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    def served(match: re.Match) -> str:
        before, kind, encoded, after = match.groups()
        data = base64.b64decode(encoded)
        path = f"{FOLDER}/{hashlib.sha256(data).hexdigest()[:20]}{SUFFIX[kind]}"
        file = Path(config.site_dir) / path
        if not file.exists():
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_bytes(data)
        # nbconvert gives a lab's figure the size it is shown at (half its pixels: drawn for
        # screens with two pixels per CSS px); the chapters' figures get their own.
        shown = "" if re.search(r"\swidth=", before + after) else ' width="{}" height="{}"'.format(*size(kind, data))
        return f'<img{before} src="{get_relative_url(path, page.url)}"{shown} loading="lazy" decoding="async"{after}>'

    return EMBEDDED.sub(served, output)


def size(kind: str, data: bytes) -> tuple[int, int]:
    """The size in CSS px at which a browser shows the image when nothing constrains it."""
    if kind == "png":
        return struct.unpack(">II", data[16:24])  # the IHDR chunk's width and height, in pixels
    svg = data[:2000].decode(errors="replace")  # the <svg> element, which matplotlib writes first
    width, height = (float(re.search(rf'<svg\b[^>]*\b{name}="([0-9.]+)pt"', svg)[1]) for name in ("width", "height"))
    return round(width * PX_PER_PT), round(height * PX_PER_PT)

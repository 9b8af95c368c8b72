"""MkDocs hook: what makes every page read on a phone (390 px wide) as well as on a desktop. It
rewrites each page's finished HTML, in both languages, chapters and labs alike; the stylesheet's
"Narrow screens" block (docs/stylesheets/book.css) does the rest.

- Code and output: each line of a <pre> becomes a `book-line` span, so that a line longer than the
  column wraps under itself with a hanging indent and a continuation mark (drawn by CSS, so copying
  a block or selecting it copies the original lines, nothing added). Pygments' spans never hold two
  lines once a multi-line token (a docstring) is cut at its line ends.
- Figures: each one gets the width at which its smallest text is READABLE_PX tall (its em size) as
  `--book-readable-width`; below that width the figure scrolls sideways in its own box rather than
  shrinking its text away. An SVG's text sizes are read from the SVG (matplotlib draws text as
  paths, each glyph run scaled by its font size); a lab's PNG figures carry no text sizes, so they
  use LAB_FIGURE_SMALLEST_PT, which tests/test_narrow.py checks against the labs' sources.
- Tables: each data cell names its column (`data-label`), and the table and its parts get their
  ARIA roles, so that at narrow widths CSS can stack each row as a card, the headers hidden from
  view but still read by screen readers (a table whose display CSS changes loses its table
  semantics in some browsers unless its roles are explicit).
"""

from __future__ import annotations

import base64
import html
import math
import re
import struct

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

READABLE_PX = 9  # the smallest figure text a reader can read without zooming, in CSS px
# matplotlib's smallest text in the labs' figures: its default size (10 pt) scaled by 0.7 for the
# exponents of a log axis's tick labels (10⁻³); no lab asks for a smaller font.
LAB_FIGURE_SMALLEST_PT = 7.0
# matplotlib's SVG text: each glyph run is a <g> scaled by fontsize / 100 (and flipped), and a
# mathtext glyph inside it (a sub- or superscript) may be scaled again.
SVG_RUN = re.compile(r'<g transform="[^"]*scale\(([0-9.e-]+) -[0-9.e-]+\)">(.*?)</g>', re.S)
SVG_GLYPH_SCALE = re.compile(r'<use [^>]*transform="[^"]*scale\(([0-9.e-]+)\)"')

PRE = re.compile(r"(<pre\b[^>]*>)(.*?)(</pre>)", re.S)
CODE = re.compile(r"^((?:<span></span>)?<code\b[^>]*>)(.*)(</code>)$", re.S)
ONE_TOKEN = re.compile(r'<span class="([^"]*)">([^<]*)</span>')
TAG = re.compile(r"<(/?)([a-zA-Z]+)\b[^>]*?(/?)>")

FIGURE_IMAGE = re.compile(r'<img\b[^>]*?src="data:image/(svg\+xml|png);base64,([^"]+)"[^>]*>')
TABLE = re.compile(r"<table>(.*?)</table>", re.S)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    where = page.file.src_uri
    output = PRE.sub(lambda match: match[1] + _lines(match[2], where) + match[3], output)
    output = FIGURE_IMAGE.sub(_readable_figure, output)
    return TABLE.sub(_labelled_table, output)


def _lines(inside: str, where: str) -> str:
    """The text of a <pre>, each line in its own span (inside its <code>, if it has one)."""
    code = CODE.match(inside)
    start, text, end = code.groups() if code else ("", inside, "")
    text = ONE_TOKEN.sub(_token_per_line, text)
    ends_with_newline = text.endswith("\n")
    lines = (text[:-1] if ends_with_newline else text).split("\n")
    for line in lines:
        if not _balanced(line):
            raise PluginError(f"{where}: a code line whose tags continue on the next line: {line[:200]!r}")
    spans = [f'<span class="book-line">{line}\n</span>' for line in lines]
    if not ends_with_newline:  # the last line has no newline to keep
        spans[-1] = spans[-1].replace("\n</span>", "</span>")
    return start + "".join(spans) + end


def _token_per_line(match: re.Match) -> str:
    css_class, text = match.groups()
    if "\n" not in text:
        return match[0]
    return "\n".join(f'<span class="{css_class}">{part}</span>' if part else "" for part in text.split("\n"))


def _balanced(line: str) -> bool:
    open_tags = []
    for closing, name, self_closing in TAG.findall(line):
        if self_closing:
            continue
        if not closing:
            open_tags.append(name)
        elif not open_tags or open_tags.pop() != name:
            return False
    return not open_tags


def svg_text_sizes(svg: str) -> list[float]:
    """The size in points of every glyph run of a matplotlib SVG, sub- and superscripts included."""
    sizes = []
    for scale, run in SVG_RUN.findall(svg):
        size = float(scale) * 100
        sizes.append(size)
        sizes.extend(size * float(glyph) for glyph in SVG_GLYPH_SCALE.findall(run))
    return sizes


def readable_width(kind: str, data: bytes) -> int | None:
    """The CSS width in px at which a figure's smallest text is READABLE_PX tall; None if it has no
    text. An SVG's user unit is a point, as its width="…pt" says; a PNG has `dpi` pixels per inch,
    and its text sizes are the labs' (LAB_FIGURE_SMALLEST_PT)."""
    if kind == "svg+xml":
        svg = data.decode()
        sizes = svg_text_sizes(svg)
        if not sizes:
            return None
        view_box_width = float(re.search(r'viewBox="[-0-9.]+ [-0-9.]+ ([0-9.]+) ', svg)[1])
        return math.ceil(READABLE_PX * view_box_width / min(sizes))
    width = struct.unpack(">I", data[16:20])[0]
    dots_per_metre = struct.unpack(">I", data[data.index(b"pHYs") + 4 :][:4])[0]
    pixels_per_point = dots_per_metre * 0.0254 / 72
    return math.ceil(READABLE_PX * width / (pixels_per_point * LAB_FIGURE_SMALLEST_PT))


def _readable_figure(match: re.Match) -> str:
    width = readable_width(match[1], base64.b64decode(match[2]))
    if width is None:
        return match[0]
    return match[0][:4] + f' style="--book-readable-width: {width}px"' + match[0][4:]


def _labelled_table(match: re.Match) -> str:
    inside = match[1]
    headers = [_plain(header) for header in re.findall(r"<th\b[^>]*>(.*?)</th>", inside, re.S)]

    def labelled_row(row: re.Match) -> str:
        cells = iter(headers)
        return re.sub(
            r"<td\b", lambda _: f'<td role="cell" data-label="{html.escape(next(cells, ""))}"', row[0]
        ).replace("<tr>", '<tr role="row">')

    inside = re.sub(r"<tr>.*?</tr>", labelled_row, inside, flags=re.S)
    inside = re.sub(r"<th\b", '<th role="columnheader"', inside)
    inside = re.sub(r"<(thead|tbody)>", r'<\1 role="rowgroup">', inside)
    return f'<table role="table">{inside}</table>'


def _plain(cell: str) -> str:
    """A header cell's text: its MathML or markup reduced to the characters it shows."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", cell)).split())

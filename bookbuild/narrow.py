"""MkDocs hook: what makes every page read on a phone (390 px wide) as well as on a desktop. It
rewrites each page's finished HTML, in both languages, chapters and labs alike; the stylesheet's
"Narrow screens" block (docs/stylesheets/book.css) does the rest.

- Code and output: each line of a <pre> becomes a `book-line` span, so that a line longer than the
  column wraps under itself with a hanging indent and a continuation mark (drawn by CSS, so copying
  a block or selecting it copies the original lines, nothing added). A line that starts with spaces
  carries their number (`--indent`), so that its continuations start inside its own indentation,
  not at the block's left edge, where they would read as the end of a loop's body; those spaces
  are a `book-indent` span that does not wrap, so that a long first word does not leave its line
  blank by wrapping after them. Pygments' spans never hold two lines once a multi-line token (a
  docstring) is cut at its line ends. A run of code with no space in it, longer than a phone's
  continuation line may be, can break where code reads well broken (<wbr>: before a method's dot,
  after an opening bracket, a comma or a keyword argument's =), so that the browser need not cut it inside a name
  (`.t↪o_string()`). Names lose the span Pygments gives them, which changes nothing a reader sees
  (see PLAIN_TOKEN) and is a sixth of a chapter's elements, each styled and laid out on every load.
- Output printed as a table (columns aligned with runs of spaces, as pandas and formatted prints
  make them) keeps its lines whole and scrolls sideways in its box (`book-table`): wrapped, each row
  would break at a different column and the columns would no longer line up. Other output wraps,
  so that the numbers at the end of a long line stay in view.
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
TOKEN = re.compile(r"<span class=")
# A line's leading spaces, after the tags that open it, when text follows them on the line.
LEADING_SPACES = re.compile(r"^((?:<span\b[^>]*>|</span>)*)( +)(?=[^ ])")
INDENT = r'\1<span class="book-indent">\2</span>'

# Output printed as a table: a header line (no digits) and at least two more lines, with at least
# two column gaps in common: runs of at least two spaces at the same place on every line, with text
# before and after (pandas and formatted prints put two or more spaces between columns).
TABLE_LINES = 3
TABLE_GAPS = 2
TABLE_GAP = 2
ONE_TOKEN = re.compile(r'<span class="([^"]*)">([^<]*)</span>')
# Pygments' class for a plain name: Material paints it in the code's own colour
# (--md-code-hl-name-color is --md-code-fg-color) and the labs' stylesheet not at all.
PLAIN_TOKEN = "n"
# A run without spaces this long may not fit on a continuation line at a phone's width (its 40-odd
# columns, less a hanging indentation of up to 18), so it gets break opportunities.
LONG_RUN = 24
# A minus (an operator's span) with the name, number or bracket after it (`-log_probs`, `-4.0`,
# `-torch.exp(z)`, `-(a + b)`, `1-p`, `-1e-5`): a browser may break a line after a hyphen, which left
# the sign at the end of a line, read as a subtraction that goes on (`allclose(got, -↪expected)`);
# they are joined (book.css). Pygments gives a minus after `=` or `**` the same span as them
# (`vmin=-limit`, `x**-2`), which the minus leaves for its own.
MINUS_BEFORE = re.compile(r'<span class="o">([^<]*?)-</span>(\w+|<span class="[^"]+">[^<\s]+</span>)')
# A line's markup in units: a tag, a character reference, a character.
UNIT = re.compile(r"<[^>]*>|&#?\w+;|[^<&]")
TAG = re.compile(r"<(/?)([a-zA-Z]+)\b[^>]*?(/?)>")

FIGURE_IMAGE = re.compile(r'<img\b[^>]*?src="data:image/(svg\+xml|png);base64,([^"]+)"[^>]*>')
TABLE = re.compile(r"<table>(.*?)</table>", re.S)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    where = page.file.src_uri
    output = PRE.sub(lambda match: _as_table(match[1], match[2]) + _lines(match[2], where) + match[3], output)
    output = FIGURE_IMAGE.sub(_readable_figure, output)
    return TABLE.sub(_labelled_table, output)


def _lines(inside: str, where: str) -> str:
    """The text of a <pre>, each line in its own span (inside its <code>, if it has one)."""
    code = CODE.match(inside)
    start, text, end = code.groups() if code else ("", inside, "")
    text = ONE_TOKEN.sub(_token, text)
    ends_with_newline = text.endswith("\n")
    lines = (text[:-1] if ends_with_newline else text).split("\n")
    for line in lines:
        if not _balanced(line):
            raise PluginError(f"{where}: a code line whose tags continue on the next line: {line[:200]!r}")
    spans = [
        f'<span class="book-line"{_indent(line)}>{_breakable(_joined(LEADING_SPACES.sub(INDENT, line, 1)))}\n</span>'
        for line in lines
    ]
    if not ends_with_newline:  # the last line has no newline to keep
        spans[-1] = spans[-1].replace("\n</span>", "</span>")
    return start + "".join(spans) + end


def _joined(line: str) -> str:
    """The line with each minus and the name, number or bracket after it in one `book-joined` span."""
    return MINUS_BEFORE.sub(
        lambda match: (f'<span class="o">{match[1]}</span>' if match[1] else "")
        + f'<span class="book-joined"><span class="o">-</span>{match[2]}</span>',
        line,
    )


def _indent(line: str) -> str:
    """The attribute that gives a line's continuations its indentation: its leading spaces."""
    text = _plain(line, keep_lines=True)
    spaces = len(text) - len(text.lstrip(" "))
    return f' style="--indent:{spaces}"' if spaces and text.strip() else ""


def _as_table(pre: str, inside: str) -> str:
    """The <pre> tag, marked `book-table` if it holds output printed as a table."""
    if TOKEN.search(inside.removeprefix("<span></span>")) or not is_table(_plain(inside, keep_lines=True)):
        return pre
    if 'class="' in pre:
        return pre.replace('class="', 'class="book-table ', 1)
    return pre[:-1] + ' class="book-table">'


def is_table(text: str) -> bool:
    """Whether the text has a table whose values are named by a header line (TABLE_LINES lines or
    more from a line without digits, TABLE_GAPS column gaps in common). Rows that name their own
    values ("score 1.5e-01, final loss 1.3e-01") read as well wrapped, and are not tables here."""
    lines = [line.rstrip() for line in text.split("\n")]
    for start, header in enumerate(lines):
        if re.search(r"\d", header) or not header.strip():
            continue
        end = start + TABLE_LINES
        while end <= len(lines) and lines[end - 1].strip() and _column_gaps(lines[start:end]) >= TABLE_GAPS:
            end += 1
        if end > start + TABLE_LINES:
            return True
    return False


def _column_gaps(lines: list[str]) -> int:
    """How many runs of TABLE_GAP blank columns or more the lines share, text before and after."""
    indent = min(len(line) - len(line.lstrip(" ")) for line in lines)
    blank = "".join(
        "1" if column > indent and all(line[column] == " " for line in lines) else "0"
        for column in range(min(map(len, lines)))
    )
    return len(re.findall("1{%d,}" % TABLE_GAP, blank))


def _token(match: re.Match) -> str:
    """A token's span, once per line of it; a plain name's text alone."""
    css_class, text = match.groups()
    if css_class == PLAIN_TOKEN:
        return text
    if "\n" not in text:
        return match[0]
    return "\n".join(f'<span class="{css_class}">{part}</span>' if part else "" for part in text.split("\n"))


def _breakable(line: str) -> str:
    """The line with a <wbr> wherever a run of LONG_RUN characters or more without a space reads
    well broken: after an opening bracket or a comma that something other than a closing bracket
    follows, after a keyword argument's = (`model=`, not `==`), before a dot between two names
    (`x.sum`, not the point of `0.5`). A number does not break (book.css)."""
    units = UNIT.findall(line)
    characters = [index for index, unit in enumerate(units) if not unit.startswith("<")]
    text = "".join(html.unescape(units[index]) for index in characters)
    breaks = set()
    for run in re.finditer(r"\S{%d,}" % LONG_RUN, text):
        for at in range(run.start() + 1, run.end()):
            before, here, after = text[at - 1], text[at], text[at + 1 : at + 2]
            name_dot = here == "." and (before.isalnum() or before in "_)]") and (after.isalpha() or after == "_")
            keyword = before == "=" and here != "=" and (text[at - 2].isalnum() or text[at - 2] == "_")
            if (before in "([," and here not in ")]") or name_dot or keyword:
                breaks.add(characters[at])
    return "".join("<wbr>" + unit if index in breaks else unit for index, unit in enumerate(units))


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


def _plain(cell: str, keep_lines: bool = False) -> str:
    """A header cell's text: its MathML or markup reduced to the characters it shows (with its line
    ends and spaces kept: a code line's, a <pre>'s)."""
    text = html.unescape(re.sub(r"<[^>]+>", "", cell))
    return text if keep_lines else " ".join(text.split())

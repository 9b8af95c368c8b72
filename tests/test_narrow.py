"""bookbuild/narrow.py, which prepares every page to read on a phone: its code lines, figure widths
and tables. tests/test_browser.py checks the result at a phone's width."""

from __future__ import annotations

import html
import io
import math
import re
from pathlib import Path

import matplotlib.pyplot as plt
import pygments
import pygments.formatters
import pygments.lexers

from bookbuild import narrow

ROOT = Path(__file__).resolve().parent.parent

CODE = '''def f(x):
    """A docstring
    over three lines."""
    return x  # a comment with <, > and &
'''


def text_of(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def test_each_line_of_a_code_block_is_its_own_span_and_its_text_is_unchanged():
    highlighted = pygments.highlight(CODE, pygments.lexers.PythonLexer(), pygments.formatters.HtmlFormatter())
    pre = re.search(r"<pre>(.*)</pre>", highlighted, re.S)[1]
    lines = narrow._lines(f"<span></span><code>{pre}</code>", "a page")
    assert text_of(lines) == CODE  # what the copy button and a selection copy
    spans = re.findall(r'<span class="book-line">(.*?)\n</span>(?=<span class="book-line">|</code>)', lines, re.S)
    assert [text_of(span) for span in spans] == CODE.splitlines()
    assert all(narrow._balanced(span) for span in spans)  # the docstring's span is cut at each line end


def test_an_output_block_without_a_final_newline_keeps_its_text():
    lines = narrow._lines("loss 0.5\nloss 0.25", "a page")
    assert lines == '<span class="book-line">loss 0.5\n</span><span class="book-line">loss 0.25</span>'


def test_a_table_names_each_cell_s_column_and_keeps_its_roles():
    table = (
        "<table><thead><tr><th>English</th><th>Derivative <math><mi>f</mi></math></th></tr></thead>"
        "<tbody><tr><td>sigmoid</td><td>&#963;(1 - &#963;)</td></tr></tbody></table>"
    )
    labelled = narrow.TABLE.sub(narrow._labelled_table, table)
    assert '<td role="cell" data-label="Derivative f">&#963;(1 - &#963;)</td>' in labelled
    assert labelled.startswith('<table role="table"><thead role="rowgroup"><tr role="row"><th role="columnheader">')


def svg_of(figure) -> str:
    svg = io.StringIO()
    figure.savefig(svg, format="svg")
    plt.close(figure)
    return svg.getvalue()


def test_a_figure_s_smallest_text_is_read_from_its_svg_sub_and_superscripts_included():
    """A log axis's tick labels are 10 pt with exponents at 0.7 of that: 7 pt, smaller than the
    8 pt legend; so an 8-inch (576 pt) figure needs 576 * 9 / 7 CSS px for 9 px text."""
    figure, axes = plt.subplots(figsize=(8, 3))
    axes.semilogy([1, 10, 100], label="loss")
    axes.legend(fontsize=8)
    sizes = narrow.svg_text_sizes(svg_of(figure))
    assert math.isclose(min(sizes), 7.0) and 8.0 in sizes and 10.0 in sizes
    figure, axes = plt.subplots(figsize=(8, 3))
    axes.semilogy([1, 10, 100])
    assert narrow.readable_width("svg+xml", svg_of(figure).encode()) == math.ceil(576 * 9 / 7)


def test_no_lab_draws_text_smaller_than_the_size_its_png_figures_are_given():
    """The labs' figures are PNGs, which carry no text sizes: narrow.py takes their smallest text to
    be LAB_FIGURE_SMALLEST_PT, matplotlib's default 10 pt at 0.7 for a log axis's exponents. That
    holds while no lab asks for a smaller font or changes matplotlib's font sizes."""
    assert plt.rcParams["font.size"] * 0.7 == narrow.LAB_FIGURE_SMALLEST_PT
    for lab in sorted((ROOT / "docs").glob("lab-*.py")):
        source = lab.read_text()
        assert not re.search(r"rcParams|rc\(|rc_context|font_scale", source), lab.name
        sizes = [float(size) for size in re.findall(r"fontsize=([0-9.]+)", source)]
        assert all(size >= narrow.LAB_FIGURE_SMALLEST_PT for size in sizes), (lab.name, sizes)
        assert not re.search(r"fontsize=[\"']", source), lab.name  # "small", "x-small": below 10 pt

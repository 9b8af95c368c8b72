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
from browsing import LANGUAGE
from bs4 import BeautifulSoup
from test_figures import contrast, over

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
    spans = re.findall(r'<span class="book-line"[^>]*>(.*?)\n</span>(?=<span class="book-line"|</code>)', lines, re.S)
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


def test_a_plain_name_loses_its_span_and_every_other_token_keeps_its_own():
    lines = narrow._lines('<span class="n">x</span> <span class="o">=</span> <span class="nb">len</span>\n', "a page")
    assert lines == '<span class="book-line">x <span class="o">=</span> <span class="nb">len</span>\n</span>'


def test_a_long_run_without_spaces_may_break_between_names_and_after_brackets_never_inside_a_name():
    line = "images = torch.tensor(digits.drop(columns=&quot;digit&quot;).to_numpy() / 16, print(a,0.25*w.sum()))"
    broken = narrow._breakable(line)
    assert text_of(broken) == text_of(line)
    assert broken.split("<wbr>") == [
        "images = torch", ".tensor(", "digits", ".drop(", "columns=", "&quot;digit&quot;)",
        ".to_numpy() / 16, print(a,0.25*w.sum()))",  # a run shorter than LONG_RUN keeps whole
    ]
    assert narrow._breakable("fit(model=network_with_hidden_layer(),a==b)").split("<wbr>") == [
        "fit(", "model=", "network_with_hidden_layer(),", "a==b)"  # a keyword argument, not a comparison
    ]
    assert narrow._breakable("print(weights.mean(),0.25*weights.sum())").split("<wbr>") == [
        "print(", "weights", ".mean(),", "0.25*weights", ".sum())"  # no break in 0.25, none before a ")"
    ]
    tokens = '<span class="p">(</span>digits<span class="o">.</span>drop<span class="p">(</span>columns_of_the_frame'
    assert narrow._breakable(tokens) == (
        '<span class="p">(</span><wbr>digits<span class="o"><wbr>.</span>drop'
        '<span class="p">(</span><wbr>columns_of_the_frame'
    )


def test_an_indented_line_says_how_far_its_continuations_start_and_its_spaces_do_not_wrap():
    lines = narrow._lines('<span class="k">for</span> x:\n    <span class="mi">1</span>\n  \n', "a page")
    assert lines == (
        '<span class="book-line"><span class="k">for</span> x:\n</span>'
        '<span class="book-line" style="--indent:4">'
        '<span class="book-indent">    </span><span class="mi">1</span>\n</span>'
        '<span class="book-line">  \n</span>'
    )
    docstring = narrow._lines('<span class="sd">    over two</span>\n', "a page")
    assert '<span class="sd"><span class="book-indent">    </span>over two</span>' in docstring


TABLE = """\
                with zero_grad()    without zero_grad()
after           weight     .grad       weight     .grad
start           0.0077      None       0.0077      None
forward         0.0445   -0.3680       0.0445   -0.3680"""
SELF_NAMED_ROWS = """\
GD        best lr   0.464, score 1.5e-01, final loss 1.3e-01
Momentum  best lr   0.464, score 3.6e-04, final loss 1.3e-04
AdaGrad   best lr   2.154, score 1.0e-12, final loss 2.9e-14"""


def test_output_printed_as_a_table_under_a_header_is_told_from_rows_that_name_their_values():
    assert narrow.is_table(TABLE)
    assert narrow.is_table("sigmoid(z): tensor([0.9933, 1.0000])\n" + TABLE)  # a line before the table
    assert not narrow.is_table(SELF_NAMED_ROWS)  # they read as well wrapped
    assert not narrow.is_table("\n".join(TABLE.splitlines()[:2]))  # a header and one row
    assert narrow._as_table("<pre>", TABLE) == '<pre class="book-table">'
    assert narrow._as_table('<pre class="x">', TABLE) == '<pre class="book-table x">'
    assert narrow._as_table("<pre>", '<span class="n">code</span>\n' + TABLE) == "<pre>"  # code is never one


# On a phone (tests/browsing.py: 390 × 844 CSS px, dark; NARROW_FACTS): every English chapter, lab
# and glossary and the Korean pages of PHONE_KOREAN, every <details> opened.
def phone_facts(visited_dark, name):
    return [(path, fact) for path, report in visited_dark.items() for fact in report["phone"][name]]


def test_on_a_phone_a_wrapped_line_continues_inside_its_own_indentation(visited_dark):
    """Each continuation starts 2 characters inside the line's first character, its ↪ under that
    character (up to 16 characters of indentation, which a phone's 32-character line can afford)."""
    lines = phone_facts(visited_dark, "indents")
    indented = [(path, line) for path, line in lines if 4 <= line["spaces"] <= 16]
    assert len(indented) > 50
    for path, line in lines:
        if line["spaces"] <= 16:
            assert math.isclose(line["continuation"], 2, abs_tol=0.1), (path, line)
            assert math.isclose(line["mark"], 0, abs_tol=0.1), (path, line)


def test_on_a_phone_korean_in_code_breaks_between_words(visited_dark):
    lines = phone_facts(visited_dark, "indents")
    assert any(re.search("[가-힣]", line["text"]) for path, line in lines if path.startswith("/ko/"))
    assert not phone_facts(visited_dark, "broken_words")


# A name at most this long fits on a continuation line at a phone's width, however deep its line's
# indentation (bookbuild/narrow.py: LONG_RUN).
SHORT_NAME = 16


def test_on_a_phone_a_long_line_breaks_between_names_not_inside_one(visited_dark):
    """A run of code without spaces breaks where code reads well broken (narrow.py: before a method's
    dot, after an opening bracket or a comma), not inside a name ("columns="d↪igit"", ".t↪o_string()")."""
    broken = [(path, cut) for path, cut in phone_facts(visited_dark, "broken_names") if len(cut["name"]) <= SHORT_NAME]
    assert not broken


def test_on_a_phone_no_line_breaks_after_a_minus_before_a_name_or_bracket(visited_dark):
    """A minus at the end of a line reads as a subtraction that goes on ("allclose(got, -↪expected)",
    "[-↪4.0, 0.3]"): narrow.py joins it to what follows. (A hyphen in a word of a string or a comment,
    "cross-↪entropy", may break, as in prose.)"""
    assert not phone_facts(visited_dark, "broken_signs")


def test_a_minus_is_joined_to_the_name_or_bracket_after_it_and_the_text_is_unchanged():
    code = "ok = torch.allclose(got, -expected) and -(a - 1) < 1-p < x - 2 < -4.0 and y -= 1 < -1e-5\n"
    code += "f(x0=-2.0, vmin=-limit) ** -x**-2 -> None\n"
    highlighted = pygments.highlight(code, pygments.lexers.PythonLexer(), pygments.formatters.HtmlFormatter())
    lines = narrow._lines(re.search(r"<pre>(.*)</pre>", highlighted, re.S)[1], "a page")
    assert text_of(lines) == code
    joined = [span.get_text() for span in BeautifulSoup(lines, "html.parser").select(".book-joined")]
    assert joined == ["-expected", "-(", "-p", "-4.0", "-1e-5", "-2.0", "-limit", "-x", "-2"]


def test_a_name_without_its_span_looks_as_it_did(visited_dark):
    """narrow.py drops Pygments' span of a plain name: the theme's and the labs' stylesheets give
    it the colour, weight and style of the code around it, in chapters and labs."""
    names = phone_facts(visited_dark, "plain_names")
    assert {path for path, _ in names} >= {"/forward-propagation/", "/lab-digits/"}
    assert all(same for _, same in names)


def test_on_a_phone_output_printed_as_a_table_keeps_its_columns_and_scrolls(visited_dark):
    tables = phone_facts(visited_dark, "output_tables")
    assert any(table["scrolls"] for _, table in tables)
    for path, table in tables:
        assert not table["wrapped"], (path, table)
        assert table["focusable"] == table["scrolls"], (path, table)  # a keyboard can scroll it


def test_on_a_phone_output_printed_as_a_table_says_that_it_scrolls_when_it_does(visited_dark):
    """The figures' cue, naming a table, in the page's language, on a line of its own above the
    table's first line (covering none of it), readable on the block's background (WCAG AA)."""
    tables = phone_facts(visited_dark, "output_tables")
    assert any(table["scrolls"] for path, table in tables if path.startswith(f"/{LANGUAGE}/"))
    for path, table in tables:
        assert (table["cue"] is not None) == table["scrolls"], (path, table)
        assert (table["above"] > 10) == table["scrolls"], (path, table)
        if table["scrolls"]:
            words = "표 전체" if path.startswith(f"/{LANGUAGE}/") else "whole table"
            assert words in table["cue"], (path, table)
            colour, background = (rgba(css) for css in (table["cue_colour"], table["background"]))
            assert contrast(over(colour, background), background) >= 4.5, (path, table)


def rgba(css: str) -> tuple:
    """A computed CSS colour, "rgb(245, 245, 245)" or "rgba(0, 0, 0, 0.54)", as matplotlib reads one."""
    *rgb, alpha = [*map(float, re.findall(r"[\d.]+", css)), 1.0][:4]
    return (*(c / 255 for c in rgb), alpha)


def test_on_a_phone_an_inline_formula_fits_or_says_that_it_continues(visited_dark):
    """Never a cut that reads as a whole value ("= −0" for "= −0.7"): a formula wider than the
    column is set at most a tenth smaller, never smaller than the text around it, or marked."""
    formulas = phone_facts(visited_dark, "inline_formulas")
    assert len(formulas) > 100
    for path, formula in formulas:
        assert formula["marked"] if formula["cut"] else not formula["marked"], (path, formula)
        assert formula["px"] >= formula["text_px"], (path, formula)


# A figure hiding at most this much hides part of its white margin only (docs/javascripts/narrow.js).
WHITE_MARGIN_PX = 8
PHONE_WIDTH = 390  # tests/browsing.py's PHONE


def test_on_a_phone_the_swipe_cue_comes_before_a_figure_that_does_not_fit_and_only_then(visited_dark):
    """The cue is above the figure, where a reader meets it first; a figure spans the phone's width,
    so one that needs at most that width for 9 px text fits whole, and has no cue; a figure that
    scrolls can be focused, so that a keyboard scrolls it, and is named for a screen reader (a lab's
    <div> as a group, which may have a name)."""
    figures = phone_facts(visited_dark, "figures")
    assert any(figure["readable"] > PHONE_WIDTH for _, figure in figures)
    column = visited_dark["/forward-propagation/"]["phone"]["column_px"]
    assert any(column < figure["readable"] <= PHONE_WIDTH for _, figure in figures)  # it fits, just
    for path, figure in figures:
        scrolls = figure["hidden"] > WHITE_MARGIN_PX
        assert figure["cue"] == scrolls == figure["focusable"] == figure["named"], (path, figure)
        assert (figure["above"] > 10) == scrolls, (path, figure)  # the cue's line above the figure
        if 0 < figure["readable"] <= PHONE_WIDTH:
            assert not scrolls, (path, figure)


def test_on_a_phone_the_glossary_s_cards_are_the_prose_s_size(visited_dark):
    for path in ["/glossary/", "/ko/glossary/"]:
        phone = visited_dark[path]["phone"]
        assert all(table["text_px"] >= phone["prose_px"] >= 14 for table in phone["tables"]), path


def test_on_a_phone_a_lab_s_download_buttons_are_targets_apart(visited_dark):
    """WCAG 2.2 2.5.8: a target at least 24 px square; and apart from the next, so that a finger
    that misses one does not press another."""
    for path in ["/lab-house-prices/", "/lab-digits/"]:
        buttons = visited_dark[path]["phone"]["buttons"]
        assert len(buttons) >= 3, path
        for button in buttons:
            assert button["right"] - button["left"] >= 24 and button["bottom"] - button["top"] >= 24, path
        for i, a in enumerate(buttons):
            for b in buttons[i + 1 :]:
                apart = [b["left"] - a["right"], a["left"] - b["right"], b["top"] - a["bottom"], a["top"] - b["bottom"]]
                assert max(apart) >= 4, (path, a, b)


def test_a_lab_s_output_looks_like_a_chapter_s(visited_dark):
    chapter = visited_dark["/forward-propagation/"]["phone"]["output_colours"]
    assert chapter and chapter == visited_dark["/lab-house-prices/"]["phone"]["output_colours"]


def test_korean_code_comments_are_not_slanted_by_the_browser(visited):
    """A lab's comments are italic, and the Korean fonts have no italic: the browser would slant
    them itself (a synthetic italic)."""
    comments = visited["/ko/lab-house-prices/"]["korean_comments"]
    assert comments and not any(comments)

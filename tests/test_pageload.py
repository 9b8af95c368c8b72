"""bookbuild/pageload.py: the copy buttons written into the page, and the palette rule dropped. The
browser tests (tests/test_browser.py) check that a button copies its block and that every code block
has one."""

import re
from pathlib import Path

import material
import pytest
from mkdocs.exceptions import PluginError

from bookbuild import pageload

MATERIAL_STYLESHEETS = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"


def test_material_s_palette_stylesheet_loses_its_switching_rule_and_nothing_else():
    [palette] = MATERIAL_STYLESHEETS.glob("palette.*.min.css")
    assert pageload.PALETTE_STYLESHEET.fullmatch(f"assets/stylesheets/{palette.name}")
    original = palette.read_text()
    [rule] = re.findall(r"\[data-md-color-switching\][^{]*\{[^}]*\}", original)  # Material has one
    kept = pageload.without_switching_rule(original, palette.name)
    assert "data-md-color-switching" not in kept
    assert kept == original.replace(rule, "")
    with pytest.raises(PluginError, match="0 rules"):
        pageload.without_switching_rule(kept, palette.name)  # Material without it: the build says so


def code_block(classes: str, title: str = "", attributes: str = "") -> str:
    return f'<div class="{classes}"{attributes}>{title}<pre><span></span><code>x = 1\n</code></pre></div>'


def test_each_code_block_gets_a_copy_button_for_its_own_code_and_output_none():
    page = "\n".join(
        [
            code_block("language-python highlight", '<span class="filename">snippets/a/b.py</span>'),
            code_block("language-text highlight no-copy"),  # output
            code_block("language-python highlight", attributes=" data-search-exclude"),  # as execute.py marks it
            code_block("highlight-ipynb hl-python"),  # a lab's cell: no block of Material's
            code_block("language-python highlight", attributes=' id="mine"'),  # its id is not the button's
        ]
    )
    copied = pageload.with_copy_buttons(page, 'Copy "this"')
    targets = re.findall(r'id="([^"]+)">.*?data-clipboard-target="#([^ ]+) > pre > code"', copied)
    assert '<div class="language-python highlight" data-search-exclude id="book-code-2">' in copied
    assert [block for block, _ in targets] == [target for _, target in targets] == ["book-code-1", "book-code-2"]
    assert copied.count('title="Copy &quot;this&quot;"') == 2
    assert 'no-copy"><pre><span></span><code>' in copied  # the output block untouched
    assert '"highlight-ipynb hl-python"><pre><span></span><code>' in copied  # and the lab's cell
    assert '<span class="filename">snippets/a/b.py</span><pre><span></span><nav class="md-code__nav"' in copied

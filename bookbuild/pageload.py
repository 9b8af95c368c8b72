"""MkDocs hook: what keeps a page's loading light on a phone, where Material's script spends most
of a chapter's load restyling and laying out the whole page (measured with Lighthouse and a
Chromium trace; README, "Lighthouse").

- Copy buttons are written into the page here, as Material's script would write them, so that it
  can mount each code block only once the block is seen (the `content.lazy` feature in mkdocs.yml;
  Material measures each block as it mounts it, a layout of the page each time). Material adds a
  lazily mounted block's copy button only once it is seen, and a keyboard could not reach the ones
  below; written here, every code block has its button from the start, and Material adds none of
  its own (mkdocs.yml has no `content.code.copy`).
- Material's palette stylesheet has a rule, [data-md-color-switching] *, that turns off every
  element's transitions while its script applies the theme. The script sets and removes that
  attribute on <body> at every page load, so the rule costs two restyles of the whole page per
  load. It is dropped here; docs/stylesheets/book.css's .book-switching (a class overrides/main.html
  sets) does its one job, only when the reader switches the theme.
"""

from __future__ import annotations

import html
import json
import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

# The settings Material's script reads from each page, with the words of its buttons.
MATERIAL_CONFIG = re.compile(r'<script id="__config" type="application/json">([^<]*)</script>')
# A code block as pymdownx.highlight writes it (narrow.py keeps this opening), with the attributes
# bookbuild/execute.py adds (data-search-exclude) but no id, which the button needs its own of;
# output blocks match too, and their no-copy class leaves them without a button.
CODE_BLOCK = re.compile(
    r'<div class="(?P<classes>(?:[^"]* )?highlight(?: [^"]*)?)"(?P<attributes>(?: (?!id=)[\w-]+(?:="[^"]*")?)*)>'
    r'(?P<title><span class="filename">[^<]*</span>)?<pre><span></span><code>'
)
PALETTE_STYLESHEET = re.compile(r"assets/stylesheets/palette\.[0-9a-f]+\.min\.css")
SWITCHING_RULE = re.compile(r"\[data-md-color-switching\] \*,[^{]*\{[^}]*\}")


def material_words(output: str) -> dict[str, str] | None:
    """The words of Material's script on the page `output` in its language, or None on a page of
    another theme (the tests' small sites use MkDocs' own)."""
    config = MATERIAL_CONFIG.search(output)
    return None if config is None else json.loads(config[1])["translations"]


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    words = material_words(output)
    return output if words is None else with_copy_buttons(output, words["clipboard.copy"])


def with_copy_buttons(output: str, title: str) -> str:
    """Each code block's copy button, as Material's script would render it: a button in a <nav>
    with role none, as it navigates nowhere. The button copies the <code> of the block named by an
    id on the block's <div>: the id cannot go on the <pre>, which Material renames
    "__code_<the id of its closest element with one>" when it mounts the block."""
    count = 0

    def add_button(match: re.Match) -> str:
        nonlocal count
        if "no-copy" in match["classes"].split():
            return match[0]
        count += 1
        block = f"book-code-{count}"
        return (
            f'<div class="{match["classes"]}"{match["attributes"]} id="{block}">{match["title"] or ""}'
            f'<pre><span></span><nav class="md-code__nav" role="none">'
            f'<button class="md-code__button" title="{html.escape(title)}"'
            f' data-clipboard-target="#{block} > pre > code" data-md-type="copy"></button></nav><code>'
        )

    return CODE_BLOCK.sub(add_button, output)


@event_priority(-150)  # after mkdocs-static-i18n (-100), which reads each file from its source
def on_files(files: Files, config: MkDocsConfig) -> Files:
    for file in files:
        if PALETTE_STYLESHEET.fullmatch(file.src_uri):
            file.content_string = without_switching_rule(file.content_string, file.src_uri)
    return files


def without_switching_rule(stylesheet: str, name: str) -> str:
    kept, found = SWITCHING_RULE.subn("", stylesheet)
    if found != 1:
        raise PluginError(f"{name}: {found} rules for [data-md-color-switching], not one; has Material changed?")
    return kept

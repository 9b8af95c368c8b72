"""Typeset math at build time as MathML, which browsers render natively: no script, no network.

Authors write standard LaTeX between $…$ and $$…$$. pymdownx.arithmatex (generic mode) finds it;
this extension turns each formula it found into MathML with latex2mathml. A formula that
latex2mathml cannot read is logged as a warning, so a --strict build stops and names it.
"""

from __future__ import annotations

import html
import logging
import re
import xml.etree.ElementTree as etree

from latex2mathml.converter import convert
from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

log = logging.getLogger("mkdocs.plugins.bookbuild.mathml")
# latex2mathml leaves a command it does not know as text, e.g. <mi>\foo</mi>.
UNKNOWN_COMMAND = re.compile(r">\s*(\\[A-Za-z]+)\s*<")
# latex2mathml lays out `align*` as a table but not `aligned`; in display math they mean the same.
ALIGNED = re.compile(r"\\(begin|end)\{aligned\}")


def to_mathml(tex: str, display: bool) -> str:
    if display:
        tex = ALIGNED.sub(r"\\\1{align*}", tex)
    mathml = convert(tex, display="block" if display else "inline")
    unknown = UNKNOWN_COMMAND.search(mathml)
    if unknown:
        raise ValueError(f"unknown command {unknown.group(1)}")
    return mathml


class MathMLTreeprocessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if "arithmatex" not in element.get("class", "").split():
                continue
            display = element.tag == "div"
            tex = element.text or ""
            if display:  # arithmatex escapes block math as HTML text: \[ … \]
                tex = html.unescape(tex).strip()[2:-2]
            else:  # inline math comes as \( … \)
                tex = tex.strip()[2:-2]
            try:
                mathml = to_mathml(tex.strip(), display)
            except Exception as error:  # noqa: BLE001 - report every failure, keep building
                log.warning("math %r could not be typeset: %s", tex.strip(), error)
                continue
            element.text = self.md.htmlStash.store(mathml)
            element.set("class", "book-math")


class MathMLExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Markdown's API
        # After the inline patterns (priority 20) have produced arithmatex's elements.
        md.treeprocessors.register(MathMLTreeprocessor(md), "book_mathml", 5)


def makeExtension(**kwargs) -> MathMLExtension:  # noqa: N802 - Markdown's API
    return MathMLExtension(**kwargs)

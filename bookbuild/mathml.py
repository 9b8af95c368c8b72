"""Typeset math at build time as MathML, which browsers render natively: no script, no network.

Authors write standard LaTeX between $…$ and $$…$$. pymdownx.arithmatex (generic mode) finds it;
this extension turns each formula it found into MathML with latex2mathml. A formula that cannot be
typeset stops the build with the line of the page it is on and what is wrong with it (MkDocs
names the page: "Error reading page 'x.md': line 12: …").
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree

from latex2mathml import exceptions
from latex2mathml.converter import Converter
from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from mkdocs.exceptions import PluginError

# latex2mathml leaves a command it does not know as text, e.g. <mi>\foo</mi>.
UNKNOWN_COMMAND = re.compile(r">\s*(\\[A-Za-z]+)\s*<")
# latex2mathml lays out `align*` as a table but not `aligned`; in display math they mean the same.
ALIGNED = re.compile(r"\\(begin|end)\{aligned\}")


# latex2mathml writes function names (\log, \tanh, \max, \operatorname{softmax}) as <mi>log</mi> or
# <mo>max</mo> with no space around them, every minus as binary and / as an operator: a browser
# draws "L = -y\log p / 2" as "L = − ylogp / 2". _space_as_tex spaces them as TeX does.
FUNCTION_NAME = re.compile(r"[A-Za-z]{2,}")
# Elements whose first child is the one that carries the scripts: \tanh^2, \max_i.
SCRIPTED = {"msub", "msup", "msubsup", "munder", "mover", "munderover"}
# Elements that lay their children out in a row, where the space between them is decided.
ROWS = {"math", "mrow", "mtd", "msqrt", "mstyle", "mpadded", "mphantom", "menclose"}
CLOSING_FENCES = {")", "]", "}", "|", "\u2016", "\u27e9"}
LARGE_OPERATORS = {"\u2211", "\u220f", "\u222b"}  # sum, product, integral
# | and \| without \left and \right are ordinary symbols in TeX: a browser stretches them, and spaces
# a | in the middle of a row as a relation, "|x − 1 | < 1", "(| g | + ε)".
UNSTRETCHED = {"\u2016", "|"}
# The attribute that makes a script of munder, mover or munderover (by its index) an accent.
ACCENTS = {"munder": {1: "accentunder"}, "mover": {1: "accent"}, "munderover": {1: "accentunder", 2: "accent"}}
PRIMES = re.compile("[\u2032\u2033\u2034]+")  # ′, ″, ‴
SIGNS = {"\u2212", "+", "\u00b1"}
# \partial and \infty are symbols in TeX, as a letter is, and the dots (\ldots, \cdots, \vdots,
# \ddots) inner atoms: a sign after any of them adds or subtracts ("+ ⋯ + x_n"), it is no prefix.
ORDINARY = {"\u2202", "\u221e", "\u2026", "\u22ef", "\u22ee", "\u22f1"}
THIN_SPACE = "0.1667em"  # TeX's \, and the space it puts between an operator name and its neighbours
# Invisible; a screen reader says "log of p". Written as latex2mathml writes characters, as references.
FUNCTION_APPLICATION = "&#x02061;"


# What latex2mathml's exceptions, which carry no message, mean.
REASONS = {
    exceptions.NoAvailableTokensError: "it ends where more was expected: an argument or a closing brace is missing",
    exceptions.MissingSuperScriptOrSubscriptError: "a ^ or _ has nothing to raise or lower",
    exceptions.MissingEndError: "a \\begin{…} has no matching \\end{…}",
    exceptions.ExtraLeftOrMissingRightError: "a \\left has no matching \\right",
    exceptions.DoubleSuperscriptsError: "two superscripts on one symbol (write x^{ab} or {x^a}^b)",
    exceptions.DoubleSubscriptsError: "two subscripts on one symbol (write x_{ab} or {x_a}_b)",
    exceptions.NumeratorNotFoundError: "a fraction has no numerator",
    exceptions.DenominatorNotFoundError: "a fraction has no denominator",
}


class MathError(ValueError):
    """A formula that cannot be typeset; the message says why."""


def to_mathml(tex: str, display: bool) -> str:
    """The formula as MathML, with its LaTeX as alttext: what a screen reader that cannot read the
    MathML itself announces, and what a reader can copy."""
    _check_braces(tex)
    source = tex
    if display:
        tex = ALIGNED.sub(r"\\\1{align*}", tex)
    try:
        converter = Converter(display="block" if display else "inline")
        tree = converter.convert_to_element(tex)
    except Exception as error:  # latex2mathml's errors, and its crashes on input it does not expect
        reason = REASONS.get(type(error)) or str(error) or type(error).__name__
        raise MathError(reason) from None
    _space_as_tex(tree)
    _primes_on_the_line(tree)  # after: σ' and \tanh' are still one atom there, a function's with its prime
    _space_scripts(tree, compact=not display, script=False)
    _fit_fences(tree)
    # As latex2mathml's own convert() serialises: its text holds character references to keep.
    mathml = html.unescape(etree.tostring(tree, encoding="unicode"))
    unknown = UNKNOWN_COMMAND.search(mathml)
    if unknown:
        raise MathError(f"unknown command {unknown.group(1)}")
    alttext = html.escape(" ".join(source.split()), quote=True)
    return mathml.replace("<math ", f'<math alttext="{alttext}" ', 1)


def _space_as_tex(tree: etree.Element) -> None:
    """Space what browsers space unlike TeX, row by row.

    Each function name becomes an identifier followed by an invisible function application, with a
    thin space where TeX puts one: after the name unless an operator or an opening fence follows
    (\\log p, but \\log(p)); before it after an identifier, a number or a closing fence (2\\sin x,
    (1-y)\\log(1-p)), not after an operator.

    A sign after an operator or an opening fence (= -y, (-1, -2)) has nothing to add to or subtract
    from: it is a prefix, which a browser spaces as TeX does; as it is, it spaces it as a binary
    minus, "= − y". A slash divides without space around it, "a/b", as in TeX, not "a / b"."""
    for row in [element for element in tree.iter() if element.tag in ROWS]:
        children = _grouped_digits(list(row))
        for child in list(row):
            row.remove(child)
        for index, child in enumerate(children):
            before = children[index - 1] if index else None
            after = children[index + 1] if index + 1 < len(children) else None
            text = html.unescape(child.text or "") if child.tag == "mo" else None
            if text == "/":  # TeX's / is a symbol
                child.set("lspace", "0")
                child.set("rspace", "0")
            elif text in ORDINARY:  # operators to latex2mathml: "∂L/ ∂W", "= − ∞ "
                child.tag = "mi"
                child.set("mathvariant", "normal")  # as drawn: not the italic a letter would get
            core = _core(child)  # with its scripts: \rVert^2
            if core.tag == "mo" and html.unescape(core.text or "") in UNSTRETCHED and core.get("fence") != "true":
                core.set("stretchy", "false")
                core.set("lspace", "0")
                core.set("rspace", "0")
            if text in SIGNS:
                if before is not None and _is_operator(before):  # first in a row, it is one already
                    child.set("form", "prefix")
            if _is_function(child):
                if before is not None and not _is_function(before) and not _is_operator(before):
                    etree.SubElement(row, "mspace", width=THIN_SPACE)
                _core(child).tag = "mi"  # not an operator: no stretching, no operator spacing
                row.append(child)
                if after is not None:
                    etree.SubElement(row, "mo").text = FUNCTION_APPLICATION
                    if not _is_operator(after) or _is_function(after):
                        etree.SubElement(row, "mspace", width=THIN_SPACE)
            else:
                row.append(child)


def _space_scripts(element: etree.Element, compact: bool, script: bool) -> None:
    """No space around a relation, a binary operator or a comma in a script: "j=1" under a sum,
    "1−y" in an exponent, "x_{i,j}", as TeX sets them in its script styles. Browsers space an
    operator there as on the line, only smaller: "j = 1". A big operator keeps its thin space, as in TeX.

    What is in a script style, in TeX as in MathML Core's math-depth: a script or a limit (not its
    base), the index of a root, and both parts of a fraction that is itself in a compact style, that
    is inline (the parts of $\\frac{a+b}{2}$ are in TeX's script style), in a fraction or in a script.
    The parts of a display fraction are in text style and keep their spaces."""
    # \dfrac and \tfrac are in an mstyle; a table is compact, as TeX's cases (text style), but
    # aligned's (display style) says displaystyle.
    if element.tag == "mtable" or element.tag == "mstyle" and "displaystyle" in element.attrib:
        compact = element.get("displaystyle") != "true"
    if script and element.tag == "mo" and html.unescape(element.text or "") not in LARGE_OPERATORS:
        element.set("lspace", "0")
        element.set("rspace", "0")
    for index, child in enumerate(element):
        if _is_script(element, index):
            _space_scripts(child, compact=True, script=True)
        elif element.tag == "mfrac":
            _space_scripts(child, compact=True, script=script or compact)
        else:
            _space_scripts(child, compact, script)


def _is_script(element: etree.Element, index: int) -> bool:
    """Whether the child at index is a script: an accent (\\hat y) is not, it is part of its base."""
    if element.tag == "mroot":
        return index == 1
    if element.tag not in SCRIPTED or index == 0:
        return False
    accent = ACCENTS.get(element.tag, {}).get(index)
    return accent is None or element.get(accent) != "true"


def _fit_fences(tree: etree.Element) -> None:
    """\\left( … \\right) around a fraction, a table or a big operator grows with it; around text
    it stays as it is. Browsers stretch a fence to cover its row entirely, so around text, whose
    extent is a little beyond the plain parenthesis, they draw the next size, wider and spaced:
    "( 1 − σ(z) )". TeX allows a fence a little short of its content."""
    for row in tree.iter("mrow"):
        fences = [child for child in row if child.tag == "mo" and child.get("fence") == "true"]
        if fences and not any(_is_tall(element) for element in row.iter()):
            for fence in fences:
                fence.set("stretchy", "false")


def _is_tall(element: etree.Element) -> bool:
    return element.tag in {"mfrac", "mtable"} or (
        element.tag == "mo" and html.unescape(element.text or "") in LARGE_OPERATORS
    )


def _grouped_digits(children: list[etree.Element]) -> list[etree.Element]:
    """100{,}480, a thousands separator, as one number: latex2mathml makes it a number, a comma in a
    row of its own and a number, which a browser spaces as a list, "100, 480"."""
    grouped = []
    for child in children:
        if grouped and child.tag == "mn" and len(grouped) > 1 and grouped[-2].tag == "mn":
            comma = grouped[-1]
            if comma.tag == "mrow" and len(comma) == 1 and comma[0].tag == "mo" and comma[0].text == "&#x0002C;":
                grouped.pop()
                grouped[-1].text += "," + child.text
                continue
        grouped.append(child)
    return grouped


def _primes_on_the_line(tree: etree.Element) -> None:
    """A prime follows its base on the line: σ′, not σ with a prime raised again. latex2mathml sets
    TeX's σ' as a superscript, as TeX does its large prime, but a math font's ′ (U+2032) is drawn
    high and small already: as a superscript it stood above the letter's top."""
    for script in list(tree.iter("msup")):  # a list: each found is changed in place
        prime = script[1][0] if script[1].tag == "mrow" and len(script[1]) == 1 else script[1]
        if prime.tag in {"mi", "mo"} and PRIMES.fullmatch(html.unescape(prime.text or "")):
            script.tag = "mrow"
            script[1] = prime
            prime.tag = "mo"
            prime.set("lspace", "0")
            prime.set("rspace", "0")


def _core(element: etree.Element) -> etree.Element:
    while element.tag in SCRIPTED:
        element = element[0]
    return element


def _is_function(element: etree.Element) -> bool:
    core = _core(element)
    return core.tag in {"mi", "mo"} and bool(FUNCTION_NAME.fullmatch(core.text or ""))


def _is_operator(element: etree.Element) -> bool:
    """An operator, or an opening fence: it brings its own space. A closing fence is not one here."""
    core = _core(element)
    return core.tag == "mo" and html.unescape(core.text or "") not in CLOSING_FENCES


def _check_braces(tex: str) -> None:
    """latex2mathml typesets an unbalanced brace without a word; a formula with one is wrong."""
    depth = 0
    for match in re.finditer(r"\\.|[{}]", tex):
        if match[0] == "{":
            depth += 1
        elif match[0] == "}":
            depth -= 1
            if depth < 0:
                raise MathError(f"a '}}' at character {match.start() + 1} closes no '{{'")
    if depth:
        raise MathError("a '{' is never closed" if depth == 1 else f"{depth} '{{' are never closed")


class SourcePreprocessor(Preprocessor):
    """Keeps the page's Markdown as written, before includes, to find a formula's line."""

    def run(self, lines: list[str]) -> list[str]:
        self.md.book_source = list(lines)
        return lines


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
            except MathError as error:
                formula = " ".join(tex.split())
                raise PluginError(
                    f'line {self._line(tex)}: the formula "{formula}" cannot be typeset: {error}'
                ) from None
            element.text = self.md.htmlStash.store(mathml)
            element.set("class", "book-math")

    def _line(self, tex: str) -> int | str:
        """The page line on which the formula starts (its first line, as written)."""
        first = next(line.strip() for line in tex.strip().split("\n"))
        for number, line in enumerate(getattr(self.md, "book_source", []), 1):
            if first in line:
                return number
        return "?"


class MathMLExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # Markdown's API names it
        # Before every other preprocessor, pymdownx.snippets' includes among them.
        md.preprocessors.register(SourcePreprocessor(md), "book_source", 1000)
        # After the inline patterns (priority 20) have produced arithmatex's elements.
        md.treeprocessors.register(MathMLTreeprocessor(md), "book_mathml", 5)


def makeExtension(**kwargs) -> MathMLExtension:  # Markdown's API names it
    return MathMLExtension(**kwargs)

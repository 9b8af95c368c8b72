"""MkDocs hooks for the math font: the site serves Latin Modern Math (docs/fonts/) as a WOFF2 subset
holding only the glyphs that the book's formulas use, made when the book is built.

- After each page, the characters of its formulas (the MathML that bookbuild/mathml.py typeset) are
  collected: those of its identifiers, numbers and operators (<mi>, <mn>, <mo>) and text (<mtext>),
  the radical sign of a square root, and, for an identifier of one letter, the italic letter that
  browsers show in its place (MathML Core's text-transform: math-auto, e.g. x -> U+1D465).
- When every language is built, a symbol, number or operator that the full font lacks stops the build,
  naming the page and the character: a reader's browser would draw it in another font. Text in a
  formula (\\text{…}) may be in the page's language, which a math font lacks (Hangul): book.css
  sets <mtext> in the page's text font after the math font, so those characters are drawn there.
- The font is then subset to those characters with fontTools, which keeps, through the MATH table,
  each kept glyph's larger variants and the parts that browsers assemble stretchy operators from
  (parentheses, sums, radicals, braces), and written as fonts/book-math.woff2, renamed "Book Math" as
  the GUST Font License asks of a modified version (docs/fonts/LICENSE-latinmodern-math.txt). The
  full font itself is not copied into the site. Two builds of the same pages write the same bytes.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

from fontTools import subset as subsetting
from fontTools.ttLib import TTFont
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from bookbuild import languages

FONT = "fonts/latinmodern-math.otf"  # in docs/
SERVED = "fonts/book-math.woff2"  # in the site; book.css names it
FAMILY = "Book Math"
MATH = re.compile(r"<math\b.*?</math>", re.S)
TOKEN = re.compile(r"<(mi|mn|mo|mtext|ms)\b([^>]*)>([^<]*)</\1>")
SQUARE_ROOT = re.compile(r"<m(?:sqrt|root)\b")
RADICAL = "\u221a"
# What the name table of the subset says of itself (name IDs 1, 3, 4, 6 and 10), beside the
# original's copyright and licence records, which it keeps.
NAMES = {
    1: FAMILY,
    3: "Book Math subset of Latin Modern Math 1.959",
    4: FAMILY,
    6: "BookMath-Regular",
    10: "A subset of Latin Modern Math 1.959 (GUST e-foundry), holding only the glyphs that the "
    "formulas of the book Deep Learning with PyTorch use, made by its build (bookbuild/mathfont.py); "
    "renamed as the GUST Font License asks of a modified version.",
}

_characters: dict[str, dict[str, bool]] = {}  # per page: each character, and whether a symbol (not text)


def math_auto(character: str) -> str | None:
    """The mathematical italic letter that MathML Core shows for an <mi> of this one character."""
    code = ord(character)
    if character == "h":
        return "\u210e"  # PLANCK CONSTANT: the italic h's place in Unicode
    if 0x41 <= code <= 0x5A:
        return chr(0x1D434 + code - 0x41)
    if 0x61 <= code <= 0x7A:
        return chr(0x1D44E + code - 0x61)
    if 0x391 <= code <= 0x3A9 and code != 0x3A2:
        return chr(0x1D6E2 + code - 0x391)
    if 0x3B1 <= code <= 0x3C9:
        return chr(0x1D6FC + code - 0x3B1)
    others = {
        "\u0131": 0x1D6A4, "\u0237": 0x1D6A5, "\u03f4": 0x1D6F3, "\u2207": 0x1D6FB, "\u2202": 0x1D715,
        "\u03f5": 0x1D716, "\u03d1": 0x1D717, "\u03f0": 0x1D718, "\u03d5": 0x1D719, "\u03f1": 0x1D71A,
        "\u03d6": 0x1D71B,
    }  # fmt: skip
    return chr(others[character]) if character in others else None


def formula_characters(page_html: str) -> dict[str, bool]:
    """Each character the formulas of a page show, and whether it is a symbol (True) or text."""
    found: dict[str, bool] = {}
    for formula in MATH.findall(page_html):
        for tag, attributes, text in TOKEN.findall(formula):
            text = html.unescape(text)
            symbol = tag != "mtext"
            for character in text:  # spaces too: a word's spaces are in the math font's widths
                found[character] = found.get(character, False) or symbol
            if tag == "mi" and len(text.strip()) == 1 and 'mathvariant="normal"' not in attributes:
                italic = math_auto(text.strip())
                if italic:
                    found[italic] = True
        if SQUARE_ROOT.search(formula):
            found[RADICAL] = True
    return found


def on_files(files: Files, config: MkDocsConfig) -> Files:
    font = files.get_file_from_path(FONT)
    if font is not None:
        files.remove(font)  # the site serves the subset alone
    return files


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    characters = formula_characters(output)
    if characters:
        _characters[page.file.src_uri] = characters
    return output


@event_priority(-300)  # after mkdocs-static-i18n (-100) has built every language
def on_post_build(config: MkDocsConfig) -> None:
    if not languages.all_built(config):
        return
    pages = dict(sorted(_characters.items()))
    _characters.clear()
    if not pages:
        return
    source = Path(config.docs_dir) / FONT
    if not source.is_file():
        raise PluginError(f"bookbuild/mathfont.py: the pages have formulas, but there is no math font {source}")
    data = subset(source, pages)
    served = Path(config.site_dir) / SERVED
    served.parent.mkdir(parents=True, exist_ok=True)
    served.write_bytes(data)


def subset(source: Path, pages: dict[str, dict[str, bool]]) -> bytes:
    """The font as WOFF2 with the glyphs of the characters the pages' formulas show (see above);
    PluginError naming the page and the character if a formula's symbol is not in it."""
    font = TTFont(source, recalcTimestamp=False)  # the original's dates, so that builds agree
    has = font.getBestCmap()
    for page, characters in pages.items():
        for character, symbol in characters.items():
            if symbol and not character.isspace() and ord(character) not in has:
                raise PluginError(
                    f"{page}: a formula shows {character!r} (U+{ord(character):04X}), which the math font "
                    f"{source.name} lacks: a browser would draw it in another font. Write it another way, "
                    "or put it in \\text{…} if it is a word"
                )
    wanted = sorted({ord(c) for characters in pages.values() for c in characters if ord(c) in has})
    # No OpenType feature is kept: browsers lay out MathML from the MATH table, whose variants and
    # assemblies of the kept glyphs the subsetter keeps; its 'ssty' script-size alternates would
    # double the glyphs, and Chromium draws the book's formulas identically without them.
    options = subsetting.Options(layout_features=[], desubroutinize=True, flavor="woff2")
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14]
    options.drop_tables += ["FFTM"]  # FontForge's timestamps, which nothing reads
    subsetter = subsetting.Subsetter(options)
    subsetter.populate(unicodes=wanted)
    subsetter.subset(font)
    for record in list(font["name"].names):
        if record.nameID in NAMES:
            font["name"].removeNames(nameID=record.nameID)
    for name_id, text in NAMES.items():
        font["name"].setName(text, name_id, 3, 1, 0x409)
    cff = font["CFF "].cff
    cff.fontNames[0] = NAMES[6]
    cff.topDictIndex[0].FamilyName = cff.topDictIndex[0].FullName = FAMILY
    font.flavor = "woff2"
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()

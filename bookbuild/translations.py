"""The code's own words in the reader's language: code comments and figure text.

The snippets are written once, in English, and every language's pages include the same sections.
What a reader sees of them in another language comes from that language's catalogues,
``locale/<language>/<snippet folder>.po`` (gettext's PO format, which translators' tools edit), one
per folder of snippets/ and one per lab (``lab-x.po``); an entry marked fuzzy counts as untranslated:

- ``msgctxt "comment"``: a comment of the snippets, as its English text (a run of full-line
  comments at one indentation is one comment; a comment after code on its line is another; a
  function's or class's docstring is one too, shown in the same quotes); the
  translation is written as it is to be shown, one line per line, within 79 columns (a Hangul
  syllable takes two). The pages show the code with the comments translated; the code that runs is
  the snippet's, unchanged.
- ``msgctxt "figure"``: a text that a figure draws (a title, an axis label, a legend entry, a tick
  label, an annotation). ``{}`` in an entry stands for a number, as in ``"start at {}"`` →
  ``"{}에서 출발"`` (``{0}``, ``{1}`` reorder them). The build draws each figure once and saves it
  in every language built, translating its texts in between (bookbuild/runner.py), so a language
  costs a save, not a run. A text with a Latin letter outside ``$…$`` needs an entry; one that
  stays as it is (a name such as "Adam") is translated into itself. A translation cannot hold
  Hangul and ``$…$`` together (matplotlib draws such a text in its math fonts, which have no
  Hangul): write its math as plain text ("e₂", "−log p").

A comment or a figure text without a translation stops the build, naming its file. ``python -m
bookbuild.translations`` adds every comment and figure text that lacks an entry to the catalogues
(with an empty translation) and removes the entries nothing uses.

The labs are translated as files (docs/lab-x.ko.py): their comments and messages are written in
the translation, whose code otherwise equals the original's (same_code); only their figure text
comes from the catalogue ``locale/<language>/lab-x.po``.
"""

from __future__ import annotations

import ast
import contextlib
import io
import re
import sys
import tokenize
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE = "locale"
COMMENT, FIGURE = "comment", "figure"
SECTION_MARKER = re.compile(r"^\s*#\s*-+8<-+\s*\[(start|end):[^\]]*\]\s*$")
MATH = re.compile(r"(?<!\\)\$.*?(?<!\\)\$")
PLACEHOLDER = re.compile(r"\{(\d*)\}")
NUMBER = r"([-+\u2212]?(?:\d[\d,]*)?\.?\d+(?:e[-+]?\d+)?)"  # what a {} stands for: 3, -0.5, 1,000, 1e-3
WIDTH = 79
# The font that draws the Korean figures' Hangul, from the koreanize-matplotlib package (Nanum
# Gothic, SIL Open Font Licence), which requirements.txt installs. The package's module is never
# imported: on import it changes matplotlib's settings. Latin letters and numbers keep the font
# the English figures use, so both editions' figures look alike.
FONTS = {"ko": ("koreanize-matplotlib", "koreanize_matplotlib/fonts", "NanumGothic")}  # its files: NanumGothic*.ttf


class TranslationError(Exception):
    """A catalogue that cannot be read, or two catalogues that translate one text differently."""


# ---------------------------------------------------------------------------------------------
# Comments


@dataclass(frozen=True)
class Comment:
    """A comment of a piece of code: its English text and where it is (lines count from 1)."""

    text: str
    first: int
    last: int
    column: int
    trailing: bool = False  # after code on its line
    docstring: bool = False  # a function's or class's: the text between its quotes
    end_column: int = 0  # where a docstring's closing quotes end


def comments(code: str, numbers: list[int] | None = None) -> list[Comment]:
    """The comments of `code`, without section markers; a run of full-line comments at one column
    on consecutive lines (of its file, whose line numbers `numbers` gives, if the code is part of
    one) is one comment. Code that cannot be read (a syntax error, which running it reports) has
    none."""
    numbers = numbers or list(range(1, code.count("\n") + 2))
    try:
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(code).readline) if t.type == tokenize.COMMENT]
    except (tokenize.TokenError, SyntaxError):
        return []
    lines = code.split("\n")
    found: list[Comment] = []
    for token in tokens:
        (line, column), text = token.start, token.string
        if SECTION_MARKER.match(text):
            continue
        body = re.sub(r"^# ?", "", text)
        trailing = bool(lines[line - 1][:column].strip())
        previous = found[-1] if found else None
        if (
            not trailing
            and previous is not None
            and not previous.trailing
            and previous.column == column
            and numbers[previous.last - 1] == numbers[line - 1] - 1
        ):
            found[-1] = Comment(previous.text + "\n" + body, previous.first, line, column, False)
        else:
            found.append(Comment(body, line, line, column, trailing))
    # In place order: a docstring comes before a comment after its closing quotes.
    return sorted(found + _docstrings(code), key=lambda comment: (comment.first, comment.column))


def _docstrings(code: str) -> list[Comment]:
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    lines = code.split("\n")

    def column(line: int, offset: int) -> int:  # ast counts UTF-8 bytes; the lines hold characters
        return len(lines[line - 1].encode()[:offset].decode())

    found = []
    for node in ast.walk(tree):
        # Not a module's: a section of a file may begin with a string that is no docstring.
        documented = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
        if isinstance(node, documented) and ast.get_docstring(node):
            string = node.body[0]
            found.append(
                Comment(
                    ast.get_docstring(node),
                    string.lineno,
                    string.end_lineno,
                    column(string.lineno, string.col_offset),
                    docstring=True,
                    end_column=column(string.end_lineno, string.end_col_offset),
                )
            )
    return found


def translate_comments(
    code: str, catalogue: dict[str, str], numbers: list[int] | None = None
) -> tuple[str, list[Comment]]:
    """The code with each comment in the catalogue replaced by its translation, and the comments
    that have none (`numbers`: as for comments())."""
    lines = code.split("\n")
    missing = []
    for comment in reversed(comments(code, numbers)):  # from the end, so that earlier line numbers hold
        translated = catalogue.get(comment.text)
        if not translated:
            missing.append(comment)
            continue
        if comment.docstring:  # in its own quotes, its lines under the first, as the snippets write them
            opening = re.match(r"""[rRuU]*("{3}|'{3}|"|')""", lines[comment.first - 1][comment.column :])
            quotes = opening[1][0] * 3 if "\n" in translated else opening[1]  # lines need triple quotes
            if translated.endswith(quotes[0]):
                raise TranslationError(f"the docstring {comment.text!r}: its translation ends in a quote")
            prefix = opening[0][: -len(opening[1])]
            indent, body = " " * comment.column, translated.split("\n")
            shown = [lines[comment.first - 1][: comment.column] + prefix + quotes + body[0]]
            shown += [indent + line for line in body[1:]]
            shown[-1] += quotes + lines[comment.last - 1][comment.end_column :]
            lines[comment.first - 1 : comment.last] = [line.rstrip() for line in shown]
        elif comment.trailing:
            if "\n" in translated:
                raise TranslationError(f"the comment after code {comment.text!r} must be translated into one line")
            line = lines[comment.first - 1]
            lines[comment.first - 1] = line[: comment.column] + "# " + translated
        else:
            indent = lines[comment.first - 1][: comment.column]
            lines[comment.first - 1 : comment.last] = [
                (indent + "# " + text).rstrip() for text in translated.split("\n")
            ]
    return "\n".join(lines), missing[::-1]


def width(line: str) -> int:
    """Columns a line takes in a monospaced font: two for a wide character such as Hangul."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def same_code(original: str, translation: str) -> bool:
    """Whether a translated piece of code is the original but for its comments and for string
    literals that are written in the translation's language (they hold a non-ASCII letter)."""
    try:
        ours, theirs = _code_tokens(original), _code_tokens(translation)
    except (tokenize.TokenError, SyntaxError):
        return original == translation
    if len(ours) != len(theirs):
        return False
    return all(a == b or _translated_string(a, b) for a, b in zip(ours, theirs))


def _translated_string(original: tuple[int, str], translation: tuple[int, str]) -> bool:
    """A string literal written in another language: a non-ASCII letter in it and, in an
    f-string, the same fields ({value:format}), so that it prints the same values."""
    if not original[0] == translation[0] == tokenize.STRING:
        return False
    if not any(ord(c) > 127 and c.isalpha() for c in translation[1]):
        return False

    def fields(literal: str) -> list[str] | None:
        node = ast.parse(literal, mode="eval").body
        if not isinstance(node, ast.JoinedStr):
            return None
        return [ast.dump(value) for value in node.values if isinstance(value, ast.FormattedValue)]

    return fields(original[1]) == fields(translation[1])


def _code_tokens(code: str) -> list[tuple[int, str]]:
    skipped = {tokenize.COMMENT, tokenize.NL, tokenize.ENCODING, tokenize.ENDMARKER}
    # From Python 3.12 an f-string is several tokens: made one STRING again, its text as written.
    start, end = getattr(tokenize, "FSTRING_START", None), getattr(tokenize, "FSTRING_END", None)
    lines = code.split("\n")
    found: list[tuple[int, str]] = []
    depth, opened = 0, (0, 0)
    for token in tokenize.generate_tokens(io.StringIO(code).readline):
        if token.type == start or depth:
            if token.type == start and not depth:
                opened = token.start
            depth += (token.type == start) - (token.type == end)
            if not depth:
                (first, column), (last, end_column) = opened, token.end
                text = "\n".join(lines[first - 1 : last])
                found.append((tokenize.STRING, text[column : len(text) - len(lines[last - 1]) + end_column]))
        elif token.type not in skipped:
            # A NEWLINE's text is "" where the last line lacks "\n": compare the token, not its text.
            found.append((token.type, "" if token.type == tokenize.NEWLINE else token.string))
    return found


# ---------------------------------------------------------------------------------------------
# Catalogues


def catalogue_dir(root: Path, language: str) -> Path:
    return root / LOCALE / language


@cache
def _read(path: Path, stamp: tuple[int, int]) -> dict[tuple[str, str], tuple[str, frozenset]]:
    """(context, English text) -> (translation, flags), as the catalogue holds them."""
    from babel.messages.pofile import PoFileError, read_po

    try:
        with path.open("rb") as file:
            catalogue = read_po(file, abort_invalid=True)
    except (PoFileError, ValueError) as error:
        raise TranslationError(f"{path}: {error}") from None
    return {
        (message.context or "", message.id): (message.string, frozenset(message.flags))
        for message in catalogue
        if message.id
    }


def entries(root: Path, language: str, context: str) -> dict[str, str]:
    """Every translation of the given kind in the language's catalogues, English text -> translation.
    An entry with an empty translation is left out: it is not translated yet."""
    merged: dict[str, str] = {}
    where: dict[str, Path] = {}
    for path in sorted(catalogue_dir(root, language).glob("*.po")):
        stat = path.stat()
        for (kind, text), (translation, flags) in _read(path, (stat.st_mtime_ns, stat.st_size)).items():
            if kind != context or not translation or "fuzzy" in flags:
                continue
            if merged.get(text, translation) != translation:
                raise TranslationError(
                    f"{where[text]} and {path} translate the {context} {text!r} differently: "
                    f"{merged[text]!r} and {translation!r}"
                )
            merged[text], where[text] = translation, path
    return merged


def needs_translation(text: str) -> bool:
    """Whether a figure text has words: a Latin letter outside $…$ math."""
    return bool(re.search(r"[A-Za-z]", MATH.sub("", text)))


class FigureTranslator:
    """Translates a figure text into one language, from its exact entries and {} patterns, and
    keeps the texts it had no entry for; picklable, for the page process."""

    def __init__(self, table: dict[str, str]) -> None:
        self.exact = {text: translation for text, translation in table.items() if not _placeholders(text)}
        self.patterns = []
        for text, translation in table.items():
            if count := len(_placeholders(text)):
                used = _placeholders(translation)  # each once: all {} in order, or {0}, {1}, ... in any
                if used != [""] * count and sorted(used) != [str(i) for i in range(count)]:
                    raise TranslationError(
                        f"the figure entry {text!r} has {count} {{}}, its translation {translation!r} does not"
                    )
                self.patterns.append((_pattern(text), translation))
        self.missing: set[str] = set()

    def __call__(self, text: str) -> str:
        if not needs_translation(text):
            return text
        if text in self.exact:
            return self.exact[text]
        for pattern, translation in self.patterns:
            if match := re.fullmatch(pattern, text, re.S):
                parts = match.groups()
                numbered = iter(range(len(parts)))
                def filled(piece: str) -> str:
                    return PLACEHOLDER.sub(lambda m: parts[int(m[1]) if m[1] else next(numbered)], piece)

                return _outside_math(translation, filled)
        self.missing.add(text)
        return text


def _placeholders(text: str) -> list[str]:
    """The {} of a text outside its $…$ math (where braces are TeX's): "" or the number in each."""
    return PLACEHOLDER.findall(MATH.sub("", text))


def _outside_math(text: str, change) -> str:
    """The text with `change` applied to each piece of it outside $…$ math."""
    pieces = re.split(f"({MATH.pattern})", text)  # text, math, text, math, ..., text
    return "".join(change(piece) if i % 2 == 0 else piece for i, piece in enumerate(pieces))


def _pattern(text: str) -> str:
    """A regular expression for the texts an entry with {} stands for."""

    def piece_pattern(piece: str) -> str:
        parts = PLACEHOLDER.split(piece)  # text, number, text, number, ..., text
        return "".join(re.escape(part) if i % 2 == 0 else NUMBER for i, part in enumerate(parts))

    pieces = re.split(f"({MATH.pattern})", text)
    return "".join(piece_pattern(piece) if i % 2 == 0 else re.escape(piece) for i, piece in enumerate(pieces))


def figure_texts(root: Path, languages: list[str]) -> dict[str, FigureTranslator]:
    """The figure text of every language built but English, in which the snippets are written."""
    return {language: FigureTranslator(entries(root, language, FIGURE)) for language in languages if language != "en"}


# ---------------------------------------------------------------------------------------------
# Figures (in the process that draws them)


class FontMissing(Exception):
    pass


@cache
def font_family(language: str) -> str | None:
    """Register the fonts that draw the language's letters with matplotlib (each weight the
    package has); their family name. The package's files are the ones every figure uses, even
    where the machine has fonts of the same name (Debian's fonts-nanum, for one)."""
    if language not in FONTS:
        return None
    from importlib import metadata

    from matplotlib import font_manager

    package, folder, family = FONTS[language]
    try:
        fonts = Path(metadata.distribution(package).locate_file(folder))
        files = sorted(str(path) for path in fonts.glob(f"{family}*.ttf"))
    except metadata.PackageNotFoundError:
        files = []
    if not files:
        raise FontMissing(
            f"the {language} figures need the font {family} from the Python package {package}, which "
            "is not installed: pip install -r requirements.txt"
        )
    manager = font_manager.fontManager
    for file in files:
        manager.addfont(file)
    # First in the list: findfont takes the first of the fonts that match equally well.
    manager.ttflist.sort(key=lambda font: font.fname not in files)
    manager._findfont_cached.cache_clear()  # findfont remembers its answers; no public way to forget
    return family


@contextlib.contextmanager
def translated(figure, translate, family: str | None):
    """The figure with every text replaced by its translation, tick labels included (their
    formatter makes them again when the figure is drawn), and the language's letters drawn in its
    font; as it was, afterwards."""
    from matplotlib.text import Text

    texts = [(text, text.get_text(), text.get_fontfamily()) for text in figure.findobj(Text) if text.get_visible()]
    axes = [axis for ax in figure.axes for axis in ax._axis_map.values()]  # x, y (and z): no public list
    # Set on the tickers, not with set_major_formatter(), which would mark them as chosen by the code.
    formatters = [(axis, axis.major.formatter, axis.minor.formatter) for axis in axes]
    try:
        for axis, major, minor in formatters:
            axis.major.formatter = _translating(major, translate)
            axis.minor.formatter = _translating(minor, translate)
        for text, words, families in texts:
            text.set_text(translate(words))
            if family is not None and family not in families:
                text.set_fontfamily([*families, family])
        yield figure
    finally:
        for axis, major, minor in formatters:
            axis.major.formatter, axis.minor.formatter = major, minor
        for text, words, families in texts:
            text.set_text(words)
            text.set_fontfamily(families)


def _translating(inner, translate):
    """A tick formatter whose labels are those of `inner`, translated."""
    from matplotlib.ticker import Formatter

    class Translating(Formatter):
        def set_locs(self, locs) -> None:
            inner.set_locs(locs)

        def __call__(self, x, pos=None) -> str:
            return translate(inner(x, pos))

        def format_ticks(self, values) -> list[str]:
            return [translate(label) for label in inner.format_ticks(values)]

        def get_offset(self) -> str:
            return translate(inner.get_offset())

    return Translating()


@contextlib.contextmanager
def glyphs_missing():
    """The characters drawn meanwhile that no font of their text has (matplotlib draws an empty box
    for each): a list of matplotlib's messages, which it warns of (text) or logs (math). Any other
    warning is passed on."""
    import logging
    import warnings

    found: list[str] = []

    class Handler(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if "does not have a glyph" in record.getMessage():
                found.append(record.getMessage())

    handler, logger = Handler(), logging.getLogger("matplotlib")
    logger.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield found
    finally:
        logger.removeHandler(handler)
    for warning in caught:
        if re.match(r"Glyph \d+ .* missing from", str(warning.message)):
            found.append(str(warning.message))
        else:
            warnings.showwarning(warning.message, warning.category, warning.filename, warning.lineno)


ALTERNATE = "image/x.book-{}+png"  # a figure's image in another language, beside its image/png


class NotebookFigures:
    """In the Jupyter kernel that runs a lab: every figure the lab displays is shown, besides its
    image/png, in each other language as ALTERNATE (a media type of the output's own), made by the
    same PNG formatter with the figure's text translated; bookbuild/notebooks.py gives each
    language's page its own. So a lab runs once for all its languages."""

    def __init__(self, root: str, languages: list[str]) -> None:
        from IPython import get_ipython
        from matplotlib.figure import Figure

        self.shell = get_ipython()
        self.tables = figure_texts(Path(root), languages)
        self.families = {language: font_family(language) for language in self.tables}
        self.problems: list[str] = []
        self.shell.display_formatter.mimebundle_formatter.for_type(Figure, self._alternates)

    def _alternates(self, figure) -> tuple[dict, dict]:
        import base64

        png = self.shell.display_formatter.formatters["image/png"]
        data, metadata = {}, {}
        for language, translate in self.tables.items():
            # IPython prints what a formatter raises and shows the figure anyway: keep it for check().
            try:
                with glyphs_missing() as missing, translated(figure, translate, self.families[language]):
                    made = png(figure)
            except Exception as error:  # whatever it is, the Korean page would show the English figure
                self.problems.append(f"{type(error).__name__}: {error}")
                continue
            self.problems += [f"a figure text has a character its fonts lack: {message}" for message in missing]
            if made is None:
                self.problems.append(f"the {language} figure was not drawn")
                continue
            image, image_metadata = made if isinstance(made, tuple) else (made, None)
            key = ALTERNATE.format(language)
            data[key] = base64.b64encode(image).decode() if isinstance(image, bytes) else image
            if image_metadata:
                metadata[key] = image_metadata
        return data, metadata

    def check(self) -> None:
        """Stop the lab if a figure text had no translation or a character no font has."""
        missing = {f"{language}: {text!r}" for language, table in self.tables.items() for text in table.missing}
        if missing or self.problems:
            raise RuntimeError(
                f"figure text without a translation in {LOCALE}/<language>/*.po: {', '.join(sorted(missing))}"
                if missing
                else self.problems[0]
            )


# ---------------------------------------------------------------------------------------------
# python -m bookbuild.translations: keep the catalogues in step with the code


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m bookbuild.translations",
        description="Add every comment of snippets/ and every text of the snippets' and the labs' "
        "figures that has no entry to locale/<language>/*.po (to be translated), and remove the "
        "entries that nothing uses. It runs every snippet and lab, as a script, to see its figures.",
    )
    parser.add_argument("languages", nargs="*", default=["ko"], help="default: ko")
    parser.add_argument(
        "--preview",
        metavar="SCRIPT",
        help="instead, run one snippet or lab and save its figures, translated into the (first) "
        "language, as PNG files in .cache/translations/, to look at while translating",
    )
    arguments = parser.parse_args()
    if arguments.preview:
        for path in _preview(ROOT, Path(arguments.preview).resolve(), arguments.languages[0]):
            print(path)
        return
    texts = _drawn_texts(ROOT)
    for language in arguments.languages:
        for name, (found_comments, found_texts) in _catalogue_contents(ROOT, texts).items():
            path = catalogue_dir(ROOT, language) / f"{name}.po"
            added, removed = _update(path, found_comments, found_texts)
            if added or removed:
                print(f"{path.relative_to(ROOT)}: {added} added (untranslated), {removed} removed")


def _scripts(root: Path) -> list[Path]:
    labs = [path for path in (root / "docs").glob("lab-*.py") if path.name.count(".") == 1]
    return sorted((root / "snippets").rglob("*.py")) + sorted(labs)


def _catalogue_name(root: Path, path: Path) -> str:
    """snippets/<chapter>/<topic>.py -> <chapter>; docs/lab-x.py -> lab-x."""
    return path.parent.name if path.is_relative_to(root / "snippets") else path.stem


def _catalogue_contents(root: Path, texts: dict[Path, list[str]]) -> dict:
    """For each catalogue: its comments and its figure texts, each with the place it is first met."""
    contents: dict[str, tuple[dict, dict]] = {}
    for path in _scripts(root):
        found_comments, found_texts = contents.setdefault(_catalogue_name(root, path), ({}, {}))
        relative = path.relative_to(root).as_posix()
        if path.is_relative_to(root / "snippets"):  # a lab's comments are translated in its twin
            for comment in comments(path.read_text()):
                found_comments.setdefault(comment.text, (relative, comment.first))
        for text in texts.get(path, []):
            found_texts.setdefault(text, (relative, None))
    return contents


def _update(path: Path, found_comments: dict, found_texts: dict) -> tuple[int, int]:
    """Write the catalogue with an entry for every comment and figure text found, keeping the
    translations it has; how many entries were added and how many removed."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    old = _read(path, (path.stat().st_mtime_ns, path.stat().st_size)) if path.is_file() else {}
    catalogue = Catalog(fuzzy=False)

    def add(context: str, text: str, place: tuple) -> None:
        translation, flags = old.get((context, text), ("", frozenset()))  # a fuzzy mark stays
        catalogue.add(text, translation, locations=[place], context=context, flags=flags)

    for text, place in found_comments.items():
        add(COMMENT, text, place)
    # A figure entry stays while it translates a text drawn; an untranslated one, only while no
    # translated entry (a {} pattern, say) covers its text.
    figure_entries = [text for kind, text in old if kind == FIGURE]
    translated = [
        text for text in figure_entries if old[FIGURE, text][0] and "fuzzy" not in old[FIGURE, text][1]
    ]
    kept = [
        text
        for text in figure_entries
        if any(_covers(text, found) for found in found_texts)
        and (text in translated or not any(_covers(other, text) for other in translated if other != text))
    ]
    for text in kept:
        add(FIGURE, text, next(found_texts[found] for found in found_texts if _covers(text, found)))
    for text, place in found_texts.items():
        if text not in kept and not any(_covers(known, text) for known in kept if known in translated):
            add(FIGURE, text, place)
    added = sum(1 for message in catalogue if message.id and (message.context, message.id) not in old)
    removed = sum(1 for key in old if catalogue.get(key[1], context=key[0]) is None)
    if not added and not removed and path.is_file():
        return 0, 0
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    # No header (it would carry dates) and no wrapping: a multi-line text breaks at its own lines.
    write_po(buffer, catalogue, width=0, omit_header=True)
    path.write_bytes(buffer.getvalue())
    _read.cache_clear()
    return added, removed


def _covers(entry: str, text: str) -> bool:
    """Whether a figure entry (exact, or with {} patterns) translates the text."""
    if not PLACEHOLDER.search(entry):
        return entry == text
    return re.fullmatch(_pattern(entry), text, re.S) is not None


# Run in a fresh interpreter per script: each figure's texts when plt.show() is called, and of
# the figures still open at the end, as the build sees them (drawn, so tick labels exist).
_COLLECTOR = """
import contextlib, io, json, runpy, sys
import matplotlib
matplotlib.rcdefaults()
matplotlib.use("module://bookbuild.backend", force=True)
import matplotlib.pyplot as plt
from matplotlib.text import Text
from bookbuild.translations import needs_translation
found = []
def collect(*args, **kwargs):
    for number in plt.get_fignums():
        figure = plt.figure(number)
        figure.canvas.draw()
        for text in figure.findobj(Text):
            words = text.get_text()
            if text.get_visible() and needs_translation(words) and words not in found:
                found.append(words)
    plt.close("all")
plt.show = collect
with contextlib.redirect_stdout(io.StringIO()):
    runpy.run_path(sys.argv[1], run_name="__main__")
    collect()
print(json.dumps(found))
"""


_PREVIEW = """
import contextlib, io, json, runpy, sys
from pathlib import Path
import matplotlib
matplotlib.rcdefaults()
matplotlib.use("module://bookbuild.backend", force=True)
import matplotlib.pyplot as plt
from bookbuild import translations
script, language, folder = sys.argv[1], sys.argv[2], Path(sys.argv[3])
translate = translations.figure_texts(translations.ROOT, [language])[language]
family = translations.font_family(language)
saved, lacking = [], []
def save(*args, **kwargs):
    for number in plt.get_fignums():
        path = folder / f"{Path(script).stem}-{len(saved) + 1}.png"
        with translations.glyphs_missing() as missing:
            with translations.translated(plt.figure(number), translate, family) as figure:
                figure.savefig(path, dpi=100)
        lacking.extend(missing)
        saved.append(str(path))
    plt.close("all")
plt.show = save
with contextlib.redirect_stdout(io.StringIO()):
    runpy.run_path(script, run_name="__main__")
    save()
print(json.dumps({"saved": saved, "missing": sorted(translate.missing), "lacking": lacking}))
"""


def _preview(root: Path, script: Path, language: str) -> list[str]:
    import json
    import subprocess

    folder = root / ".cache" / "translations"
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [sys.executable, "-c", _PREVIEW, str(script), language, str(folder)],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(done.stderr)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    for text in result["missing"]:
        print(f"not translated yet: {text!r}", file=sys.stderr)
    for message in result["lacking"]:  # drawn as empty boxes; the build stops on them
        print(f"a character no font has: {message}", file=sys.stderr)
    return result["saved"]


def _drawn_texts(root: Path) -> dict[Path, list[str]]:
    import json
    import subprocess
    from concurrent.futures import ThreadPoolExecutor

    def run(path: Path) -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", _COLLECTOR, str(path)], cwd=root, capture_output=True, text=True, check=False
        )
        if done.returncode:
            raise SystemExit(f"{path.relative_to(root)} failed:\n{done.stderr}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    scripts = _scripts(root)
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(scripts, pool.map(run, scripts)))


if __name__ == "__main__":
    main()

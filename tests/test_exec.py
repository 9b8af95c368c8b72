"""The build-time execution of bookbuild.execute, tried on a small site of its own.

Its snippets append a line to runs.log each time they run, so the tests see what really ran.
"""

import base64
import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ENV, HOSTILE_MATPLOTLIBRC, I18N_PLUGIN, ROOT, mkdocs_build, mkdocs_builds_at_once
from markdown_exec import ExecutionError

from bookbuild.execute import Slider, _frames_html

CONFIG = """\
site_name: Execution test
strict: true
nav: [a.md, b.md]
markdown_extensions:
  - pymdownx.snippets:
      base_path: [!relative $config_dir]
      check_paths: true
  - pymdownx.superfences:
      custom_fences:
        - name: python
          class: python
          validator: !!python/name:bookbuild.execute.validator
          format: !!python/name:bookbuild.execute.formatter
  - pymdownx.arithmatex:
      generic: true
  - bookbuild.mathml
"""

# With the hooks that tell the executed blocks each page's language and the languages built.
I18N = f"theme: {{name: material}}\nhooks: [{ROOT / 'bookbuild' / 'hooks.py'}]\nplugins:\n" + I18N_PLUGIN

SNIPPET_A = """\
# --8<-- [start:first]
with open("runs.log", "a") as log:
    log.write("a.first\\n")
greeting = "hello from block one"
# --8<-- [end:first]

# --8<-- [start:second]
with open("runs.log", "a") as log:
    log.write("a.second\\n")
print(greeting.upper())
# --8<-- [end:second]
"""

SNIPPET_B = """\
# --8<-- [start:plot]
import matplotlib.pyplot as plt

with open("runs.log", "a") as log:
    log.write("b.plot\\n")
plt.plot([0, 1, 2], [0, 1, 4])
plt.show()
# --8<-- [end:plot]
"""

PAGE_A = """\
# A

```python exec="on"
--8<-- "snippets/demo/a.py:first"
```

```python exec="on"
--8<-- "snippets/demo/a.py:second"
```
"""

PAGE_B = """\
# B

```python exec="on" alt="A parabola through three points"
--8<-- "snippets/demo/b.py:plot"
```
"""


def write_data(root: Path, content: bytes) -> None:
    (root / "data" / "numbers.csv").write_bytes(content)
    digest = hashlib.sha256(content).hexdigest()
    (root / "data" / "SHA256SUMS").write_text(f"{digest}  numbers.csv\n")


def make_book(root: Path) -> Path:
    for folder in ("docs", "snippets/demo", "data"):
        (root / folder).mkdir(parents=True)
    (root / "mkdocs.yml").write_text(CONFIG)
    (root / "snippets/demo/a.py").write_text(SNIPPET_A)
    (root / "snippets/demo/b.py").write_text(SNIPPET_B)
    (root / "docs/a.md").write_text(PAGE_A)
    (root / "docs/b.md").write_text(PAGE_B)
    write_data(root, b"x\n1\n")
    return root


@pytest.fixture
def book(tmp_path) -> Path:
    return make_book(tmp_path / "book")


@pytest.fixture(scope="module")
def built_once(tmp_path_factory) -> Path:
    """The small site built once, for the tests that start from a built site and a warm cache."""
    root = make_book(tmp_path_factory.mktemp("built") / "book")
    process, ran = build(root)
    assert process.returncode == 0, process.stderr
    assert ran == ["a.first", "a.second", "b.plot"]
    return root


@pytest.fixture
def built_book(built_once, tmp_path) -> Path:
    """A copy of the built small site, its pages and cache as the build left them."""
    return Path(shutil.copytree(built_once, tmp_path / "book"))


def build(root: Path, **env: str):
    """Build the small site with its own cache; return (process, the blocks that ran)."""
    log = root / "runs.log"
    log.unlink(missing_ok=True)
    process = mkdocs_build(root / "mkdocs.yml", root / "site", BOOK_EXEC_CACHE=str(root / ".cache"), **env)
    ran = log.read_text().split() if log.exists() else []
    return process, ran


def page(root: Path, name: str) -> str:
    return (root / "site" / name / "index.html").read_text()


def test_blocks_of_a_page_share_one_namespace_and_print_their_output(book):
    process, ran = build(book)
    assert process.returncode == 0, process.stderr
    assert ran == ["a.first", "a.second", "b.plot"]
    assert "HELLO FROM BLOCK ONE" in page(book, "a")


CATALOGUE = """\
msgctxt "comment"
msgid "The greeting, for the next block."
msgstr "다음 블록이 쓸 인사말."

msgctxt "figure"
msgid "squares"
msgstr "제곱수"

msgctxt "figure"
msgid "{} points"
msgstr "점 {}개"
"""


def make_korean(book: Path) -> Path:
    """The small site in English and Korean: a comment in a.py, figure text in b.py, and the
    Korean catalogue of both."""
    config = book / "mkdocs.yml"
    config.write_text(config.read_text().replace("nav: [a.md, b.md]", "nav: [index.md, a.md, b.md]") + I18N)
    (book / "docs" / "index.md").write_text("# Home\n")
    (book / "docs" / "index.ko.md").write_text("# 홈\n")
    snippet_a = book / "snippets/demo/a.py"
    snippet_a.write_text(snippet_a.read_text().replace("greeting =", "# The greeting, for the next block.\ngreeting ="))
    snippet_b = book / "snippets/demo/b.py"
    labelled = 'plt.title("squares")\nplt.xlabel("3 points")\nplt.show()'
    snippet_b.write_text(snippet_b.read_text().replace("plt.show()", labelled))
    for name in ("a", "b"):
        english = (book / "docs" / f"{name}.md").read_text()
        (book / "docs" / f"{name}.ko.md").write_text(english.replace(f"# {name.upper()}", "# 한국어"))
    (book / "locale" / "ko").mkdir(parents=True)
    (book / "locale" / "ko" / "demo.po").write_text(CATALOGUE)
    return book


def figure_texts(html: str) -> list[str]:
    """The texts an SVG figure of the page draws: matplotlib writes each as a comment by its paths."""
    image = BeautifulSoup(html, "html.parser").select_one("figure.book-figure img")
    svg = base64.b64decode(image["src"].split(",", 1)[1]).decode()
    return re.findall(r"<!-- (.*?) -->", svg)


def test_a_second_language_shows_comments_and_figures_in_its_language_and_runs_no_block_again(book):
    """Translated pages include the same snippet sections: the cache serves them, and each block's
    figures were saved in both languages when it ran."""
    make_korean(book)
    process, ran = build(book)
    assert process.returncode == 0, process.stderr
    assert ran == ["a.first", "a.second", "b.plot"], "each block ran once, for the first language only"
    korean_a = (book / "site" / "ko" / "a" / "index.html").read_text()
    assert "HELLO FROM BLOCK ONE" in korean_a
    assert "# 다음 블록이 쓸 인사말." in BeautifulSoup(korean_a, "html.parser").get_text()
    assert "# The greeting, for the next block." in BeautifulSoup(page(book, "a"), "html.parser").get_text()
    assert {"squares", "3 points"} <= set(figure_texts(page(book, "b")))
    korean_b = (book / "site" / "ko" / "b" / "index.html").read_text()
    assert {"제곱수", "점 3개"} <= set(figure_texts(korean_b))
    svg = base64.b64decode(BeautifulSoup(korean_b, "html.parser").select_one("figure img")["src"].split(",")[1])
    assert b'id="NanumGothic-' in svg, "Hangul drawn with the Korean font"


def test_a_text_without_a_translation_stops_the_build_naming_it(book):
    make_korean(book)
    catalogue = book / "locale" / "ko" / "demo.po"
    untranslated = catalogue.read_text().replace('msgstr "제곱수"', 'msgstr ""')
    catalogue.write_text(untranslated.replace('msgstr "다음 블록이 쓸 인사말."', 'msgstr ""'))
    log = failed_build(book)
    assert "figure text without a translation in locale/ko/*.po: 'squares'" in log
    assert "snippets/demo/a.py: comments without a translation" in log
    assert "line 4: 'The greeting, for the next block.'" in log


def test_a_korean_figure_without_its_font_or_a_glyph_stops_with_a_clear_message(monkeypatch):
    """Never an empty box where a Hangul syllable should be, nor a 'Glyph missing' warning."""
    from bookbuild import runner, translations

    code = 'import matplotlib.pyplot as plt\nplt.title("squares")\n'
    texts = {"ko": translations.FigureTranslator({"squares": "제곱수"})}

    def run():
        translations.font_family.cache_clear()
        with pytest.raises(runner.BlockError) as raised:
            runner.run(code, "/book/snippets/demo/b.py", [2, 3], {}, "/book", texts)
        return str(raised.value)

    monkeypatch.setitem(translations.FONTS, "ko", ("no-such-font-package", "fonts", "Nowhere"))
    message = run()
    assert "need the font Nowhere from the Python package no-such-font-package" in message
    assert "pip install -r requirements.txt" in message
    dejavu = ("matplotlib", "matplotlib/mpl-data/fonts/ttf", "DejaVuSans")  # no Hangul
    monkeypatch.setitem(translations.FONTS, "ko", dejavu)
    message = run()
    assert message.startswith("snippets/demo/b.py, lines 2-3: a figure text has a character its fonts lack")
    monkeypatch.undo()
    texts["ko"] = translations.FigureTranslator({"squares": "제곱수 $x^2$"})  # math is drawn in math fonts only
    assert "a figure text has a character its fonts lack" in run()
    translations.font_family.cache_clear()


@pytest.mark.parametrize("weight", ["normal", "bold"])
def test_the_korean_font_is_the_pinned_package_s_even_beside_a_system_font_of_its_name(weight):
    from importlib import metadata

    from matplotlib import font_manager

    from bookbuild import translations

    package, folder, family = translations.FONTS["ko"]
    assert translations.font_family("ko") == family
    found = font_manager.findfont(font_manager.FontProperties(family=family, weight=weight), fallback_to_default=False)
    assert Path(found).parent == Path(metadata.distribution(package).locate_file(folder))
    assert ("Bold" in Path(found).name) == (weight == "bold")


def test_a_build_with_nothing_changed_runs_nothing(built_book):
    first = page(built_book, "b")
    process, ran = build(built_book)
    assert process.returncode == 0, process.stderr
    assert ran == []
    assert page(built_book, "b") == first


def test_an_edited_snippet_reruns_only_its_page(built_book):
    snippet = built_book / "snippets/demo/b.py"
    snippet.write_text(snippet.read_text().replace("[0, 1, 4]", "[0, 2, 8]"))
    process, ran = build(built_book)
    assert process.returncode == 0, process.stderr
    assert ran == ["b.plot"]


def test_an_edited_block_reruns_the_blocks_above_it_on_its_page_only(built_book):
    snippet = built_book / "snippets/demo/a.py"
    snippet.write_text(snippet.read_text().replace("greeting.upper()", "greeting.title()"))
    process, ran = build(built_book)
    assert process.returncode == 0, process.stderr
    # The first block replays to rebuild the namespace the second one reads; page b is untouched.
    assert ran == ["a.first", "a.second"]
    assert "Hello From Block One" in page(built_book, "a")


def test_changed_data_reruns_every_page(built_book):
    write_data(built_book, b"x\n2\n")
    process, ran = build(built_book)
    assert process.returncode == 0, process.stderr
    assert sorted(ran) == ["a.first", "a.second", "b.plot"]


def test_two_clean_builds_give_identical_pages(built_book):
    first = {name: page(built_book, name) for name in ("a", "b")}
    shutil.rmtree(built_book / ".cache")
    process, ran = build(built_book)
    assert ran == ["a.first", "a.second", "b.plot"]
    assert {name: page(built_book, name) for name in ("a", "b")} == first
    assert re.search(r'<figure class="book-figure"[^>]*><img src="data:image/svg\+xml;base64,', first["b"])


def test_a_folded_block_shows_its_code_collapsed_and_its_figure_open(built_book):
    (built_book / "docs/b.md").write_text(PAGE_B.replace('exec="on"', 'exec="on" fold="on"'))
    process, ran = build(built_book)
    assert process.returncode == 0, process.stderr
    assert ran == []  # folding changes how the code is shown, not what runs
    block = BeautifulSoup(page(built_book, "b"), "html.parser").select_one("div.book-exec")
    folded = block.find("details", class_="book-code", recursive=False)
    assert not folded.has_attr("open") and folded.summary.get_text() == "The code that draws the figure"
    assert folded.select_one(".filename").get_text() == "snippets/demo/b.py"
    assert "plt.plot" in folded.select_one("code").get_text()
    assert block.find("figure", class_="book-figure", recursive=False)


def test_a_fold_that_is_neither_on_nor_off_stops_the_build(built_book):
    (built_book / "docs/b.md").write_text(PAGE_B.replace('exec="on"', 'exec="on" fold="yes"'))
    process, _ = build(built_book)
    assert process.returncode != 0
    assert 'fold="yes"' in process.stderr


SLIDER_SNIPPET = """\
import matplotlib.pyplot as plt

for slope in [1, 2, 3]:
    plt.figure(figsize=(3, 2))
    plt.plot([0, 1], [0, slope])
    plt.ylim(0, 3)
    plt.title(f"slope {slope}")
plt.show()
"""
SLIDER_FENCE = 'slider="slope: 1, 2, 3" start="2" alt="A line of slope 1|A line of slope 2|A line of slope 3"'


def test_a_slider_block_shows_one_frame_per_value_and_a_hidden_labelled_slider(book):
    add_snippet_block(book, "slopes", "sweep", SLIDER_SNIPPET, " " + SLIDER_FENCE)
    process, _ = build(book)
    assert process.returncode == 0, process.stderr
    block = BeautifulSoup(page(book, "b"), "html.parser").select("div.book-exec")[-1]
    frames = block.select_one("div.book-frames")
    images = frames.select("figure.book-figure > img")
    assert [image["alt"] for image in images] == [f"A line of slope {n}" for n in (1, 2, 3)]
    assert [image["data-value"] for image in images] == ["1", "2", "3"]
    assert [image.has_attr("hidden") for image in images] == [True, False, True]  # start="2"
    assert len({image["src"] for image in images}) == 3  # three drawings, not one thrice
    controls = frames.select_one(".book-frames-controls")
    assert controls.has_attr("hidden") and controls.has_attr("data-search-exclude")  # shown by frames.js
    slider = controls.select_one("input[type=range]")
    assert controls.select_one(f'label[for="{slider["id"]}"]').get_text() == "slope"
    assert (slider["min"], slider["max"], slider["value"], slider["aria-valuetext"]) == ("0", "2", "1", "2")
    assert slider["aria-describedby"] == images[1]["id"]
    assert controls.select_one(".book-frames-value").get_text() == "2"


def test_a_slider_whose_block_draws_another_number_of_frames_stops_the_build(book):
    fence = ' slider="slope: 1, 2, 3, 4" alt="slope 1|slope 2|slope 3|slope 4"'
    add_snippet_block(book, "slopes", "sweep", SLIDER_SNIPPET, fence)
    log = failed_build(book)
    assert "the block leaves 3 figure(s) open but its slider has 4 values" in log
    assert "snippets/demo/slopes.py" in log


@pytest.mark.parametrize(
    ("spec", "start", "alts", "message"),
    [
        ("slope 1, 2", None, ["1", "2"], "two values or more"),
        ("slope: 1", None, ["1"], "two values or more"),
        ("slope: 1, 1", None, ["1", "1"], "a value is given twice"),
        ("slope: 1, 2", "3", ["1", "2"], 'start="3" is not one of the values'),
        ("slope: 1, 2", None, ["slope 1"], "2 values but the page gives 1 alt text(s)"),
        ("slope: 1, 2", None, ["slope 1", "slope 1.2"], "the frame for 2 does not say 2"),
        ("rate: 0.5, 1", None, ["rate 0.55", "rate 1"], "the frame for 0.5 does not say 0.5"),
    ],
)
def test_a_slider_is_checked_against_its_alt_texts(spec, start, alts, message):
    with pytest.raises(ExecutionError, match=re.escape(message)):
        Slider.parse(spec, start, alts)


def test_a_slider_s_alt_texts_may_end_a_sentence_with_its_value_or_add_a_korean_particle():
    slider = Slider.parse("rate: 0.5, 1", "1", ["The rate is 0.5.", "At 1, it diverges"])
    assert (slider.label, slider.values, slider.start) == ("rate", ("0.5", "1"), "1")
    assert Slider.parse("학습률: 0.5, 1", None, ["학습률 0.5에서는 한 번에", "학습률 1이면"]).values == ("0.5", "1")


def test_the_frames_of_a_slider_must_share_one_size():
    small, large = (f'<svg width="{w}pt" height="100pt" viewBox="0 0 {w} 100"></svg>' for w in (100, 120))
    slider = Slider.parse("x: 1, 2", None, ["x 1", "x 2"])
    with pytest.raises(ExecutionError, match="must all be the same size"):
        _frames_html(slider, [small, large], ["x 1", "x 2"], "frames", "snippets/demo/x.py, lines 1-2")


def add_block(book: Path, code: str, include: str, options: str = "") -> None:
    """Append to page b an executed block holding `code` (not a snippet when include is None),
    with the fence's `options`."""
    fence = f'```python exec="on"{options}'
    (book / "docs/b.md").write_text(PAGE_B + f"\n{fence}\n{code if include is None else include}\n```\n")


def add_snippet_block(book: Path, name: str, section: str, code: str, options: str = "") -> None:
    """Write snippets/demo/<name>.py with one section holding `code`, and run it on page b."""
    (book / f"snippets/demo/{name}.py").write_text(f"# --8<-- [start:{section}]\n{code}# --8<-- [end:{section}]\n")
    add_block(book, "", f'--8<-- "snippets/demo/{name}.py:{section}"', options)


def failed_build(book: Path) -> str:
    """Build; assert that the build failed, and return what it logged."""
    process, _ = build(book)
    assert process.returncode != 0
    return process.stderr


def test_pages_do_not_share_a_namespace(book):
    add_snippet_block(book, "other", "reads_a", "print(greeting)\n")
    assert "NameError: name 'greeting' is not defined" in failed_build(book)


def test_a_snippet_that_raises_stops_the_build_naming_its_file_and_line(book):
    add_snippet_block(book, "bad", "boom", "import math\n\nprint(math.sqrt(-1))\n")
    log = failed_build(book)
    assert 'File "snippets/demo/bad.py", line 4, in <module>' in log
    assert "ValueError: math domain error" in log


def test_a_syntax_error_names_the_snippet_file_and_line(book):
    add_snippet_block(book, "bad", "typo", "x = 1\ny = (2\n")
    assert 'File "snippets/demo/bad.py", line 3' in failed_build(book)


def test_a_missing_include_stops_the_build(book):
    add_block(book, "", '--8<-- "snippets/demo/gone.py:x"')
    assert "gone.py" in failed_build(book)


def test_a_figure_without_alt_text_stops_the_build(book):
    (book / "docs/b.md").write_text(PAGE_B.replace(' alt="A parabola through three points"', ""))
    log = failed_build(book)
    assert "1 figure(s) open but the page gives 0 alt text(s)" in log
    assert "snippets/demo/b.py, lines 2-7" in log


def test_code_that_is_not_a_snippet_section_is_refused(book):
    add_block(book, 'print("pasted")', None)
    assert "executed code must be a section of a file in snippets/" in failed_build(book)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda root: (root / "data/numbers.csv").unlink(), "numbers.csv: missing"),
        (lambda root: (root / "data/numbers.csv").write_bytes(b"x\n9\n"), "numbers.csv: corrupt or changed"),
    ],
    ids=["missing", "corrupt"],
)
def test_a_missing_or_corrupt_data_file_stops_the_build_naming_it(book, damage, message):
    damage(book)
    assert message in failed_build(book)
    assert not (book / "runs.log").exists()


def test_with_execution_off_the_code_is_shown_and_nothing_runs(book):
    process, ran = build(book, BOOK_EXEC="off")
    assert process.returncode == 0, process.stderr
    assert ran == []
    assert "greeting" in page(book, "a") and "HELLO" not in page(book, "a")


def test_math_is_typeset_as_mathml(book):
    (book / "docs/a.md").write_text(
        PAGE_A
        + "\nInline $\\frac{\\partial L}{\\partial w}$.\n\n"
        + "$$\n\\begin{aligned}\nw &\\leftarrow w - \\eta g\n\\end{aligned}\n$$\n"
    )
    process, _ = build(book)
    assert process.returncode == 0, process.stderr
    html = page(book, "a")
    # Each formula's LaTeX stays only as its alternative text, for screen readers.
    inline = '<math alttext="\\frac{\\partial L}{\\partial w}" xmlns="http://www.w3.org/1998/Math/MathML"'
    assert inline + ' display="inline"><mrow><mfrac>' in html
    assert re.search(r'<math alttext="\\begin\{aligned\}[^"]*" [^>]*display="block"><mrow><mtable', html)
    assert "\\frac" not in BeautifulSoup(html, "html.parser").get_text() and "arithmatex" not in html


@pytest.mark.parametrize(
    ("formula", "reason"),
    [
        ("$\\notacommand{x}$", "unknown command \\notacommand"),
        ("$\\frac{1}{$", "a '{' is never closed"),
        ("$x^$", "a ^ or _ has nothing to raise or lower"),
        ("$$\n\\begin{aligned}\nx &= 1\n$$", "a \\begin{…} has no matching \\end{…}"),
    ],
)
def test_math_that_cannot_be_typeset_stops_the_build_naming_page_line_and_reason(book, formula, reason):
    display = formula.startswith("$$")
    (book / "docs/a.md").write_text(PAGE_A + "\nSome text.\n\n" + (formula if display else f"Broken {formula}.") + "\n")
    line = PAGE_A.count("\n") + (5 if display else 4)  # a display formula's first line follows its $$
    log = failed_build(book)
    assert "Error reading page 'a.md':" in log
    assert f"line {line}: the formula" in log and f"cannot be typeset: {reason}" in log, log


STATE = """\
# --8<-- [start:change]
import warnings

import matplotlib.pyplot as plt
import numpy as np
import torch

torch.set_default_dtype(torch.float64)
torch.set_printoptions(precision=1)
np.set_printoptions(precision=1)
plt.rcParams["lines.linewidth"] = 9
warnings.simplefilter("ignore")
# --8<-- [end:change]

# --8<-- [start:show]
import warnings

import matplotlib.pyplot as plt
import numpy as np
import torch

print(torch.get_default_dtype(), torch.tensor([1 / 3]), np.array([1 / 3]))
warnings.warn("a warning the page shows")
plt.plot([0, 1, 2], [0, 1, 4])
plt.show()
# --8<-- [end:show]
"""


def exec_blocks(root: Path, name: str) -> list[str]:
    """The HTML of the executed blocks of a built page."""
    return [str(block) for block in BeautifulSoup(page(root, name), "html.parser").select("div.book-exec")]


def test_a_page_shows_the_same_after_an_earlier_page_changed_global_state(book):
    (book / "snippets/demo/state.py").write_text(STATE)
    (book / "docs/a.md").write_text('# A\n\n```python exec="on"\n--8<-- "snippets/demo/state.py:change"\n```\n')
    (book / "docs/b.md").write_text(
        '# B\n\n```python exec="on" alt="A parabola through three points"\n--8<-- "snippets/demo/state.py:show"\n```\n'
    )
    process, _ = build(book)
    assert process.returncode == 0, process.stderr
    after_a = exec_blocks(book, "b")
    (book / "docs/a.md").unlink()
    config = book / "mkdocs.yml"
    config.write_text(config.read_text().replace("nav: [a.md, b.md]", "nav: [b.md]"))
    shutil.rmtree(book / ".cache")
    process, _ = build(book)
    assert process.returncode == 0, process.stderr
    assert exec_blocks(book, "b") == after_a
    assert "torch.float32" in after_a[0] and "UserWarning: a warning the page shows" in after_a[0]


def test_a_page_is_the_same_with_a_display_and_a_hostile_matplotlibrc(built_book, tmp_path):
    normal = exec_blocks(built_book, "b")
    shutil.rmtree(built_book / ".cache")
    (built_book / "matplotlibrc").write_text(HOSTILE_MATPLOTLIBRC)  # the folder mkdocs runs from
    (tmp_path / "mplconfig").mkdir()
    (tmp_path / "mplconfig" / "matplotlibrc").write_text(HOSTILE_MATPLOTLIBRC)  # the home folder's
    process, ran = build(built_book, DISPLAY=":0", MPLCONFIGDIR=str(tmp_path / "mplconfig"))
    assert process.returncode == 0, process.stderr
    assert ran == ["a.first", "a.second", "b.plot"]
    assert exec_blocks(built_book, "b") == normal
    assert "non-interactive" not in page(built_book, "b")


def test_nothing_below_a_failing_block_runs_or_is_cached(book):
    sections = [
        (name, f'with open("runs.log", "a") as log:\n    log.write("c.{name}\\n")\n')
        for name in ["ok", "fails", "after"]
    ]
    sections[1] = ("fails", sections[1][1] + "1 / 0\n")
    code = "".join(f"# --8<-- [start:{name}]\n{body}# --8<-- [end:{name}]\n" for name, body in sections)
    (book / "snippets/demo/c.py").write_text(code)
    blocks = "".join(
        f'\n```python exec="on"\n--8<-- "snippets/demo/c.py:{name}"\n```\n' for name in ["ok", "fails", "after"]
    )
    (book / "docs/c.md").write_text("# C\n" + blocks)
    entries = {path.name for path in (book / ".cache").glob("*.json")} if (book / ".cache").exists() else set()
    process, ran = build(book)
    assert process.returncode != 0
    assert ran == ["a.first", "a.second", "b.plot", "c.ok", "c.fails"], "the block below the failure must not run"
    assert "ZeroDivisionError" in process.stderr
    assert "not run, because the block from snippets/demo/c.py, lines 6-8 above failed" in process.stderr
    new = {path.name for path in (book / ".cache").glob("*.json")} - entries
    assert len(new) == 4, "cached: a's two blocks, b's and c's first block, nothing after the failure"


def test_a_corrupt_or_truncated_cache_entry_is_run_again(built_book):
    first = page(built_book, "a")
    entries = sorted((built_book / ".cache").glob("*.json"))
    entries[0].write_text(entries[0].read_text()[:40])  # truncated
    text = entries[1].read_text()
    entries[1].write_text(
        text.replace('"output": "', '"output": "tampered ', 1) if '"output": "' in text else text[::-1]
    )
    process, ran = build(built_book)
    assert process.returncode == 0, process.stderr
    assert ran, "the damaged entries are misses: their blocks run again"
    assert page(built_book, "a") == first and "tampered" not in page(built_book, "a")


def test_two_builds_at_once_sharing_a_cache_both_succeed(book):
    mkdocs_builds_at_once(book / "mkdocs.yml", [book / "site-1", book / "site-2"], BOOK_EXEC_CACHE=str(book / ".cache"))
    pages = [(book / f"site-{n}" / "b" / "index.html").read_text() for n in (1, 2)]
    assert pages[0] == pages[1]


def test_the_cache_key_covers_the_build_machinery(book, tmp_path, monkeypatch):
    from bookbuild import cache

    machinery = tmp_path / "machinery"
    shutil.copytree(cache.MACHINERY, machinery, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "MACHINERY", machinery)
    before = cache.fingerprint(book, ("torch",))
    runner = machinery / "runner.py"
    runner.write_text(runner.read_text() + "\n# an edit\n")
    assert cache.fingerprint(book, ("torch",)) != before


# Two builds in one interpreter, as `mkdocs serve` runs its first build and a rebuild; then what is
# left of the bookbuild the first one ran: the names of its functions that are still alive. (Until
# the next build loads mkdocs.yml, MkDocs keeps the last one's Markdown extension settings, the
# executed fences' functions among them, in its MkDocsConfig class: hence the second build.)
BUILT_AND_FORGOTTEN = """\
import gc, sys, types, weakref
from mkdocs.commands.build import build
from mkdocs.config import load_config

import bookbuild.execute  # the copy the first build uses: its hooks import it, and forget it after

functions = [
    weakref.ref(value)
    for name, module in list(sys.modules.items())
    if name.startswith("bookbuild")
    for value in vars(module).values()
    if isinstance(value, types.FunctionType) and value.__module__ == name
]
del bookbuild
for _ in range(2):
    config = load_config("mkdocs.yml", site_dir="site")
    config.plugins.on_startup(command="serve", dirty=False)
    build(config)
del config
gc.collect()
print(sorted({f"{ref().__module__}.{ref().__qualname__}" for ref in functions if ref() is not None}))
"""


def test_a_build_leaves_nothing_of_bookbuild_alive(book):
    """`mkdocs serve` forgets bookbuild after each build (bookbuild/hooks.py), so that the next
    one runs the code on disk. Anything that still holds a forgotten copy (an exit handler, a
    cache, a registry) keeps all of it alive, its caches and catalogues included: the server would
    grow by that much at every rebuild."""
    make_korean(book)
    process = subprocess.run(
        [sys.executable, "-c", BUILT_AND_FORGOTTEN],
        capture_output=True,
        text=True,
        cwd=book,
        env={**ENV, "BOOK_EXEC_CACHE": str(book / ".cache"), "PYTHONPATH": str(ROOT)},
    )
    assert process.returncode == 0, process.stderr
    alive = process.stdout.strip().splitlines()[-1]
    assert (book / "site" / "ko" / "b" / "index.html").exists(), "both languages were built"
    assert alive == "[]", f"the first build's bookbuild is still alive: {alive}"

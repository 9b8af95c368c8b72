"""Every construct the chapters' formulas use is typeset as the MathML element that shows it."""

import io
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from mkdocs.exceptions import PluginError

from bookbuild import mathfont
from bookbuild.mathml import to_mathml

CONSTRUCTS = [
    (r"\frac{\partial L}{\partial W}", ["<mfrac>", "&#x02202;"]),
    (r"\sum_{i=1}^{n} x_i w_i", ["<munderover><mo>&#x02211;</mo>", "<msub><mi>x</mi><mi>i</mi></msub>"]),
    (r"\sqrt{x^2}", ["<msqrt>", "<msup><mi>x</mi><mn>2</mn></msup>"]),
    (r"\hat{y}", ['<mover accent="true">']),
    (r"W \leftarrow W - \eta g", ["&#x02190;", "&#x003B7;"]),
    (r"\mathbf{W}^{(1)\top} \in \mathbb{R}^{h \times n}", ["&#x1D416;", "&#x022A4;", "&#x0211D;"]),
    (r"\begin{aligned} a &= b + c \\ d &= e \end{aligned}", ['<mtd columnalign="right"><mi>a</mi></mtd>', "<mtr>"]),
    (r"f(z) = \begin{cases} 1 & z > 0 \\ 0 & \text{otherwise} \end{cases}", ["<mtable>", "<mtext>otherwise</mtext>"]),
]


@pytest.mark.parametrize(("tex", "elements"), CONSTRUCTS, ids=[tex for tex, _ in CONSTRUCTS])
def test_construct_is_typeset(tex, elements):
    mathml = to_mathml(tex, display=True)
    assert mathml.startswith("<math alttext=")
    assert mathml.split(">")[0].endswith('xmlns="http://www.w3.org/1998/Math/MathML" display="block"')
    for element in elements:
        assert element in mathml


# Browsers space MathML by its elements, not as TeX does; bookbuild/mathml.py adds what is missing.
THIN = '<mspace width="0.1667em" />'
APPLIED = "<mo>&#x02061;</mo>"
SPACING = [
    # A function name is an identifier applied to what follows, thin spaces around it...
    (r"-y\log p", f"<mi>y</mi>{THIN}<mi>log</mi>{APPLIED}{THIN}<mi>p</mi>"),
    (r"(1-y)\log(1-p)", f"&#x00029;</mo>{THIN}<mi>log</mi>{APPLIED}<mo stretchy"),
    (r"2\sin x", f"<mn>2</mn>{THIN}<mi>sin</mi>"),
    (r"\log\operatorname{softmax}(z)", f"<mi>log</mi>{APPLIED}{THIN}<mi>softmax</mi>{APPLIED}<mo stretchy"),
    # ...none before an opening fence or after an operator, and the scripts go with the name.
    (r"\tanh^2(z)", f"<msup><mi>tanh</mi><mn>2</mn></msup>{APPLIED}<mo stretchy"),
    (r"x - \log p", f"<mo>&#x02212;</mo><mi>log</mi>{APPLIED}{THIN}<mi>p</mi>"),
    (r"\max(0, z)", f"<mi>max</mi>{APPLIED}<mo stretchy"),
    # \max and \operatorname come as operators, spaced as such even alone in a subscript: not any more.
    (r"\lambda_{\max}", "<mrow><mi>max</mi></mrow>"),
    # A sign after an operator or an opening fence is a prefix, not a binary minus.
    (r"L = -y", '<mo>&#x0003D;</mo><mo form="prefix">&#x02212;</mo><mi>y</mi>'),
    (r"(-1, -2)", '<mo>&#x0002C;</mo><mo form="prefix">&#x02212;</mo><mn>2</mn>'),
    (r"a - b", "<mi>a</mi><mo>&#x02212;</mo><mi>b</mi>"),
    # A slash is a symbol, not an operator with space around it; so is \partial.
    (r"\partial L / \partial w", '<mo lspace="0" rspace="0">&#x0002F;</mo><mi mathvariant="normal">&#x02202;</mi>'),
    # So is \infty, a symbol set as a letter is: "= −∞", not "= − ∞ " before the next word.
    (r"\log 0 = -\infty", '<mo form="prefix">&#x02212;</mo><mi mathvariant="normal">&#x0221E;</mi>'),
    # So are the dots: the sign after them is binary, "+ ⋯ + x", not the prefix of "+ ⋯ +x".
    (r"x_1 + \cdots + x_n", '<mi mathvariant="normal">&#x022EF;</mi><mo>&#x0002B;</mo><msub>'),
    (r"(x_1, \dots, x_n)", '<mo>&#x0002C;</mo><mi mathvariant="normal">&#x02026;</mi><mo>&#x0002C;</mo>'),
    # A prime follows its base on the line, as a math font draws it high already: no superscript.
    (r"\sigma'(z)", '<mrow><mi>&#x003C3;</mi><mo lspace="0" rspace="0">&#x02032;</mo></mrow><mo stretchy'),
    (r"f''(x) + y^{\prime}", '<mrow><mi>y</mi><mo lspace="0" rspace="0">&#x02032;</mo></mrow>'),
    (r"\tanh'(z)", f'<mrow><mi>tanh</mi><mo lspace="0" rspace="0">&#x02032;</mo></mrow>{APPLIED}<mo stretchy'),
    (r"x'^2", "<msup><mi>x</mi><mrow><mi>&#x02032;</mi><mn>2</mn></mrow></msup>"),  # a power stays one
    # A thousands separator is part of its number, not a comma in a list: "101,770", not "101, 770".
    (r"100{,}480 + 1{,}290", "<mn>100,480</mn><mo>&#x0002B;</mo><mn>1,290</mn>"),
    # \lVert … \rVert^2 stays the size of the text on both sides, as in TeX.
    (r"\frac{\lambda}{2}\lVert \theta\rVert^2", '<msup><mo stretchy="false" lspace="0" rspace="0">&#x02016;</mo>'),
    # | is an ordinary symbol, not a relation spaced on both sides: "|x − 1| < 1", not "|x − 1 | < 1".
    (r"|x - 1| < 1", '<mn>1</mn><mo stretchy="false" lspace="0" rspace="0">&#x0007C;</mo><mo>&#x0003C;</mo>'),
]


# \left( … \right) stays the plain size around text (a browser would draw the next, wider size,
# "( 1 − σ(z) )") and grows around a fraction or a big operator.
FENCES = [
    (r"\left(1 - \sigma(z)\right)", False),
    (r"\left(\hat{Y}_{ic} - Y_{ic}\right)^2", False),
    (r"0.01 \left(1 - \frac{14}{200}\right)", True),
    (r"\left(-\sum_c p_c \log p_c\right)", True),
]


@pytest.mark.parametrize(("tex", "grows"), FENCES, ids=[tex for tex, _ in FENCES])
def test_a_fence_grows_only_around_what_is_taller_than_text(tex, grows):
    mathml = to_mathml(tex, display=True)
    assert mathml.count('fence="true"') == 2
    assert mathml.count('stretchy="true"') == (2 if grows else 0)
    assert mathml.count('stretchy="false" fence="true"') == (0 if grows else 2)


@pytest.mark.parametrize(("tex", "expected"), SPACING, ids=[tex for tex, _ in SPACING])
def test_function_names_and_signs_are_spaced_as_tex_spaces_them(tex, expected):
    assert expected in to_mathml(tex, display=False)


# In a script, and in the parts of a fraction that TeX sets in script style, an operator has no space
# around it ("j=1" under a sum, as TeX sets it); a browser would space it as on the line, only smaller.
TIGHT = '<mo lspace="0" rspace="0">'
SCRIPTS = [
    (r"\sum_{j=1}^{K} x_j", True, f"<mi>j</mi>{TIGHT}&#x0003D;</mo><mn>1</mn>"),
    (r"p^y(1-p)^{1-y}", False, f"<mn>1</mn>{TIGHT}&#x02212;</mo><mi>y</mi></mrow></msup>"),
    (r"x_{i,j}", False, f"<mi>i</mi>{TIGHT}&#x0002C;</mo><mi>j</mi>"),
    (r"\mathbb{R}^{N \times k}", False, f"<mi>N</mi>{TIGHT}&#x000D7;</mo><mi>k</mi>"),
    (r"\hat{y}_{i-1}", False, f'<mo>&#x0005E;</mo></mover><mrow><mi>i</mi>{TIGHT}'),  # an accent is no script
    (r"\sqrt[n+1]{x}", False, f"<mi>n</mi>{TIGHT}&#x0002B;</mo>"),
    # An inline fraction's parts are in script style; a display fraction's in text style, but
    # fractions inside them are in script style again, as are those of \tfrac.
    (r"\frac{TP}{TP + FN}", False, f"<mi>P</mi>{TIGHT}&#x0002B;</mo>"),
    (r"\frac{TP}{TP + FN}", True, "<mi>P</mi><mo>&#x0002B;</mo>"),
    (r"\frac{1 + \frac{a - b}{2}}{2}", True, f"<mn>1</mn><mo>&#x0002B;</mo><mfrac><mrow><mi>a</mi>{TIGHT}"),
    (r"\tfrac{a - b}{2}", True, f"<mi>a</mi>{TIGHT}&#x02212;</mo>"),
    (r"\dfrac{a - b}{2}", False, "<mi>a</mi><mo>&#x02212;</mo>"),
    # aligned is in display style, its fractions' parts in text style; cases is in text style.
    (r"\begin{aligned} a &= \frac{b + c}{2} \end{aligned}", True, "<mi>b</mi><mo>&#x0002B;</mo>"),
    (r"\begin{cases} \frac{b + c}{2} & x > 0 \end{cases}", True, f"<mi>b</mi>{TIGHT}&#x0002B;</mo>"),
    # The base of a script stays on the line, and a big operator in a script keeps its thin space.
    (r"(a + b)^2", False, "<mi>a</mi><mo>&#x0002B;</mo><mi>b</mi>"),
    (r"e^{\sum_i x_i}", False, "<msub><mo>&#x02211;</mo>"),
]


@pytest.mark.parametrize(("tex", "display", "expected"), SCRIPTS, ids=[f"{tex} {d}" for tex, d, _ in SCRIPTS])
def test_operators_in_scripts_are_set_tight_as_in_tex(tex, display, expected):
    assert expected in to_mathml(tex, display=display)


def test_aligned_equations_form_one_table_row_per_line():
    mathml = to_mathml(r"\begin{aligned} a &= 1 \\ b &= 2 \\ c &= 3 \end{aligned}", display=True)
    assert mathml.count("<mtr>") == 3


def test_inline_math_is_inline():
    assert 'display="inline"' in to_mathml(r"\frac{1}{2}", display=False)


def test_an_unknown_command_is_an_error():
    with pytest.raises(ValueError, match=r"unknown command \\notacommand"):
        to_mathml(r"\notacommand{x}", display=False)


def test_the_latex_is_the_formulas_alternative_text():
    """A screen reader that does not read MathML announces the alttext: the LaTeX as written, on one
    line, its <, > and & escaped."""
    tex = "x < y \\text{ and } y > z \\\\\n  a & b"
    mathml = to_mathml(r"\begin{aligned}" + tex + r"\end{aligned}", display=True)
    tag = mathml.split(">")[0]
    assert 'alttext="\\begin{aligned}x &lt; y \\text{ and } y &gt; z \\\\ a &amp; b\\end{aligned}"' in tag


# The math font the site serves: a subset of the full font made by the build (bookbuild/mathfont.py).
FULL_FONT = Path(__file__).parents[1] / "docs" / "fonts" / "latinmodern-math.otf"


@pytest.fixture(scope="module")
def small_subset():
    """The subset for one page whose formula has x = ((a + b)/2)^2, sqrt(y), a sum and words."""
    page = "<p><math>" + to_mathml(r"x = \left(\frac{a + b}{2}\right)^2 + \sqrt{y} + \sum_i z_i + \text{평균 of}", True)
    return TTFont(io.BytesIO(mathfont.subset(FULL_FONT, {"page.md": mathfont.formula_characters(page)})))


def test_the_subset_has_the_italic_letters_browsers_draw_for_one_letter_identifiers(small_subset):
    has = small_subset.getBestCmap()
    assert {ord(c) for c in "𝑥𝑎𝑏𝑦𝑧𝑖=+()2√∑of\u00a0"} <= set(has), "a word's (no-break) space is the math font's too"
    assert ord("q") not in has and ord("𝑞") not in has, "only the glyphs the formulas use"


def test_the_subset_keeps_the_variants_and_assemblies_of_stretchy_operators(small_subset):
    variants = small_subset["MATH"].table.MathVariants
    vertical = dict(zip(variants.VertGlyphCoverage.glyphs, variants.VertGlyphConstruction))
    name = small_subset.getBestCmap()[ord("(")]
    construction = vertical[name]
    assert construction.VariantCount > 1 and construction.GlyphAssembly is not None
    glyphs = set(small_subset.getGlyphOrder())
    assert {record.VariantGlyph for record in construction.MathGlyphVariantRecord} <= glyphs
    assert {part.glyph for part in construction.GlyphAssembly.PartRecords} <= glyphs
    assert small_subset["name"].getDebugName(1) == "Book Math", "renamed, as the GUST Font License asks"


def test_the_subset_is_the_same_bytes_each_time():
    pages = {"page.md": mathfont.formula_characters("<math>" + to_mathml(r"\frac{1}{n}\sum_i x_i", True))}
    assert mathfont.subset(FULL_FONT, pages) == mathfont.subset(FULL_FONT, pages)


@pytest.mark.parametrize(("tex", "lacking"), [(r"\mathrm{평균} = 1", "평"), (r"x + ก", "ก")])
def test_a_symbol_the_full_font_lacks_stops_the_build_naming_the_page_and_the_character(tex, lacking):
    characters = mathfont.formula_characters("<math>" + to_mathml(tex, True))
    with pytest.raises(PluginError, match=rf"^docs/chapter\.md: a formula shows '{lacking}' \(U\+{ord(lacking):04X}\)"):
        mathfont.subset(FULL_FONT, {"docs/chapter.md": characters})


def test_every_formula_of_the_site_is_in_the_served_math_font(site):
    served = TTFont(site / mathfont.SERVED).getBestCmap()
    for page in site.rglob("*.html"):
        for character, symbol in mathfont.formula_characters(page.read_text()).items():
            assert not symbol or ord(character) in served, f"{page}: {character!r} is not in the served font"
    assert not (site / mathfont.FONT).exists(), "the site serves the subset alone"

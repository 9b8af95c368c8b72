"""Every construct the chapters' formulas use is typeset as the MathML element that shows it."""

import pytest

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

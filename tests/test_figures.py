"""Figures are readable in both themes: drawn on an opaque white background (which the site shows
as a white card in the light and the dark theme alike), with lines and text that contrast with it."""

import runpy

import matplotlib.pyplot as plt
import pytest
from conftest import LABS, SNIPPETS
from matplotlib.colors import to_rgba

DRAWING = sorted(str(path.relative_to(SNIPPETS)) for path in SNIPPETS.rglob("*.py") if "plt.show()" in path.read_text())
# WCAG 2.1: 3:1 for graphical objects that carry meaning (1.4.11), 4.5:1 for text (1.4.3).
LINE_CONTRAST, TEXT_CONTRAST = 3.0, 4.5


def luminance(colour) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b, _ = to_rgba(colour)
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a, b) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_is_computed_as_wcag_defines_it():
    assert contrast("black", "white") == pytest.approx(21)
    assert contrast("#777777", "white") == pytest.approx(4.48, abs=0.01)


def figures_of(relative: str) -> list:
    plt.close("all")
    runpy.run_path(str(SNIPPETS / relative), run_name="__main__")
    figures = [plt.figure(number) for number in plt.get_fignums()]
    assert figures, f"snippets/{relative} shows no figure"
    return figures


def figures_have_contrast_on_an_opaque_white_background(figures: list) -> None:
    for figure in figures:
        assert to_rgba(figure.get_facecolor()) == (1, 1, 1, 1), "the figure background must be opaque white"
        for axes in figure.axes:
            background = axes.get_facecolor() if axes.patch.get_visible() else figure.get_facecolor()
            for line in axes.get_lines():
                if not line.get_label().startswith("_"):  # a line named in the legend carries meaning
                    assert contrast(line.get_color(), background) >= LINE_CONTRAST, line.get_label()
            for bars in axes.containers:  # bar charts: the bars of a labelled series
                if not bars.get_label().startswith("_"):
                    for bar in bars.patches:
                        assert contrast(bar.get_facecolor(), background) >= LINE_CONTRAST, bars.get_label()
            texts = [axes.title, axes.xaxis.label, axes.yaxis.label, *axes.get_xticklabels(), *axes.get_yticklabels()]
            legend = axes.get_legend()
            texts += legend.get_texts() if legend else []
            for text in texts:
                if text.get_text():
                    assert contrast(text.get_color(), background) >= TEXT_CONTRAST, text.get_text()


@pytest.mark.parametrize("relative", DRAWING)
def test_snippet_figures_have_contrast_on_an_opaque_white_background(relative):
    figures_have_contrast_on_an_opaque_white_background(figures_of(relative))
    plt.close("all")


@pytest.mark.parametrize("notebook", LABS, ids=lambda path: path.name)
def test_lab_figures_have_contrast_on_an_opaque_white_background(lab, notebook):
    figures = lab(notebook.name).figures
    assert figures, f"{notebook.name} shows no figure"
    figures_have_contrast_on_an_opaque_white_background(figures)

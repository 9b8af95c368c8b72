"""Figures are readable in both themes: drawn on an opaque white background (which the site shows
as a white card in the light and the dark theme alike), with every text, and every line, marker, bar
and arrow that carries meaning, in contrast with what it is drawn on."""

from unittest import mock

import matplotlib.pyplot as plt
import pytest
from conftest import LABS, SNIPPETS, snippet_figures
from matplotlib.collections import PathCollection
from matplotlib.colors import to_rgba
from matplotlib.container import BarContainer
from matplotlib.text import Annotation, Text

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


def over(colour, background) -> tuple:
    """The opaque colour a reader sees: `colour`, with its own alpha, painted on `background`."""
    *rgb, alpha = to_rgba(colour)
    return tuple(alpha * c + (1 - alpha) * b for c, b in zip(rgb, to_rgba(background)[:3]))


def test_contrast_is_computed_as_wcag_defines_it():
    assert contrast("black", "white") == pytest.approx(21)
    assert contrast("#777777", "white") == pytest.approx(4.48, abs=0.01)
    assert contrast("#D55E00", "white") == pytest.approx(3.87, abs=0.01)  # the old gradient labels
    assert over((0, 0, 0, 0.5), "white") == pytest.approx((0.5, 0.5, 0.5))


def figures_of(relative: str) -> list:
    figures = snippet_figures(relative)
    assert figures, f"snippets/{relative} shows no figure"
    return figures


def drawn_texts(figure) -> list[Text]:
    """Every text the figure draws (ticks, labels, titles, legends, ax.text, annotations...): those
    that Text.draw is called on while the figure is drawn, so that hidden ones do not count."""
    texts, draw = [], Text.draw

    def recording(text, renderer):
        if text.get_visible() and text.get_text().strip():
            texts.append(text)
        return draw(text, renderer)

    with mock.patch.object(Text, "draw", recording):
        figure.canvas.draw()
    return texts


def regions(extent, axes, figure) -> list:
    """The backgrounds under a window extent: the axes' (where it is drawn) and the figure's."""
    found = []
    if axes is not None and axes.axison and axes.get_frame_on() and axes.patch.get_visible():
        if extent.overlaps(axes.bbox):
            found.append(over(axes.get_facecolor(), figure.get_facecolor()))
        if axes.bbox.contains(extent.x0, extent.y0) and axes.bbox.contains(extent.x1, extent.y1):
            return found
    return [*found, figure.get_facecolor()]


def text_backgrounds(text, figure) -> list:
    """What a text is drawn on: its own box, or its legend's frame, or the axes and figure under it."""
    legend = next((legend for legend in [*figure.legends, *(a.get_legend() for a in figure.axes)]
                   if legend and (text in legend.get_texts() or text is legend.get_title())), None)
    axes = legend.axes if legend else text.axes
    box = text.get_bbox_patch()
    if box is None and legend and legend.get_frame_on():
        box = legend.get_frame()
    if box is None or not box.get_visible():
        return regions(text.get_window_extent(), axes, figure)
    return [over(box.get_facecolor(), under) for under in regions(box.get_window_extent(), axes, figure)]


def mark_colours(axes) -> list[tuple[str, list]]:
    """Each mark that carries meaning, with the colours it is seen by: the lines and markers of
    labelled lines, every scatter point (by its face or its edge), every bar, every annotation arrow."""
    marks = []
    for line in axes.get_lines():
        if line.get_visible() and not line.get_label().startswith("_"):  # named in the legend
            alpha = line.get_alpha()
            if line.get_linestyle() not in ("None", "") and line.get_linewidth() > 0:
                marks.append((f"line {line.get_label()}", [to_rgba(line.get_color(), alpha)]))
            if line.get_marker() not in (None, "None", "", " "):
                seen = [to_rgba(line.get_markerfacecolor(), alpha)]
                seen += [to_rgba(line.get_markeredgecolor(), alpha)] if line.get_markeredgewidth() > 0 else []
                marks.append((f"markers of {line.get_label()}", seen))
    for points in axes.collections:
        if isinstance(points, PathCollection) and points.get_visible():
            faces, edges = list(points.get_facecolors()), list(points.get_edgecolors())
            widths = points.get_linewidths()
            for i in range(len(points.get_offsets())):
                seen = [faces[i % len(faces)]] if faces else []
                seen += [edges[i % len(edges)]] if edges and widths[i % len(widths)] > 0 else []
                marks.append((f"scatter point {i} of {points.get_label()}", seen))
    for bars in axes.containers:
        if isinstance(bars, BarContainer):
            for i, bar in enumerate(bars.patches):
                seen = [bar.get_facecolor()] + ([bar.get_edgecolor()] if bar.get_linewidth() > 0 else [])
                marks.append((f"bar {i} of {bars.get_label()}", seen))
    for text in axes.texts:
        if isinstance(text, Annotation) and text.arrow_patch is not None and text.get_visible():
            marks.append((f"arrow of annotation {text.get_text()!r}", [text.arrow_patch.get_edgecolor()]))
    return marks


def figures_have_contrast_on_an_opaque_white_background(figures: list) -> None:
    for figure in figures:
        assert to_rgba(figure.get_facecolor()) == (1, 1, 1, 1), "the figure background must be opaque white"
        for text in drawn_texts(figure):
            colour = to_rgba(text.get_color(), text.get_alpha())
            for background in text_backgrounds(text, figure):
                ratio = contrast(over(colour, background), background)
                assert ratio >= TEXT_CONTRAST, f"text {text.get_text()!r}: {ratio:.2f}:1"
        for axes in figure.axes:
            background = regions(axes.bbox, axes, figure)[0]  # marks are drawn inside the axes
            for mark, colours in mark_colours(axes):
                ratio = max(contrast(over(colour, background), background) for colour in colours)
                assert ratio >= LINE_CONTRAST, f"{mark}: {ratio:.2f}:1"


@pytest.mark.parametrize("relative", DRAWING)
def test_snippet_figures_have_contrast_on_an_opaque_white_background(relative):
    figures_have_contrast_on_an_opaque_white_background(figures_of(relative))
    plt.close("all")


@pytest.mark.parametrize("notebook", LABS, ids=lambda path: path.name)
def test_lab_figures_have_contrast_on_an_opaque_white_background(lab, notebook):
    figures = lab(notebook.name).figures
    assert figures, f"{notebook.name} shows no figure"
    figures_have_contrast_on_an_opaque_white_background(figures)

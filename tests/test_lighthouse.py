"""bookbuild/lighthouse.py: the CPU slowdown it prints beside the machine's benchmark index."""

import pytest

from bookbuild import lighthouse


@pytest.mark.parametrize(("index", "slowdown"), [(150, 1), (800, 2), (1300, 3), (1533, 4), (1766, 5), (2000, 6)])
def test_the_slowdown_is_lighthouse_s_calculator_s_at_its_anchors(index, slowdown):
    """The points Lighthouse's calculator names (2000 is 6 times, 1533 the default 4)."""
    assert lighthouse.calibrated_slowdown(index) == pytest.approx(slowdown, abs=0.01)


@pytest.mark.parametrize("index", [800, 1300])
def test_the_slowdown_is_continuous_where_the_calculator_s_formula_changes(index):
    assert lighthouse.calibrated_slowdown(index - 1e-6) == pytest.approx(lighthouse.calibrated_slowdown(index))


def test_below_150_the_calculator_has_no_slowdown():
    assert lighthouse.calibrated_slowdown(149) is None

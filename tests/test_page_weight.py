"""Every page, in both languages, within BUDGET on a first visit: the bytes a browser loads (the page,
its stylesheets, scripts, icon, the figures near its top, the math font where it has formulas, and
the search index and scripts that Material fetches at once), as served (tests/page_weight.py)."""

import pytest
from page_weight import BUDGET, table, weights


@pytest.fixture(scope="module")
def page_weights(site):
    return weights(site)


def test_every_page_is_within_the_budget_on_a_first_visit(site, page_weights):
    over = {}
    for page, files in page_weights.items():
        if sum(files.values()) > BUDGET:
            heaviest = sorted(files.items(), key=lambda item: -item[1])[:4]
            over[page] = f"{sum(files.values()) / 1024:.1f} KiB > {BUDGET // 1024} KiB; heaviest: " + ", ".join(
                f"{path} {size / 1024:.1f} KiB" for path, size in heaviest
            )
    assert not over, "pages over the budget:\n" + "\n".join(f"{page}: {why}" for page, why in over.items())


def test_every_page_is_measured(page_weights):
    assert {"index.html", "404.html", "ko/index.html", "ko/404.html", "glossary/index.html"} <= set(page_weights)
    assert any(path.startswith("assets/figures/") for files in page_weights.values() for path in files)
    print("\n" + table(page_weights))

"""`pytest -m "not site"` is the fast loop: every test that needs the built book or builds a site with
mkdocs is marked `site` (by conftest.py), and so left out of it."""

import inspect
from functools import cache
from pathlib import Path

TESTS = Path(__file__).parent
MKDOCS = '"-m", "mkdocs"'  # how conftest.mkdocs_build and test_site start it


def code_names(code) -> set[str]:
    names = set(code.co_names)
    for constant in code.co_consts:
        names |= code_names(constant) if inspect.iscode(constant) else set()
    return names


@cache  # the tests share their fixtures and helpers: read each function's source once
def source(function) -> str:
    return inspect.getsource(function)


def runs_mkdocs(item) -> bool:
    """The test, a fixture it uses (directly or through others, as the browser tests use `site`), or a
    function of the tests that these call, starts `python -m mkdocs`."""
    todo = [item.function, *(definitions[-1].func for definitions in item._fixtureinfo.name2fixturedefs.values())]
    seen = set()
    while todo:
        function = todo.pop()
        if function in seen or Path(inspect.getsourcefile(function)).parent != TESTS:
            continue
        seen.add(function)
        if MKDOCS in source(function):
            return True
        called = (function.__globals__.get(name) for name in code_names(function.__code__))
        todo += [value for value in called if inspect.isfunction(value)]
    return False


def test_no_test_that_builds_a_site_escapes_the_site_marker(request):
    """Checked on the tests of this run: in a whole run, that each is marked; under -m "not site",
    that none of them is left to run."""
    tests = [item for item in request.session.items if hasattr(item, "function")]  # not the Markdown code blocks
    escaped = [item.nodeid for item in tests if runs_mkdocs(item) and not item.get_closest_marker("site")]
    assert not escaped, f"not marked `site`, so `pytest -m 'not site'` builds a site: {escaped}"

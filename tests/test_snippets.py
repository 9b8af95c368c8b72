"""Every snippet runs on its own as a script, the way a learner copies it; and every block a page
shows runs on its own unless its title says that it continues the code above."""

import ast
import re
from functools import cache

import pytest
from conftest import (
    DOCS,
    SNIPPETS,
    TRANSLATION,
    in_fresh_processes,
    run_alone,
    script_run,
    snippet_files,
    snippet_sections,
)

from bookbuild.execute import continues

INCLUDE = re.compile(r'^ *--8<-- "snippets/([^":]+):([^"]+)"$', re.M)
# Every section a page shows, as (snippet, section): the Korean twins show the same ones.
SHOWN = sorted(
    {
        include
        for page in DOCS.glob("*.md")
        if not TRANSLATION.match(page.name)
        for include in INCLUDE.findall(page.read_text())
    }
)


@pytest.mark.parametrize("relative", snippet_files())
def test_snippet_runs_as_a_script(relative):
    run = script_run(relative)
    assert run.returncode == 0, f"python snippets/{relative} failed:\n{run.stderr}"


@pytest.mark.parametrize("relative", snippet_files())
def test_snippet_imports_nothing_from_this_project(relative):
    tree = ast.parse((SNIPPETS / relative).read_text())
    modules = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    modules |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    local = {path.stem for path in SNIPPETS.rglob("*.py")} | {"bookbuild", "conftest", "tests", "snippets"}
    assert not {module.split(".")[0] for module in modules} & local


def test_there_are_snippets():
    assert snippet_files(), "snippets/ holds no .py file"


def _first_section(relative: str) -> str:
    return snippet_sections(SNIPPETS / relative)[0][0]


@cache
def _alone_runs() -> dict[tuple[str, str], str | None]:
    """Every standalone block that is not the first section of its file, run alone (a file's first
    section already runs alone, from an empty namespace, when the file runs as a script)."""
    standalone = [
        shown
        for shown in SHOWN
        if not continues(dict(snippet_sections(SNIPPETS / shown[0]))[shown[1]]) and shown[1] != _first_section(shown[0])
    ]
    return in_fresh_processes(run_alone, standalone)


@pytest.mark.parametrize("shown", SHOWN, ids=lambda shown: ":".join(shown))
def test_a_block_not_titled_as_continuing_runs_alone(shown):
    """bookbuild/execute.py titles a block "continues the code above" when it reads a name it does
    not define; every other block must run when copied alone into an empty file."""
    if shown[1] == _first_section(shown[0]):
        run = script_run(shown[0])
        assert shown[1] in run.sections, f"snippets/{shown[0]} fails in its first section:\n{run.stderr}"
    elif shown in _alone_runs():
        assert _alone_runs()[shown] is None, f"snippets/{shown[0]}:{shown[1]} fails alone:\n{_alone_runs()[shown]}"


def test_some_blocks_continue_and_some_stand_alone_beyond_the_first_of_their_file():
    assert 0 < len(_alone_runs()) < len(SHOWN)


@pytest.mark.parametrize(
    ("code", "continued"),
    [
        ("import torch\nx = torch.ones(2)\nprint(x.sum())", False),
        ("print(x.sum())", True),
        ("def f(a):\n    return a * scale\n", True),
        ("for i in range(3):\n    total = i\nprint(total, len([j for j in range(i)]))", False),
        ("from torch import nn\nlayer = nn.Linear(2, 1)\nlayer(x)", True),
        ("try:\n    pass\nexcept ValueError as error:\n    print(error)", False),
    ],
)
def test_a_block_continues_when_it_reads_a_name_it_does_not_define(code, continued):
    assert continues(code) is continued

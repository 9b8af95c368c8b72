"""Every snippet runs on its own as a script, the way a learner copies it."""

import ast

import pytest
from conftest import SNIPPETS, script_run, snippet_files


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

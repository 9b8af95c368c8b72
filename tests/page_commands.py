"""A plugin for the code blocks that pytest-codeblocks runs: the commands that README.md and the
pages tell a reader to run, in ```bash fences, and any plain ```python fence. tests/conftest.py
loads it; a plugin, unlike a conftest's hooks, reaches the files outside tests/ too. (Not a
conftest.py at the root: the snippets' forkserver would import that as `conftest`.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    if type(item).__module__ != "pytest_codeblocks.plugin":
        return (yield)
    with pytest.MonkeyPatch.context() as patch:
        # As a reader runs them: from the repository root, with `python` the Python of the
        # activated environment (the one running the tests), and with no figure window for
        # plt.show() to wait on.
        patch.chdir(ROOT)
        patch.setenv("PATH", os.path.dirname(sys.executable), prepend=os.pathsep)
        patch.setenv("MPLBACKEND", "Agg")
        try:
            return (yield)
        except subprocess.CalledProcessError as error:
            # pytest-codeblocks would report the exit status alone.
            raise RuntimeError(
                f"{item.name}: `{error.cmd.strip()}` exited with {error.returncode}:\n{error.stderr.decode()}"
            ) from None

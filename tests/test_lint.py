"""The book's code passes ruff with the configuration in pyproject.toml, and snippets/ruff.toml for the
snippets: pyflakes, pycodestyle's errors, sorted imports, line lengths (79 characters in a snippet,
which the pages show as it is, 120 elsewhere), and no `# noqa` that excuses nothing."""

import subprocess
import sys

import pytest
from conftest import DOCS, ROOT

CODE = ["bookbuild", "tests", "snippets", *sorted(str(path.relative_to(ROOT)) for path in DOCS.glob("lab-*.py"))]


def ruff(*arguments: str, source: str | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", *arguments]
    return subprocess.run(command, input=source, capture_output=True, text=True, cwd=ROOT)


def test_ruff_finds_nothing_in_the_books_code():
    lint = ruff(*CODE)
    assert lint.returncode == 0, lint.stdout + lint.stderr


def long_line(length: int) -> str:
    return 'x = "' + "a" * (length - 6) + '"\n'


@pytest.mark.parametrize(
    ("path", "source", "finding"),
    [
        ("snippets/demo/lines.py", long_line(79), None),
        ("snippets/demo/lines.py", long_line(80), "E501 Line too long (80 > 79)"),
        ("tests/test_lines.py", long_line(120), None),
        ("tests/test_lines.py", long_line(121), "E501 Line too long (121 > 120)"),
        ("tests/test_noqa.py", "import os  # noqa: BLE001\n\nos.getcwd()\n", "RUF100"),
        ("bookbuild/unused.py", "import os\n", "F401"),
    ],
)
def test_the_configuration_holds_each_file_to_its_rules(path, source, finding):
    """What ruff says of a file at `path` in the repository, read from standard input."""
    lint = ruff("--stdin-filename", path, "-", source=source)
    if finding:
        assert lint.returncode == 1 and finding in lint.stdout, lint.stdout + lint.stderr
    else:
        assert lint.returncode == 0, lint.stdout + lint.stderr

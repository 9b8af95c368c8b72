"""The build-time execution of bookbuild.execute, tried on a small site of its own.

Its snippets append a line to runs.log each time they run, so the tests see what really ran.
"""

import hashlib
import shutil
from pathlib import Path

import pytest
from conftest import I18N_PLUGIN, mkdocs_build

CONFIG = """\
site_name: Execution test
strict: true
nav: [a.md, b.md]
markdown_extensions:
  - pymdownx.snippets:
      base_path: [!relative $config_dir]
      check_paths: true
  - pymdownx.superfences:
      custom_fences:
        - name: python
          class: python
          validator: !!python/name:bookbuild.execute.validator
          format: !!python/name:bookbuild.execute.formatter
  - pymdownx.arithmatex:
      generic: true
  - bookbuild.mathml
"""

I18N = "theme: {name: material}\nplugins:\n" + I18N_PLUGIN

SNIPPET_A = """\
# --8<-- [start:first]
with open("runs.log", "a") as log:
    log.write("a.first\\n")
greeting = "hello from block one"
# --8<-- [end:first]

# --8<-- [start:second]
with open("runs.log", "a") as log:
    log.write("a.second\\n")
print(greeting.upper())
# --8<-- [end:second]
"""

SNIPPET_B = """\
# --8<-- [start:plot]
import matplotlib.pyplot as plt

with open("runs.log", "a") as log:
    log.write("b.plot\\n")
plt.plot([0, 1, 2], [0, 1, 4])
plt.show()
# --8<-- [end:plot]
"""

PAGE_A = """\
# A

```python exec="on"
--8<-- "snippets/demo/a.py:first"
```

```python exec="on"
--8<-- "snippets/demo/a.py:second"
```
"""

PAGE_B = """\
# B

```python exec="on" alt="A parabola through three points"
--8<-- "snippets/demo/b.py:plot"
```
"""


def write_data(root: Path, content: bytes) -> None:
    (root / "data" / "numbers.csv").write_bytes(content)
    digest = hashlib.sha256(content).hexdigest()
    (root / "data" / "SHA256SUMS").write_text(f"{digest}  numbers.csv\n")


@pytest.fixture
def book(tmp_path) -> Path:
    root = tmp_path / "book"
    for folder in ("docs", "snippets/demo", "data"):
        (root / folder).mkdir(parents=True)
    (root / "mkdocs.yml").write_text(CONFIG)
    (root / "snippets/demo/a.py").write_text(SNIPPET_A)
    (root / "snippets/demo/b.py").write_text(SNIPPET_B)
    (root / "docs/a.md").write_text(PAGE_A)
    (root / "docs/b.md").write_text(PAGE_B)
    write_data(root, b"x\n1\n")
    return root


def build(root: Path, **env: str):
    """Build the small site with its own cache; return (process, the blocks that ran)."""
    log = root / "runs.log"
    log.unlink(missing_ok=True)
    process = mkdocs_build(root / "mkdocs.yml", root / "site", BOOK_EXEC_CACHE=str(root / ".cache"), **env)
    ran = log.read_text().split() if log.exists() else []
    return process, ran


def page(root: Path, name: str) -> str:
    return (root / "site" / name / "index.html").read_text()


def test_blocks_of_a_page_share_one_namespace_and_print_their_output(book):
    process, ran = build(book)
    assert process.returncode == 0, process.stderr
    assert ran == ["a.first", "a.second", "b.plot"]
    assert "HELLO FROM BLOCK ONE" in page(book, "a")


def test_a_second_language_runs_no_block_again(book):
    """Translated pages include the same snippet sections: the cache serves them."""
    config = book / "mkdocs.yml"
    config.write_text(config.read_text().replace("nav: [a.md, b.md]", "nav: [index.md, a.md, b.md]") + I18N)
    (book / "docs" / "index.md").write_text("# Home\n")
    (book / "docs" / "index.ko.md").write_text("# 홈\n")
    for name in ("a", "b"):
        english = (book / "docs" / f"{name}.md").read_text()
        (book / "docs" / f"{name}.ko.md").write_text(english.replace(f"# {name.upper()}", "# 한국어"))
    process, ran = build(book)
    assert process.returncode == 0, process.stderr
    assert ran == ["a.first", "a.second", "b.plot"], "each block ran once, for the first language only"
    assert "HELLO FROM BLOCK ONE" in (book / "site" / "ko" / "a" / "index.html").read_text()


def test_a_build_with_nothing_changed_runs_nothing(book):
    build(book)
    first = page(book, "b")
    process, ran = build(book)
    assert process.returncode == 0, process.stderr
    assert ran == []
    assert page(book, "b") == first


def test_an_edited_snippet_reruns_only_its_page(book):
    build(book)
    snippet = book / "snippets/demo/b.py"
    snippet.write_text(snippet.read_text().replace("[0, 1, 4]", "[0, 2, 8]"))
    process, ran = build(book)
    assert process.returncode == 0, process.stderr
    assert ran == ["b.plot"]


def test_an_edited_block_reruns_the_blocks_above_it_on_its_page_only(book):
    build(book)
    snippet = book / "snippets/demo/a.py"
    snippet.write_text(snippet.read_text().replace("greeting.upper()", "greeting.title()"))
    process, ran = build(book)
    assert process.returncode == 0, process.stderr
    # The first block replays to rebuild the namespace the second one reads; page b is untouched.
    assert ran == ["a.first", "a.second"]
    assert "Hello From Block One" in page(book, "a")


def test_changed_data_reruns_every_page(book):
    build(book)
    write_data(book, b"x\n2\n")
    process, ran = build(book)
    assert process.returncode == 0, process.stderr
    assert sorted(ran) == ["a.first", "a.second", "b.plot"]


def test_two_clean_builds_give_identical_pages(book, tmp_path):
    build(book)
    first = {name: page(book, name) for name in ("a", "b")}
    shutil.rmtree(book / ".cache")
    process, ran = build(book)
    assert ran == ["a.first", "a.second", "b.plot"]
    assert {name: page(book, name) for name in ("a", "b")} == first
    assert '<figure class="book-figure"><img src="data:image/svg+xml;base64,' in first["b"]


def add_block(book: Path, code: str, include: str) -> None:
    """Append to page b an executed block holding `code` (not a snippet when include is None)."""
    (book / "docs/b.md").write_text(PAGE_B + f'\n```python exec="on"\n{code if include is None else include}\n```\n')


def add_snippet_block(book: Path, name: str, section: str, code: str) -> None:
    """Write snippets/demo/<name>.py with one section holding `code`, and run it on page b."""
    (book / f"snippets/demo/{name}.py").write_text(f"# --8<-- [start:{section}]\n{code}# --8<-- [end:{section}]\n")
    add_block(book, "", f'--8<-- "snippets/demo/{name}.py:{section}"')


def failed_build(book: Path) -> str:
    """Build; assert that the build failed, and return what it logged."""
    process, _ = build(book)
    assert process.returncode != 0
    return process.stderr


def test_pages_do_not_share_a_namespace(book):
    add_snippet_block(book, "other", "reads_a", "print(greeting)\n")
    assert "NameError: name 'greeting' is not defined" in failed_build(book)


def test_a_snippet_that_raises_stops_the_build_naming_its_file_and_line(book):
    add_snippet_block(book, "bad", "boom", "import math\n\nprint(math.sqrt(-1))\n")
    log = failed_build(book)
    assert 'File "snippets/demo/bad.py", line 4, in <module>' in log
    assert "ValueError: math domain error" in log


def test_a_syntax_error_names_the_snippet_file_and_line(book):
    add_snippet_block(book, "bad", "typo", "x = 1\ny = (2\n")
    assert 'File "snippets/demo/bad.py", line 3' in failed_build(book)


def test_a_missing_include_stops_the_build(book):
    add_block(book, "", '--8<-- "snippets/demo/gone.py:x"')
    assert "gone.py" in failed_build(book)


def test_a_figure_without_alt_text_stops_the_build(book):
    (book / "docs/b.md").write_text(PAGE_B.replace(' alt="A parabola through three points"', ""))
    log = failed_build(book)
    assert "1 figure(s) open but the page gives 0 alt text(s)" in log
    assert "snippets/demo/b.py, lines 2-7" in log


def test_code_that_is_not_a_snippet_section_is_refused(book):
    add_block(book, 'print("pasted")', None)
    assert "executed code must be a section of a file in snippets/" in failed_build(book)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda root: (root / "data/numbers.csv").unlink(), "numbers.csv: missing"),
        (lambda root: (root / "data/numbers.csv").write_bytes(b"x\n9\n"), "numbers.csv: corrupt or changed"),
    ],
    ids=["missing", "corrupt"],
)
def test_a_missing_or_corrupt_data_file_stops_the_build_naming_it(book, damage, message):
    damage(book)
    assert message in failed_build(book)
    assert not (book / "runs.log").exists()


def test_with_execution_off_the_code_is_shown_and_nothing_runs(book):
    process, ran = build(book, BOOK_EXEC="off")
    assert process.returncode == 0, process.stderr
    assert ran == []
    assert "greeting" in page(book, "a") and "HELLO" not in page(book, "a")


def test_math_is_typeset_as_mathml(book):
    (book / "docs/a.md").write_text(
        PAGE_A + "\nInline $\\frac{\\partial L}{\\partial w}$.\n\n$$\n\\begin{aligned}\nw &\\leftarrow w - \\eta g\n\\end{aligned}\n$$\n"
    )
    process, _ = build(book)
    assert process.returncode == 0, process.stderr
    html = page(book, "a")
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline"><mrow><mfrac>' in html
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="block"><mrow><mtable' in html
    assert "\\frac" not in html and "arithmatex" not in html


def test_math_that_cannot_be_typeset_stops_the_build(book):
    (book / "docs/a.md").write_text(PAGE_A + "\nBroken $\\notacommand{x}$.\n")
    assert "unknown command \\notacommand" in failed_build(book)


"""The labs' build (mkdocs-jupyter with bookbuild/notebooks.py), tried on a small site of its own.

Its lab appends a line to runs.log each time its kernel runs it, so the tests see what really ran.
"""

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import HOSTILE_MATPLOTLIBRC, I18N_PLUGIN, ROOT, mkdocs_build, mkdocs_builds_at_once

CONFIG = """\
site_name: Notebook test
site_url: https://example.org/book/  # where a lab's notebook links its page
strict: true
nav: [lab-demo.py]
theme:
  name: mkdocs
  highlightjs: false  # the theme's own CDN load; this site tests the lab's
plugins:
  - mkdocs-jupyter:
      include: ["lab-*.py"]
      execute: false
      cache: false
      include_source: false
hooks:
  - {hooks}
"""

I18N = """\
nav: [index.md, lab-demo.py]
theme:
  name: material
"""

LAB = """\
# %% [markdown]
# # Demo lab
#
# Text.

# %% alt="A rising line through two points"
import matplotlib.pyplot as plt

with open("runs.log", "a") as log:
    log.write("lab\\n")
print(open("data/numbers.csv").read().strip())
plt.plot([0, 1], [0, 1])
plt.show()
"""


def write_data(root, content: bytes) -> None:
    (root / "data" / "numbers.csv").write_bytes(content)
    (root / "data" / "SHA256SUMS").write_text(f"{hashlib.sha256(content).hexdigest()}  numbers.csv\n")


def make_book(root: Path) -> Path:
    (root / "docs").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "mkdocs.yml").write_text(CONFIG.format(hooks=ROOT / "bookbuild" / "notebooks.py"))
    (root / "docs" / "lab-demo.py").write_text(LAB)
    write_data(root, b"1,2,3\n")
    return root


@pytest.fixture
def book(tmp_path) -> Path:
    return make_book(tmp_path / "book")


def build(book, **env):
    return mkdocs_build(book / "mkdocs.yml", book / "site", BOOK_EXEC_CACHE=str(book / "cache"), **env)


@pytest.fixture(scope="module")
def built_once(tmp_path_factory) -> tuple[Path, str]:
    """The small site built once, for the tests that start from a built site and a warm cache:
    its folder and what the build logged."""
    root = make_book(tmp_path_factory.mktemp("built") / "book")
    result = build(root)
    assert result.returncode == 0, result.stderr
    return root, result.stderr


@pytest.fixture
def built_book(built_once, tmp_path) -> Path:
    """A copy of the built small site, its pages, cache and runs.log as the build left them."""
    return Path(shutil.copytree(built_once[0], tmp_path / "book"))


def runs(book) -> int:
    log = book / "runs.log"
    return len(log.read_text().splitlines()) if log.exists() else 0


def site_files(book) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in (book / "site" / "lab-demo").iterdir() if path.is_file()}


def test_a_lab_is_executed_described_offline_offered_for_download_and_reproducible(built_once, built_book):
    # The kernel is shut down with the build: one left running holds mkdocs's output pipes open
    # (so the build in built_once waited for it) until it sees that its parent has gone, and says so.
    assert "Parent appears to have exited" not in built_once[1]
    html = (built_book / "site" / "lab-demo" / "index.html").read_text()
    page = BeautifulSoup(html, "html.parser")
    assert "1,2,3" in page.get_text()
    assert [img["alt"] for img in page.select(".jp-OutputArea img")] == ["A rising line through two points"]
    assert "cdnjs" not in html and "MathJax" not in html  # the loaders of MathJax and mermaid
    links = [a["href"] for a in page.select("p.book-downloads a[download]")]
    assert links == ["lab-demo.ipynb", "lab-demo.py", "../data/numbers.csv"]
    folder = built_book / "site" / "lab-demo"
    assert json.loads((folder / "lab-demo.ipynb").read_text())["metadata"]["kernelspec"]["name"] == "python3"
    # The data once, at the site's root as in the repository, where a lab's notebook downloads it from.
    assert (built_book / "site" / "data" / "numbers.csv").read_bytes() == b"1,2,3\n"
    assert not (folder / "data").exists()
    first = site_files(built_book)
    for path in [built_book / "cache", built_book / "site"]:
        shutil.rmtree(path)
    assert build(built_book).returncode == 0
    assert runs(built_book) == 2 and site_files(built_book) == first, "two clean builds must give identical files"


def test_a_lab_runs_again_only_when_its_text_or_the_data_change(built_book):
    assert runs(built_book) == 1
    assert build(built_book).returncode == 0 and runs(built_book) == 1, "nothing changed: the cache serves the page"
    write_data(built_book, b"4,5,6\n")
    assert build(built_book).returncode == 0 and runs(built_book) == 2, "the data changed: the lab must run again"
    assert "4,5,6" in (built_book / "site" / "lab-demo" / "index.html").read_text()


def make_korean_lab(book: Path) -> str:
    """The small site in English and Korean, its lab's figure titled, the title's Korean in the
    catalogue, and a Korean comment in the Korean lab; the Korean lab's text."""
    config = (book / "mkdocs.yml").read_text()
    config = config[: config.index("theme:")] + config[config.index("plugins:") :]  # Material knows Korean
    config = config.replace("nav: [lab-demo.py]", I18N)
    (book / "mkdocs.yml").write_text(config.replace("plugins:\n", "plugins:\n" + I18N_PLUGIN))
    (book / "docs" / "index.md").write_text("# Home\n")
    (book / "docs" / "index.ko.md").write_text("# 홈\n")
    (book / "docs" / "lab-demo.py").write_text(LAB.replace("plt.show()", 'plt.title("rising")\nplt.show()'))
    korean = LAB.replace("# # Demo lab", "# # 데모 실습").replace(
        "A rising line through two points", "두 점을 지나는 오르막 직선"
    )
    # Its own comment, and the figure's title from the catalogue.
    korean = korean.replace("plt.show()", '# 제목을 단다\nplt.title("rising")\nplt.show()')
    (book / "docs" / "lab-demo.ko.py").write_text(korean)
    (book / "locale" / "ko").mkdir(parents=True)
    (book / "locale" / "ko" / "lab-demo.po").write_text('msgctxt "figure"\nmsgid "rising"\nmsgstr "오르막"\n')
    return korean


def test_both_languages_of_a_lab_share_one_run(book):
    korean = make_korean_lab(book)
    result = build(book)
    assert result.returncode == 0, result.stderr
    assert runs(book) == 1, "the Korean lab reuses the English lab's outputs"
    page = BeautifulSoup((book / "site" / "ko" / "lab-demo" / "index.html").read_text(), "html.parser")
    assert page.h1.get_text().startswith("데모 실습") and "1,2,3" in page.get_text()
    assert [img["alt"] for img in page.select(".jp-OutputArea img")] == ["두 점을 지나는 오르막 직선"]
    english = BeautifulSoup((book / "site" / "lab-demo" / "index.html").read_text(), "html.parser")
    assert page.select_one(".jp-OutputArea img")["src"] != english.select_one(".jp-OutputArea img")["src"]
    assert page.select_one("p.book-downloads").get_text().startswith("직접 실행하기")
    assert (book / "site" / "ko" / "lab-demo" / "lab-demo.py").read_text() == korean
    alternates = {link["hreflang"]: link["href"] for link in page.select('head link[rel="alternate"]')}
    assert alternates == {"en": "../../lab-demo/", "ko": "./"}


def test_each_language_s_page_takes_its_own_figure_and_no_other():
    from bookbuild import notebooks

    output = {
        "output_type": "display_data",
        "data": {"image/png": "en", "image/x.book-ko+png": "ko", "image/x.book-ja+png": "ja", "text/plain": "F"},
        "metadata": {"image/png": {"width": 1}, "image/x.book-ko+png": {"width": 2}},
    }
    korean = notebooks._output_in_language(output, "ko")
    assert korean["data"] == {"image/png": "ko", "text/plain": "F"}
    assert korean["metadata"] == {"image/png": {"width": 2}}
    english = notebooks._output_in_language(output, "en")
    assert english["data"] == {"image/png": "en", "text/plain": "F"}
    assert english["metadata"] == {"image/png": {"width": 1}}
    assert output["data"]["image/png"] == "en", "the cached output stays as it was"


def test_a_korean_lab_figure_without_a_translation_stops_the_build(book):
    make_korean_lab(book)
    (book / "locale" / "ko" / "lab-demo.po").write_text('msgctxt "figure"\nmsgid "falling"\nmsgstr "내리막"\n')
    result = build(book)
    assert result.returncode != 0
    assert "figure text without a translation in locale/<language>/*.po: ko: 'rising'" in result.stderr


def test_the_korean_lab_follows_an_edit_of_the_english_headings(book):
    """The Korean lab takes its heading ids from the English lab: editing only the English
    headings must change the Korean page too, from a warm cache."""
    test_both_languages_of_a_lab_share_one_run(book)
    english = book / "docs" / "lab-demo.py"
    english.write_text(english.read_text().replace("# # Demo lab", "# # Demo lab, renamed"))
    result = build(book)
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup((book / "site" / "ko" / "lab-demo" / "index.html").read_text(), "html.parser")
    assert page.h1["id"] == "demo-lab-renamed"


EXERCISE = """
# %% [markdown]
# ## Exercise 1: double it
#
# As [the home page](../) says, and [below](#exercise-2-halve-it).

# %%
def double(x):
    raise NotImplementedError("Exercise 1: write your code here")


# %% tags=["solution"]
def double(x):
    return 2 * x


print(double(2))

# %% [markdown] tags=["solution"]
# ### Why
#
# Twice two is four.

# %% tags=["check"]
assert double(3) == 6, "double(3) is not 6"
print("Exercise 1: correct.")

# %% [markdown]
# ## Exercise 2: halve it

# %%
def halve(x):
    raise NotImplementedError("Exercise 2: write your code here")


# %% tags=["solution"]
def halve(x):
    return x / 2
"""


def test_an_exercise_folds_its_solution_and_check_and_the_notebook_links_the_solution(book):
    """On the page, the solution (code and note) and the check each in a closed <details>, after
    the task; in the downloaded notebook, the chapters' two opening cells, a link to the solution
    on the page in its place (at its exercise's heading, though a solution above has a heading of
    its own), and the page's links made absolute, in the page's language."""
    make_korean_lab(book)
    korean = (
        EXERCISE.replace("Exercise 1: double it", "연습문제 1: 두 배로")
        .replace("Exercise 2: halve it", "연습문제 2: 반으로")
        .replace("is not 6", "는 6이 아니다")
    )
    for name, exercise in [("lab-demo.py", EXERCISE), ("lab-demo.ko.py", korean)]:
        (book / "docs" / name).write_text((book / "docs" / name).read_text() + exercise)
    result = build(book, BOOK_EXEC="off")
    assert result.returncode == 0, result.stderr
    for folder, titles, link, opening in [
        ("", ["Solution", "Check your answer"], "**Solution**: [on the book's page]", ("Demo lab", "[the lab's page]")),
        ("ko/", ["풀이", "답 확인하기"], "**풀이**: [책의 페이지에서 보기]", ("데모 실습", "[실습 페이지]")),
    ]:
        page = BeautifulSoup((book / "site" / folder / "lab-demo" / "index.html").read_text(), "html.parser")
        notebook = page.select_one("div.jp-Notebook")
        folds = notebook.find_all("details", recursive=False)
        assert [(fold["class"], fold.summary.get_text()) for fold in folds] == [
            (["success"], titles[0]),
            (["question"], titles[1]),
            (["success"], titles[0]),
        ]
        assert not any(fold.has_attr("open") for fold in folds) and not page.select(".celltoolbar")
        solution, check, _ = folds
        assert "return 2 * x" in solution.get_text() and "Twice two" in solution.get_text()
        assert "double(3)" in check.get_text() and "double(3)" not in solution.get_text()
        task = solution.find_previous_sibling("div", class_="jp-Cell")
        assert "NotImplementedError" in task.get_text() and check.find_previous_sibling("details") is solution
        cells = json.loads((book / "site" / folder / "lab-demo" / "lab-demo.ipynb").read_text())["cells"]
        sources = ["".join(cell["source"]) for cell in cells]
        page_url = f"https://example.org/book/{folder}lab-demo/"
        # The chapters' two opening cells: the title and a link to the page; the note on torch.
        title, intro = opening
        assert sources[0].startswith(f"# {title}\n\n") and f"{intro}({page_url})" in sources[0]
        assert cells[1]["cell_type"] == "code" and "torch.__version__" in sources[1]
        assert sources[2] == "Text."  # the rest of the lab's first cell
        assert not [source for source in sources if "return 2 * x" in source or "Twice two" in source]
        linked = [number for number, source in enumerate(sources) if source.startswith(link)]
        assert len(linked) == 2
        assert "NotImplementedError" in sources[linked[0] - 1] and "double(3)" in sources[linked[0] + 1]
        assert f"]({page_url}#exercise-1-double-it)" in sources[linked[0]]
        assert f"]({page_url}#exercise-2-halve-it)" in sources[linked[1]], "after the heading in a solution"
        # The page's links, absolute: Jupyter and Colab resolve relative ones against the notebook.
        assert f"[the home page](https://example.org/book/{folder})" in "\n".join(sources)
        assert f"[below]({page_url}#exercise-2-halve-it)" in "\n".join(sources)


def test_a_figure_without_alt_text_stops_the_build_naming_the_cell(book):
    (book / "docs" / "lab-demo.py").write_text(LAB.replace(' alt="A rising line through two points"', ""))
    result = build(book)
    assert result.returncode != 0
    assert "lab-demo.py, line 6: the cell shows 1 figure(s) but gives 0 alt text(s)" in result.stderr


@pytest.mark.parametrize(
    ("lab", "line"),
    [
        (LAB.replace("plt.show()", "plt.show()\n1 / 0"), 14),  # the last cell fails
        ("import math\n\n" + LAB.replace("plt.show()", "plt.show()\n1 / 0"), 16),  # code before the first '# %%'
        ("x = 1\ny = 1 / 0\n\n" + LAB, 2),  # the first cell, which has no '# %%'
    ],
    ids=["last cell", "after code before the first marker", "the unmarked first cell"],
)
def test_a_failing_cell_stops_the_build_naming_the_line(book, lab, line):
    (book / "docs" / "lab-demo.py").write_text(lab)
    assert (book / "docs" / "lab-demo.py").read_text().split("\n")[line - 1].endswith("1 / 0")
    result = build(book)
    assert result.returncode != 0
    assert f"lab-demo.py, line {line}: ZeroDivisionError: division by zero" in result.stderr


def test_a_lab_is_the_same_with_a_display_a_hostile_matplotlibrc_and_another_kernel_spec(built_book, tmp_path):
    """The kernel runs this interpreter (the cache key holds its libraries), whatever "python3"
    kernel spec the machine has, and starts from matplotlib's defaults."""
    normal = (built_book / "site" / "lab-demo" / "index.html").read_text()
    shutil.rmtree(built_book / "cache")
    (built_book / "matplotlibrc").write_text(HOSTILE_MATPLOTLIBRC)
    kernel = tmp_path / "jupyter" / "kernels" / "python3"
    kernel.mkdir(parents=True)
    spec = {
        "argv": ["/nonexistent/python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3",
        "language": "python",
    }
    (kernel / "kernel.json").write_text(json.dumps(spec))
    result = build(built_book, DISPLAY=":0", JUPYTER_PATH=str(tmp_path / "jupyter"))
    assert result.returncode == 0, result.stderr
    assert runs(built_book) == 2
    assert (built_book / "site" / "lab-demo" / "index.html").read_text() == normal


def test_two_builds_at_once_sharing_a_cache_both_succeed(book):
    mkdocs_builds_at_once(book / "mkdocs.yml", [book / "site-1", book / "site-2"], BOOK_EXEC_CACHE=str(book / "cache"))
    pages = [(book / f"site-{n}" / "lab-demo" / "index.html").read_text() for n in (1, 2)]
    assert pages[0] == pages[1] and "1,2,3" in pages[0]


def test_a_changed_data_file_stops_the_build_naming_it(book):
    (book / "data" / "numbers.csv").write_bytes(b"7,8,9\n")
    result = build(book)
    assert result.returncode != 0 and "numbers.csv: corrupt or changed" in result.stderr


def test_with_execution_off_the_lab_is_shown_and_nothing_runs(book):
    result = build(book, BOOK_EXEC="off")
    assert result.returncode == 0, result.stderr
    assert runs(book) == 0
    assert "log.write" in (book / "site" / "lab-demo" / "index.html").read_text()

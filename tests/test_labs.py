"""What every lab (docs/lab-<name>.py and its Korean twin, docs/lab-<name>.ko.py) must do, whatever
it teaches; what a lab's text claims is tested in tests/test_lab_<name with underscores>.py.

Its exercises (README "Labs: notebooks"): each a task, a solution (the function written, then a
note) and a check (the chapters' note, then the code, ending with the line that says the answer
passed), the same numbers in both twins. The check passes with the solution; it fails, with its
own message in the page's language, on the starter code and on every typical wrong answer that the
lab's test module lists in WRONG_ANSWERS ({number: [(code in place of the solution, a phrase the
English check's message must contain)]}), which names at least one for every exercise. The notebook
needs no solution, and a check changes none of the lab's variables.

Its code fits 79 columns, and its first cell fetches each data file it names from the site (or the
mirror BOOK_URL names) into data/, checks it against data/SHA256SUMS and stops, saying why, on a
wrong file or when it cannot download one.

On the built site: the page shows each task, then its solution and its check folded; the notebook
opens as a chapter's does, has a link in place of each solution, and every link in it is absolute,
to the site in the page's language."""

from __future__ import annotations

import importlib
import re
import shutil
import socket
import symtable
from pathlib import Path

import jupytext
import nbformat
import pytest
from conftest import DATA, DOCS, LABS, ROOT, TRANSLATION, lab_check_outcome, lab_code_cells, lab_exercises, parsed

from bookbuild.translations import width

HANGUL = re.compile(r"[\uac00-\ud7a3]")
SITE_URL = re.search(r"^site_url: (\S+)$", (ROOT / "mkdocs.yml").read_text(), re.M)[1]
RECORDED = dict(line.split("  ")[::-1] for line in (DATA / "SHA256SUMS").read_text().splitlines())

ENGLISH = [path.name for path in LABS]
# (the English lab, one of its twins): the English lab itself, then its Korean translation.
PAGES = [(lab, page) for lab in ENGLISH for page in [lab, lab.replace(".py", ".ko.py")]]
TWINS = [page for _, page in PAGES]


def korean(page: str) -> bool:
    return bool(TRANSLATION.match(page))


def wrong_answers(lab: str) -> dict[int, list[tuple[str, str]]]:
    """The typical wrong answers that tests/test_lab_<name>.py lists for the lab's exercises."""
    module = importlib.import_module("test_" + lab.removesuffix(".py").replace("-", "_"))
    return getattr(module, "WRONG_ANSWERS", {})


def data_files(page: str) -> list[str]:
    """The data files the lab's first code cell names (data/<name>, recorded in data/SHA256SUMS), in
    the order it names them."""
    named = re.findall(r"\bdata/([\w.-]+)", lab_code_cells(DOCS / page)[0])
    return [name for name in dict.fromkeys(named) if name in RECORDED]


EXERCISES = [(lab, number) for lab in ENGLISH for number in sorted(lab_exercises(lab))]
TWIN_EXERCISES = [(lab, page, number) for lab, page in PAGES for number in sorted(lab_exercises(page))]
WRONG = [
    pytest.param(lab, page, number, answer, message, id=f"{page}-{number}-{index}")
    for lab, page in PAGES
    for number, answers in wrong_answers(lab).items()
    for index, (answer, message) in enumerate(answers)
]
DATA_FILES = [(page, name) for page in TWINS for name in data_files(page)]


def _exercise_id(value):
    return str(value) if isinstance(value, int) else None


# The exercises ----------------------------------------------------------------------------------


def test_there_are_labs():
    assert ENGLISH


@pytest.mark.parametrize("english", ENGLISH)
def test_each_lab_sets_exercises_and_its_twin_the_same_ones(english):
    assert lab_exercises(english), f"docs/{english} sets no exercise"
    twin = english.replace(".py", ".ko.py")
    assert sorted(lab_exercises(twin)) == sorted(lab_exercises(english))


@pytest.mark.parametrize(("page", "number"), [(page, number) for _, page, number in TWIN_EXERCISES], ids=_exercise_id)
def test_each_exercise_is_a_task_a_solution_and_a_check(page, number):
    exercise = lab_exercises(page)[number]
    assert [cell.cell_type for cell in exercise["solution"]] == ["code", "markdown"], (page, number)
    assert exercise["check"].rstrip().endswith(f'print("Exercise {number}: correct.")'), (page, number)
    # The chapters' note on the check: where to run it, and that it passes any correct answer.
    assert ("맞는 답이면 어떤 답이든" if korean(page) else "any correct answer") in exercise["check note"]
    # The task's function, which the solution writes.
    (name,) = re.findall(r"^def (\w+)\(", exercise["task"], re.M)
    assert f"def {name}(" in exercise["solution"][0].source and name in exercise["check"]


@pytest.mark.parametrize(("english", "number"), EXERCISES, ids=_exercise_id)
def test_every_exercise_has_a_typical_wrong_answer(english, number):
    module = "tests/test_" + english.removesuffix(".py").replace("-", "_") + ".py"
    assert wrong_answers(english).get(number), f"{module} lists no wrong answer to exercise {number}"


@pytest.mark.parametrize("english", ENGLISH)
def test_wrong_answers_are_to_exercises_the_lab_sets(english):
    assert set(wrong_answers(english)) <= set(lab_exercises(english))


@pytest.mark.parametrize(("english", "number"), EXERCISES, ids=_exercise_id)
def test_the_check_passes_with_the_solution(english, number, lab):
    """The lab ran every cell in order, as its page does: the check after the solution said so. The
    translation's check, which no build runs, passes with the same solution."""
    ran = lab(english)
    code = [cell for cell in jupytext.read(DOCS / english).cells if cell.cell_type == "code"]
    check = next(i for i, cell in enumerate(code) if cell.source == lab_exercises(english)[number]["check"])
    assert ran.cell_outputs[check] == f"Exercise {number}: correct.\n"
    assert lab_check_outcome(ran.variables, english.replace(".py", ".ko.py"), number, None, task=False) is None


@pytest.mark.parametrize(("english", "page", "number"), TWIN_EXERCISES, ids=_exercise_id)
def test_the_starter_code_fails_with_a_message(english, page, number, lab):
    error = lab_check_outcome(lab(english).variables, page, number, None)
    assert isinstance(error, NotImplementedError) and f"{number}: " in str(error), repr(error)
    assert (HANGUL.search(str(error)) is not None) == korean(page), "the message is in the page's language"


@pytest.mark.parametrize(("english", "page", "number", "answer", "message"), WRONG)
def test_a_wrong_answer_fails_with_its_message(english, page, number, answer, message, lab):
    error = lab_check_outcome(lab(english).variables, page, number, answer)
    assert isinstance(error, AssertionError), f"{page}: exercise {number} lets a wrong answer through: {error!r}"
    if korean(page):
        assert HANGUL.search(str(error)), f"{page}: exercise {number} says {str(error)!r}, not in Korean"
    else:
        assert message in str(error), f"{page}: exercise {number} says {str(error)!r}, not {message!r}"


def _scopes(cell) -> symtable.SymbolTable:
    source = re.sub(r"^%", "#", cell.source, flags=re.M)  # IPython's magics, comments in the script
    return symtable.symtable(source, "cell", "exec")


def _defined(cell) -> set[str]:
    """The global names a code cell defines."""
    return {s.get_name() for s in _scopes(cell).get_symbols() if s.is_assigned() or s.is_imported()} - {"_"}


def _read(cell) -> set[str]:
    """The global names a code cell reads, at its top level or in its functions and comprehensions."""

    def read(table: symtable.SymbolTable) -> set[str]:
        top = table.get_type() == "module"
        names = {s.get_name() for s in table.get_symbols() if s.is_referenced() and (top or s.is_global())}
        return names.union(*map(read, table.get_children()))

    return read(_scopes(cell))


@pytest.mark.parametrize("page", TWINS)
def test_the_notebook_needs_no_solution_and_a_check_changes_none_of_the_labs_variables(page):
    """The notebook has no solutions: a name that only they define would be a NameError there. And
    a check defines only names of its own, so the lab's variables are the same after it."""
    cells = [cell for cell in jupytext.read(DOCS / page).cells if cell.cell_type == "code"]
    tagged = {tag: [cell for cell in cells if tag in cell.metadata.get("tags", [])] for tag in ["solution", "check"]}
    untagged = [cell for cell in cells if not cell.metadata.get("tags")]
    only_solutions = set().union(*map(_defined, tagged["solution"])) - set().union(*map(_defined, untagged))
    assert only_solutions, f"{page}: its solutions define no name of their own: the test below proves nothing"
    for cell in untagged + tagged["check"]:
        read = _read(cell)
        assert not read & only_solutions, f"{page}: a cell reads {read & only_solutions}:\n{cell.source}"
    lab_names = set().union(*map(_defined, untagged + tagged["solution"]))
    for check in tagged["check"]:
        assert not _defined(check) & lab_names, f"{page}: a check changes {_defined(check) & lab_names}"


# The code and its first cell --------------------------------------------------------------------


@pytest.mark.parametrize("page", TWINS)
def test_the_labs_code_fits_79_columns(page):
    for code in lab_code_cells(DOCS / page):
        lines = [line for line in code.split("\n") if not line.startswith("# %%")]  # a cell's alt text
        assert not [line for line in lines if width(line) > 79], page


def run_data_cell(page: str, folder: Path, book_url: str, monkeypatch) -> dict:
    """The lab's first code cell, which fetches and checks its data, run in `folder` with BOOK_URL
    set; its variables."""
    monkeypatch.chdir(folder)
    monkeypatch.setenv("BOOK_URL", book_url)
    namespace = {"__name__": "__main__"}
    exec(compile(lab_code_cells(DOCS / page)[0], str(DOCS / page), "exec"), namespace)
    return namespace


@pytest.fixture
def mirror(tmp_path):
    """A local copy of the site's data folder, as a file:// URL, and the empty folder to run in."""
    (tmp_path / "mirror" / "data").mkdir(parents=True)
    for name in RECORDED:
        shutil.copy(DATA / name, tmp_path / "mirror" / "data")
    (tmp_path / "empty").mkdir()
    return (tmp_path / "mirror").as_uri(), tmp_path / "empty"


def checked_digests(namespace: dict) -> dict[str, str]:
    """{file name: SHA-256} that the first cell checks: its SHA256, the digest of its one file DATA,
    or a dict {path: digest} where it reads several."""
    expected = namespace["SHA256"]
    if isinstance(expected, str):
        return {namespace["DATA"].name: expected}
    return {Path(path).name: digest for path, digest in expected.items()}


@pytest.mark.parametrize("page", TWINS)
def test_the_lab_downloads_its_data_from_the_site_into_data_and_checks_it(page, mirror, monkeypatch):
    files = data_files(page)
    assert files, f"{page}: its first cell names no data file of data/SHA256SUMS"
    assert re.search(r'"BOOK_URL", "([^"]+)"', lab_code_cells(DOCS / page)[0])[1] == SITE_URL
    url, empty = mirror
    ran = run_data_cell(page, empty, url, monkeypatch)
    assert checked_digests(ran) == {name: RECORDED[name] for name in files}
    assert sorted(path.name for path in (empty / "data").iterdir()) == sorted(files)
    for name in files:
        assert (empty / "data" / name).read_bytes() == (DATA / name).read_bytes()
    assert ran["url"] == f"{url}/data/{files[-1]}"  # the last file it downloaded


DATA_MESSAGES = {  # what the first cell says, in each language, of a wrong file and of no network
    "en": ("differs from the book's copy (SHA-256)", "is missing, and downloading it from", "Offline?"),
    "ko": ("파일이 책에 실린 파일과 다르다", "파일이 없고", "오프라인인가?"),
}


@pytest.mark.parametrize(("page", "name"), DATA_FILES)
def test_the_lab_stops_on_a_wrong_data_file_and_when_it_cannot_download_it(page, name, mirror, monkeypatch):
    differs, missing, offline = DATA_MESSAGES["ko" if korean(page) else "en"]
    url, empty = mirror
    served = empty.parent / "mirror" / "data" / name
    served.write_bytes(served.read_bytes().replace(b"1", b"2", 1))
    assert served.read_bytes() != (DATA / name).read_bytes()
    with pytest.raises(ValueError, match=re.escape(f"{empty / 'data' / name} {differs}")):
        run_data_cell(page, empty, url, monkeypatch)
    for present in data_files(page):
        (empty / "data" / present).unlink(missing_ok=True)
    with socket.socket() as closed:  # a port that nothing listens on: the download fails at once
        closed.bind(("127.0.0.1", 0))
        unreachable = f"http://127.0.0.1:{closed.getsockname()[1]}/book/"
    with pytest.raises(FileNotFoundError) as error:
        run_data_cell(page, empty, unreachable, monkeypatch)
    first = data_files(page)[0]
    assert missing in str(error.value) and offline in str(error.value) and first in str(error.value)
    assert f"{unreachable}data/{first}" in str(error.value) and not (empty / "data" / first).exists()


# The built site ---------------------------------------------------------------------------------


def _folder(page: str) -> str:
    """The lab's folder in the site: lab-digits/, ko/lab-digits/."""
    return ("ko/" if korean(page) else "") + page.split(".")[0] + "/"


def _notebook(site: Path, page: str):
    return nbformat.read(site / _folder(page) / (page.split(".")[0] + ".ipynb"), as_version=4)


@pytest.mark.parametrize("page", TWINS)
def test_the_page_shows_each_task_then_its_solution_and_its_check_folded(site, page):
    notebook = parsed(site / _folder(page) / "index.html").select_one("div.jp-Notebook")
    titles = ("풀이", "답 확인하기") if korean(page) else ("Solution", "Check your answer")
    for number, exercise in lab_exercises(page).items():
        (name,) = re.findall(r"^def (\w+)\(", exercise["task"], re.M)
        tasks = [
            cell
            for cell in notebook.find_all("div", class_="jp-Cell", recursive=False)
            if "NotImplementedError" in cell.get_text() and f"def {name}(" in cell.get_text()
        ]
        assert len(tasks) == 1, f"{page}: exercise {number}'s task is not shown once, unfolded"
        solution = tasks[0].find_next_sibling()
        check = solution.find_next_sibling()
        assert solution.name == check.name == "details"
        assert not solution.has_attr("open") and not check.has_attr("open"), "folded"
        assert (solution["class"], solution.summary.get_text()) == (["success"], titles[0])
        assert (check["class"], check.summary.get_text()) == (["question"], titles[1])
        note = exercise["solution"][1].source.split(".**")[0].strip("*")  # "What the solution shows"
        assert f"def {name}(" in solution.get_text() and note in solution.get_text()
        assert f"Exercise {number}: correct." in check.select_one(".jp-OutputArea").get_text()
        assert exercise["check note"].split("(")[0] in check.get_text()  # the note, in the fold


@pytest.mark.parametrize("page", TWINS)
def test_the_notebook_has_no_solution_and_links_each_on_the_page(site, page):
    sources = [cell.source for cell in _notebook(site, page).cells]
    found = lab_exercises(page)
    solutions = {cell.source for exercise in found.values() for cell in exercise["solution"]}
    assert not solutions & set(sources)
    title, words = ("풀이", "책의 페이지에서 보기") if korean(page) else ("Solution", "on the book's page")
    links = [re.fullmatch(rf"\*\*{title}\*\*: \[{words}\]\(([^)]+)\)\.?", source) for source in sources]
    assert len([link for link in links if link]) == len(found)
    for number, exercise in found.items():
        at = sources.index(exercise["task"])
        # The task, the link to its solution, then the check: its note (the chapters' words) and code.
        assert links[at + 1] and sources[at + 3] == exercise["check"], f"{page}: exercise {number}"
        assert sources[at + 2] == exercise["check note"], f"{page}: exercise {number}"
        url = links[at + 1][1]
        assert url.startswith(SITE_URL + _folder(page) + "#")
        heading = parsed(site / _folder(page) / "index.html").find(id=url.split("#")[1])
        assert heading.name == "h3" and f" {number}: " in heading.get_text(), f"{page}: exercise {number}: {url}"


@pytest.mark.parametrize("page", TWINS)
def test_the_notebook_opens_as_a_chapters_does_and_its_links_are_absolute(site, page):
    """The chapters' two first cells: the title and a link to the lab's page, then the note on
    torch's version; then the lab. Jupyter and Colab resolve a relative link against the notebook's
    own address, so every link goes to the published site, in the page's language."""
    downloaded = _notebook(site, page)
    first = jupytext.read(DOCS / page).cells[0].source
    title, rest = first.split("\n\n", 1)
    opening, setup, lab_intro = downloaded.cells[:3]
    assert opening.source.startswith(title + "\n\n") and f"]({SITE_URL}{_folder(page)})" in opening.source
    assert setup.cell_type == "code" and "torch.__version__" in setup.source and "install" not in setup.source
    assert lab_intro.source.split("](")[0] == rest.split("](")[0]
    markdown = "\n".join(cell.source for cell in downloaded.cells if cell.cell_type == "markdown")
    targets = re.findall(r"\]\(([^)\s]+)\)", markdown)
    language = SITE_URL + ("ko/" if korean(page) else "")
    assert targets and not [target for target in targets if not target.startswith(language)]
    if not korean(page):
        assert not [target for target in targets if target.startswith(SITE_URL + "ko/")]
    assert f"]({language}glossary/#" in markdown, f"{page}: the notebook links no glossary entry"

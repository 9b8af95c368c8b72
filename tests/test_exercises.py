"""The chapters' exercises check the reader's answer. Each exercise <name> of a chapter is three
sections of snippets/<chapter>/exercises.py (four with an optional <name>_question before them, the
code the question is about), in this order: <name>_task, the starter code the reader completes (a
function whose body raises NotImplementedError, so that running it says "write your code here"
rather than a NameError; or, where the exercise is to fix a learner's code, that code with its bug);
<name>_solution, which redefines it; and <name>_check, plain asserts whose messages say what is
wrong, ending with a line that says the answer passed.

The page shows the task, then the solution and the check, each collapsed (`??? success`,
`??? question`), so that the build runs the check on the page's own solution; the chapter's
notebook has the task and the check as code cells, and only a link to the solution.

Here: the check passes with the solution; it fails, with its own message, on the starter code and
on every typical wrong answer that the chapter's test module lists in WRONG_ANSWERS
({name: [(code put in place of the solution, a phrase the check's message must contain)]})."""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import re
import types
import warnings

import matplotlib.pyplot as plt
import pytest
from conftest import DOCS, ROOT, SNIPPETS, snippet_sections

TASK = re.compile(r'^ *--8<-- "snippets/([^":]+/exercises\.py):(\w+)_task"$', re.M)
ENGLISH_PAGES = sorted(page for page in DOCS.glob("*.md") if page.name.count(".") == 1)
# Every exercise the English pages set, as (snippet, name).
EXERCISES = sorted({(relative, name) for page in ENGLISH_PAGES for relative, name in TASK.findall(page.read_text())})


def check_outcome(relative: str, name: str, answer: str | None) -> BaseException | None:
    """Run the exercise as the chapter's notebook does, the exercises above it unsolved: every
    section of snippets/<relative> up to its task but the solutions and checks (so a check that
    needs a name only a solution defines fails), then the task, then `answer` (code in place of the
    solution; None: the starter code alone), then the check: what the task, the answer or the check
    raised, or None if the check passed."""
    sections = snippet_sections(SNIPPETS / relative)
    names = [section for section, _ in sections]
    code = dict(sections)
    before = [
        section
        for section in names[: names.index(f"{name}_task")]
        if not section.endswith(("_solution", "_check"))
    ]
    main = types.ModuleType("__main__")
    main.__file__ = str(SNIPPETS / relative)
    os.chdir(ROOT)
    plt.close("all")
    # What it prints and warns is the reader's to see; here only what it raises counts.
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings(record=True):
        for section in before:
            exec(compile(code[section], str(SNIPPETS / relative), "exec"), main.__dict__)
        try:
            exec(compile(code[f"{name}_task"], str(SNIPPETS / relative), "exec"), main.__dict__)
            if answer is not None:
                exec(compile(answer, "<answer>", "exec"), main.__dict__)
            exec(compile(code[f"{name}_check"], str(SNIPPETS / relative), "exec"), main.__dict__)
        except Exception as error:  # what the reader would see
            return error
        finally:
            plt.close("all")
    return None


def wrong_answers(relative: str) -> dict[str, list[tuple[str, str]]]:
    """The typical wrong answers that tests/test_<chapter>.py lists for its exercises."""
    module = importlib.import_module(f"test_{relative.split('/')[0]}")
    return getattr(module, "WRONG_ANSWERS", {})


def _solution(relative: str, name: str) -> str:
    return dict(snippet_sections(SNIPPETS / relative))[f"{name}_solution"]


def test_there_are_exercises():
    assert EXERCISES


@pytest.mark.parametrize(("relative", "name"), EXERCISES)
def test_the_solution_passes_its_check(relative, name):
    error = check_outcome(relative, name, _solution(relative, name))
    assert error is None, f"{relative}: the check of {name!r} fails on the page's solution: {error!r}"


@pytest.mark.parametrize(("relative", "name"), EXERCISES)
def test_the_starter_code_fails_with_a_message(relative, name):
    error = check_outcome(relative, name, None)
    assert isinstance(error, AssertionError | NotImplementedError), (
        f"{relative}: on the starter code of {name!r}, the check should fail with a message, not {error!r}"
    )
    assert len(str(error)) > 10, f"{relative}: {name!r} fails on the starter code without saying why: {error!r}"


@pytest.mark.parametrize(("relative", "name"), EXERCISES)
def test_every_exercise_has_a_typical_wrong_answer(relative, name):
    chapter = relative.split("/")[0]
    assert wrong_answers(relative).get(name), f"tests/test_{chapter}.py lists no wrong answer to {name!r}"


@pytest.mark.parametrize(
    ("relative", "name", "answer", "message"),
    [
        (relative, name, answer, message)
        for relative in sorted({relative for relative, _ in EXERCISES})
        for name, answers in wrong_answers(relative).items()
        for answer, message in answers
    ],
)
def test_a_wrong_answer_fails_with_its_message(relative, name, answer, message):
    error = check_outcome(relative, name, answer)
    assert isinstance(error, AssertionError), f"{relative}: {name!r} lets a wrong answer through: {error!r}"
    assert message in str(error), f"{relative}: {name!r} says {str(error)!r}, not {message!r}"


def _fences(text: str) -> list[tuple[str, str, str]]:
    """(admonition the include sits in, or "", snippet, section) of each include of a page."""
    found, admonition = [], ""
    for line in text.split("\n"):
        if re.match(r"^(\?\?\?|!!!)", line):
            admonition = line.split()[1]
        elif line and not line.startswith(" "):
            admonition = ""
        include = re.match(r'^ *--8<-- "snippets/([^":]+):(\w+)"$', line)
        if include:
            found.append((admonition, include[1], include[2]))
    return found


@pytest.mark.parametrize("page", [page.name for page in DOCS.glob("*.md")])
def test_each_exercise_shows_its_task_then_its_solution_and_check_collapsed(page):
    text = (DOCS / page).read_text()
    fences = [(where, section) for where, _, section in _fences(text)]
    for name in {section[: -len("_task")] for where, section in fences if section.endswith("_task")}:
        shown = [(where, section) for where, section in fences if section.startswith(f"{name}_")]
        parts = [(where, section) for where, section in shown if not section.endswith("_question")]
        assert parts == [("", f"{name}_task"), ("success", f"{name}_solution"), ("question", f"{name}_check")], (
            f"docs/{page}: exercise {name!r} should show its task, then its solution (??? success), then its "
            f"check (??? question): {parts}"
        )


@pytest.mark.parametrize("page", [page.name for page in DOCS.glob("*.md")])
def test_every_exercise_has_a_task(page):
    text = (DOCS / page).read_text()
    yourself = re.search(r"^## .*\{#check-yourself\}$|^## Check yourself$", text, re.M)
    if not yourself:
        return
    exercises = re.findall(r"^### ", text[yourself.end() :].split("\n## ")[0], re.M)
    assert len(exercises) == len(TASK.findall(text)), f"docs/{page}: an exercise without a task and a check"

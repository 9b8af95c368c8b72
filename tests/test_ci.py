"""CI: the workflow tests every change through .ci/run, the README's test command, and publishes the
site those tests checked; the commands that README.md and the pages give are the ones CI runs."""

from __future__ import annotations

import os
import re
import subprocess

import pytest
import yaml
from conftest import DOCS, ROOT, SCREENSHOTS

from bookbuild.chapter_notebooks import NOTEBOOK_BRANCH

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
README = ROOT / "README.md"
PUSH_TO_MAIN = "github.event_name == 'push' && github.ref == 'refs/heads/main'"
FENCE = re.compile(r"^```(?P<info>[^`\n]*)\n(?P<code>.*?)^```$", re.M | re.S)


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def step_using(workflow: dict, action: str) -> dict:
    (step,) = [step for step in steps(workflow) if step.get("uses", "").startswith(f"{action}@")]
    return step


def marked_command(name: str) -> str:
    """The code of the fence between README.md's <!-- name --> and <!-- /name --> markers."""
    marked = re.search(rf"<!-- {name} -->\n(.*?)<!-- /{name} -->", README.read_text(), re.S)[1]
    (fence,) = FENCE.finditer(marked)
    return fence["code"].strip()


def test_every_action_is_pinned_by_commit_with_its_version(workflow):
    lines = [line for line in WORKFLOW.read_text().splitlines() if re.match(r"\s*(- )?uses:", line)]
    assert len(lines) == len([step for step in steps(workflow) if "uses" in step]) > 0
    for line in lines:
        assert re.fullmatch(r"\s*(- )?uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+", line), line


def test_every_job_has_a_timeout(workflow):
    for name, job in workflow["jobs"].items():
        assert isinstance(job.get("timeout-minutes"), int), f"job {name} has no timeout-minutes"


def test_checkout_leaves_no_credentials_behind(workflow):
    assert step_using(workflow, "actions/checkout")["with"]["persist-credentials"] is False


def test_pull_requests_and_pushes_to_main_are_tested(workflow):
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert "pull_request" in triggers
    assert triggers["push"]["branches"] == ["main"]


def test_only_pushes_to_main_deploy_and_only_the_publishing_jobs_write(workflow):
    assert workflow["permissions"] == {"contents": "read"}
    deploy, notebooks = workflow["jobs"]["deploy"], workflow["jobs"]["notebooks"]
    assert deploy["if"] == notebooks["if"] == PUSH_TO_MAIN
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert notebooks["permissions"] == {"contents": "write", "actions": "read"}
    assert deploy["needs"] == notebooks["needs"] == "test"
    assert [name for name, job in workflow["jobs"].items() if "permissions" in job] == ["deploy", "notebooks"]
    assert step_using(workflow, "actions/upload-pages-artifact")["if"] == PUSH_TO_MAIN


def test_the_notebooks_branch_gets_the_tested_sites_notebooks(workflow):
    """Colab opens the notebooks from the branch that the pages' links name."""
    (upload,) = [step for step in workflow["jobs"]["test"]["steps"] if step.get("with", {}).get("name") == "notebooks"]
    assert upload["if"] == PUSH_TO_MAIN and upload["with"]["path"] == "site/**/*.ipynb"
    download, publish = workflow["jobs"]["notebooks"]["steps"]
    assert "gh run download \"$GITHUB_RUN_ID\"" in download["run"] and "--name notebooks" in download["run"]
    assert f"--initial-branch={NOTEBOOK_BRANCH}" in publish["run"]
    assert publish["run"].rstrip().endswith(f'.git" {NOTEBOOK_BRANCH}')


def test_pull_requests_cancel_their_older_runs_but_deploys_are_never_cancelled(workflow):
    assert workflow["concurrency"]["cancel-in-progress"] == "${{ github.event_name == 'pull_request' }}"
    assert workflow["jobs"]["deploy"]["concurrency"]["cancel-in-progress"] is False


def test_the_workflow_runs_ci_run_on_python_3_11_and_publishes_the_site_it_tested(workflow):
    assert step_using(workflow, "actions/setup-python")["with"]["python-version"] == "3.11"
    (test,) = [step for step in workflow["jobs"]["test"]["steps"] if "run" in step]
    assert test["run"] == "bash .ci/run"  # no pytest or mkdocs build of its own
    assert test["env"]["BOOK_SITE_DIR"] == "${{ github.workspace }}/site"
    assert step_using(workflow, "actions/upload-pages-artifact")["with"]["path"] == "site/"


def test_the_workflow_takes_and_uploads_every_screenshot(workflow):
    (test,) = [step for step in workflow["jobs"]["test"]["steps"] if "run" in step]
    assert test["env"]["BOOK_SCREENSHOTS"] == "1"  # the suite takes none unless asked
    (upload,) = [step["with"] for step in steps(workflow) if step.get("with", {}).get("name") == "screenshots"]
    assert ROOT / upload["path"] == SCREENSHOTS
    assert upload["include-hidden-files"] is True  # .cache/ is hidden: otherwise nothing is uploaded


def test_ci_run_runs_the_readme_test_command():
    printed = subprocess.run(["bash", ROOT / ".ci" / "run", "--print"], capture_output=True, text=True, check=True)
    command = marked_command("test-command")
    assert printed.stdout.strip() == command
    assert command.endswith("pip install -r requirements.txt && pytest")


def test_ci_run_refuses_another_python(tmp_path):
    # A python3 that answers .ci/run's version check with 3.12 and fails anything else; with
    # Chromium and a Nanum font seemingly present, nothing is installed even if the check let it by.
    (tmp_path / "python3").write_text('#!/bin/sh\n[ "$1" = "-c" ] && echo 3.12.0 && exit 0\nexit 1\n')
    (tmp_path / "fc-list").write_text("#!/bin/sh\necho NanumGothic\n")
    for tool in tmp_path.iterdir():
        tool.chmod(0o755)
    env = {**os.environ, "PATH": f"{tmp_path}{os.pathsep}{os.environ['PATH']}", "CHROMIUM": "/bin/true"}
    run = subprocess.run(["bash", ROOT / ".ci" / "run"], capture_output=True, text=True, env=env, check=False)
    assert run.returncode == 1
    assert "need Python 3.11 (3.11.5 or later) as python3; python3 is 3.12.0" in run.stderr


@pytest.mark.parametrize("page", ["index.md", "index.ko.md"])
def test_the_home_page_gives_the_readme_commands(page):
    fences = [fence["code"].strip() for fence in FENCE.finditer((DOCS / page).read_text())]
    assert f"{marked_command('serve-command')}\n{marked_command('test-command')}" in fences


def test_commands_are_in_fences_that_pytest_codeblocks_runs():
    # It runs ```bash (and ```sh) fences, and passes over ```shell or ```console ones without a word.
    for path in [README, *DOCS.glob("*.md")]:
        for info in re.findall(r"^ *```(\w*)", path.read_text(), re.M):
            assert info not in {"shell", "console", "zsh"}, f"{path.name}: a ```{info} fence"


def test_the_readme_example_snippet_is_the_section_it_names():
    example = re.compile(r"first section of `(snippets/[^`]+)`.*?\n```python\n(.*?)^```$", re.S | re.M)
    path, code = example.search(README.read_text()).groups()
    start = re.match(r"# --8<-- \[start:(\w+)\]\n", code)
    assert start and code.endswith(f"# --8<-- [end:{start[1]}]\n")
    assert (ROOT / path).read_text().startswith(code)

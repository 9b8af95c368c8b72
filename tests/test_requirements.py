"""The lock (requirements.txt, compiled from requirements.in by .ci/lock): everything pinned, installable
from PyPI alone, and the environment that the tests run in."""

from __future__ import annotations

import importlib.metadata

import pytest
from conftest import ROOT
from packaging.requirements import Requirement
from packaging.version import Version

EDITABLE = "-e ."  # the book's build machinery, bookbuild/


def requirements(name: str) -> list[str]:
    """The requirement lines of a requirements file: no comments, no blank lines."""
    lines = (line.split(" #")[0].strip() for line in (ROOT / name).read_text().splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def pins(name: str) -> list[Requirement]:
    return [Requirement(line) for line in requirements(name) if line != EDITABLE]


def pinned_version(requirement: Requirement) -> Version:
    (specifier,) = requirement.specifier
    assert specifier.operator == "==" and "*" not in specifier.version, f"{requirement} is not pinned"
    return Version(specifier.version)


@pytest.mark.parametrize("name", ["requirements.in", "requirements.txt"])
def test_every_requirement_is_pinned(name):
    assert EDITABLE in requirements(name)
    for requirement in pins(name):
        pinned_version(requirement)


def test_the_lock_names_torch_as_pypi_does():
    # Resolved as 2.13.0+cpu, a version only PyTorch's own index has; PyPI has 2.13.0.
    assert [line for line in requirements("requirements.txt") if line.startswith("torch")] == ["torch==2.13.0"]
    assert not [pin for pin in pins("requirements.txt") if pinned_version(pin).local]


def test_the_lock_holds_every_direct_dependency_at_its_version():
    lock = {requirement.name.lower(): requirement for requirement in pins("requirements.txt") if not requirement.marker}
    for direct in pins("requirements.in"):
        assert direct.name.lower() in lock, f"{direct} is not in the lock: bash .ci/lock"
        assert pinned_version(lock[direct.name.lower()]) == pinned_version(direct), f"{direct}: bash .ci/lock"


def test_the_environment_is_the_lock():
    """What runs the tests is what the lock installs (torch's +cpu aside), so a stale lock fails."""
    assert importlib.metadata.version("bookbuild")
    stale = []
    for requirement in pins("requirements.txt"):
        if requirement.marker and not requirement.marker.evaluate():
            continue  # another platform's package
        try:
            installed = Version(importlib.metadata.version(requirement.name)).public
        except importlib.metadata.PackageNotFoundError:
            installed = "not installed"
        if installed != str(pinned_version(requirement)):
            stale.append(f"{requirement}: {installed}")
    assert not stale, f"installed packages differ from the lock (pip install -r requirements.txt): {stale}"

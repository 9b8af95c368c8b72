"""The data sets are the recorded, documented ones, and a damaged data folder is reported by name.

Checksums are computed here with hashlib, independently of bookbuild/data.py, which the last
tests then check on damaged copies of data/.
"""

from __future__ import annotations

import hashlib
import re
import shutil

import pandas as pd
import pytest
from conftest import DATA

from bookbuild.data import DataError, verify

NOT_DATA = {"README.md", "SHA256SUMS"}
BOSTON_COLUMNS = [
    "crim", "zn", "indus", "chas", "nox", "rm", "age", "dis", "rad", "tax", "ptratio", "b", "lstat", "medv",
]  # fmt: skip


def recorded() -> dict[str, str]:
    """data/SHA256SUMS parsed here, strictly: '<64 hex digits>  <file name>' on every line."""
    entries = {}
    for number, line in enumerate((DATA / "SHA256SUMS").read_text().splitlines(), 1):
        match = re.fullmatch(r"([0-9a-f]{64})  (\S.*)", line)
        assert match, f"SHA256SUMS line {number} is not '<sha256>  <file name>': {line!r}"
        assert match[2] not in entries, f"{match[2]} is listed twice"
        entries[match[2]] = match[1]
    assert entries, "SHA256SUMS lists no files"
    return entries


def readme() -> str:
    """data/README.md with runs of whitespace (line breaks included) folded to one space."""
    return " ".join((DATA / "README.md").read_text().split())


@pytest.fixture(scope="module")
def boston() -> pd.DataFrame:
    return pd.read_csv(DATA / "boston.csv")


@pytest.mark.parametrize("name", sorted(recorded()))
def test_recorded_file_exists_and_matches_its_sha256(name):
    path = DATA / name
    assert path.is_file(), f"{name} is listed in SHA256SUMS but missing"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == recorded()[name], f"{name} has changed"


def test_every_data_file_is_recorded():
    files = {path.name for path in DATA.iterdir() if path.is_file()} - NOT_DATA
    assert files, "data/ holds no data files"
    assert files <= set(recorded()), f"not in SHA256SUMS: {sorted(files - set(recorded()))}"


@pytest.mark.parametrize("name", sorted(recorded()))
def test_readme_states_the_sha256_of_each_data_file(name):
    assert recorded()[name] in readme(), f"data/README.md does not state the sha256 of {name}"
    assert f"`{name}`" in readme(), f"data/README.md does not name {name}"


def test_boston_shape_columns_and_values(boston):
    assert boston.shape == (506, 14)
    assert list(boston.columns) == BOSTON_COLUMNS
    assert not boston.isna().any().any()
    assert all(pd.api.types.is_numeric_dtype(dtype) for dtype in boston.dtypes)
    assert set(boston["chas"]) == {0, 1}


def test_boston_readme_documents_every_column():
    for column in BOSTON_COLUMNS:
        assert re.search(rf"^\| `{column}` \|", (DATA / "README.md").read_text(), re.M), column


def test_boston_medv_censoring_stated_in_readme(boston):
    censored = int((boston["medv"] == 50.0).sum())
    assert censored == 16
    assert boston["medv"].max() == 50.0 and boston["medv"].min() == 5.0
    assert f"{censored} of the {len(boston)} rows hold exactly 50.0" in readme()
    assert "The largest value of `medv` is 50.0" in readme()
    assert "The smallest value is 5.0" in readme()


def test_boston_b_facts_stated_in_readme(boston):
    # b = 1000 (Bk - 0.63)^2 for a proportion Bk in [0, 1] lies in [0, 1000 * 0.63^2] = [0, 396.9];
    # for b <= 1000 * (1 - 0.63)^2 = 136.9 both roots 0.63 -/+ sqrt(b / 1000) lie in [0, 1].
    assert round(1000 * 0.63**2, 6) == 396.9 and round(1000 * (1 - 0.63) ** 2, 6) == 136.9
    assert boston["b"].between(0, 396.9).all()
    ambiguous = int((boston["b"] <= 136.9).sum())
    at_maximum = int((boston["b"] == 396.9).sum())
    assert (ambiguous, at_maximum) == (36, 121)
    assert f"{ambiguous} of the {len(boston)} rows are in that range" in readme()
    assert f"{at_maximum} rows hold exactly 396.9" in readme()


# bookbuild.data.verify on a damaged copy of data/ ------------------------------------------------


@pytest.fixture
def data_copy(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    return copy


def test_verify_passes_on_the_intact_copy(data_copy):
    assert verify(data_copy) == recorded()


def test_verify_reports_a_missing_file(data_copy):
    (data_copy / "boston.csv").unlink()
    with pytest.raises(DataError) as error:
        verify(data_copy)
    assert "boston.csv" in str(error.value) and "missing" in str(error.value)


def test_verify_reports_a_corrupt_file(data_copy):
    content = bytearray((data_copy / "boston.csv").read_bytes())
    assert content[-2:] == b"9\n"
    content[-2] = ord("8")  # the last value, 11.9 -> 11.8: one byte, same length
    (data_copy / "boston.csv").write_bytes(bytes(content))
    with pytest.raises(DataError) as error:
        verify(data_copy)
    assert "boston.csv" in str(error.value) and "corrupt" in str(error.value)


def test_verify_reports_an_unrecorded_file(data_copy):
    (data_copy / "unrecorded.csv").write_text("x\n1\n")
    with pytest.raises(DataError) as error:
        verify(data_copy)
    assert "unrecorded.csv" in str(error.value)


def test_verify_reports_a_malformed_sha256sums_line(data_copy):
    listing = data_copy / "SHA256SUMS"
    lines = listing.read_text().splitlines()
    lines.append("not-a-sha256 boston.csv")
    listing.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError) as error:
        verify(data_copy)
    assert "SHA256SUMS" in str(error.value)
    assert re.search(rf"\bline {len(lines)}\b", str(error.value)), str(error.value)

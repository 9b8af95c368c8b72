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


PROPERTIES = [
    "radius", "texture", "perimeter", "area", "smoothness", "compactness", "concavity", "concave_points", "symmetry",
    "fractal_dimension",
]  # fmt: skip
BREAST_CANCER_COLUMNS = [f"{name}_{statistic}" for statistic in ["mean", "se", "worst"] for name in PROPERTIES]


@pytest.fixture(scope="module")
def digits() -> pd.DataFrame:
    return pd.read_csv(DATA / "digits.csv")


@pytest.fixture(scope="module")
def breast_cancer() -> pd.DataFrame:
    return pd.read_csv(DATA / "breast_cancer.csv")


def test_digits_shape_columns_and_values(digits):
    assert digits.shape == (1797, 65)
    assert list(digits.columns) == [f"pixel_{row}_{column}" for row in range(8) for column in range(8)] + ["digit"]
    assert all(pd.api.types.is_integer_dtype(dtype) for dtype in digits.dtypes)
    pixels = digits.drop(columns="digit")
    assert pixels.min().min() == 0 and pixels.max().max() == 16  # "count, 0–16"
    assert set(digits["digit"]) == set(range(10))


def test_digits_known_problems_stated_in_readme(digits):
    counts = digits["digit"].value_counts()
    assert (counts.idxmin(), counts.min(), counts.idxmax(), counts.max()) == (8, 174, 3, 183)
    fewest, most = counts.idxmin(), counts.idxmax()
    assert f"from {counts[fewest]} images of the digit {fewest} to {counts[most]} of the digit {most}" in readme()
    blank = [name for name in digits.columns[:-1] if (digits[name] == 0).all()]
    assert blank == ["pixel_0_0", "pixel_4_0", "pixel_4_7"]
    assert "`pixel_0_0`, `pixel_4_0` and `pixel_4_7` are 0 in all 1,797 rows" in readme()
    assert not digits.duplicated().any()
    for column in ["pixel_R_C", "digit"]:
        assert re.search(rf"^\| `{column}`", (DATA / "README.md").read_text(), re.M), column


def test_breast_cancer_shape_columns_and_values(breast_cancer):
    assert breast_cancer.shape == (569, 31)
    assert list(breast_cancer.columns) == BREAST_CANCER_COLUMNS + ["malignant"]
    assert not breast_cancer.isna().any().any()
    assert all(pd.api.types.is_numeric_dtype(dtype) for dtype in breast_cancer.dtypes)
    assert (breast_cancer.drop(columns="malignant") >= 0).all().all()
    # The first row of the UCI file is a malignant mass (ID 842302, M): coded 1 here, 0 by scikit-learn.
    assert breast_cancer["radius_mean"][0] == 17.99 and breast_cancer["malignant"][0] == 1


def test_breast_cancer_readme_documents_every_column():
    rows = re.findall(r"^\| (`[^|]+`) \|", (DATA / "README.md").read_text(), re.M)
    documented = {name for row in rows for name in re.findall(r"`(\w+)`", row)}
    assert set(BREAST_CANCER_COLUMNS) | {"malignant"} <= documented


def test_breast_cancer_facts_stated_in_readme(breast_cancer):
    counts = breast_cancer["malignant"].value_counts()
    assert (counts[1], counts[0]) == (212, 357)
    share = 100 * counts[1] / len(breast_cancer)
    assert f"{counts[1]} of the {len(breast_cancer)} masses ({share:.1f} %) are malignant" in readme()
    assert f"and {counts[0]} benign" in readme()
    correlation = breast_cancer["radius_mean"].corr(breast_cancer["perimeter_mean"])
    assert f"correlation of {correlation:.3f}" in readme()
    concave = [column for column in BREAST_CANCER_COLUMNS if column.startswith(("concavity", "concave_points"))]
    zero = (breast_cancer[concave] == 0).all(axis=1)
    assert zero.sum() == 13 and (breast_cancer[concave] == 0).any(axis=1).sum() == 13  # all six or none
    assert breast_cancer["malignant"][zero].sum() == 0  # "All 13 are benign"
    assert "Thirteen rows have all six concavity and concave-points values exactly 0" in readme()


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

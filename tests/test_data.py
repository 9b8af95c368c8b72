"""The data sets are the ones documented, and a damaged data folder is reported by file name."""

import hashlib
import shutil

import pandas as pd
import pytest
from conftest import DATA

from bookbuild.data import DataError, verify

BOSTON_COLUMNS = ["crim", "zn", "indus", "chas", "nox", "rm", "age", "dis", "rad", "tax", "ptratio", "b", "lstat", "medv"]


def recorded() -> dict[str, str]:
    lines = (DATA / "SHA256SUMS").read_text().splitlines()
    return {name: digest for digest, name in (line.split("  ", 1) for line in lines if line)}


def test_every_data_file_matches_its_recorded_checksum():
    for name, digest in recorded().items():
        assert hashlib.sha256((DATA / name).read_bytes()).hexdigest() == digest, name


def test_every_data_file_is_recorded_and_documented():
    files = {path.name for path in DATA.iterdir() if path.is_file()} - {"README.md", "SHA256SUMS"}
    assert files == set(recorded())
    readme = (DATA / "README.md").read_text()
    for name, digest in recorded().items():
        assert f"## {name}" in readme and digest in readme, name


def test_boston_has_the_documented_shape_and_columns():
    boston = pd.read_csv(DATA / "boston.csv")
    assert boston.shape == (506, 14)
    assert list(boston.columns) == BOSTON_COLUMNS
    assert not boston.isna().any().any()
    assert all(pd.api.types.is_numeric_dtype(dtype) for dtype in boston.dtypes)
    assert set(boston["chas"]) == {0, 1}


def test_boston_facts_stated_in_the_readme():
    boston = pd.read_csv(DATA / "boston.csv")
    readme = (DATA / "README.md").read_text()
    censored = int((boston["medv"] == 50.0).sum())
    assert boston["medv"].max() == 50.0
    assert f"{censored} of the 506 tracts have `medv` exactly 50.0" in readme
    # b = 1000 (Bk - 0.63)^2 with Bk in [0, 1] lies in [0, 1000 * 0.63^2] = [0, 396.9].
    assert boston["b"].between(0, 1000 * 0.63**2 + 1e-9).all()
    assert boston["b"].max() == pytest.approx(396.9)


@pytest.fixture
def data_copy(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    return copy


def test_verify_accepts_the_intact_data(data_copy):
    assert verify(data_copy) == recorded()


def test_verify_names_a_missing_file(data_copy):
    (data_copy / "boston.csv").unlink()
    with pytest.raises(DataError, match=r"boston\.csv: missing"):
        verify(data_copy)


def test_verify_names_a_corrupt_file(data_copy):
    content = bytearray((data_copy / "boston.csv").read_bytes())
    content[-3] ^= 1  # one changed byte
    (data_copy / "boston.csv").write_bytes(bytes(content))
    with pytest.raises(DataError, match=r"boston\.csv: corrupt or changed"):
        verify(data_copy)


def test_verify_names_an_unrecorded_file(data_copy):
    (data_copy / "extra.csv").write_text("x\n1\n")
    with pytest.raises(DataError, match=r"extra\.csv: not listed in .*SHA256SUMS"):
        verify(data_copy)


def test_verify_names_a_malformed_checksum_line(data_copy):
    with open(data_copy / "SHA256SUMS", "a") as listing:
        listing.write("not-a-checksum extra.csv\n")
    with pytest.raises(DataError, match=r"SHA256SUMS, line 2: expected"):
        verify(data_copy)


def test_verify_names_a_missing_checksum_list(data_copy):
    (data_copy / "SHA256SUMS").unlink()
    with pytest.raises(DataError, match=r"SHA256SUMS: missing"):
        verify(data_copy)

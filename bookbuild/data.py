"""Check the data sets in data/ against the checksums recorded in data/SHA256SUMS."""

from __future__ import annotations

import hashlib
from pathlib import Path

CHECKSUMS = "SHA256SUMS"
# Files in data/ that are documentation, not data.
NOT_DATA = {CHECKSUMS, "README.md"}


class DataError(Exception):
    """A data file is missing, corrupt or unrecorded; the message names the file."""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def recorded_checksums(data_dir: Path) -> dict[str, str]:
    """Map each file name listed in data/SHA256SUMS (``sha256sum`` format) to its digest."""
    listing = data_dir / CHECKSUMS
    if not listing.is_file():
        raise DataError(f"{listing}: missing; it must list the sha256 of every data file")
    recorded = {}
    for number, line in enumerate(listing.read_text().splitlines(), 1):
        if not line.strip():
            continue
        digest, _, name = line.partition("  ")
        if len(digest) != 64 or not name:
            raise DataError(f"{listing}, line {number}: expected '<sha256>  <file name>', got {line!r}")
        recorded[name] = digest
    return recorded


def verify(data_dir: Path) -> dict[str, str]:
    """Raise DataError naming the first missing, corrupt or unrecorded file; return the checksums."""
    recorded = recorded_checksums(data_dir)
    for name, digest in sorted(recorded.items()):
        path = data_dir / name
        if not path.is_file():
            raise DataError(f"{path}: missing (listed in {data_dir / CHECKSUMS})")
        actual = sha256(path)
        if actual != digest:
            raise DataError(
                f"{path}: corrupt or changed: its sha256 is {actual}, "
                f"but {data_dir / CHECKSUMS} records {digest}"
            )
    for path in sorted(data_dir.iterdir()):
        if path.is_file() and path.name not in NOT_DATA and path.name not in recorded:
            raise DataError(f"{path}: not listed in {data_dir / CHECKSUMS}; record its sha256 there")
    return recorded

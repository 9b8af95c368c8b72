"""Where and how the build keeps what it executed, for the code fences and the labs alike.

An entry is a JSON file named by a key that covers everything its content depends on. Entries are
written under a name no other build uses and then renamed into place, so that builds running at
once (``mkdocs serve`` beside ``pytest``, two CI jobs sharing BOOK_EXEC_CACHE) never read a
half-written file; an entry that cannot be read or fails its check is a miss, not an error.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from bookbuild.data import verify

MACHINERY = Path(__file__).resolve().parent


def cache_dir(root: Path) -> Path:
    """Where executed output is kept between builds (BOOK_EXEC_CACHE overrides it)."""
    return Path(os.environ.get("BOOK_EXEC_CACHE", root / ".cache" / "book-exec"))


def fingerprint(root: Path, libraries: tuple[str, ...]) -> str:
    """What executed output depends on besides the code: the interpreter, the libraries, the data
    files and the build machinery's own code (bookbuild/*.py).

    Raises bookbuild.data.DataError if a data file is missing or differs from data/SHA256SUMS.
    """
    checksums = verify(root / "data")
    versions = {}
    for name in libraries:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = None
    machinery = {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(MACHINERY.glob("*.py"))}
    return json.dumps([sys.executable, sys.version, versions, checksums, machinery], sort_keys=True)


def digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()


def read(path: Path, valid: Callable[[Any], bool]) -> Any | None:
    """The entry's value, or None if it is missing, unreadable, corrupt or not what `valid` wants."""
    try:
        entry = json.loads(path.read_text())
        value, check = entry["value"], entry["sha256"]
    except (OSError, ValueError, TypeError, KeyError):
        return None
    return value if check == digest(value) and valid(value) else None


def write(path: Path, value: Any) -> None:
    """Store the entry atomically: a reader sees the old file, the new one, or none."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"value": value, "sha256": digest(value)})
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

"""Hashes of what natowatch itself brings to a build: its code, data, libraries and templates.

A cached record or a finished site is only reusable while these are unchanged; an upgrade of
natowatch or of a library that shapes the output (the gazetteer's country list, the Markdown
parser, Jinja2's escaping, the search indexer) must invalidate it.
"""

from __future__ import annotations

import functools
import hashlib
import sys
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path

from natowatch import __version__

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # natowatch/, not core/
# The installed distributions whose behaviour reaches the records or the pages.
OUTPUT_LIBRARIES = (
    "jinja2",
    "markupsafe",
    "markdown-it-py",
    "python-frontmatter",
    "pyyaml",
    "pycountry",
    "pagefind",
    "pagefind-bin",  # the indexer binary, a separate distribution
)


@functools.cache
def code_fingerprint() -> str:
    """natowatch's code and data files, its version, Python's version and the libraries'."""
    digest = hashlib.sha256(f"{__version__}\0{sys.version_info[:2]}\0".encode())
    for library in OUTPUT_LIBRARIES:
        digest.update(f"{library}={_version(library)}\0".encode())
    for chunk in _file_chunks(PACKAGE_DIR, lambda path: path.suffix in (".py", ".yml", ".yaml")):
        digest.update(chunk)
    return digest.hexdigest()


def folder_fingerprint(*folders: Path) -> str:
    """Every file below the given folders (templates, static files), names and bytes."""
    digest = hashlib.sha256()
    for folder in folders:
        digest.update(b"\0folder\0")
        for chunk in _file_chunks(folder, lambda path: True):
            digest.update(chunk)
    return digest.hexdigest()


def _file_chunks(root: Path, wanted: Callable[[Path], bool]) -> Iterator[bytes]:
    """Name and bytes of each wanted file below ``root``, in a stable order."""
    for path in sorted(root.rglob("*")):
        if "__pycache__" in path.parts or not path.is_file() or not wanted(path):
            continue
        yield path.relative_to(root).as_posix().encode() + b"\0"
        yield path.read_bytes() + b"\0"


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "absent"

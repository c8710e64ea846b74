"""Find the article files of an archive folder, read them as text, attach their sidecar facts.

An archive folder holds raw scraped ``.txt`` files and Markdown ``.md`` files (either may start
with YAML front matter), plus optional ``sources.yml`` (facts per file, keyed by file name) and
``entities.yml`` (the entity dictionary).
"""

from __future__ import annotations

import codecs
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from natowatch.errors import InputError
from natowatch.metadata import Facts, facts_from_mapping

FORMATS = {".txt": "text", ".md": "markdown", ".markdown": "markdown"}
SIDECAR_NAME = "sources.yml"
DICTIONARY_NAME = "entities.yml"
BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class Source:
    """One article file as read from disk, with the sidecar's facts about it."""

    path: Path
    relpath: str  # relative to the archive folder, with forward slashes
    format: str  # "text" or "markdown"
    text: str
    facts: Facts = field(default_factory=Facts)


def find_articles(archive: Path) -> list[Path]:
    """Article files below ``archive`` in a stable order (hidden files and folders skipped)."""
    if not archive.is_dir():
        raise InputError(archive, "is not a folder of articles")
    found = [
        path
        for path in archive.rglob("*")
        if path.suffix.lower() in FORMATS
        and path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(archive).parts)
    ]
    return sorted(found, key=lambda path: path.relative_to(archive).as_posix())


def read_text(path: Path) -> str:
    """The file's text: UTF-8 (or a BOM-marked Unicode encoding), newlines normalised."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(path, f"cannot be read: {error.strerror or error}") from None
    encoding = next((name for bom, name in BOMS if data.startswith(bom)), "utf-8")
    if encoding == "utf-8" and b"\x00" in data:
        raise InputError(
            path, "is not a text file (it contains NUL bytes); remove it or convert it"
        )
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(path, f"is not valid {encoding} text; save it as UTF-8", line) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(path, "is empty; add the article's text or remove the file")
    return text


def load_sidecar(archive: Path) -> dict[str, Facts]:
    """Facts per file name from ``sources.yml``, or nothing when the archive has none."""
    path = archive / SIDECAR_NAME
    if not path.is_file():
        return {}
    raw = load_yaml(path)
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise InputError(path, "must map article file names to their facts")
    return {
        str(name): facts_from_mapping(value, path, where=f"entry {name!r}")
        for name, value in raw.items()
    }


def load_yaml(path: Path) -> Any:
    """Parse a YAML file; syntax errors name the file and line."""
    try:
        return yaml.safe_load(read_text(path))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise InputError(path, f"invalid YAML: {error.problem}", line) from None
    except yaml.YAMLError as error:
        raise InputError(path, f"invalid YAML: {error}") from None


def load_source(
    path: Path, archive: Path | None = None, sidecar: Mapping[str, Facts] = {}
) -> Source:
    """Read one article file; ``archive`` decides its relative path and sidecar key."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(path, f"is not an article file (expected one of {', '.join(FORMATS)})")
    base = archive if archive is not None else path.parent
    try:
        relpath = path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        relpath = path.name
    facts = sidecar.get(relpath) or sidecar.get(path.name) or Facts()
    return Source(path=path, relpath=relpath, format=fmt, text=read_text(path), facts=facts)

"""Find the article files of an archive folder, read them as text, attach their sidecar facts.

An archive folder holds raw scraped ``.txt`` files and Markdown ``.md`` files (either may start
with YAML front matter), plus optional ``sources.yml`` (facts per file, keyed by file name) and
``entities.yml`` (the entity dictionary).
"""

from __future__ import annotations

import codecs
import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from natowatch.archive.metadata import Facts, facts_from_mapping
from natowatch.core.errors import InputError, yaml_error
from natowatch.core.fingerprints import code_fingerprint
from natowatch.core.known_files import KnownFiles, read_bytes
from natowatch.core.saved import load_pickled, save_pickled
from natowatch.core.yamlload import safe_load

FORMATS = {".txt": "text", ".md": "markdown", ".markdown": "markdown"}
SIDECAR_NAME = "sources.yml"
DICTIONARY_NAME = "entities.yml"
SAVED_SIDECAR = "sources.pickle"  # the facts of sources.yml, parsed (``load_sidecar``)
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
    """Article files below ``archive`` in a stable order (hidden files and folders skipped).

    Folder links are not followed, so a link cannot pull in files from elsewhere or loop.
    Built from folder listings and string paths: both every build and every ``serve`` rebuild
    list the archive (5,000 files: 90 ms through pathlib, 20 ms so).
    """
    if not archive.is_dir():
        raise InputError(archive, "is not a folder of articles")
    found: list[tuple[str, str]] = []
    for folder, subfolders, files in os.walk(archive, followlinks=False):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        prefix = os.path.relpath(folder, archive).replace(os.sep, "/") + "/"
        prefix = "" if prefix == "./" else prefix
        found.extend(
            (prefix + name, os.path.join(folder, name))
            for name in files
            if not name.startswith(".") and os.path.splitext(name)[1].lower() in FORMATS
        )
    found.sort()
    return [Path(path) for _, path in found]


def is_article_file(path: Path, archive: Path) -> bool:
    """Whether ``find_articles(archive)`` lists ``path`` (both absolute), found without
    listing the archive: ``serve``'s preview asks it of the one saved file (listing 5,000
    files cost each preview ~0.1 s). Below the archive through real folders (a folder link is
    not followed), no hidden name on the way, an article suffix, and not a folder."""
    try:
        parts = path.relative_to(archive).parts
    except ValueError:
        return False
    if not parts or any(part.startswith(".") for part in parts):
        return False
    if os.path.splitext(parts[-1])[1].lower() not in FORMATS:
        return False
    folder = archive
    for part in parts[:-1]:
        folder = folder / part
        if folder.is_symlink() or not folder.is_dir():
            return False
    return os.path.lexists(path) and not path.is_dir()


def links_outside(archive: Path) -> list[InputError]:
    """An error for every link in the archive (file or folder) that points outside it.

    Links are told apart by the folder listing (no stat per file), in ``os.walk``'s order: a
    folder's entries by name, then each subfolder the same way."""
    root = archive.resolve()
    problems: list[InputError] = []
    folders = [os.fspath(archive)]
    while folders:
        try:
            with os.scandir(folders.pop()) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            continue
        below = []
        for entry in entries:
            if entry.is_symlink():
                if not _inside(Path(entry.path), root):
                    problems.append(_outside_error(Path(entry.path)))
            elif entry.is_dir():
                below.append(entry.path)
        folders.extend(reversed(below))
    return problems


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def _outside_error(path: Path) -> InputError:
    return InputError(
        path,
        "is a link to a file outside the archive; copy the file into the archive instead",
    )


def read_text(path: Path, max_bytes: int | None = None, files: KnownFiles | None = None) -> str:
    """The file's text: UTF-8 (or a BOM-marked Unicode encoding), newlines normalised.

    ``files`` keeps the bytes of files read before (``natowatch serve``)."""
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise InputError(
                path,
                f"is {_size(size)}, over the {_size(max_bytes)} limit for an article; split it, "
                "or raise max_article_kb in natowatch.yml",
            )
        data = read_bytes(path, files)
    except OSError as error:
        raise InputError(path, f"cannot be read: {error.strerror or error}") from None
    return decode_text(path, data)


def decode_text(path: Path, data: bytes) -> str:
    """``read_text`` of a file whose bytes are ``data``."""
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


def _size(count: int) -> str:
    return f"{count / 1_000_000:.1f} MB" if count >= 1_000_000 else f"{count / 1000:.0f} kB"


def load_sidecar(
    archive: Path,
    files: KnownFiles | None = None,
    saved: Path | None = None,
    read_saved: bool = True,
) -> dict[str, Facts]:
    """Facts per file name from ``sources.yml``, or nothing when the archive has none.

    ``files`` (``natowatch serve``) keeps the facts while the file is unchanged: parsing a
    ``sources.yml`` for 5,000 articles costs 0.3 s. Without it, the facts are saved in the
    folder ``saved`` (the record cache's), for the next build to take while the file's bytes
    are the same (not read unless ``read_saved``)."""
    path = archive / SIDECAR_NAME
    if not path.is_file():
        return {}
    if files is None and saved is not None:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise InputError(path, f"cannot be read: {error.strerror or error}") from None
        key = hashlib.sha256(f"{code_fingerprint()}\0{path}\0".encode() + data).hexdigest()
        known = load_pickled(saved / SAVED_SIDECAR, key) if read_saved else None
        if isinstance(known, dict):
            return known
        facts = _sidecar(path, _parsed_yaml(path, decode_text(path, data)))
        save_pickled(saved / SAVED_SIDECAR, key, facts)
        return facts
    if files is None:
        return _sidecar(path, load_yaml(path))

    def parse(data: bytes) -> dict[str, Facts]:
        return _sidecar(path, _parsed_yaml(path, decode_text(path, data)))

    try:
        return dict(files.made(path, "sidecar", parse))
    except OSError as error:
        raise InputError(path, f"cannot be read: {error.strerror or error}") from None


def _sidecar(path: Path, raw: Any) -> dict[str, Facts]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise InputError(path, "must map article file names to their facts")
    return {
        str(name): facts_from_mapping(value, path, where=f"entry {name!r}")
        for name, value in raw.items()
    }


def load_yaml(path: Path) -> Any:
    """Parse a YAML file; syntax errors name the file and line.

    With libyaml's parser when PyYAML has it (``yamlload``): a ``sources.yml`` for 5,000
    articles parses in 0.15 s instead of 0.7 s.
    """
    return _parsed_yaml(path, read_text(path))


def _parsed_yaml(path: Path, text: str) -> Any:
    try:
        return safe_load(text)
    except yaml.YAMLError as error:
        raise yaml_error(path, error) from None


def load_source(
    path: Path,
    archive: Path | None = None,
    sidecar: Mapping[str, Facts] | None = None,
    max_bytes: int | None = None,
    files: KnownFiles | None = None,
) -> Source:
    """Read one article file; ``archive`` decides its relative path and sidecar key."""
    sidecar = sidecar or {}
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(path, f"is not an article file (expected one of {', '.join(FORMATS)})")
    base = archive if archive is not None else path.parent
    try:
        # The link's own place in the archive names it, not where a link points.
        relpath = path.absolute().relative_to(base.absolute()).as_posix()
    except ValueError:
        relpath = path.name
    if path.is_symlink() and not _inside(path, base.resolve()):
        raise _outside_error(path)
    facts = sidecar.get(relpath) or sidecar.get(path.name) or Facts()
    text = read_text(path, max_bytes, files)
    return Source(path=path, relpath=relpath, format=fmt, text=text, facts=facts)

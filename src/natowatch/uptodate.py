"""Skip a build whose every input is unchanged since the last build into the same folder.

Like ``make``: a build records a stamp of its inputs (each article's path and bytes, the
sidecar, dictionary and configuration, natowatch's code, libraries, templates and static
files, and the options that shape output; a file the OS shows unchanged since the last build
read it counts with the hash made then, ``core.file_facts``). When the next build into the
same output folder finds the same stamp and that folder still holds exactly what the last
build wrote (its manifest file unchanged, every listed file present), the site on disk
already is the cold build's output, byte for byte, and nothing needs to run. The record
lives beside the article cache (``.natowatch-cache/builds.json``), private to the archive,
never in the published site.

What the last build reported (counts, warnings, files skipped by ``--keep-going``) is stored
with the stamp and reported again, so a skipped build says the same as the build it repeats.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from natowatch.archive.cache import CACHE_DIR
from natowatch.archive.config import CONFIG_NAME
from natowatch.archive.sources import DICTIONARY_NAME, SIDECAR_NAME, find_articles, links_outside
from natowatch.core.errors import InputError
from natowatch.core.file_facts import FileFacts
from natowatch.core.fingerprints import code_fingerprint, folder_fingerprint
from natowatch.core.known_files import KnownFiles, listed
from natowatch.core.saved import save_atomically
from natowatch.publish.resources import static_dir, templates_dir
from natowatch.publish.write import MARKER, parse_manifest

RECORD_FILE = "builds.json"
# Bump when what the stamp covers changes.
STAMP_FORMAT = 1


@dataclass(frozen=True)
class PreviousBuild:
    """What the last build into a folder reported, for a build that finds nothing to do."""

    articles: int
    files: int
    skipped: tuple[InputError, ...]
    warnings: tuple[InputError, ...]
    drafts: int = 0  # draft articles left out


def input_stamp(
    source: Path,
    options: Sequence[object],
    files: KnownFiles | None = None,
    facts: FileFacts | None = None,
) -> str | None:
    """One hash of everything a build of ``source`` reads; None when something is unreadable
    (the real build will then say what). ``files`` keeps files' hashes between the builds of
    one process (``serve``), ``facts`` between command-line builds."""
    digest = hashlib.sha256(f"{STAMP_FORMAT}\0{code_fingerprint()}\0{options!r}\0".encode())
    try:
        digest.update(folder_fingerprint(templates_dir(), static_dir()).encode())
        outside = [error.path for error in listed(source, links_outside, files)]
        articles = listed(source, find_articles, files, lasting=True)
    except (OSError, InputError):
        return None
    digest.update(b"\0links\0" + "\0".join(outside).encode())
    named = [source / SIDECAR_NAME, source / DICTIONARY_NAME, source / CONFIG_NAME]
    root = os.path.join(os.fspath(source), "")
    for path in [*named, *articles]:
        digest.update(b"\0" + os.fsencode(_relative(os.fspath(path), root)) + b"\0")
        try:
            if files is not None:
                read = files.made(path, "sha", _hash)
            elif facts is not None:
                read = facts.made(path, "sha", partial(_read_hash, path))
            else:
                read = _read_hash(path)
            digest.update(read)
        except FileNotFoundError:
            digest.update(b"missing")
        except OSError:
            return None
    return digest.hexdigest()


def _relative(path: str, root: str) -> str:
    """``path`` below ``root`` (which ends with a separator) with forward slashes: string work,
    not pathlib's (5,000 articles in every ``serve`` rebuild)."""
    if not path.startswith(root):
        raise ValueError(f"{path!r} is not below {root!r}")
    return path[len(root) :].replace(os.sep, "/")


def _hash(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _read_hash(path: Path) -> bytes:
    return _hash(path.read_bytes())


def previous_build(source: Path, out_dir: Path, stamp: str | None) -> PreviousBuild | None:
    """The last build into ``out_dir`` when it had this ``stamp`` and its output is intact."""
    if stamp is None:
        return None
    record = _records(source).get(_key(out_dir))
    if not isinstance(record, dict) or record.get("stamp") != stamp:
        return None
    if not _intact(out_dir, record.get("marker")):
        return None
    try:
        return PreviousBuild(
            articles=int(record["articles"]),
            files=int(record["files"]),
            skipped=_errors(record["skipped"]),
            warnings=_errors(record["warnings"]),
            drafts=int(record.get("drafts", 0)),
        )
    except (KeyError, TypeError, ValueError):
        return None


def remember_build(source: Path, out_dir: Path, stamp: str | None, build: PreviousBuild) -> None:
    """Record a finished build's stamp; failing to (a read-only archive) only costs speed."""
    if stamp is None:
        return
    records = _records(source)
    records[_key(out_dir)] = {
        "stamp": stamp,
        "marker": _marker_digest(out_dir),
        "articles": build.articles,
        "files": build.files,
        "skipped": [_error_fields(error) for error in build.skipped],
        "warnings": [_error_fields(error) for error in build.warnings],
        "drafts": build.drafts,
    }
    # replaced whole: a concurrent reader sees the old or the new file
    save_atomically(source / CACHE_DIR / RECORD_FILE, json.dumps(records, sort_keys=True).encode())


def _records(source: Path) -> dict[str, Any]:
    try:
        data = json.loads((source / CACHE_DIR / RECORD_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _key(out_dir: Path) -> str:
    return os.path.abspath(out_dir)


def _marker_digest(out_dir: Path) -> str | None:
    try:
        return hashlib.sha256((out_dir / MARKER).read_bytes()).hexdigest()
    except OSError:
        return None


def _intact(out_dir: Path, recorded_digest: object) -> bool:
    """The manifest is the one the build recorded, and every file it lists is still there
    (someone may have deleted one)."""
    try:
        marker = (out_dir / MARKER).read_bytes()
    except OSError:
        return False
    manifest = parse_manifest(marker)
    if hashlib.sha256(marker).hexdigest() != recorded_digest or manifest is None:
        return False
    return all(os.path.isfile(os.path.join(out_dir, path)) for path in manifest)


def _error_fields(error: InputError) -> list[Any]:
    return [error.path, error.message, error.line]


def _errors(rows: Any) -> tuple[InputError, ...]:
    return tuple(InputError(str(path), str(message), line) for path, message, line in rows)

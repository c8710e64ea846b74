"""The data files' pieces a command-line build takes from the previous site's copy of each file.

After a one-article edit of a 5,000-article archive, nearly every entity of
``data/entities.json``, run of ``data/timeline.json`` and record of ``data/articles.json`` is
the bytes the last build wrote; finding each piece again in the record cache (a digest of its
inputs, a query, 80,000 timeline lines read back one by one) was ~1.5 s of the build. Each
build saves where every piece lies in the file it wrote (``Layout``), with the digest of every
record; the next build reads a piece back from the previous site's file (one ``pread``) when
none of the records it is made from changed and it is made from as many records as before.

That is enough: a piece is a function of its records alone (an entity of the records naming it,
a timeline run of the records with entries on its day, or undated in its record, an article
of its own record; ``stored_json`` keys the same pieces by the same records). The records
naming an entity that did not change name it as before, so if the piece is made from no changed
record now and from as many records as before, it is made from the very same ones.

The previous file is used only while it is the one the layout describes: the previous site's
manifest gives it the digest the layout saved, and it has the inode, size and modification
time the file had when it was written (a hand edit changes them).
"""

from __future__ import annotations

import os
from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from natowatch.core.fingerprints import code_fingerprint
from natowatch.core.remembered import changed_names
from natowatch.core.saved import load_pickled, save_pickled

SAVED_FILE = "data-layout.pickle"

# Where a piece lies in its file, how many records it is made from, and its key in the record
# cache's stored pieces (kept while used: ``StoredJson.used``), if it has one.
Place = tuple[int, int, int, str | None]


@dataclass(frozen=True)
class FileLayout:
    """One data file as a build wrote it: its digest, its ``os.stat`` identity (inode, size,
    modification time) and its pieces by name."""

    digest: str
    identity: tuple[int, int, int]
    pieces: dict[Hashable, Place]


@dataclass(frozen=True)
class Layout:
    """What a build saves: each record's digest by id (``RecordDigests.of``), each data file's
    layout by site path."""

    records: dict[str, str]
    files: dict[str, FileLayout]


@dataclass
class _Laying:
    """A data file's pieces as they are written: the piece announced next (its name, bytes,
    record count and key), and the places of those written."""

    announced: tuple[Hashable, bytes, int, str | None] | None = None
    pieces: dict[Hashable, Place] = field(default_factory=dict)


class PreviousPieces:
    """The last build's pieces, readable from the previous site (``take``), and this build's,
    laid out as written (``laid_out``) and saved by ``finish``."""

    def __init__(
        self, folder: Path, site: Path | None, manifest: Mapping[str, str] | None, read: bool
    ) -> None:
        """``folder`` holds the saved layout (the record cache's folder); ``site`` is the
        previous site and ``manifest`` its files' digests (``read_manifest``), if there is one;
        nothing is taken unless ``read`` (``build --fresh``)."""
        self.folder = folder
        last = load_pickled(folder / SAVED_FILE, code_fingerprint()) if read and site else None
        self._last = last if isinstance(last, Layout) else None
        self._site = site
        self._manifest = manifest or {}
        self._records: dict[str, str] = {}
        self.changed: frozenset[str] = frozenset()
        self._started = False  # nothing is taken before the records' digests are known
        self._files: dict[str, int | None] = {}  # open descriptors of the previous files
        self._laying: dict[str, _Laying] = {}

    def start(self, records: Mapping[str, str]) -> None:
        """This build's records' digests by id: a record whose digest is not the last build's
        (or that is new) is changed."""
        self._records = dict(records)
        self._started = True
        last = self._last.records if self._last is not None else {}
        self.changed = changed_names(last, self._records)

    def usable(self, path: str) -> bool:
        """Whether pieces of ``path`` can be taken from the previous site's copy."""
        return self._file(path) is not None

    def take(
        self, path: str, name: Hashable, records: Iterable[str], count: int
    ) -> tuple[bytes, str | None] | None:
        """The piece ``name`` of the previous ``path``, with its stored key, if it is made
        from ``count`` records (``records``) none of which changed, as it was; else None."""
        descriptor = self._file(path) if self._started else None
        if descriptor is None or self._last is None:
            return None
        place = self._last.files[path].pieces.get(name)
        if place is None or place[2] != count:
            return None
        if not self.changed.isdisjoint(records):
            return None
        offset, length, _, key = place
        data = os.pread(descriptor, length, offset)
        return (data, key) if len(data) == length else None

    def announce(
        self, path: str, name: Hashable, data: bytes, count: int, key: str | None
    ) -> bytes:
        """``data`` is piece ``name`` of ``path``, next to be written (``laid_out`` places it)."""
        self._laying.setdefault(path, _Laying()).announced = (name, data, count, key)
        return data

    def laid_out(self, path: str, parts: Iterable[bytes]) -> Iterator[bytes]:
        """``parts`` as they are, each announced piece among them placed as it passes (by
        identity: ``json_array_parts`` and ``timeline_json_parts`` yield the very objects)."""
        laying = self._laying.setdefault(path, _Laying())
        offset = 0
        for part in parts:
            announced = laying.announced
            if announced is not None and announced[1] is part:
                name, _, count, key = announced
                laying.pieces[name] = (offset, len(part), count, key)
                laying.announced = None
            offset += len(part)
            yield part

    def finish(self, root: Path, digests: Mapping[str, str]) -> None:
        """Save this build's layout of the files written below ``root`` (the new site, before
        it is swapped in) with ``digests`` (the site's manifest), and close the previous files."""
        self.close()
        files: dict[str, FileLayout] = {}
        for path, laying in self._laying.items():
            digest = digests.get(path)
            try:
                status = os.stat(root / path)
            except OSError:
                continue
            if digest is not None:
                identity = (status.st_ino, status.st_size, status.st_mtime_ns)
                files[path] = FileLayout(digest, identity, laying.pieces)
        self._laying = {}
        save_pickled(self.folder / SAVED_FILE, code_fingerprint(), Layout(self._records, files))

    def close(self) -> None:
        for descriptor in self._files.values():
            if descriptor is not None:
                os.close(descriptor)
        self._files = {}

    def _file(self, path: str) -> int | None:
        if path not in self._files:
            self._files[path] = self._open(path)
        return self._files[path]

    def _open(self, path: str) -> int | None:
        """The previous site's ``path``, opened, if it is the file the last layout describes."""
        layout = self._last.files.get(path) if self._last is not None else None
        if layout is None or self._site is None or self._manifest.get(path) != layout.digest:
            return None
        try:
            descriptor = os.open(self._site / path, os.O_RDONLY)
        except OSError:
            return None
        status = os.fstat(descriptor)
        if (status.st_ino, status.st_size, status.st_mtime_ns) != layout.identity:
            os.close(descriptor)
            return None
        return descriptor

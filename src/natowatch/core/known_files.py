"""Input files' bytes (and what was made of them) kept by a long-running process
(``natowatch serve``) while the file system says a file is unchanged, so a rebuild after one
edit does not read, hash and parse all 5,000 articles and ``sources.yml`` again.

A file counts as unchanged while its modification and status-change times, size and inode are
those seen when it was read. Any write changes the status-change time, but on some file
systems that clock ticks coarsely, so a second write within one tick could look like none: a
file is only kept once it has been left alone for ``SETTLED_NS`` (as git does for its index);
one saved just now is read again each time until then.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

SETTLED_NS = 2_000_000_000

_Made = TypeVar("_Made")


@dataclass
class _Known:
    signature: tuple[int, int, int, int]
    data: bytes
    made: dict[str, Any] = field(default_factory=dict)


class KnownFiles:
    def __init__(self) -> None:
        self._known: dict[str, _Known] = {}
        self._seen: set[str] = set()
        self._listings: dict[tuple[Callable[[Path], Any], str], Any] = {}

    def read_bytes(self, path: Path) -> bytes:
        """The file's bytes, as ``Path.read_bytes`` gives them (and raises what it raises)."""
        return self._file(path).data

    def made(self, path: Path, name: str, make: Callable[[bytes], _Made]) -> _Made:
        """``make(bytes)`` for the file, kept with its bytes under ``name`` (a parse, a hash)."""
        known = self._file(path)
        if name not in known.made:
            known.made[name] = make(known.data)
        return known.made[name]  # type: ignore[no-any-return]

    def start(self) -> None:
        """A build begins: each file is asked the file system about again, once.

        Within a build a file is looked at once (``stat``): the up-to-date check and the
        loader both read every article, and 5,000 more calls were 0.03 s of each rebuild. They
        also see the same bytes so, should the file change between the two."""
        self._seen = set()
        self._listings = {}

    def listed(self, folder: Path, make: Callable[[Path], _Made]) -> _Made:
        """``make(folder)``, a listing of the archive, made once per build (``start``): the
        up-to-date check and the loader both list it. The caller must not change it."""
        key = (make, os.fspath(folder))
        if key not in self._listings:
            self._listings[key] = make(folder)
        return self._listings[key]  # type: ignore[no-any-return]

    def finish(self) -> None:
        """Forget the files not read since the last call (deleted or renamed ones)."""
        self._known = {key: known for key, known in self._known.items() if key in self._seen}
        self._seen = set()

    def _file(self, path: Path) -> _Known:
        key = os.fspath(path)
        if key in self._seen and key in self._known:  # looked at already in this build
            return self._known[key]
        status = os.stat(key)
        signature = (status.st_mtime_ns, status.st_ctime_ns, status.st_size, status.st_ino)
        self._seen.add(key)
        known = self._known.get(key)
        if known is not None and known.signature == signature:
            return known
        known = _Known(signature, Path(key).read_bytes())
        settled = time.time_ns() - max(status.st_mtime_ns, status.st_ctime_ns) >= SETTLED_NS
        if settled:
            self._known[key] = known
        else:
            self._known.pop(key, None)
        return known


def listed(folder: Path, make: Callable[[Path], _Made], files: KnownFiles | None) -> _Made:
    """``make(folder)``, through ``files`` when a session keeps them (``KnownFiles.listed``)."""
    return make(folder) if files is None else files.listed(folder, make)


def read_bytes(path: Path, files: KnownFiles | None) -> bytes:
    """The file's bytes, through ``files`` when a session keeps them."""
    return path.read_bytes() if files is None else files.read_bytes(path)

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


@dataclass
class _Listing:
    value: Any
    folders: dict[str, tuple[int, int, int]]  # every folder below the listed one, as it was
    lasting: bool  # kept for later builds: its folders had been left alone for a while


class KnownFiles:
    def __init__(self) -> None:
        self._known: dict[str, _Known] = {}
        self._seen: set[str] = set()
        self._listings: dict[tuple[Callable[[Path], Any], str], _Listing] = {}
        self._listed: set[tuple[Callable[[Path], Any], str]] = set()  # in this build

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
        self._listed = set()

    def listed(self, folder: Path, make: Callable[[Path], _Made], lasting: bool = False) -> _Made:
        """``make(folder)``, a listing of the archive, made once per build (``start``): the
        up-to-date check and the loader both list it. The caller must not change it.

        ``lasting``: the listing depends only on the names in ``folder`` and its folders not
        hidden (``sources.find_articles``), so it is kept from one build to the next while
        none of those folders changed (a file added, removed or renamed changes its folder's
        times; a new folder, its parent's). Listing 5,000 articles as paths was 0.025 s of
        each rebuild; stating the folders is a few microseconds. (The record cache's hidden
        folder changes on every build.)"""
        key = (make, os.fspath(folder))
        known = self._listings.get(key)
        if known is not None and (
            key in self._listed or (lasting and known.lasting and _same_folders(known.folders))
        ):
            self._listed.add(key)
            return known.value  # type: ignore[no-any-return]
        folders = _folders_below(os.fspath(folder)) if lasting else {}
        value = make(folder)
        self._listed.add(key)
        # A folder changed just now (or while listed) is listed again next time.
        kept = bool(folders) and _settled(folders) and _same_folders(folders)
        self._listings[key] = _Listing(value, folders, kept)
        return value

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
        if left_alone(status.st_mtime_ns, status.st_ctime_ns, time.time_ns()):
            self._known[key] = known
        else:
            self._known.pop(key, None)
        return known


def _folders_below(root: str) -> dict[str, tuple[int, int, int]]:
    """Each folder below ``root`` (itself included; hidden ones and links not followed) with
    its modification and status-change times and inode; empty if one cannot be read."""
    found: dict[str, tuple[int, int, int]] = {}
    for folder, subfolders, _ in os.walk(root, followlinks=False):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        signature = _folder_signature(folder)
        if signature is None:
            return {}
        found[folder] = signature
    return found


def _folder_signature(folder: str) -> tuple[int, int, int] | None:
    try:
        status = os.stat(folder, follow_symlinks=False)
    except OSError:
        return None
    return status.st_mtime_ns, status.st_ctime_ns, status.st_ino


def _same_folders(folders: dict[str, tuple[int, int, int]]) -> bool:
    return all(_folder_signature(folder) == known for folder, known in folders.items())


def _settled(folders: dict[str, tuple[int, int, int]]) -> bool:
    """Every folder left alone for ``SETTLED_NS`` (a change within its clock's tick could
    otherwise go unseen)."""
    now = time.time_ns()
    return all(left_alone(mtime, ctime, now) for mtime, ctime, _ in folders.values())


def left_alone(mtime_ns: int, ctime_ns: int, now_ns: int) -> bool:
    """Unchanged for ``SETTLED_NS`` (a change within the clock's tick could otherwise go
    unseen by a later look at the same times)."""
    return now_ns - max(mtime_ns, ctime_ns) >= SETTLED_NS


def listed(
    folder: Path, make: Callable[[Path], _Made], files: KnownFiles | None, lasting: bool = False
) -> _Made:
    """``make(folder)``, through ``files`` when a session keeps them (``KnownFiles.listed``)."""
    return make(folder) if files is None else files.listed(folder, make, lasting)


def read_bytes(path: Path, files: KnownFiles | None) -> bytes:
    """The file's bytes, through ``files`` when a session keeps them."""
    return path.read_bytes() if files is None else files.read_bytes(path)

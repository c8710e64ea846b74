"""What a command-line build made of each input file (its hash, its record key), saved for the
next build and taken again while the file system says the file is unchanged.

``serve`` keeps input files in memory while their status is the same (``KnownFiles``); a
command-line build has no process to keep them in, and read and hashed all 5,000 articles of a
large archive twice (the up-to-date check, then the loader) although one had changed: ~0.6 s
of a one-edit build. The values are saved beside the record cache (``core.saved``, under
natowatch's code fingerprint) with each file's status when it was read, and a value is taken
again only under the same status (modification and status-change times, size, inode) and once
the file had been left alone for ``known_files.SETTLED_NS``, the rule ``KnownFiles`` and git
follow: a write within the file system clock's tick could otherwise go unseen.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

from natowatch.core.fingerprints import code_fingerprint
from natowatch.core.known_files import left_alone
from natowatch.core.saved import load_pickled, save_pickled

SAVED_FILE = "file-facts.pickle"

_Made = TypeVar("_Made")
_Signature = tuple[int, int, int, int]
# Path -> its status when read, and what was made of it by name
_Saved = dict[str, tuple[_Signature, dict[Hashable, Any]]]


class FileFacts:
    """The last build's values by file (``last``), and this build's (saved by ``save``)."""

    def __init__(self, folder: Path, last: _Saved | None = None) -> None:
        self.folder = folder
        self._last: _Saved = last or {}
        self._now: _Saved = {}
        self._seen: dict[str, os.stat_result] = {}  # each file's status, asked once a build

    def made(self, path: Path, name: Hashable, make: Callable[[], _Made]) -> _Made:
        """The value ``make()`` makes of the file (reading it), or the last build's under
        ``name`` while the file is unchanged. ``make`` raises what reading the file raises."""
        key = os.fspath(path)
        status = self._seen.get(key)
        if status is None:
            try:
                status = self._seen[key] = os.stat(key)
            except OSError:
                return make()
        signature = (status.st_mtime_ns, status.st_ctime_ns, status.st_size, status.st_ino)
        known = self._last.get(key)
        if known is not None and known[0] == signature and name in known[1]:
            value: _Made = known[1][name]
        else:
            value = make()
        if left_alone(status.st_mtime_ns, status.st_ctime_ns, time.time_ns()):
            self._now.setdefault(key, (signature, {}))[1][name] = value
        return value

    def save(self) -> None:
        """Save this build's values (only those of the files it read: the others are gone)."""
        save_pickled(self.folder / SAVED_FILE, code_fingerprint(), self._now)


def load_file_facts(folder: Path, read: bool = True) -> FileFacts:
    """The values saved in ``folder`` by the last build of this code (none unless ``read``)."""
    saved = load_pickled(folder / SAVED_FILE, code_fingerprint()) if read else None
    return FileFacts(folder, saved if isinstance(saved, dict) else None)

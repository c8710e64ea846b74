"""Large files written in parts (the data files, ``SiteWriter.adding``) that a session
(``natowatch serve``) writes again after every edit, without hashing and writing them whole.

At 5,000 articles the four data files are 158 MB, hashed (for the site's manifest) and written
on every rebuild, though an edit changes one record's part of ``articles.json`` and often
nothing of ``entities.json`` or ``timeline.json``. A session keeps each file's parts (mostly the
very objects of its stored pieces, so they cost little memory of their own), its digest, and
the hash's state every ``CHECKPOINT_BYTES``. The next build compares the parts as they come: a file
whose every part is the last build's is linked from the previous site; one that differs from
part k on is hashed from the last checkpoint before k, not from its start. The bytes written
are the parts' own, so the output cannot differ from writing them whole (the tests compare a
session's site with a cold build's after every kind of change).
"""

from __future__ import annotations

import hashlib
from collections.abc import Generator, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

CHECKPOINT_BYTES = 1 << 20  # a resumed hash redoes at most this much


@dataclass(frozen=True)
class Stream:
    """One file as written in parts: the parts, the hash state after some of them (count of
    parts hashed, state; ascending), and the digest of the whole."""

    parts: tuple[bytes, ...]
    checkpoints: tuple[tuple[int, Any], ...]
    digest: str


class KeptStreams:
    """The last build's ``Stream`` of each file written in parts, by site path."""

    def __init__(self) -> None:
        self._streams: dict[str, Stream] = {}

    def get(self, path: str) -> Stream | None:
        return self._streams.get(path)

    def keep(self, path: str, stream: Stream) -> None:
        self._streams[path] = stream


def write_in_parts(
    target: str, parts: Iterable[bytes], last: Stream | None, remember: bool
) -> Generator[None, None, Stream | None]:
    """Write ``parts`` to ``target``, yielding after each; return the file's ``Stream`` (with
    its parts and checkpoints only if ``remember``), or None when the parts were exactly
    ``last``'s: then nothing was written, and the caller takes the last build's file.

    ``last`` must describe the previous site's copy of the file (its digest checked against
    that site's manifest by the caller)."""
    made: list[bytes] = []
    count = 0
    writing: _Writing | None = None
    try:
        for part in parts:
            count += 1
            if remember or last is not None:  # else no part is held longer than needed
                made.append(part)
            if writing is None:
                if last is not None and count <= len(last.parts) and _same(part, last, count):
                    yield
                    continue
                writing = _Writing(target, made[:-1], last, remember)
            writing.add(part, count)
            yield
        if writing is None:
            if last is not None and count == len(last.parts):
                return None
            writing = _Writing(target, made, last, remember)
        return writing.close(made if remember else ())
    finally:
        if writing is not None:
            writing.handle.close()


def _same(part: bytes, last: Stream, count: int) -> bool:
    before = last.parts[count - 1]
    return part is before or part == before


class _Writing:
    """A file being written and hashed, begun with parts known to be the last build's first
    ones (``prefix``): their hash resumed from the last checkpoint among them."""

    def __init__(
        self, target: str, prefix: Sequence[bytes], last: Stream | None, remember: bool
    ) -> None:
        kept = [mark for mark in (last.checkpoints if last else ()) if mark[0] <= len(prefix)]
        start, state = kept[-1] if kept else (0, None)
        self.digest = state.copy() if state is not None else hashlib.sha256()
        self.checkpoints = kept if remember else []
        self.remember = remember
        self.since = 0  # bytes hashed since the last checkpoint
        self.handle: BinaryIO = open(target, "wb")  # noqa: SIM115 (closed by write_in_parts)
        self.handle.writelines(prefix)
        for part in prefix[start:]:
            self.digest.update(part)
            self.since += len(part)

    def add(self, part: bytes, count: int) -> None:
        """The ``count``-th part, hashed and written."""
        self.digest.update(part)
        self.handle.write(part)
        self.since += len(part)
        if self.remember and self.since >= CHECKPOINT_BYTES:
            self.checkpoints.append((count, self.digest.copy()))
            self.since = 0

    def close(self, parts: Sequence[bytes]) -> Stream:
        self.handle.close()
        return Stream(tuple(parts), tuple(self.checkpoints), self.digest.hexdigest())

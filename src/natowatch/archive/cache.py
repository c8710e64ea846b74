"""A per-article cache of extracted records, so a rebuild only re-reads what changed.

Records are keyed on everything that shapes them: the article's text and place in the archive,
its sidecar facts, the archive's dictionary, and natowatch's own code and data files (so an
upgrade or an edited rule list invalidates every entry). The store is SQLite from the standard
library under ``<archive>/.natowatch-cache/``: each write is a transaction, so a build that is
killed or runs beside another never leaves a half-written entry.

Entries are pickled records written by natowatch itself; a cache file from elsewhere is not
trusted input, so the folder must stay private to the archive (it is git-ignored).
"""

from __future__ import annotations

import functools
import hashlib
import pickle
import sqlite3
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from natowatch.archive.sources import Source
from natowatch.archive.word_counts import Words, packed_words
from natowatch.core.discarded import do_later
from natowatch.core.errors import InputError
from natowatch.core.fingerprints import code_fingerprint
from natowatch.core.model import Article

CACHE_DIR = ".natowatch-cache"
CACHE_FILE = "records.sqlite3"
# Bump when the entry layout changes; code changes are caught by the source hash below.
FORMAT = 3
PUT_BATCH = 256
ENTRY_PROTOCOL = 5

# The record, warnings about it, and its content-word counts (understand.words.word_keys),
# which are stored pickled apart from the record and stay so until read (``WordCounts``).
Entry = tuple[Article, list[InputError], Words]


def record_key(source: Source, context: str) -> str:
    """The cache key of one article: its text, path and facts in this archive's context."""
    digest = hashlib.sha256(context.encode())
    digest.update(b"\0" + source.relpath.encode() + b"\0" + source.format.encode())
    digest.update(b"\0" + repr(source.facts).encode() + b"\0")
    digest.update(source.text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def code_context() -> str:
    """What ``archive_context`` hashes besides the archive's dictionary and rules: the entry
    format and natowatch's code."""
    return hashlib.sha256(f"{FORMAT}\0{code_fingerprint()}".encode()).hexdigest()


def archive_context(dictionary_bytes: bytes, rules_bytes: bytes = b"") -> str:
    """Everything outside the article that its record depends on, as one hash."""
    digest = hashlib.sha256(code_context().encode())
    digest.update(b"\0dictionary\0" + dictionary_bytes + b"\0rules\0" + rules_bytes)
    return digest.hexdigest()


class RecordCache:
    """Extracted records by key, in one SQLite file; unusable caches degrade to no cache."""

    def __init__(
        self,
        archive: Path,
        read: bool = True,
        memory: dict[str, Entry] | None = None,
        kept_rows: dict[str, set[str]] | None = None,
        later: bool = False,
    ) -> None:
        """``read=False`` (``build --fresh``) computes everything anew but still stores it.

        ``memory`` holds entries between builds of one process (``natowatch serve``): they are
        returned as the same objects, without reading or unpickling anything. ``kept_rows``
        (``serve`` too) holds the keys each table kept after the last build of the process:
        the next build deletes only the rows it no longer keeps, instead of sending every
        key to SQLite (~20,000 at 5,000 articles, 0.05 s of each rebuild). Rows added
        otherwise (by another process, or a build that failed) stay until a build without a
        session prunes them.

        ``later`` (``serve`` too) puts the writes off until ``close``, and then until the
        session is idle (``core.discarded.do_later``): each is a transaction, synced to disk,
        and a rebuild after an edit made four or five; this process reads the records from
        ``memory``, and the next build finds the writes done as it starts.
        """
        self.path = archive / CACHE_DIR / CACHE_FILE
        self.read = read
        self.memory = memory
        self.kept_rows = kept_rows
        self._connection: sqlite3.Connection | None = None
        self._later: list[Callable[[], None]] | None = [] if later else None
        # Pieces made in this build by another process (``publish.early_pieces``): read back
        # even when the cache is not read (``read=False``), as this build made them.
        self.made_now: set[str] = set()

    def _connect(self) -> sqlite3.Connection | None:
        if self._connection is None:
            try:
                self.path.parent.mkdir(exist_ok=True)
                connection = sqlite3.connect(self.path, timeout=30)
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute(
                    "CREATE TABLE IF NOT EXISTS records (key TEXT PRIMARY KEY, entry BLOB)"
                )
                connection.execute(
                    "CREATE TABLE IF NOT EXISTS encoded (key TEXT PRIMARY KEY, json BLOB)"
                )
                self._connection = connection
            except (OSError, sqlite3.Error):
                return None  # a read-only archive or a broken file: build without the cache
        return self._connection

    def get_many(self, keys: Iterable[str]) -> dict[str, Entry]:
        if self.memory is None or not self.read:
            return self._stored(list(keys))
        wanted = list(keys)
        found = {key: self.memory[key] for key in wanted if key in self.memory}
        stored = self._stored([key for key in wanted if key not in found])
        self.memory.update(stored)
        return {**found, **stored}

    def _stored(self, wanted: list[str]) -> dict[str, Entry]:
        connection = self._connect() if self.read else None
        if connection is None or not wanted:
            return {}
        found: dict[str, Entry] = {}
        for start in range(0, len(wanted), 500):
            batch = wanted[start : start + 500]
            marks = ",".join("?" * len(batch))
            try:
                rows = connection.execute(
                    f"SELECT key, entry FROM records WHERE key IN ({marks})", batch
                ).fetchall()
            except sqlite3.Error:
                return found
            for key, blob in rows:
                entry = _unpickle(blob)
                if entry is not None:
                    found[key] = entry
        return found

    def put_many(self, entries: Mapping[str, Entry], stored: Collection[str] = ()) -> None:
        """Store entries in one transaction, pickling a batch at a time (all of a large
        archive's pickles at once would be tens of megabytes held for nothing); ``stored``
        names those already stored (``put_pickled``), which are only kept in memory."""
        if self.memory is not None:
            self.memory.update(entries)
        keys = [key for key in entries if key not in stored]  # put_pickled sorts each batch
        for start in range(0, len(keys), PUT_BATCH):
            batch = keys[start : start + PUT_BATCH]
            self.put_pickled({key: entry_bytes(entries[key]) for key in batch})

    def put_pickled(self, rows: Mapping[str, bytes]) -> None:
        """Store entries pickled already (by the extraction workers, as they come in)."""
        if self._put_off(self.put_pickled, rows):
            return
        connection = self._connect()
        if connection is None or not rows:
            return
        try:
            with connection:
                connection.executemany(
                    "INSERT OR REPLACE INTO records (key, entry) VALUES (?, ?)",
                    sorted(rows.items()),
                )
        except sqlite3.Error:
            return  # the records are still correct; they just will not be reused

    def encoded(self, key: str) -> bytes | None:
        """The record's JSON in data/articles.json, stored by an earlier build (``put_encoded``)."""
        connection = self._connect() if self.read or key in self.made_now else None
        if connection is None:
            return None
        try:
            row = connection.execute("SELECT json FROM encoded WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        return bytes(row[0]) if row is not None else None

    def encoded_many(self, keys: Sequence[str]) -> dict[str, bytes]:
        """``encoded`` of each of ``keys`` that is stored, in one query (at most 500 keys)."""
        if not self.read:
            keys = [key for key in keys if key in self.made_now]
        connection = self._connect() if keys else None
        if connection is None:
            return {}
        marks = ",".join("?" * len(keys))
        try:
            rows = connection.execute(
                f"SELECT key, json FROM encoded WHERE key IN ({marks})", list(keys)
            ).fetchall()
        except sqlite3.Error:
            return {}
        return {key: bytes(json) for key, json in rows}

    def put_encoded(self, rows: Mapping[str, bytes]) -> None:
        """Store records' JSON by record key: encoding every record again was the largest
        cost of writing the data files after a one-article edit."""
        if self._put_off(self.put_encoded, rows):
            return
        connection = self._connect()
        if connection is None or not rows:
            return
        try:
            with connection:
                connection.executemany(
                    "INSERT OR REPLACE INTO encoded (key, json) VALUES (?, ?)", sorted(rows.items())
                )
        except sqlite3.Error:
            return

    def keep_encoded(self, keep: Iterable[str]) -> None:
        """Forget the stored JSON pieces no longer used (``put_encoded``)."""
        self._delete_all_but("encoded", keep)

    def prune(self, keep: Iterable[str]) -> None:
        """Forget entries no current article uses, so the cache does not grow forever."""
        keep = set(keep)
        if self.memory is not None:
            for key in self.memory.keys() - keep:
                del self.memory[key]
        self._delete_all_but("records", keep)

    def _delete_all_but(self, table: str, keep: Iterable[str]) -> None:
        """Delete the rows of ``table`` (one of ours) whose key is not in ``keep``."""
        if self._later is not None:
            self._later.append(functools.partial(self._delete_all_but, table, set(keep)))
            return
        connection = self._connect()
        if connection is None:
            return
        keep = set(keep)
        last = self.kept_rows.get(table) if self.kept_rows is not None else None
        try:
            with connection:
                if last is not None:  # the rows are those kept last time and this build's
                    gone = sorted(last - keep)
                    connection.executemany(
                        f"DELETE FROM {table} WHERE key = ?", [(k,) for k in gone]
                    )
                else:
                    connection.execute(
                        "CREATE TEMP TABLE IF NOT EXISTS keep (key TEXT PRIMARY KEY)"
                    )
                    connection.execute("DELETE FROM keep")
                    connection.executemany(
                        "INSERT OR IGNORE INTO keep VALUES (?)", [(key,) for key in keep]
                    )
                    connection.execute(
                        f"DELETE FROM {table} WHERE key NOT IN (SELECT key FROM keep)"
                    )
        except sqlite3.Error:
            return
        if self.kept_rows is not None:
            self.kept_rows[table] = keep

    def _put_off(self, write: Callable[[Any], None], rows: Mapping[str, bytes]) -> bool:
        """Whether the rows' write was put off (``later``): done, in order, after ``close``.
        A large one (a first build's) is done now, not held in memory till then; the deletes
        are always put off, so they still come after every write before them."""
        if self._later is None or len(rows) >= PUT_BATCH:
            return False
        if rows:
            self._later.append(functools.partial(write, dict(rows)))
        return True

    def close(self) -> None:
        """Close the connection; with ``later``, the writes put off are done when the session
        is idle (``do_later``), then it is closed again."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._later:
            writes, self._later = self._later, None
            do_later(functools.partial(self._write_now, writes))

    def _write_now(self, writes: list[Callable[[], None]]) -> None:
        for write in writes:
            write()
        self.close()


def entry_bytes(entry: Entry) -> bytes:
    """The entry as stored: its counts pickled apart (``read_entry`` leaves them so)."""
    article, notes, counts = entry
    return pickle.dumps((article, notes, packed_words(counts, ENTRY_PROTOCOL)), ENTRY_PROTOCOL)


def read_entry(blob: bytes) -> Entry:
    """An entry from ``entry_bytes``, its counts still pickled. Raises on foreign bytes."""
    entry: Any = pickle.loads(blob)
    if (
        isinstance(entry, tuple)
        and len(entry) == 3
        and isinstance(entry[0], Article)
        and isinstance(entry[2], bytes)
    ):
        return entry[0], list(entry[1]), entry[2]
    raise ValueError("not a record entry")


def _unpickle(blob: bytes) -> Entry | None:
    try:
        return read_entry(blob)
    except Exception:
        return None

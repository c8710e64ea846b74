"""The records' data-file pieces made on the core a cold build leaves idle.

Between the extraction (every core busy) and the first rendered page, the main process makes the
cross-article indexes alone: about nine seconds of a 5,000-article build here with one core
idle. The per-record pieces (``record_pieces``: each record's entry in ``data/articles.json``,
its lines in ``data/timeline.json``, its summary in the listings) need nothing but the record,
so a helper process makes them meanwhile from the records the extraction just stored in the
cache, and the main process reads them back instead of encoding them while it renders (a
cold build's pieces made beforehand: its render stage 36.7 -> 29.1 s here).

The helper is a fresh process (through the fork server the page workers use), not a fork:
it reads the records from the cache, a batch at a time, and holds nothing else. It is stopped
when the data files start (``finish``), between two batches, so it never runs beside the page
workers; whatever it had not made by then is made by the main process, as without it. The
site is the same either way.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from multiprocessing.process import BaseProcess
from multiprocessing.sharedctypes import Synchronized
from multiprocessing.synchronize import Event
from pathlib import Path

from natowatch.archive.cache import RecordCache
from natowatch.publish.record_pieces import piece_keys

# Fewer records than this are encoded by the main process as they come (a rebuild's few).
MIN_RECORDS = 500
# Records read, encoded and stored per transaction (stop requests are seen between batches).
BATCH = 100


class EarlyPieces:
    """The helper making the pieces; ``finish`` stops it (it ends its batch) and waits."""

    def __init__(
        self,
        process: BaseProcess,
        stop: Event,
        done: Synchronized[int],
        cache: RecordCache,
        record_keys: Sequence[str],
    ) -> None:
        self._process: BaseProcess | None = process
        self._stop, self._done = stop, done
        self._cache, self._record_keys = cache, record_keys

    def finish(self) -> None:
        """Stop the helper and wait for it. The pieces it stored may then be read back from
        the cache even by a build that does not read it (``RecordCache.made_now``): this
        build made them, and only those, not others an earlier build left under the same key."""
        if self._process is None:
            return
        self._stop.set()
        self._process.join()
        self._process = None
        made = self._record_keys[: self._done.value]
        for key in made:
            self._cache.made_now.update(piece_keys(key))


def start_early_pieces(
    cache: RecordCache, archive: Path, record_keys: Sequence[str]
) -> EarlyPieces | None:
    """Start making the pieces of the records under ``record_keys`` (in the order the data
    files read them), if there are enough to be worth a process."""
    if len(record_keys) < MIN_RECORDS:
        return None
    context = multiprocessing.get_context("forkserver")
    stop = context.Event()
    done = context.Value("q", 0, lock=False)
    keys = list(record_keys)
    process = context.Process(target=make_pieces, args=(archive, keys, stop, done), daemon=True)
    process.start()
    return EarlyPieces(process, stop, done, cache, keys)


def make_pieces(
    archive: Path,
    record_keys: Sequence[str],
    stop: Event | None = None,
    done: Synchronized[int] | None = None,
) -> None:
    """Store the pieces of the records cached under ``record_keys``, a batch at a time, until
    ``stop`` is set; ``done`` counts the keys done, in order (the helper process's work;
    records not in the cache are left out)."""
    from natowatch.publish.record_pieces import record_pieces

    cache = RecordCache(archive)
    try:
        for start in range(0, len(record_keys), BATCH):
            if stop is not None and stop.is_set():
                return
            batch = record_keys[start : start + BATCH]
            pieces: dict[str, bytes] = {}
            for key, (article, _, _) in cache.get_many(batch).items():
                pieces.update(record_pieces(key, article))
            cache.put_encoded(pieces)
            if done is not None:
                done.value = start + len(batch)
    except (Exception, KeyboardInterrupt):  # (Ctrl-C reaches the helper too: no traceback)
        return  # the main process makes what is missing and reports any problem with a record
    finally:
        cache.close()

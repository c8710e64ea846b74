"""The cross-article indexes of the last command-line build, saved beside the record cache.

Without a session (``natowatch build`` run again after an edit) the similarities of every pair
of articles, every related list, the story threads and the quote links were computed afresh
from all the records: the largest part of a one-edit build's planning. What ``serve`` keeps of
them between builds (``KeptIndexes``: similarities, related lists, shared entities, threads,
quote links and their JSON pieces) is saved instead, telling records by their digest where
``serve`` tells them by object (``mark``), and the next build brings it up to date for the
records whose digest moved, as ``serve`` does. It holds no record: ids, scores, and copies of
the quotes. So are the parts each record adds to the alias pass, by digest. The entity index
and the timeline hold records, and are not saved. A file made by other code, or unreadable, is
ignored: the build starts afresh.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from natowatch.core.discarded import free_discarded
from natowatch.core.fingerprints import code_fingerprint
from natowatch.core.memory import return_freed_memory
from natowatch.core.model import Article
from natowatch.core.saved import load_pickled, save_pickled
from natowatch.corpus.index import KeptEntities
from natowatch.corpus.kept import KeptIndexes
from natowatch.corpus.kept_similarities import KeptSimilarities
from natowatch.corpus.kept_timeline import KeptTimeline
from natowatch.corpus.quote_links import KeptQuoteLinks
from natowatch.understand.aliases import PartsByMark

SAVED_FILE = "indexes.pickle"


@dataclasses.dataclass
class SavedIndexes:
    """The indexes one build brings up to date (``kept``: the coverage's, and the alias
    pass's parts of each record) and where they are saved for the next: saved as soon as the
    coverage and its data file are made, and let go of then."""

    folder: Path
    kept: KeptIndexes | None
    renames: PartsByMark | None

    def save(self) -> None:
        if self.kept is not None and self.renames is not None:
            save_indexes(self.folder, self.kept, self.renames)
            self.kept = self.renames = None
            free_discarded()  # what the update replaced: no session frees it later
            # The kept indexes' large tables lived on the C heap, where the pages and data
            # files made next (small objects, in the interpreter's own arenas) do not reuse
            # them: handed back now, or the build's peak held them (~50 MiB at 5,000 articles).
            return_freed_memory()


def load_indexes(folder: Path, mark: Callable[[Article], str]) -> SavedIndexes:
    """The indexes saved in ``folder`` by the last build, with records marked by ``mark``;
    new ones (the first update starts afresh) when none were saved by this code."""
    saved = load_pickled(folder / SAVED_FILE, code_fingerprint())
    if not isinstance(saved, tuple) or not isinstance(saved[0], KeptIndexes):
        return new_indexes(folder, mark)
    kept, parts = saved
    kept.similarities.mark = kept.quotes.mark = mark
    return SavedIndexes(folder, kept, PartsByMark(mark, parts))


def new_indexes(folder: Path, mark: Callable[[Article], str]) -> SavedIndexes:
    """Indexes with nothing kept yet, whose similarities can be saved (marked by digest)."""
    kept = KeptIndexes(similarities=KeptSimilarities(mark), quotes=KeptQuoteLinks(mark))
    return SavedIndexes(folder, kept, PartsByMark(mark))


def save_indexes(folder: Path, kept: KeptIndexes, renames: PartsByMark) -> None:
    """Save ``kept`` for the next build, without the parts that hold records, and this
    build's records' alias parts. Raises ValueError if the similarities mark records by
    object."""
    saved = dataclasses.replace(kept, entities=KeptEntities(), timeline=KeptTimeline())
    save_pickled(folder / SAVED_FILE, code_fingerprint(), (saved, renames.now))

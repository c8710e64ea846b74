"""The coverage's indexes of the last command-line build, saved beside the record cache.

Without a session (``natowatch build`` run again after an edit) the similarities of every pair
of articles, every related list and the story threads were computed afresh from all the
records: the largest part of a one-edit build's planning. What ``serve`` keeps of them between
builds (``KeptIndexes``: the similarities, related lists, shared entities, threads and the
related lists' JSON pieces) holds no record, so it is saved instead, its similarities marking
each record by digest; the next build brings it up to date for the records whose digest moved,
as ``serve`` does. The parts that hold records (entities, quote links, timeline) are not saved.
A file made by other code, or unreadable, is ignored: the build starts afresh.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from natowatch.core.discarded import free_discarded
from natowatch.core.fingerprints import code_fingerprint
from natowatch.core.model import Article
from natowatch.core.remembered import RememberedBy
from natowatch.core.saved import load_pickled, save_pickled
from natowatch.corpus.index import KeptEntities
from natowatch.corpus.kept import KeptIndexes
from natowatch.corpus.kept_similarities import KeptSimilarities
from natowatch.corpus.kept_timeline import KeptTimeline
from natowatch.corpus.quote_links import KeptQuoteLinks

SAVED_FILE = "indexes.pickle"


@dataclasses.dataclass
class SavedIndexes:
    """The indexes one build brings up to date (``kept``) and where they are saved for the
    next: saved as soon as the coverage and its data file are made, and let go of then."""

    folder: Path
    kept: KeptIndexes | None

    def save(self) -> None:
        if self.kept is not None:
            save_indexes(self.folder, self.kept)
            self.kept = None
            free_discarded()  # what the update replaced: no session frees it later


def load_indexes(folder: Path, mark: Callable[[Article], str]) -> KeptIndexes:
    """The indexes saved in ``folder`` by the last build, with records marked by ``mark``;
    new ones (the first update starts afresh) when none were saved by this code."""
    kept = load_pickled(folder / SAVED_FILE, code_fingerprint())
    if not isinstance(kept, KeptIndexes):
        return new_indexes(mark)
    kept.similarities.mark = mark
    return kept


def new_indexes(mark: Callable[[Article], str]) -> KeptIndexes:
    """Indexes with nothing kept yet, whose similarities can be saved (marked by digest)."""
    return KeptIndexes(similarities=KeptSimilarities(mark))


def save_indexes(folder: Path, kept: KeptIndexes) -> None:
    """Save ``kept`` for the next build, without the parts that hold records. Raises
    ValueError if its similarities mark records by object."""
    saved = dataclasses.replace(
        kept,
        entities=KeptEntities(),
        quotes=KeptQuoteLinks(),
        timeline=KeptTimeline(),
        quote_pieces=RememberedBy(),  # by the quote links' objects, not saved
    )
    save_pickled(folder / SAVED_FILE, code_fingerprint(), saved)

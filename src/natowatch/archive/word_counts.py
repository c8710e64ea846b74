"""Each record's content-word counts (``understand.words.word_keys``), unpickled when asked for.

The counts are stored beside each record in the cache, pickled apart from it, and only the
similarities read them (``corpus.similar``): a cold build reads them all, but a build after an
edit brings the saved similarities up to date from the changed records' counts alone. Reading
every record's counts with the record cost ~0.5 s of each such build at 5,000 articles.
"""

from __future__ import annotations

import pickle
import sys
from collections import Counter
from collections.abc import Iterator, Mapping

# Counts as a record's entry holds them: made here, or still pickled (as stored).
Words = Counter[str] | bytes


class WordCounts(Mapping[str, Counter[str]]):
    """Article id -> its counts, each unpickled (keys shared: ``shared_words``) the first time
    it is asked for."""

    def __init__(self) -> None:
        self._counts: dict[str, Words] = {}

    def add(self, article_id: str, counts: Words) -> None:
        self._counts[article_id] = counts

    def __getitem__(self, article_id: str) -> Counter[str]:
        counts = self._counts[article_id]
        if isinstance(counts, bytes):
            counts = self._counts[article_id] = shared_words(pickle.loads(counts))
        return counts

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._counts  # (``Mapping``'s would unpickle the counts)

    def __iter__(self) -> Iterator[str]:
        return iter(self._counts)

    def __len__(self) -> int:
        return len(self._counts)


def shared_words(counts: Counter[str]) -> Counter[str]:
    """The counts with their keys interned, for counts unpickled in this process.

    Every article counts the same stems (``word:nato``), and each unpickled entry brought its
    own copy of every key string: at 2,000 articles the counts took 22 MiB, 6 MiB once the
    keys are shared (34 ms to intern them all).
    """
    return Counter({sys.intern(key): count for key, count in counts.items()})


def packed_words(counts: Words, protocol: int) -> bytes:
    """The counts pickled, as an entry stores them."""
    return counts if isinstance(counts, bytes) else pickle.dumps(counts, protocol)

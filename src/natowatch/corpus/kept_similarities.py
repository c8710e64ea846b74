"""``similar.similarities`` kept between builds of one process and brought up to date in place.

``natowatch serve`` rebuilds after every save, and the similarities of the whole archive were
the largest cost of such a rebuild: every weight is TF-IDF over the whole archive, so they were
all computed again. An edit moves little of it. Only the edited articles' key counts change;
that changes the document frequency of a few keys, hence the weights (and top keys) of the
articles holding those keys; that changes the postings of a few keys, perhaps whether a key is
too common to count, hence some norms; and only pairs of an article whose signature or norm
moved get new scores. Each is recomputed with the expressions ``similar`` uses, summed in the
same order, so the floats are the same bits: the site must stay byte for byte what a cold build
makes. An article added, deleted or renamed moves every IDF: that is computed afresh.
"""

from __future__ import annotations

import bisect
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType

from natowatch.core.model import Article
from natowatch.core.remembered import same_mark
from natowatch.corpus.similar import (
    Pair,
    Similarities,
    article_keys,
    common_keys,
    cosine,
    document_frequencies,
    idf_of,
    is_common,
    key_counts,
    kind_of,
    norm_of,
    pair_of,
    postings_of,
    scored,
    signature_of,
    signatures_of_counts,
)

# Beyond this share of the archive to sign again, starting afresh is as quick.
AFRESH_SHARE = 0.25
# What is not pickled (``__getstate__``): the archive itself, or worked out again
NOT_SAVED = frozenset({"mark", "_records", "_words", "_key_numbers"})
# The array type of an article's key numbers: unsigned, at least 32 bits
KEY_NUMBER = "I" if array("I").itemsize >= 4 else "L"


class KeptSimilarities:
    """The similarities of the last archive seen, and what they were made from.

    ``update(articles, words)`` returns exactly what ``similarities(articles, words)`` returns
    (its scores and signatures are views of the kept ones: read them before the next update);
    an article is taken as unchanged when it is the same object as last time (records are
    immutable, and a build session keeps unchanged records as the same objects, with the same
    ``words``). Key counts are not kept (they are most of the records' size again): the few
    needed are counted again from the records.
    """

    def __init__(self, mark: Callable[[Article], str] | None = None) -> None:
        self.updates = 0  # how many times ``update`` ran (see ``moved``)
        # What tells a record unchanged: by default the record itself (the same object);
        # ``mark`` gives a string instead (its digest), equal for an equal record read again.
        self.mark = mark
        self._reset()

    def _reset(self) -> None:
        self._marks: dict[str, object] = {}  # article id -> its record's mark, as last updated
        # The archive being updated: the records and their content-word counts (not saved)
        self._records: dict[str, Article] = {}
        self._words: Mapping[str, Counter[str]] = {}
        # Each article's keys, as numbers into ``_key_names`` (an array's bytes): an edited
        # article's keys before the edit, without its record as it was
        self._key_names: list[str] = []
        self._key_numbers: dict[str, int] = {}
        self._key_sets: dict[str, bytes] = {}
        self._frequency: Counter[str] = Counter()
        self._idf: dict[str, float] = {}
        self._kind: dict[str, float] = {}
        self._signature: dict[str, dict[str, float]] = {}
        self._postings: dict[str, list[str]] = {}  # signature key -> ids, sorted
        self._common: set[str] = set()
        self._norms: dict[str, float] = {}
        self._scores: dict[Pair, float] = {}
        self._partners: dict[str, set[str]] = defaultdict(set)  # the pairs scored, both ways
        # Articles whose scored pairs (their set, a score, a signature of either side) moved in
        # the last update, unless it started afresh (then any may have).
        self._moved: set[str] = set()
        self._afresh_last = True

    def update(
        self, articles: Sequence[Article], words: Mapping[str, Counter[str]] | None = None
    ) -> Similarities:
        by_id = {article.id: article for article in articles}
        # (Not copied: the loader's counts are unpickled as they are read, and after an edit
        # only the changed records' and those signed again are.)
        known: Mapping[str, Counter[str]] = words if words is not None else {}
        marks: dict[str, object] = (
            dict(by_id) if self.mark is None else {i: self.mark(a) for i, a in by_id.items()}
        )
        changed = sorted(i for i, mark in marks.items() if not same_mark(self._marks.get(i), mark))
        self.updates += 1
        self._moved, self._afresh_last = set(), False
        if marks.keys() != self._marks.keys() or not self._update(by_id, known, changed):
            self._afresh(by_id, known)
        self._marks = marks
        # Views, not copies (copying 226,000 scores was 0.02 s of each rebuild at 5,000
        # articles): read them before the next update changes them (``coverage`` does).
        return Similarities(
            scores=MappingProxyType(self._scores),
            signatures=MappingProxyType(self._signature),
            pairs_examined=sum(self._pairs_at(key) for key in self._postings),
            skipped_keys=len(self._common),
        )

    def _afresh(self, by_id: Mapping[str, Article], words: Mapping[str, Counter[str]]) -> None:
        self._reset()
        ordered = [by_id[article_id] for article_id in sorted(by_id)]
        self._records = {article.id: article for article in ordered}
        self._words = words
        counts = key_counts(ordered, words)
        self._frequency = document_frequencies(counts)
        total = len(counts)
        self._idf = {key: idf_of(total, count) for key, count in self._frequency.items()}
        self._kind = {key: kind_of(key) for key in self._idf}
        self._key_sets = {i: self._numbered(keys) for i, keys in counts.items()}
        self._signature = signatures_of_counts(counts, self._frequency)
        self._postings = postings_of(self._signature)
        self._common = common_keys(self._postings)
        self._norms = {i: norm_of(keys, self._common) for i, keys in self._signature.items()}
        self._scores = dict(
            scored(self._signature, self._postings, self._common, self._norms).scores
        )
        for first, second in self._scores:
            self._partners[first].add(second)
            self._partners[second].add(first)

    def __getstate__(self) -> dict[str, object]:
        """Pickled for the next process (``saved_indexes``): all but the archive itself (the
        records and their word counts) and the mark. Only with string marks: a record object
        marks nothing in another process."""
        if self.mark is None:
            raise ValueError("similarities marked by record objects cannot be saved")
        return {name: value for name, value in vars(self).items() if name not in NOT_SAVED}

    def __setstate__(self, state: dict[str, object]) -> None:
        """Taken up by another process: its ``mark`` is set before the next ``update``."""
        vars(self).update(state)
        self.mark, self._records, self._words = None, {}, {}
        self._key_numbers = {key: number for number, key in enumerate(self._key_names)}

    def moved(self) -> set[str] | None:
        """Ids of the articles whose scored pairs moved in the last ``update``: a partner
        added or lost, a score, or the signature of either side (so the entities a pair
        shares). Any other article's pairs are as after the update before. A superset: every
        article signed again with a new signature or norm is named, and both sides of every
        pair scored again or dropped. None when the last update started afresh."""
        return None if self._afresh_last else set(self._moved)

    def partners(self, article_id: str) -> set[str]:
        """The articles ``article_id`` has a score with (``scores`` holds each pair)."""
        return set(self._partners.get(article_id, ()))

    def _update(
        self, by_id: Mapping[str, Article], words: Mapping[str, Counter[str]], changed: list[str]
    ) -> bool:
        """Bring everything up to date for the ``changed`` articles (the ids are the same as
        last time); False, changing nothing, when so much moved that afresh is as quick."""
        frequency: dict[str, int] = {}
        key_sets: dict[str, bytes] = {}
        for article_id in changed:
            old = self._keys_of(article_id)
            new = article_keys(by_id[article_id], words.get(article_id)).keys()
            key_sets[article_id] = self._numbered(new)
            for key in old - new:
                frequency[key] = frequency.get(key, self._frequency.get(key, 0)) - 1
            for key in new - old:
                frequency[key] = frequency.get(key, self._frequency.get(key, 0)) + 1
        moved = {key for key, count in frequency.items() if count != self._frequency.get(key, 0)}
        # Every article holding a key whose IDF moves has new weights.
        resign = set(changed) | self._holding(moved)
        if len(resign) > AFRESH_SHARE * len(by_id):
            return False
        self._key_sets.update(key_sets)
        total = len(by_id)
        for key in moved:
            if frequency[key]:
                self._frequency[key] = frequency[key]
                self._idf[key] = idf_of(total, frequency[key])
                self._kind[key] = kind_of(key)
            else:
                del self._frequency[key], self._idf[key], self._kind[key]
        self._records, self._words = dict(by_id), words
        self._sign_again(sorted(resign))
        return True

    def _holding(self, keys: set[str]) -> set[str]:
        """Ids of the articles whose keys at the last update include any of ``keys`` (their
        numbered key sets: an unchanged article's keys are those it had, and a changed one is
        signed again anyway). Its counts are not read: after an edit the loader unpickles
        only those asked for (``archive.word_counts``)."""
        numbers = {self._key_numbers[key] for key in keys if key in self._key_numbers}
        if not numbers:
            return set()
        holding = set()
        for article_id, packed in self._key_sets.items():
            held = array(KEY_NUMBER)
            held.frombytes(packed)
            if not numbers.isdisjoint(held):
                holding.add(article_id)
        return holding

    def _sign_again(self, resign: list[str]) -> None:
        """New signatures for ``resign``, then the postings, common keys, norms and scores
        that depend on them."""
        tf: dict[int, float] = {}
        moved: list[str] = []
        keys_moved: set[str] = set()
        for article_id in resign:
            old = self._signature[article_id]
            counts = article_keys(self._records[article_id], self._words.get(article_id))
            new = signature_of(counts, self._idf, self._kind, tf)
            if new == old:
                continue
            moved.append(article_id)
            keys_moved.update(old.keys() ^ new.keys())
            self._signature[article_id] = new
            for key in old.keys() - new.keys():
                ids = self._postings[key]
                ids.remove(article_id)
                if not ids:
                    del self._postings[key]
            for key in new.keys() - old.keys():
                bisect.insort(self._postings.setdefault(key, []), article_id)
        touched = set(moved)
        for key in keys_moved:  # a key passing MAX_POSTINGS either way moves its holders' norms
            common = is_common(self._postings.get(key, ()))
            if common != (key in self._common):
                (self._common.add if common else self._common.discard)(key)
                touched.update(self._postings.get(key, ()))
        self._moved.update(touched)
        for article_id in touched:
            self._norms[article_id] = norm_of(self._signature[article_id], self._common)
            for other in self._partners.pop(article_id, set()):
                del self._scores[pair_of(article_id, other)]
                self._partners[other].discard(article_id)
                self._moved.add(other)
        done: set[str] = set()
        for article_id in sorted(touched):
            for pair, dot in self._dots_with(article_id, done).items():
                self._score(pair, dot)
            done.add(article_id)

    def _numbered(self, keys: Iterable[str]) -> bytes:
        """``keys`` as the bytes of an array of their numbers (numbered as first seen)."""
        numbers = self._key_numbers
        found = []
        for key in keys:
            number = numbers.get(key)
            if number is None:
                number = numbers[key] = len(self._key_names)
                self._key_names.append(key)
            found.append(number)
        return array(KEY_NUMBER, found).tobytes()

    def _keys_of(self, article_id: str) -> set[str]:
        """The keys ``article_id`` had at the last update."""
        numbers = array(KEY_NUMBER)
        numbers.frombytes(self._key_sets[article_id])
        names = self._key_names
        return {names[number] for number in numbers}

    # --- the parts, as ``similar.similarities`` computes them ----------------------------

    def _dots_with(self, article_id: str, done: set[str]) -> dict[Pair, float]:
        """Dot products of ``article_id`` with every article sharing an uncommon key (but
        those in ``done``), each summed over the shared keys in sorted order, as there."""
        dots: dict[Pair, float] = {}
        for key in sorted(self._signature[article_id]):
            if key in self._common:
                continue
            for other in self._postings[key]:
                if other == article_id or other in done:
                    continue
                pair = pair_of(article_id, other)
                first, second = pair
                product = self._signature[first][key] * self._signature[second][key]
                dots[pair] = dots.get(pair, 0.0) + product
        return dots

    def _score(self, pair: Pair, dot: float) -> None:
        first, second = pair
        if self._norms[first] and self._norms[second]:
            self._scores[pair] = cosine(dot, self._norms[first], self._norms[second])
            self._partners[first].add(second)
            self._partners[second].add(first)
            self._moved.update(pair)

    def _pairs_at(self, key: str) -> int:
        """The (key, pair) visits ``similarities`` counts as examined at one key."""
        if key in self._common:
            return 0
        size = len(self._postings[key])
        return size * (size - 1) // 2

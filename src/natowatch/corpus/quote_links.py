"""The same statement reported by two articles, in different words or in another translation.

Only quotes by the same speaker (same ``speaker_id``) in different articles can match. Inside a
speaker, candidates come from an inverted index (speaker, stem) -> quotes, so two quotes are
compared only if they share a content stem; a stem used by more than ``MAX_POSTINGS`` of one
speaker's quotes is skipped. A candidate is a match when most of the shorter quote's content
stems are in the longer one (containment), which tolerates one outlet quoting more of the
statement than the other.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple, cast

from natowatch.core.model import Article, Quote
from natowatch.core.remembered import same_mark
from natowatch.language.stems import content_stems

# Share of the shorter quote's stems that must appear in the other. A paraphrase or a second
# translation keeps about half to two thirds of the content words; unrelated remarks by the
# same speaker rarely share half of them.
QUOTE_CONTAINMENT = 0.5
# Fewer shared stems than this is too little evidence: short quotes ("We will win") recur.
MIN_SHARED_STEMS = 4
# A stem in more of one speaker's quotes than this is that speaker's small talk, not evidence.
MAX_POSTINGS = 100


class QuoteRef(NamedTuple):
    """A quote by position: ``Article.quotes[position]`` of the article with id ``article_id``.

    A named tuple, so ``("000_a", 2)`` looks up the same quote.
    """

    article_id: str
    position: int


@dataclass(frozen=True)
class QuoteMatch:
    """Another article's report of the same statement, with the containment that linked it."""

    other: QuoteRef
    score: float


@dataclass(frozen=True)
class QuoteLinks:
    links: Mapping[QuoteRef, tuple[QuoteMatch, ...]]
    pairs_examined: int


def link_quotes(articles: Sequence[Article], kept: KeptQuoteLinks | None = None) -> QuoteLinks:
    """Every quote that another article also reports, with those reports (best match first).

    Quotes only ever match quotes of the same speaker, so each speaker's links are found on
    their own; ``kept`` (``natowatch serve``) holds the last build's, brought up to date for
    the speakers of the records that changed (``KeptQuoteLinks``).
    """
    if kept is not None:
        return kept.link(articles)
    by_speaker = _quotes_by_speaker(articles)
    found: dict[QuoteRef, tuple[QuoteMatch, ...]] = {}
    examined = 0
    for quotes in by_speaker.values():
        links = _speaker_links(quotes)
        found.update(links.links)
        examined += links.pairs_examined
    return QuoteLinks(links=dict(sorted(found.items())), pairs_examined=examined)


_Quoted = tuple[QuoteRef, Quote]
# A quote of the last build whose record has changed since, taken up from another process
# (``KeptQuoteLinks._quotes_at``): equal to no quote a record holds.
_GONE = Quote(text="", speaker=None, speaker_id=None, paragraph=-1, start=-1, end=-1)


def _quotes_by_speaker(articles: Iterable[Article]) -> dict[str, list[_Quoted]]:
    """Each speaker's quotes, in article id and reading order (so in ``QuoteRef`` order)."""
    by_speaker: dict[str, list[_Quoted]] = defaultdict(list)
    for article in sorted(articles, key=lambda item: item.id):
        for index, quote in enumerate(article.quotes):
            if quote.speaker_id is not None:
                by_speaker[quote.speaker_id].append((QuoteRef(article.id, index), quote))
    return by_speaker


class KeptQuoteLinks:
    """The last build's quote links of each speaker, and what they were found among.

    ``link(articles)`` returns exactly ``link_quotes(articles)``. The records that are not
    the very objects of the last build are the changed ones (a session keeps the others);
    only their speakers' quotes are gathered and linked again (a speaker whose quotes are the
    very same objects at the same places keeps its links), and the merged links are the last
    build's with those speakers' replaced: walking 5,000 records' quotes and merging every
    speaker's links again was 0.03 s of each rebuild.
    """

    def __init__(self, mark: Callable[[Article], str] | None = None) -> None:
        # What tells a record unchanged: by default the record itself (the same object);
        # ``mark`` gives a string instead (its digest), so that another process can take up
        # what this one kept (``saved_indexes``: pickled, with the quotes as copies).
        self.mark = mark
        self._marks: dict[str, object] = {}
        self._speakers: dict[str, frozenset[str]] = {}  # record id -> its quotes' speakers
        self._by_speaker: dict[str, list[_Quoted]] = {}
        self._by_place: dict[str, list[QuoteRef]] | None = None  # (``__setstate__``)
        self._links: dict[str, QuoteLinks] = {}
        self._found: dict[QuoteRef, tuple[QuoteMatch, ...]] = {}

    def __getstate__(self) -> dict[str, object]:
        """Pickled for the next process (``saved_indexes``), without the mark, and each
        speaker's quotes by place only: the next process finds them in its records (pickling
        27,000 quotes was most of the cost). Only with string marks: a record object marks
        nothing in another process."""
        if self.mark is None:
            raise ValueError("quote links marked by record objects cannot be saved")
        state = {name: value for name, value in vars(self).items() if name != "mark"}
        state["_by_place"] = None
        state["_by_speaker"] = (
            self._by_place  # taken up and not linked since: still by place
            if self._by_place is not None
            else {
                speaker: [ref for ref, _ in quoted] for speaker, quoted in self._by_speaker.items()
            }
        )
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        """Taken up by another process: its ``mark`` is set before the next ``link``, which
        finds each speaker's quotes by place (``_quotes_at``)."""
        vars(self).update(state)
        self.mark = None
        self._by_place = cast(dict[str, list[QuoteRef]], self._by_speaker)
        self._by_speaker = {}

    def _quotes_at(self, by_id: Mapping[str, Article], changed: set[str]) -> None:
        """Each speaker's quotes, from the places saved: a record not changed since has the
        same quotes, now its own objects; a changed record's are gone (none of the last
        build's, compared unequal to any quote now)."""
        places, self._by_place = self._by_place, None
        if places is None:
            return
        self._by_speaker = {
            speaker: [
                (
                    ref,
                    _GONE
                    if ref.article_id in changed
                    else by_id[ref.article_id].quotes[ref.position],
                )
                for ref in refs
            ]
            for speaker, refs in places.items()
        }

    def link(self, articles: Sequence[Article]) -> QuoteLinks:
        by_id = {article.id: article for article in articles}
        marks: dict[str, object] = (
            dict(by_id) if self.mark is None else {i: self.mark(a) for i, a in by_id.items()}
        )
        changed = {i for i, mark in marks.items() if not same_mark(self._marks.get(i), mark)}
        changed.update(i for i in self._marks if i not in marks)
        self._quotes_at(by_id, changed)
        if marks.keys() != self._marks.keys() or len(by_id) != len(articles):
            changed = set(by_id)  # records came or went: gather every speaker's quotes again
            by_speaker = _quotes_by_speaker(articles)
            touched = set(by_speaker) | set(self._by_speaker)
            self._speakers = {}
        else:
            new = [by_id[i] for i in changed]
            touched = {q.speaker_id for a in new for q in a.quotes if q.speaker_id}
            touched.update(speaker for i in changed for speaker in self._speakers.get(i, ()))
            gathered = _quotes_by_speaker(new)
            by_speaker = dict(self._by_speaker)
            for speaker in touched:
                quotes = [item for item in by_speaker.get(speaker, ()) if item[0][0] not in changed]
                quotes.extend(gathered.get(speaker, ()))
                quotes.sort(key=_ref_of)
                if quotes:
                    by_speaker[speaker] = quotes
                else:
                    by_speaker.pop(speaker, None)
        links = dict(self._links)
        found = dict(self._found) if touched else self._found
        remade: dict[str, QuoteLinks] = {}
        for speaker in touched:
            before = links.pop(speaker, None)
            now = by_speaker.get(speaker)
            if now is not None and before is not None:
                if _same_quotes(self._by_speaker.get(speaker), now):
                    links[speaker] = before
                    continue
            remade[speaker] = _speaker_links(now) if now is not None else QuoteLinks({}, 0)
            for ref in before.links if before is not None else ():
                # every old link goes first: a changed record's quote at a place may now be
                # another speaker's, linked below (removing keeps the others in order)
                found.pop(ref, None)
        added = False  # a ref newly linked: the merged links are sorted again
        for speaker, made in remade.items():
            for ref, matches in made.links.items():
                added = added or ref not in found
                found[ref] = matches
            if speaker in by_speaker:
                links[speaker] = made
        if added:
            found = dict(sorted(found.items()))
        for article_id in changed:
            self._speakers[article_id] = frozenset(
                quote.speaker_id for quote in by_id[article_id].quotes if quote.speaker_id
            )
        self._marks, self._by_speaker, self._links, self._found = marks, by_speaker, links, found
        examined = sum(made.pairs_examined for made in links.values())
        return QuoteLinks(links=found, pairs_examined=examined)


def _ref_of(item: _Quoted) -> QuoteRef:
    return item[0]


def _same_quotes(last: Sequence[_Quoted] | None, now: Sequence[_Quoted]) -> bool:
    """The same quotes at the same places: the very same objects, or equal ones (taken up
    from another process, the last build's quotes are copies)."""
    return (
        last is not None
        and len(last) == len(now)
        and all(
            a[0] == b[0] and (a[1] is b[1] or a[1] == b[1]) for a, b in zip(last, now, strict=True)
        )
    )


def _speaker_links(quotes: Sequence[tuple[QuoteRef, Quote]]) -> QuoteLinks:
    """The links among one speaker's quotes (given in article id and reading order)."""
    stems: dict[QuoteRef, frozenset[str]] = {}
    postings: dict[str, list[QuoteRef]] = defaultdict(list)
    for ref, quote in quotes:
        stems[ref] = frozenset(content_stems(quote.text))
        for stem in sorted(stems[ref]):
            postings[stem].append(ref)
    candidates: set[tuple[QuoteRef, QuoteRef]] = set()
    examined = 0
    for key in sorted(postings):
        refs = postings[key]
        if len(refs) > MAX_POSTINGS:
            continue
        for position, first in enumerate(refs):
            for second in refs[position + 1 :]:
                examined += 1
                if first.article_id != second.article_id:
                    candidates.add((first, second))
    found: dict[QuoteRef, list[QuoteMatch]] = defaultdict(list)
    for first, second in sorted(candidates):
        score = containment(stems[first], stems[second])
        if score is not None:
            found[first].append(QuoteMatch(second, score))
            found[second].append(QuoteMatch(first, score))
    links = {
        ref: tuple(sorted(matches, key=lambda match: (-match.score, match.other)))
        for ref, matches in found.items()
    }
    return QuoteLinks(links=links, pairs_examined=examined)


def containment(first: frozenset[str], second: frozenset[str]) -> float | None:
    """Shared stems over the smaller set's size, or None if below the thresholds."""
    shared = len(first & second)
    if shared < MIN_SHARED_STEMS:
        return None
    score = shared / min(len(first), len(second))
    return score if score >= QUOTE_CONTAINMENT else None

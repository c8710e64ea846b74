"""The same statement reported by two articles, in different words or in another translation.

Only quotes by the same speaker (same ``speaker_id``) in different articles can match. Inside a
speaker, candidates come from an inverted index (speaker, stem) -> quotes, so two quotes are
compared only if they share a content stem; a stem used by more than ``MAX_POSTINGS`` of one
speaker's quotes is skipped. A candidate is a match when most of the shorter quote's content
stems are in the longer one (containment), which tolerates one outlet quoting more of the
statement than the other.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from natowatch.core.model import Article, Quote
from natowatch.core.remembered import Remembered
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
    their own; ``kept`` (``natowatch serve``) holds the last build's, reused for a speaker
    whose quotes are the very same objects at the same places.
    """
    by_speaker: dict[str, list[tuple[QuoteRef, Quote]]] = defaultdict(list)
    for article in sorted(articles, key=lambda item: item.id):
        for index, quote in enumerate(article.quotes):
            if quote.speaker_id is not None:
                by_speaker[quote.speaker_id].append((QuoteRef(article.id, index), quote))
    found: dict[QuoteRef, tuple[QuoteMatch, ...]] = {}
    examined = 0
    for speaker, quotes in by_speaker.items():
        if kept is None:
            links = _speaker_links(quotes)
        else:  # kept for the same quote objects at the same places
            name = (speaker, tuple(ref for ref, _ in quotes))
            sources = tuple(quote for _, quote in quotes)
            links = kept.made(name, sources, functools.partial(_speaker_links, quotes))
        found.update(links.links)
        examined += links.pairs_examined
    if kept is not None:
        kept.finish()
    return QuoteLinks(links=dict(sorted(found.items())), pairs_examined=examined)


# Each speaker's links as the last build of this process found them, by the speaker's quotes.
KeptQuoteLinks = Remembered[QuoteLinks]


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

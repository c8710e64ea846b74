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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from natowatch.core.model import Article
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


def link_quotes(articles: Sequence[Article]) -> QuoteLinks:
    """Every quote that another article also reports, with those reports (best match first)."""
    stems: dict[QuoteRef, frozenset[str]] = {}
    postings: dict[tuple[str, str], list[QuoteRef]] = defaultdict(list)
    for article in sorted(articles, key=lambda item: item.id):
        for index, quote in enumerate(article.quotes):
            if quote.speaker_id is None:
                continue
            ref = QuoteRef(article.id, index)
            stems[ref] = frozenset(content_stems(quote.text))
            for stem in sorted(stems[ref]):
                postings[(quote.speaker_id, stem)].append(ref)
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
        for ref, matches in sorted(found.items())
    }
    return QuoteLinks(links=links, pairs_examined=examined)


def containment(first: frozenset[str], second: frozenset[str]) -> float | None:
    """Shared stems over the smaller set's size, or None if below the thresholds."""
    shared = len(first & second)
    if shared < MIN_SHARED_STEMS:
        return None
    score = shared / min(len(first), len(second))
    return score if score >= QUOTE_CONTAINMENT else None

"""Cross-article coverage: related articles, story threads and statements reported twice.

One entry point, ``build_coverage``, so the pages and ``data/coverage.json`` see the same
answer. Every part is found through inverted indexes (``similar``, ``quote_links``), never by
comparing all pairs of articles, and every list is sorted with ties broken by id.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from natowatch.core.jsonfile import json_text
from natowatch.core.model import Article
from natowatch.core.remembered import Remembered
from natowatch.corpus.kept import KeptIndexes
from natowatch.corpus.quote_links import QuoteMatch, QuoteRef, link_quotes
from natowatch.corpus.similar import ENTITY_PREFIX, Related, Similarities, pair_of, similarities
from natowatch.corpus.threads import Pair, Thread, group_threads, is_story_pair, thread_pairs

# Related articles listed per article.
RELATED_LIMIT = 5
# Digits kept of a score in the JSON file: enough to rank, stable across platforms.
SCORE_DIGITS = 4


@dataclass(frozen=True)
class Coverage:
    """What the archive knows across articles.

    ``quote_links`` is keyed by ``QuoteRef(article_id, quote_index)`` (a plain tuple too).
    ``pairs_examined`` and ``quote_pairs_examined`` count the inverted-index work, which grows
    linearly with the archive.
    """

    related: Mapping[str, tuple[Related, ...]]
    threads: tuple[Thread, ...]
    thread_of: Mapping[str, Thread]
    quote_links: Mapping[QuoteRef, tuple[QuoteMatch, ...]]
    pairs_examined: int
    quote_pairs_examined: int
    # Article id -> its index in its thread's ``articles``: a page shows a window around it,
    # and finding it by search made every page cost as much as its thread is long.
    thread_position: Mapping[str, int] = field(default_factory=dict)


def build_coverage(
    articles: Sequence[Article],
    words: Mapping[str, Counter[str]] | None = None,
    kept: KeptIndexes | None = None,
) -> Coverage:
    """Related articles, story threads and quote links for the whole archive.

    ``words`` holds each article's content-word counts when the loader already has them.
    ``kept`` holds what the last build of this process (``natowatch serve``) made of the
    similarities, quote links and shared entities, brought up to date instead of made afresh
    (or, for a command-line build, what the last one saved: ``saved_indexes``).
    """
    ordered = sorted(articles, key=lambda article: article.id)
    if kept is not None:
        found = kept.similarities.update(ordered, words)
    else:
        found = similarities(ordered, words)
    quotes = link_quotes(ordered, kept.quotes if kept is not None else None)
    shared = _SharedEntities(found.signatures, kept.shared if kept is not None else None)
    related = _related_lists(ordered, found, shared, kept)
    shared.finish()
    quoted = {
        pair_of(ref.article_id, match.other.article_id)
        for ref, matches in quotes.links.items()
        for match in matches
    }
    threads = _story_threads(ordered, found, quoted, kept)
    return Coverage(
        related=related,
        threads=threads,
        thread_of={article_id: thread for thread in threads for article_id in thread.articles},
        quote_links=quotes.links,
        pairs_examined=found.pairs_examined,
        quote_pairs_examined=quotes.pairs_examined,
        thread_position={
            article_id: position
            for thread in threads
            for position, article_id in enumerate(thread.articles)
        },
    )


def _story_threads(
    ordered: Sequence[Article],
    found: Similarities,
    quoted: set[Pair],
    kept: KeptIndexes | None,
) -> tuple[Thread, ...]:
    """The story threads. With ``kept`` (``serve``) the pairs close enough to be one story
    are brought up to date for the articles whose scored pairs moved (and the pairs whose
    quotes changed), not picked again out of the 226,000 scored pairs of 5,000 articles; when
    they and every record's date are the last build's, so are the threads (0.04 s a rebuild).
    An equal thread is the last build's object either way."""
    dates = {article.id: article.published for article in ordered}
    moved = None
    if kept is not None and kept.thread_pairs is not None:
        moved = _moved_since(kept, kept.threads_at)
    if kept is None or kept.thread_pairs is None or moved is None:
        pairs = set(thread_pairs(found.scores, quoted))
    else:
        pairs = {
            pair for pair in kept.thread_pairs if pair[0] not in moved and pair[1] not in moved
        }
        scores = found.scores
        for pair in quoted ^ kept.thread_quoted:  # a pair's quotes matched, or no longer do
            pairs.discard(pair)
            if is_story_pair(scores.get(pair), pair in quoted):
                pairs.add(pair)
        for article_id in moved:
            for other in kept.similarities.partners(article_id):
                pair = pair_of(article_id, other)
                if is_story_pair(scores[pair], pair in quoted):
                    pairs.add(pair)
    if kept is not None and pairs == kept.thread_pairs and dates == kept.thread_dates:
        threads = tuple(kept.threads.values())
    else:
        threads = group_threads(ordered, sorted(pairs))
    if kept is not None:  # an equal thread is the last build's object
        threads = tuple(
            old if (old := kept.threads.get(thread.id)) == thread else thread for thread in threads
        )
        kept.threads = {thread.id: thread for thread in threads}
        kept.thread_pairs, kept.thread_quoted, kept.thread_dates = pairs, frozenset(quoted), dates
        kept.threads_at = kept.similarities.updates
    return threads


def _related_lists(
    ordered: Sequence[Article],
    found: Similarities,
    shared: _SharedEntities,
    kept: KeptIndexes | None,
) -> dict[str, tuple[Related, ...]]:
    """Each article's most related articles. With ``kept`` (``serve``), only the articles
    whose scored pairs moved in this update (``KeptSimilarities.moved``) are listed again;
    the others keep the last build's lists: sorting every article's neighbours out of the
    226,000 scored pairs of 5,000 articles cost 0.15 s of each rebuild."""
    moved = _moved_since(kept, kept.related_at) if kept is not None else None
    if kept is None or moved is None or kept.related is None:
        neighbours: dict[str, list[tuple[float, str]]] = defaultdict(list)
        for (first, second), score in found.scores.items():
            if score > 0:
                neighbours[first].append((-score, second))
                neighbours[second].append((-score, first))
        related = {
            article.id: _best(article.id, neighbours.get(article.id, []), shared)
            for article in ordered
        }
    else:
        last, scores = kept.related, found.scores
        related = {}
        for article in ordered:
            if article.id in moved:
                pairs = [
                    (-score, other)
                    for other in kept.similarities.partners(article.id)
                    if (score := scores[pair_of(article.id, other)]) > 0
                ]
                related[article.id] = _best(article.id, pairs, shared)
            else:
                related[article.id] = last[article.id]
    if kept is not None:
        kept.related, kept.related_at = related, kept.similarities.updates
    return related


def _moved_since(kept: KeptIndexes, made_at: int) -> set[str] | None:
    """The articles whose pairs may differ from those a kept structure was made from, right
    after the similarities' update number ``made_at``; None: any may (it was not made right
    after the update before this one)."""
    if made_at != kept.similarities.updates - 1:
        return None
    return kept.similarities.moved()


def _best(
    article_id: str, neighbours: list[tuple[float, str]], shared: _SharedEntities
) -> tuple[Related, ...]:
    """The most related first (``(-score, other id)`` tuples sort so, ties by id)."""
    best = sorted(neighbours)[:RELATED_LIMIT]
    return tuple(
        Related(other, -negative, shared.of(article_id, other)) for negative, other in best
    )


class _SharedEntities:
    """The entities two related articles share, heaviest first; with ``kept`` (``serve``),
    reused from the last build for a pair whose two signatures are the same objects (the
    kept similarities keep an unchanged signature as the same object)."""

    def __init__(
        self,
        signatures: Mapping[str, Mapping[str, float]],
        kept: Remembered[tuple[str, ...]] | None,
    ) -> None:
        self.signatures = signatures
        self.kept = kept

    def of(self, article_id: str, other: str) -> tuple[str, ...]:
        pair = (self.signatures[article_id], self.signatures[other])
        if self.kept is None:
            return _shared_entities(*pair)
        return self.kept.made((article_id, other), pair, lambda: _shared_entities(*pair))

    def finish(self) -> None:
        if self.kept is not None:
            self.kept.finish()


def _shared_entities(first: Mapping[str, float], second: Mapping[str, float]) -> tuple[str, ...]:
    shared = [key for key in first.keys() & second.keys() if key.startswith(ENTITY_PREFIX)]
    shared.sort(key=lambda key: (-first[key] * second[key], key))
    return tuple(key.removeprefix(ENTITY_PREFIX) for key in shared)


def coverage_data(coverage: Coverage) -> dict[str, Any]:
    """The coverage as JSON-ready data, every list sorted."""
    return {
        "related": {
            article_id: _related_records(items)
            for article_id, items in sorted(coverage.related.items())
        },
        "threads": _thread_records(coverage.threads),
        "quote_links": [
            _quote_links_record(ref, matches)
            for ref, matches in sorted(coverage.quote_links.items())
        ],
    }


def _thread_records(threads: Sequence[Thread]) -> list[dict[str, Any]]:
    return [{"id": thread.id, "articles": list(thread.articles)} for thread in threads]


def _related_records(items: Sequence[Related]) -> list[dict[str, Any]]:
    return [
        {
            "id": item.article_id,
            "score": round(item.score, SCORE_DIGITS),
            "shared_entities": list(item.shared_entities),
        }
        for item in items
    ]


def _quote_links_record(ref: QuoteRef, matches: Sequence[QuoteMatch]) -> dict[str, Any]:
    return {
        "article": ref.article_id,
        "quote": ref.position,
        "also_reported_by": [
            {
                "article": match.other.article_id,
                "quote": match.other.position,
                "score": round(match.score, SCORE_DIGITS),
            }
            for match in matches
        ],
    }


def coverage_json(coverage: Coverage, kept: KeptIndexes | None = None) -> bytes:
    """``data/coverage.json``: stable byte for byte, ``json_bytes(coverage_data(coverage))``.

    Made of one piece per related list and per quote's links, joined: with ``kept``
    (``serve``), a piece made from the very same list as in the last build is reused (after
    an edit nearly all are, and encoding the whole file cost ~0.1 s of each rebuild)."""

    if kept is None:
        related = [_related_piece(*item) for item in sorted(coverage.related.items())]
        quotes = [_quote_links_piece(*item) for item in sorted(coverage.quote_links.items())]
    else:
        related = [
            kept.related_pieces.made(article_id, items, _related_piece)
            for article_id, items in sorted(coverage.related.items())
        ]
        quotes = [
            kept.quote_pieces.made(ref, matches, _quote_links_piece)
            for ref, matches in sorted(coverage.quote_links.items())
        ]
        kept.related_pieces.finish()
        kept.quote_pieces.finish()
    threads = json_text(_thread_records(coverage.threads)).encode()
    parts = [b'{"quote_links":[', b",".join(quotes), b'],"related":{', b",".join(related)]
    return b"".join([*parts, b'},"threads":', threads, b"}\n"])


def _quote_links_piece(ref: QuoteRef, matches: Sequence[QuoteMatch]) -> bytes:
    return json_text(_quote_links_record(ref, matches)).encode()


def _related_piece(article_id: str, items: Sequence[Related]) -> bytes:
    """``"id":[...]``: one article's entry in "related"."""
    return f"{json_text(article_id)}:{json_text(_related_records(items))}".encode()

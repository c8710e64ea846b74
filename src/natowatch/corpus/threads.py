"""Story threads: articles about the same story, grouped so a reader can follow it.

Two articles belong together when their similarity passes ``THREAD_SIMILARITY``, or the lower
``QUOTED_THREAD_SIMILARITY`` when they also report the same statement. Groups are the connected
components of those pairs (union-find), so only the candidate pairs found through the inverted
index are ever looked at.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from natowatch.core.model import Article
from natowatch.corpus.index import date_key

# Cosine similarity of the articles' signatures (see ``natowatch.corpus.similar``) from which two
# articles are taken to tell the same story. Measured: two outlets' reports of one event score
# about 0.35-0.4; articles on the same broad topic but another event about 0.15-0.25.
THREAD_SIMILARITY = 0.3
# Two articles quoting the same statement need only a topical overlap as well.
QUOTED_THREAD_SIMILARITY = 0.15

Pair = tuple[str, str]


@dataclass(frozen=True)
class Thread:
    """A story followed by several articles: ids in date order, undated articles last."""

    id: str
    articles: tuple[str, ...]


def thread_pairs(scores: Mapping[Pair, float], quoted: Iterable[Pair] = ()) -> list[Pair]:
    """The pairs similar enough to be one story (``is_story_pair``), sorted."""
    quoted_pairs = set(quoted)
    return sorted(
        pair for pair, score in scores.items() if is_story_pair(score, pair in quoted_pairs)
    )


def is_story_pair(score: float | None, quoted: bool) -> bool:
    """Whether a pair of this score (None: not scored) is close enough to be one story."""
    if score is None:
        return False
    return score >= THREAD_SIMILARITY or (quoted and score >= QUOTED_THREAD_SIMILARITY)


def group_threads(articles: Sequence[Article], pairs: Iterable[Pair]) -> tuple[Thread, ...]:
    """Connected groups of two or more articles; each thread is named after its first article."""
    parent: dict[str, str] = {}

    def root(item: str) -> str:
        parent.setdefault(item, item)
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for first, second in pairs:
        a, b = root(first), root(second)
        if a != b:
            parent[max(a, b)] = min(a, b)
    by_id = {article.id: article for article in articles}
    members: dict[str, list[Article]] = defaultdict(list)
    for item in sorted(parent):
        if item in by_id:
            members[root(item)].append(by_id[item])
    threads = []
    for group in members.values():
        if len(group) < 2:
            continue
        ordered = in_date_order(group)
        threads.append(Thread(id=f"thread-{ordered[0].id}", articles=tuple(a.id for a in ordered)))
    return tuple(sorted(threads, key=lambda thread: thread.id))


def in_date_order(articles: Iterable[Article]) -> list[Article]:
    """Oldest first, articles without a known date last; ties broken by id."""
    return sorted(
        articles,
        key=lambda article: (
            date_key(article.published) is None,
            date_key(article.published) or (0, 0, 0),
            article.id,
        ),
    )

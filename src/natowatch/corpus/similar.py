"""How alike two articles are, from shared entities and shared distinctive words.

Comparing every article with every other is quadratic, so candidates come from an inverted index
instead: each article keeps a signature of its most distinctive keys (entity ids and content-word
stems, weighted like TF-IDF), and two articles are compared only when a key lists both. A key
listed by more than ``MAX_POSTINGS`` signatures is too common to tell stories apart and is
skipped, so the work is at most ``SIGNATURE_SIZE * MAX_POSTINGS`` per article: linear.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from natowatch.core.model import Article, Zone, fast_pickle
from natowatch.understand.words import word_keys

ENTITY_PREFIX = "entity:"
# A shared entity is stronger evidence of a shared story than a shared word (its name's words
# count as words too, so a shared named entity weighs roughly three words).
ENTITY_WEIGHT = 2.0
# Distinctive keys kept per article: enough for the names and topic words of a story.
SIGNATURE_SIZE = 60
# Keys in more signatures than this link too many articles to mean "the same story".
MAX_POSTINGS = 100

Pair = tuple[str, str]  # two article ids, the smaller first


@fast_pickle
@dataclass(frozen=True, slots=True)
class Related:
    """Another article on the same matter; ``shared_entities`` are ids, heaviest first (an
    article's related list: ``coverage.build_coverage``)."""

    article_id: str
    score: float
    shared_entities: tuple[str, ...]


@dataclass(frozen=True)
class Similarities:
    """Cosine similarity of every candidate pair, and how much work finding them took.

    ``pairs_examined`` counts the (key, pair) visits of the inverted index: the figure that must
    grow linearly with the archive.
    """

    scores: Mapping[Pair, float]
    signatures: Mapping[str, Mapping[str, float]]
    pairs_examined: int
    skipped_keys: int


def article_keys(article: Article, words: Counter[str] | None = None) -> Counter[str]:
    """Entity ids and content-word stems of the article's own text (reader comments excluded).

    ``words`` is the article's ``words.word_keys`` when already known.
    """
    keys = entity_keys(article)
    keys.update(words if words is not None else word_keys(article))
    return keys


def entity_keys(article: Article) -> Counter[str]:
    """The entity part of ``article_keys``: entities named outside reader comments."""
    keys: Counter[str] = Counter()
    for entity in article.entities:
        located = [mention for mention in entity.mentions if mention.zone != Zone.COMMENT]
        if located or not entity.mentions:
            keys[ENTITY_PREFIX + entity.id] += max(len(located), 1)
    return keys


def signatures(
    articles: Sequence[Article], words: Mapping[str, Counter[str]] | None = None
) -> dict[str, dict[str, float]]:
    """Article id -> its ``SIGNATURE_SIZE`` heaviest keys with their TF-IDF weights.

    The IDF is smoothed (ln(1 + N/df)) so that a key in every article still counts a little:
    in a two-article archive every shared key is in every article. ``words`` maps article ids
    to their ``words.word_keys`` where known.
    """
    return signatures_of_counts(key_counts(articles, words))


def key_counts(
    articles: Sequence[Article], words: Mapping[str, Counter[str]] | None = None
) -> dict[str, Counter[str]]:
    """Article id -> ``article_keys`` of each article."""
    known = words or {}
    return {article.id: article_keys(article, known.get(article.id)) for article in articles}


def signatures_of_counts(
    counts: Mapping[str, Counter[str]], document_frequency: Mapping[str, int] | None = None
) -> dict[str, dict[str, float]]:
    """``signatures`` of the articles' ``key_counts`` (whose ``document_frequencies`` may be
    given, already counted)."""
    if document_frequency is None:
        document_frequency = document_frequencies(counts)
    total = len(counts)
    # Each factor once per key (and per count), not once per article and key: the same
    # expressions, multiplied in the same order, so the weights are the same floats.
    idf = {key: idf_of(total, frequency) for key, frequency in document_frequency.items()}
    kind = {key: kind_of(key) for key in idf}
    tf: dict[int, float] = {}
    return {
        article_id: signature_of(counts[article_id], idf, kind, tf) for article_id in sorted(counts)
    }


def document_frequencies(counts: Mapping[str, Counter[str]]) -> Counter[str]:
    """Key -> in how many articles' counts it is."""
    frequency: Counter[str] = Counter()
    for keys in counts.values():
        frequency.update(keys.keys())
    return frequency


def idf_of(total: int, frequency: int) -> float:
    """The smoothed inverse document frequency of a key in ``frequency`` of ``total`` articles."""
    return math.log(1.0 + total / frequency)


def kind_of(key: str) -> float:
    """The weight of a key's kind: entities count more than words."""
    return ENTITY_WEIGHT if key.startswith(ENTITY_PREFIX) else 1.0


def signature_of(
    counts: Mapping[str, int],
    idf: Mapping[str, float],
    kind: Mapping[str, float],
    tf: dict[int, float],
) -> dict[str, float]:
    """One article's signature: its heaviest keys by TF-IDF, sorted by key. ``tf`` remembers
    the term factor of each count across calls."""
    weights = []
    for key, count in counts.items():
        term = tf.get(count)
        if term is None:
            term = tf[count] = 1.0 + math.log(count)
        weights.append((-(term * idf[key] * kind[key]), key))
    weights.sort()  # heaviest first, ties by key: as sorting on (-weight, key)
    top = weights[:SIGNATURE_SIZE]
    return {key: -negative for negative, key in sorted(top, key=_second)}


def _second(pair: tuple[float, str]) -> str:
    return pair[1]


def similarities(
    articles: Sequence[Article], words: Mapping[str, Counter[str]] | None = None
) -> Similarities:
    """Cosine similarity (0..1) of every pair of articles that share an uncapped signature key."""
    return similarities_of_counts(key_counts(articles, words))


def similarities_of_counts(counts: Mapping[str, Counter[str]]) -> Similarities:
    """``similarities`` of the articles' ``key_counts``."""
    signature = signatures_of_counts(counts)
    postings = postings_of(signature)
    common = common_keys(postings)
    norms = {article_id: norm_of(keys, common) for article_id, keys in signature.items()}
    return scored(signature, postings, common, norms)


def postings_of(signature: Mapping[str, Mapping[str, float]]) -> dict[str, list[str]]:
    """Signature key -> the ids of the articles whose signature has it, sorted."""
    postings: dict[str, list[str]] = defaultdict(list)
    for article_id in sorted(signature):
        for key in signature[article_id]:
            postings[key].append(article_id)
    return dict(postings)


def common_keys(postings: Mapping[str, Sequence[str]]) -> set[str]:
    """The keys in too many signatures to tell stories apart (left out of every score)."""
    return {key for key, ids in postings.items() if is_common(ids)}


def is_common(ids: Sequence[str]) -> bool:
    return len(ids) > MAX_POSTINGS


def norm_of(weights: Mapping[str, float], common: Collection[str]) -> float:
    """The length of a signature, its common keys left out."""
    return math.sqrt(sum(weight * weight for key, weight in weights.items() if key not in common))


def cosine(dot: float, first_norm: float, second_norm: float) -> float:
    return min(dot / (first_norm * second_norm), 1.0)


def pair_of(first: str, second: str) -> Pair:
    """Two article ids as a ``Pair``: the smaller first."""
    return (first, second) if first < second else (second, first)


def scored(
    signature: Mapping[str, Mapping[str, float]],
    postings: Mapping[str, Sequence[str]],
    common: Collection[str],
    norms: Mapping[str, float],
) -> Similarities:
    """The cosine of every pair of articles sharing an uncommon key, each dot product summed
    over the shared keys in sorted order."""
    dots: dict[Pair, float] = defaultdict(float)
    examined = 0
    for key in sorted(postings):
        ids = postings[key]
        if len(ids) < 2 or key in common:
            continue
        for position, first in enumerate(ids):
            weight = signature[first][key]
            for second in ids[position + 1 :]:
                dots[(first, second)] += weight * signature[second][key]
                examined += 1
    scores = {
        pair: cosine(dot, norms[pair[0]], norms[pair[1]])
        for pair, dot in dots.items()
        if norms[pair[0]] and norms[pair[1]]
    }
    return Similarities(
        scores=scores,
        signatures=signature,
        pairs_examined=examined,
        skipped_keys=len(common),
    )

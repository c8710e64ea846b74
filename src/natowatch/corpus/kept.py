"""What a build session (``natowatch serve``) keeps of the cross-article indexes between builds,
so a rebuild after an edit brings them up to date instead of making them afresh."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from natowatch.corpus.index import KeptEntities
from natowatch.corpus.kept_similarities import KeptSimilarities
from natowatch.corpus.quote_links import KeptQuoteLinks

SharedKept = tuple[Mapping[str, float], Mapping[str, float], tuple[str, ...]]


@dataclass
class KeptIndexes:
    similarities: KeptSimilarities = field(default_factory=KeptSimilarities)
    entities: KeptEntities = field(default_factory=KeptEntities)
    quotes: KeptQuoteLinks = field(default_factory=KeptQuoteLinks)
    # (article id, other id) -> both signatures (by identity) and the entities they share
    shared: dict[tuple[str, str], SharedKept] = field(default_factory=dict)

"""What a build session (``natowatch serve``) keeps of the cross-article indexes between builds,
so a rebuild after an edit brings them up to date instead of making them afresh."""

from __future__ import annotations

from dataclasses import dataclass, field

from natowatch.core.remembered import Remembered, RememberedBy
from natowatch.corpus.index import KeptEntities
from natowatch.corpus.kept_similarities import KeptSimilarities
from natowatch.corpus.kept_timeline import KeptTimeline
from natowatch.corpus.quote_links import KeptQuoteLinks, QuoteMatch, QuoteRef
from natowatch.corpus.similar import Related
from natowatch.corpus.threads import Thread


@dataclass
class KeptIndexes:
    similarities: KeptSimilarities = field(default_factory=KeptSimilarities)
    entities: KeptEntities = field(default_factory=KeptEntities)
    quotes: KeptQuoteLinks = field(default_factory=KeptQuoteLinks)
    timeline: KeptTimeline = field(default_factory=KeptTimeline)
    # The entities each related pair shares, by the pair's two signatures
    shared: Remembered[tuple[str, ...]] = field(default_factory=Remembered)
    # Each article's related list, made right after the similarities' update number
    # ``related_at`` (``coverage._related_lists``)
    related: dict[str, tuple[Related, ...]] | None = None
    related_at: int = -1
    # The pieces of data/coverage.json, by the related list or quote links each encodes
    # (``coverage.coverage_json``)
    related_pieces: RememberedBy[str, tuple[Related, ...], bytes] = field(
        default_factory=RememberedBy
    )
    quote_pieces: RememberedBy[QuoteRef, tuple[QuoteMatch, ...], bytes] = field(
        default_factory=RememberedBy
    )
    # The last build's story threads by id: an equal thread is that same object again, which
    # lets a page's reads of it be told unchanged by identity (``publish.kept_keys``)
    threads: dict[str, Thread] = field(default_factory=dict)
    # The pairs close enough to be one story, the quoted pairs and every record's date they
    # were grouped with, right after the similarities' update number ``threads_at``
    # (``coverage._story_threads``)
    thread_pairs: set[tuple[str, str]] | None = None
    thread_quoted: frozenset[tuple[str, str]] = frozenset()
    thread_dates: dict[str, str | None] = field(default_factory=dict)
    threads_at: int = -1

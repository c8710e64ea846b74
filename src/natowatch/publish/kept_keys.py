"""Page input keys kept between the builds of one process (``natowatch serve``), each with what
it read, so a rebuild after an edit hashes only the pages whose inputs changed.

Making every article and entity page's key (``page_inputs``) was the largest part of a serve
rebuild after one edit (1.5 s of 9.7 at 5,000 articles), though an edit changes the inputs of
a few dozen pages. A kept key stands when its page reads the same record objects (records and
merged entities are immutable, and the session keeps the unchanged ones as the same objects),
the same values of the cross-article indexes, and no record or merged entity name that changed
since the last build. Every page is checked on every build, so what is kept always describes
the last build.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from natowatch.core.discarded import discard_later
from natowatch.core.model import Article, EntityType
from natowatch.core.remembered import (
    LastAndNow,
    Remembered,
    changed_names,
    same_objects,
    same_values,
)
from natowatch.corpus.coverage import Coverage
from natowatch.corpus.index import IndexedEntity
from natowatch.publish.page_inputs import (
    ArticleReads,
    EntityPageKeys,
    article_read_sources,
    article_reads,
)
from natowatch.publish.timeline_views import KeptYear
from natowatch.publish.views import View


class KeptPageKeys:
    """The last build's page keys with their reads, and the records and entity names they
    were read from."""

    def __init__(self) -> None:
        self.records: Mapping[str, Article] = {}
        self.names: Mapping[str, tuple[str, EntityType]] = {}
        self.articles: dict[str, tuple[Article, ArticleReads, str]] = {}
        # Each article page's reads with what they were made from (``article_read_sources``).
        self.reads: dict[str, tuple[_Sources, ArticleReads]] = {}
        self.entities: dict[str, tuple[EntityReads, EntityPageKeys]] = {}
        # Each entity page's view of its speaker's quotes, by the merged entity it was made from.
        self.quotes: dict[str, tuple[IndexedEntity, View]] = {}
        # Each year's timeline pages and keys, by the entries they show (``timeline_group``).
        self.timeline_years: Remembered[KeptYear] = Remembered()
        # The keys of the pages keyed by their whole context (``render``), with their data.
        self.contexts = KeptContextKeys()

    def round(
        self, archive: Mapping[str, Article], entity_index: Mapping[str, IndexedEntity]
    ) -> KeyRound:
        """One build's keys, checked against these (kept when the round is ``finish``ed)."""
        return KeyRound(self, archive, entity_index)


class KeptContextKeys(LastAndNow[str, tuple[str, str, Mapping[str, object], str]]):
    """The keys of the pages keyed by their whole context (the lists: front page, archive,
    entity types, publishers; ``page_jobs.keyed``) with what they were made from: the site
    key, template and page data. A page of the same template whose data is the same values
    (``same_values``: mostly the very same kept views) under the same site key has the same
    context, so it keeps its key without its context being made and pickled (~800 pages,
    0.04 s of each rebuild at 5,000 articles). The key is a function of those inputs, so any
    entry kept stays true."""

    def key(self, site: str, path: str, template: str, data: Mapping[str, object]) -> str | None:
        """The kept key of the page, if it was made from these inputs (kept again)."""
        known = self._last.get(path)
        if known is None or known[0] != site or known[1] != template:
            return None
        if not same_values(known[2], data):
            return None
        self._now[path] = known
        return known[3]

    def keep(
        self, site: str, path: str, template: str, data: Mapping[str, object], key: str
    ) -> None:
        self._now[path] = (site, template, data, key)


@dataclass(frozen=True, eq=False)  # compared by ``same_as``: the entities by identity
class EntityReads:
    """What ``entity_page_inputs`` reads: the merged entity (its records with it), the entity
    it refers to, the page size and the first page's extra view (the speaker's quotes)."""

    entity: IndexedEntity
    referred: IndexedEntity | None
    per_page: int
    first_page: View

    def same_as(self, other: EntityReads) -> bool:
        return (
            self.entity is other.entity
            and self.referred is other.referred
            and self.per_page == other.per_page
            and (self.first_page is other.first_page or self.first_page == other.first_page)
        )


class KeyRound:
    """The keys of one build: each the last build's where nothing its page reads changed,
    made afresh (``make``) otherwise."""

    def __init__(
        self,
        kept: KeptPageKeys,
        archive: Mapping[str, Article],
        entity_index: Mapping[str, IndexedEntity],
    ) -> None:
        self._kept = kept
        self._archive = archive
        self._names = {entity_id: (e.name, e.type) for entity_id, e in entity_index.items()}
        self.changed_records = changed_names(kept.records, archive, operator.is_)
        self.renamed_entities = changed_names(kept.names, self._names)
        self._articles: dict[str, tuple[Article, ArticleReads, str]] = {}
        self._reads: dict[str, tuple[_Sources, ArticleReads]] = {}
        self._entities: dict[str, tuple[EntityReads, EntityPageKeys]] = {}
        self._quotes: dict[str, tuple[IndexedEntity, View]] = {}

    def speaker_quotes(self, entity: IndexedEntity, make: Callable[[], View]) -> View:
        """The entity page's view of its speaker's quotes (``entity_coverage_view``): the last
        build's when made from the same merged entity. That holds all the view reads: the
        speaker's quotes with their articles, which fix the quotes shown, the links among them
        (quotes link only to quotes by the same speaker, ``corpus.quote_links``) and the
        articles linked to, and the speaker's name. Viewing every speaker's quotes on every
        rebuild cost 0.18 s at 5,000 articles."""
        known = self._kept.quotes.get(entity.id)
        view = known[1] if known is not None and known[0] is entity else make()
        self._quotes[entity.id] = (entity, view)
        return view

    def article_reads(
        self, article: Article, coverage: Coverage, publisher_href: str
    ) -> ArticleReads:
        """``article_reads``: the last build's, when made from the very same sources (the
        related list, thread and quote links of an article no edit reached are the same
        objects; viewing 5,000 articles' reads cost 0.05 s of each rebuild)."""
        sources = article_read_sources(article, coverage, publisher_href)
        known = self._kept.reads.get(article.id)
        if known is not None and _same_sources(known[0], sources):
            reads = known[1]
        else:
            reads = article_reads(article, coverage, publisher_href)
        self._reads[article.id] = (sources, reads)
        return reads

    def article_key(self, article: Article, reads: ArticleReads, make: Callable[[], str]) -> str:
        known = self._kept.articles.get(article.id)
        if (
            known is not None
            and known[0] is article
            and known[1] == reads
            and reads.name_none_of(self.changed_records, self.renamed_entities)
        ):
            key = known[2]
        else:
            key = make()
        self._articles[article.id] = (article, reads, key)
        return key

    def entity_keys(
        self, reads: EntityReads, make: Callable[[EntityPageKeys | None], EntityPageKeys]
    ) -> EntityPageKeys:
        """The entity's page keys: the last build's when its pages read the same, else made
        again, given the last build's (``entity_page_keys`` keeps those of unmoved pages)."""
        known = self._kept.entities.get(reads.entity.id)
        if known is not None and known[0].same_as(reads):
            keys = known[1]
        else:
            keys = make(known[1] if known is not None else None)
        self._entities[reads.entity.id] = (reads, keys)
        return keys

    def finish(self) -> None:
        """This build's keys replace the last build's (freed when idle: ``discarded``)."""
        kept = self._kept
        discard_later((kept.records, kept.names, kept.articles, kept.entities, kept.reads))
        discard_later(kept.quotes)
        self._kept.records, self._kept.names = dict(self._archive), self._names
        self._kept.articles, self._kept.entities = self._articles, self._entities
        self._kept.reads = self._reads
        self._kept.quotes = self._quotes


_Sources = tuple[tuple[object, ...], tuple[object, ...]]


def _same_sources(old: _Sources, new: _Sources) -> bool:
    """The same objects (by identity) and equal values."""
    return same_objects(old[0], new[0]) and old[1] == new[1]

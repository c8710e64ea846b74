"""What an article or entity page reads, as one hash, known before its data is made.

An edit to one article changes a handful of pages, but a page's data (an entity page's mentions
in context, an article's related coverage) costs far more to make than to carry over, and
before this a page could only be carried over once its data had been made and hashed. Here each
article and entity page set gets an *input key*: a hash of every record and cross-article
index entry its views read, computed from per-record digests without making any view. When the
key equals the previous build's, the page's bytes are the previous build's (see ``render``).

Each function mirrors one view (named in its docstring): a view that starts reading something
new must add it here too, or an edit to that thing leaves the page stale. The tests build the
site incrementally after many kinds of edits and compare it byte for byte with a cold build.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from natowatch.core.model import Article
from natowatch.corpus.coverage import Coverage
from natowatch.corpus.index import EntityInArticle, IndexedEntity, TimelineEntry
from natowatch.corpus.quote_links import QuoteRef
from natowatch.publish import urls
from natowatch.publish.browse_views import paginated
from natowatch.publish.coverage_views import thread_window
from natowatch.publish.entity_views import (
    appearance_as_shown,
    entity_about,
    entity_events_view,
    newest_appearances,
    referred_entity,
)
from natowatch.publish.timeline_views import with_entries
from natowatch.publish.views import View, article_link, where_in_article

_RECORD = "record:"


class RecordDigests:
    """A digest of each article record's contents, kept per object.

    A record used as the loader extracted it is known by its cache key (``learn``: the key
    hashes everything the record is made from); any other record (renamed by the alias pass,
    given another slug) by a hash of its ``repr``, which shows every field. Not its pickle:
    pickle records which objects are shared, and a record read from the cache shares strings
    that a fresh one does not, so equal records could pickle differently. Records are
    immutable, so a digest holds as long as the object does: ``natowatch serve`` keeps one
    ``RecordDigests`` across rebuilds.
    """

    def __init__(self) -> None:
        self._known: dict[int, tuple[Article, str]] = {}

    def learn(self, articles: Iterable[Article], record_keys: Mapping[str, str]) -> None:
        """Take the cache keys of records used as extracted (``LoadedArchive.record_keys``)."""
        for article in articles:
            key = record_keys.get(article.id)
            if key is not None:
                self._known[id(article)] = (article, _RECORD + key)

    def of(self, article: Article) -> str:
        known = self._known.get(id(article))
        if known is not None and known[0] is article:
            return known[1]
        digest = hashlib.sha256(repr(article).encode()).hexdigest()
        self._known[id(article)] = (article, digest)
        return digest

    def record_key(self, article: Article) -> str | None:
        """The cache key of a record used as extracted; None for any other record."""
        digest = self.of(article)
        return digest.removeprefix(_RECORD) if digest.startswith(_RECORD) else None

    def keep_only(self, articles: Iterable[Article]) -> None:
        """Forget the records no longer in the archive (their objects may then be freed)."""
        alive = {id(article) for article in articles}
        self._known = {key: value for key, value in self._known.items() if key in alive}


class _Key:
    """A hash of parts (strings, digests, small views), by the ``repr`` of all of them at once:
    one ``repr`` of a list costs far less than one per part, and a list's ``repr`` delimits
    its items. Enum members go in by their value: an enum's ``repr`` runs Python code (92,000
    of them made a tenth of the article keys' time at 5,000 articles)."""

    def __init__(self, kind: str) -> None:
        self._parts: list[object] = [kind]

    def add(self, *parts: object) -> _Key:
        self._parts.extend(parts)
        return self

    def hexdigest(self) -> str:
        return hashlib.sha256(repr(self._parts).encode()).hexdigest()


def article_page_inputs(
    article: Article,
    digests: RecordDigests,
    coverage: Coverage,
    archive: Mapping[str, Article],
    entity_index: Mapping[str, IndexedEntity],
    publisher_href: str,
    links: LinkTexts,
) -> str:
    """What ``article_view`` and ``article_coverage_view`` read for one article page."""
    key = _Key("article").add(digests.of(article), publisher_href)
    for entity in article.entities:  # _article_entities: merged names and types
        merged = entity_index.get(entity.id)
        key.add(entity.id, (merged.name, merged.type.value) if merged else None)
    for position, quote in enumerate(article.quotes):  # quote_view
        speaker = entity_index.get(quote.speaker_id) if quote.speaker_id else None
        key.add("quote", speaker.name if speaker else None)
        _add_quote_links(key, QuoteRef(article.id, position), coverage, archive)
    for related in coverage.related.get(article.id, ()):  # related_view
        key.add("related", related.article_id, links.of(related.article_id))
        key.add([entity_index[e].name for e in related.shared_entities if e in entity_index])
    window = thread_window(article.id, coverage)  # thread_view
    if window is not None:
        key.add("thread", window.total, window.first_position)
        for member in window.members:
            key.add(member, links.of(member))
    return key.hexdigest()


@dataclass(frozen=True)
class ArticleReads:
    """What ``article_page_inputs`` reads besides the record itself, in a form cheap to compare
    (``kept_keys``): the values it takes from the cross-article indexes, and the ids of the
    other records and merged entities whose contents it shows. Equal reads of the same record
    object, with none of those records or entities changed, make the same key."""

    publisher_href: str
    coverage: tuple[object, ...]
    articles: frozenset[str]
    entities: frozenset[str]

    def name_none_of(self, records: AbstractSet[str], entities: AbstractSet[str]) -> bool:
        """Whether the reads name none of ``records`` and ``entities`` (those changed since a
        key was made from equal reads: then the key stands)."""
        return records.isdisjoint(self.articles) and entities.isdisjoint(self.entities)


def article_read_sources(
    article: Article, coverage: Coverage, publisher_href: str
) -> tuple[tuple[object, ...], tuple[object, ...]]:
    """What ``article_reads`` is made from (keep the two in step): the objects, to compare by
    identity (the record, its related list, its thread, each quote's links), and the values,
    to compare by equality (the publisher's link, the place in the thread). The same sources
    make the same reads (``kept_keys.KeyRound.article_reads``)."""
    quote_links = (
        coverage.quote_links.get(QuoteRef(article.id, position), ())
        for position in range(len(article.quotes))
    )
    objects = (
        article,
        coverage.related.get(article.id, ()),
        coverage.thread_of.get(article.id),
        *quote_links,
    )
    return objects, (publisher_href, coverage.thread_position.get(article.id, 0))


def article_reads(article: Article, coverage: Coverage, publisher_href: str) -> ArticleReads:
    """``article_page_inputs``' reads, part for part (keep the two in step)."""
    entities = {entity.id for entity in article.entities}
    entities.update(quote.speaker_id for quote in article.quotes if quote.speaker_id)
    quote_links = tuple(
        coverage.quote_links.get(QuoteRef(article.id, position), ())
        for position in range(len(article.quotes))
    )
    others = {match.other.article_id for matches in quote_links for match in matches}
    related = coverage.related.get(article.id, ())
    for item in related:
        others.add(item.article_id)
        entities.update(item.shared_entities)
    window = thread_window(article.id, coverage)
    if window is not None:
        others.update(window.members)
    return ArticleReads(
        publisher_href,
        (quote_links, related, window),
        frozenset(others),
        frozenset(entities),
    )


def entity_page_inputs(
    entity: IndexedEntity,
    digests: RecordDigests,
    entity_index: Mapping[str, IndexedEntity],
    per_page: int,
    first_page: View,
) -> dict[str, str]:
    """What each of ``entity_pages``' pages reads, by path (``entity_page_keys``)."""
    return entity_page_keys(entity, digests, entity_index, per_page, first_page).keys


@dataclass(frozen=True)
class EntityPageKeys:
    """An entity's page keys (``keys``: path -> key), with what each was made from: the key
    of what every page shows (``shared``) and each page's frame and records."""

    shared: str
    pages: Mapping[str, tuple[tuple[object, ...], tuple[EntityInArticle, ...]]]
    keys: dict[str, str]
    # Pages made from other inputs that show what the page of the last build's key (path ->
    # that key) showed: ``PageGroup.alike``.
    alike: dict[str, str] = field(default_factory=dict)


def entity_page_keys(
    entity: IndexedEntity,
    digests: RecordDigests,
    entity_index: Mapping[str, IndexedEntity],
    per_page: int,
    first_page: View,
    last: EntityPageKeys | None = None,
) -> EntityPageKeys:
    """What each of ``entity_pages``' pages reads, by path.

    Every page carries the entity's description, its own timeline and ``first_page`` (the
    quotes by this speaker, ``entity_coverage_view``): these are small and bounded, so they are
    made and hashed as they are. Each page then lists its share of the entity's articles, which
    costs the most to make (mentions in context) and is stood for by the records' digests.

    ``last`` (``serve``) is this entity's keys from the last build: a page showing the very same
    records in the same frame, under the same ``shared`` key, keeps its key unhashed (an edit
    moves one page of a frequent entity's seventy). A page where a record edited since shows
    the same as before (``_shown_alike``: an edit to a paragraph that does not mention the
    entity) gets the key its inputs make, and is marked ``alike`` the last build's: its data,
    and so its bytes, are that page's.
    """
    about = _Key("entity").add(
        sorted(entity_about(entity, entity_index).items()),
        entity_events_view(entity.events),
        sorted(first_page.items()),
    )
    shared = about.hexdigest()
    before = last.pages if last is not None and last.shared == shared else {}
    pages: dict[str, tuple[tuple[object, ...], tuple[EntityInArticle, ...]]] = {}
    keys: dict[str, str] = {}
    alike: dict[str, str] = {}
    appearances = newest_appearances(entity.articles)
    for path, part, frame in paginated(
        urls.entity_path(entity.id), entity.name, appearances, per_page
    ):
        made_from = (tuple(sorted(frame.items())), tuple(part))
        known = before.get(path) if last is not None else None
        shown = None if known is None or known[0] != made_from[0] else known[1]
        if shown is not None and last is not None and _same_records(shown, part):
            keys[path] = last.keys[path]
        else:
            records = [digests.of(item.article) for item in part]
            keys[path] = _Key("entity page").add(shared, list(made_from[0]), records).hexdigest()
            if shown is not None and last is not None and _shown_alike(shown, part):
                alike[path] = last.keys[path]
        pages[path] = made_from
    return EntityPageKeys(shared, pages, keys, alike)


def entity_inputs_mark(
    entity: IndexedEntity,
    digests: RecordDigests,
    entity_index: Mapping[str, IndexedEntity],
    per_page: int,
) -> str:
    """A digest of everything ``entity_page_keys`` reads, cheaper than the keys: the merged
    entity is made from the records that name it (as an entity, in an event, as a quote's
    speaker), so their ids and digests stand for it; then the entity it refers to (its id
    and name are shown) and the page size. The first page's view of the speaker's quotes
    (``entity_coverage_view``) is made from those records too: the quotes, their links
    (quotes link only to quotes by the same speaker, ``corpus.quote_links``), the articles
    linked to and the speaker's merged name. Equal marks, equal keys
    (``publish.saved_keys``: a command-line build takes the last one's keys by it)."""
    records = {item.article.id: item.article for item in entity.articles}
    records.update((entry.article.id, entry.article) for entry in entity.events)
    records.update((spoken.article.id, spoken.article) for spoken in entity.quotes)
    referred = referred_entity(entity, entity_index)
    return (
        _Key("entity inputs")
        .add(
            entity.id,
            per_page,
            (referred.id, referred.name) if referred is not None else None,
            sorted((record_id, digests.of(record)) for record_id, record in records.items()),
        )
        .hexdigest()
    )


def _same_records(before: Sequence[EntityInArticle], now: Sequence[EntityInArticle]) -> bool:
    return len(before) == len(now) and all(
        old.article is new.article for old, new in zip(before, now, strict=True)
    )


def _shown_alike(before: Sequence[EntityInArticle], now: Sequence[EntityInArticle]) -> bool:
    """Whether an entity page lists the same as before: the very same records, in order, or,
    where a record is another object (edited), the same view of it as shown
    (``appearance_as_shown``)."""
    if len(before) != len(now):
        return False
    return all(
        old.article is new.article
        or repr(appearance_as_shown(old)) == repr(appearance_as_shown(new))
        for old, new in zip(before, now, strict=True)
    )


class TimelineEntryKeys:
    """What ``timeline_entry_view`` reads of an entry: its date, its record (by digest) and
    which of the record's events it is (-1: its publication)."""

    def __init__(self, digests: RecordDigests) -> None:
        self.digests = digests
        # Record -> (the record, its digest, each event's place): one lookup per entry.
        self._records: dict[int, tuple[Article, str, dict[int, int]]] = {}

    def of(self, entry: TimelineEntry) -> tuple[str | None, str, int]:
        article, event = entry.article, entry.event
        known = self._records.get(id(article))
        if known is None or known[0] is not article:
            places = {id(item): place for place, item in enumerate(article.events)}
            known = self._records[id(article)] = (article, self.digests.of(article), places)
        return entry.date, known[1], -1 if event is None else known[2][id(event)]


def timeline_page_inputs(
    template: str, data: Mapping[str, object], entries: TimelineEntryKeys
) -> str:
    """What a timeline page reads: its data as ``timeline_views`` made it with the entries as
    placeholders (``as_placeholder``: years, months, pagination, counts), each entry stood for
    by its record and place."""
    return _Key("timeline page").add(template, with_entries(data, entries.of)).hexdigest()


def _add_quote_links(
    key: _Key, ref: QuoteRef, coverage: Coverage, archive: Mapping[str, Article]
) -> None:
    """The other reports of one quote (``quote_view``'s "also reported by": the other article's
    headline and publisher, and where in it the quote is)."""
    for match in coverage.quote_links.get(ref, ()):
        other = archive.get(match.other.article_id)
        if other is None or match.other.position >= len(other.quotes):
            key.add("also", None)
            continue
        reported = other.quotes[match.other.position]
        key.add("also", other.headline, other.publisher, other.slug, reported.zone.value)
        key.add(where_in_article(other, reported.zone, reported.paragraph))


class LinkTexts:
    """What a link to each article shows (``article_link``), made once per build: every article
    page links its related articles and its thread's neighbours, and every entity page its
    articles (an article names ~17 entities), the same few many times."""

    def __init__(self, archive: Mapping[str, Article]) -> None:
        self.archive = archive
        self._made: dict[str, str | None] = {}
        self._views: dict[str, View] = {}

    def view(self, article: Article) -> View:
        """``article_link`` of a record of ``archive``, shared: its users copy it, never change
        it (84,000 made from 5,000 records for a cold build's entity pages: 0.75 -> 0.44 s)."""
        made = self._views.get(article.id)
        if made is None:
            made = self._views[article.id] = article_link(article)
        return made

    def of(self, article_id: str) -> str | None:
        """The link in a page key, by a digest of its text (None for an article not in
        ``archive``): the text itself (~250 characters, ~20 links an article page) made most
        of the 31 MB that 5,000 article keys hashed, 0.2 s of ~1 s."""
        if article_id not in self._made:
            article = self.archive.get(article_id)
            link = sorted(self.view(article).items()) if article is not None else None
            self._made[article_id] = None if link is None else _short_digest(repr(link))
        return self._made[article_id]


def _short_digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()

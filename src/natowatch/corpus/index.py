"""The entity index, the timeline and the publishers: the cross-article views of the archive.

Everything here is one pass over every article's entities, mentions and events (plus sorting),
so the cost grows linearly with the archive; there are no loops over pairs of articles.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from operator import attrgetter
from typing import Any, NamedTuple

from natowatch.core.ids import UNKNOWN_PUBLISHER_SLUG, slugify
from natowatch.core.memory import archive_cache
from natowatch.core.model import (
    ZONE_ORDER,
    Article,
    Entity,
    EntityType,
    Event,
    Mention,
    Quote,
    Zone,
    distinct_mentions,
)
from natowatch.core.snippets import mention_snippet

_ISO_DATE = re.compile(r"^(-?\d{1,6})(?:-(\d{2})(?:-(\d{2}))?)?$")
_TYPE_ORDER = {entity_type: position for position, entity_type in enumerate(EntityType)}

DateKey = tuple[int, int, int]


class MentionInContext(NamedTuple):
    """One mention with the text around it, ready to show with the mention highlighted."""

    zone: Zone
    paragraph: int
    before: str
    text: str
    after: str


@dataclass(frozen=True)
class EntityInArticle:
    """An entity's mentions in one article (possibly none: listed but never located).

    ``located`` holds the distinct mentions in reading order. The text around a mention is cut
    out only when asked for (``mentions``; an entity page cuts the few it shows in a page
    worker): finding sentences for every mention of a frequent entity was a good part of a
    build.
    """

    article: Article
    located: tuple[Mention, ...]

    @property
    def mention_count(self) -> int:
        return len(self.located)

    @cached_property
    def mentions(self) -> tuple[MentionInContext, ...]:
        """Every mention with the text around it, as an entity page shows it (the page cuts
        its own in the page workers: ``entity_views.appearance_view``)."""
        return tuple(_in_context(self.article, mention) for mention in self.located)


@dataclass(frozen=True)
class TimelineEntry:
    """A dated (or undatable) item: an event from an article, or an article's publication.

    ``event`` is None for a publication entry, whose date is the article's ``published``.
    """

    date: str | None
    article: Article
    event: Event | None

    @property
    def is_publication(self) -> bool:
        return self.event is None


@dataclass(frozen=True)
class SpokenQuote:
    """A quote attributed to an entity: ``article.quotes[position]``."""

    article: Article
    position: int
    quote: Quote


# The id of the record an appearance, a timeline entry or a spoken quote is of.
record_id_of = attrgetter("article.id")


@dataclass(frozen=True)
class IndexedEntity:
    """An entity merged across every article that carries its id."""

    id: str
    name: str
    type: EntityType
    description: str | None
    wikidata: str | None
    refers_to: str | None
    articles: tuple[EntityInArticle, ...]
    events: tuple[TimelineEntry, ...]
    quotes: tuple[SpokenQuote, ...] = ()

    @cached_property
    def mention_count(self) -> int:
        """Counted once per entity: the entity lists sort every entity by it on every build,
        and a session keeps the unchanged entities (``KeptEntities``)."""
        return sum(appearance.mention_count for appearance in self.articles)


@dataclass(frozen=True)
class Timeline:
    """Chronological entries, and those whose date is unknown or could not be resolved."""

    dated: tuple[TimelineEntry, ...]
    undated: tuple[TimelineEntry, ...]


@archive_cache(maxsize=1 << 16)
def date_key(date: str | None) -> DateKey | None:
    """A sortable (year, month, day) for an ISO date at any precision; None if not a date.

    Missing parts are 0, so "2016" sorts before "2016-05", which sorts before "2016-05-04".
    Remembered, since every sort and grouping of the timeline asks again for the same dates.
    """
    if date is None:
        return None
    match = _ISO_DATE.match(date.strip())
    if match is None:
        return None
    year, month, day = match.groups()
    return int(year), int(month or 0), int(day or 0)


def build_timeline(articles: Sequence[Article]) -> Timeline:
    """Every event of every article plus each publication, split into dated and undated."""
    return _split_and_sort(entry for article in articles for entry in article_entries(article))


def article_entries(article: Article) -> list[TimelineEntry]:
    """One article's timeline entries: its publication, then its events in order."""
    return [
        TimelineEntry(
            date=article.published if event is None else event.date, article=article, event=event
        )
        for event in entry_events(article)
    ]


def entry_events(article: Article) -> list[Event | None]:
    """The events of ``article_entries``' entries, in their order (None: the publication),
    for a caller that places something by entry without making the entries."""
    return [None, *article.events]


def _split_and_sort(entries: Iterable[TimelineEntry]) -> Timeline:
    dated: list[tuple[tuple[object, ...], TimelineEntry]] = []
    undated: list[tuple[tuple[object, ...], TimelineEntry]] = []
    for entry in entries:
        is_dated, order = timeline_order(entry)
        (dated if is_dated else undated).append((order, entry))
    dated.sort(key=lambda pair: pair[0])
    undated.sort(key=lambda pair: pair[0])
    return Timeline(
        dated=tuple(entry for _, entry in dated), undated=tuple(entry for _, entry in undated)
    )


def timeline_order(entry: TimelineEntry) -> tuple[bool, tuple[object, ...]]:
    """(dated?, the entry's sort key in its list): by date, then by place in the record."""
    key = date_key(entry.date)
    if key is None:
        return False, _position_key(entry)
    return True, (key, *_position_key(entry))


def _position_key(entry: TimelineEntry) -> tuple[str, int, int, int, str, str]:
    """Article id, then where in the article (publication first), then the text itself."""
    event = entry.event
    if event is None:
        return (entry.article.id, -1, -1, 0, "", "")
    return (
        entry.article.id,
        ZONE_ORDER.get(event.zone, len(ZONE_ORDER)),
        event.paragraph,
        0,
        event.expression,
        event.sentence,
    )


def build_entity_index(
    articles: Sequence[Article],
    kept: KeptEntities | None = None,
    timeline: Timeline | None = None,
) -> dict[str, IndexedEntity]:
    """Entity id -> the entity merged across articles: mentions in context, events and quotes.

    When articles disagree about an id's name or type, the one with the most mentions wins
    (ties: the longer name, then alphabetical; for types, the order of ``EntityType``), so the
    result does not depend on the order articles are given in. ``kept`` holds what the last
    build of this process indexed (``natowatch serve``): only the entities of the records
    that changed are merged again, the others taken as they are. ``timeline``, when given,
    is ``build_timeline(articles)``: each entity's events are then taken from it in its
    order, the very same entries, instead of made and sorted again entity by entity (~0.4 s
    of a build at 5,000 articles).
    """
    if kept is not None:
        return kept.update(articles, timeline)
    parts = _EntityParts.of(articles, with_events=timeline is None)
    return parts.index(None if timeline is None else _events_by_entity(timeline))


class _EntityParts:
    """What each entity id is merged from, each list in record id order: the records'
    entities naming it, their events naming it, their quotes it speaks."""

    def __init__(self) -> None:
        self.occurrences: dict[str, list[tuple[Article, Entity]]] = defaultdict(list)
        self.events: dict[str, list[tuple[Article, Event]]] = defaultdict(list)
        self.quotes: dict[str, list[tuple[Article, int, Quote]]] = defaultdict(list)

    @classmethod
    def of(cls, articles: Sequence[Article], with_events: bool = True) -> _EntityParts:
        """The parts of every record, added in record id order (without their events, when
        the index takes them from the timeline and no later update merges again)."""
        parts = cls()
        for article in sorted(articles, key=lambda item: item.id):
            parts.add(article, with_events)
        return parts

    def index(
        self, events: Mapping[str, tuple[TimelineEntry, ...]] | None = None
    ) -> dict[str, IndexedEntity]:
        """Every entity merged, by id in id order; ``events`` (``_events_by_entity``) holds
        each entity's timeline entries in order, if made already."""
        if events is None:
            return {entity_id: self.merge(entity_id) for entity_id in sorted(self.occurrences)}
        return {
            entity_id: self.merge(entity_id, ordered=events.get(entity_id, ()))
            for entity_id in sorted(self.occurrences)
        }

    def add(self, article: Article, with_events: bool = True) -> None:
        """The record's parts, after those of the records added before it."""
        for entity in article.entities:
            self.occurrences[entity.id].append((article, entity))
        for position, quote in enumerate(article.quotes):
            if quote.speaker_id is not None:
                self.quotes[quote.speaker_id].append((article, position, quote))
        if not with_events:
            return
        for event in article.events:
            for entity_id in dict.fromkeys(event.entities):
                self.events[entity_id].append((article, event))

    def lists(self) -> tuple[dict[str, list[Any]], ...]:
        return self.occurrences, self.events, self.quotes

    def merge(
        self,
        entity_id: str,
        before: IndexedEntity | None = None,
        ordered: tuple[TimelineEntry, ...] | None = None,
    ) -> IndexedEntity:
        events = self.events.get(entity_id, [])
        merged = _merge_entity(entity_id, self.occurrences[entity_id], events, before, ordered)
        quotes = self.quotes.get(entity_id, [])
        return replace(merged, quotes=tuple(SpokenQuote(*quote) for quote in quotes))


def _events_by_entity(timeline: Timeline) -> dict[str, tuple[TimelineEntry, ...]]:
    """Each entity's timeline entries (an entry for each event naming it, once), dated then
    undated, in the timeline's order: what ``_split_and_sort`` makes of its events, since
    the order is the same key (entries of one record that tie on it stay in the record's
    order both ways)."""
    dated: dict[str, list[TimelineEntry]] = defaultdict(list)
    undated: dict[str, list[TimelineEntry]] = defaultdict(list)
    for entries, lists in ((timeline.dated, dated), (timeline.undated, undated)):
        for entry in entries:
            if entry.event is not None:
                for entity_id in dict.fromkeys(entry.event.entities):
                    lists[entity_id].append(entry)
    return {
        entity_id: (*dated.get(entity_id, ()), *undated.get(entity_id, ()))
        for entity_id in dated.keys() | undated.keys()
    }


def _entity_ids(article: Article) -> set[str]:
    """The ids whose parts the record adds to (``_EntityParts.add``)."""
    ids = {entity.id for entity in article.entities}
    ids.update(quote.speaker_id for quote in article.quotes if quote.speaker_id is not None)
    ids.update(entity_id for event in article.events for entity_id in event.entities)
    return ids


class KeptEntities:
    """The entity index of the last build of this process (``natowatch serve``), with what
    each entity was merged from, brought up to date record by record: after an edit only the
    entities of the records that changed are merged again (walking every record's entities,
    events and quotes to see which merged entity was still the same cost 0.2 s of each
    rebuild at 5,000 articles). An entity not touched stays the same object, which the page
    keys rely on (``publish.kept_keys``)."""

    def __init__(self) -> None:
        self._records: dict[str, Article] = {}
        self._parts = _EntityParts()
        self._index: dict[str, IndexedEntity] = {}

    def update(
        self, articles: Sequence[Article], timeline: Timeline | None = None
    ) -> dict[str, IndexedEntity]:
        """The index of ``articles`` (``timeline``, if given, theirs: used when starting
        afresh)."""
        records = {article.id: article for article in articles}
        if len(records) != len(articles) or not self._records:  # (ids are unique in an archive)
            self._parts = _EntityParts.of(articles)
            self._index = self._parts.index(
                None if timeline is None else _events_by_entity(timeline)
            )
            self._records = records if len(records) == len(articles) else {}
            return dict(self._index)
        changed = {i for i, record in records.items() if self._records.get(i) is not record}
        changed.update(i for i in self._records if i not in records)
        touched: set[str] = set()
        for record_id in changed:
            for record in (self._records.get(record_id), records.get(record_id)):
                if record is not None:
                    touched |= _entity_ids(record)
        self._drop(changed, touched)
        for record_id in sorted(changed):
            if record_id in records:
                self._parts.add(records[record_id])
        self._sort(touched)
        index = {}
        for entity_id in sorted(self._parts.occurrences):
            before = self._index.get(entity_id)
            kept = None if entity_id in touched else before
            index[entity_id] = self._parts.merge(entity_id, before) if kept is None else kept
        self._records, self._index = records, index
        return dict(index)

    def _drop(self, changed: set[str], touched: set[str]) -> None:
        """The parts the changed records added (only touched entities have any)."""
        for parts in self._parts.lists():
            for entity_id in touched & parts.keys():
                left = [item for item in parts[entity_id] if item[0].id not in changed]
                if left:
                    parts[entity_id] = left
                else:
                    del parts[entity_id]

    def _sort(self, touched: set[str]) -> None:
        """Each touched list back in record id order (stable: a record's parts stay in its
        own order), as a fresh index adds them."""
        for parts in self._parts.lists():
            for entity_id in touched & parts.keys():
                parts[entity_id].sort(key=lambda item: item[0].id)


def _merge_entity(
    entity_id: str,
    occurrences: list[tuple[Article, Entity]],
    events: list[tuple[Article, Event]],
    before: IndexedEntity | None = None,
    ordered: tuple[TimelineEntry, ...] | None = None,
) -> IndexedEntity:
    """One entity merged from its parts. ``before`` (``KeptEntities``: the entity as last
    merged) lends its appearances and timeline entries of the very same records and events,
    equal to what would be made again: a frequent entity has thousands, and only the changed
    records' are new. ``ordered`` holds its timeline entries already made, in order."""
    # One pass over the occurrences (a frequent entity has thousands): the names' weights
    # (mentions), the types' counts, the first description, Wikidata id and referent given,
    # and each article's mentions. An entity's mentions are distinct and in reading order
    # already (``Entity``); only an article naming one id twice needs them merged.
    names: dict[str, int] = {}
    types: dict[EntityType, int] = {}
    description = wikidata = refers_to = None
    located: dict[str, tuple[Article, tuple[Mention, ...]]] = {}
    for article, entity in occurrences:
        names[entity.name] = names.get(entity.name, 0) + (len(entity.mentions) or 1)
        types[entity.type] = types.get(entity.type, 0) + 1
        if not description and entity.description:
            description = entity.description
        if not wikidata and entity.wikidata:
            wikidata = entity.wikidata
        if not refers_to and entity.refers_to:
            refers_to = entity.refers_to
        earlier = located.get(article.id)
        located[article.id] = (
            (article, entity.mentions)
            if earlier is None
            else (earlier[0], distinct_mentions((*earlier[1], *entity.mentions)))
        )
    name = min(names, key=lambda candidate: (-names[candidate], -len(candidate), candidate))
    entity_type = min(types, key=lambda candidate: (-types[candidate], _TYPE_ORDER[candidate]))
    if before is None:
        appearances = tuple(EntityInArticle(*item) for item in located.values())
    else:
        known = {item.article.id: item for item in before.articles}
        appearances = tuple(
            seen
            if (seen := known.get(article.id)) is not None and seen.article is article
            else EntityInArticle(article=article, located=mentions)
            for article, mentions in located.values()
        )
    if ordered is None:
        timeline = _events_of(events, before)
        ordered = timeline.dated + timeline.undated
    return IndexedEntity(
        id=entity_id,
        name=name,
        type=entity_type,
        description=description,
        wikidata=wikidata,
        refers_to=refers_to,
        articles=appearances,
        events=ordered,
    )


def _events_of(events: list[tuple[Article, Event]], before: IndexedEntity | None) -> Timeline:
    """The entity's timeline entries made (or lent by ``before``) and put in order."""
    entries = {} if before is None else {(id(e.article), id(e.event)): e for e in before.events}
    return _entity_timeline(
        [
            entry
            if (entry := entries.get((id(article), id(event)))) is not None
            and entry.article is article
            and entry.event is event
            else TimelineEntry(date=event.date, article=article, event=event)
            for article, event in events
        ],
        before,
    )


def _entity_timeline(entries: list[TimelineEntry], before: IndexedEntity | None) -> Timeline:
    """``_split_and_sort`` of the entity's entries; with ``before`` (the entity as last merged)
    its entries still here keep their order and only the new ones (the changed records') are
    put in place by bisection: a frequent entity's thousands of entries were sorted again for
    each edit. The same order either way: sort keys differ between records (they start with
    the record's id), and a changed record's entries are all new, inserted in their order."""
    if before is None:
        return _split_and_sort(entries)
    old = {id(entry) for entry in before.events}
    fresh = [entry for entry in entries if id(entry) not in old]
    if len(fresh) * 8 > len(entries):  # much changed: sorting is as quick
        return _split_and_sort(entries)
    here = {id(entry) for entry in entries}
    split = bisect.bisect_left(before.events, True, key=_is_undated)
    dated = [entry for entry in before.events[:split] if id(entry) in here]
    undated = [entry for entry in before.events[split:] if id(entry) in here]
    for entry in fresh:
        is_dated, _ = timeline_order(entry)
        bisect.insort_right(dated if is_dated else undated, entry, key=_order_in_list)
    return Timeline(dated=tuple(dated), undated=tuple(undated))


def _is_undated(entry: TimelineEntry) -> bool:
    return date_key(entry.date) is None


def _order_in_list(entry: TimelineEntry) -> tuple[object, ...]:
    return timeline_order(entry)[1]


def _in_context(article: Article, mention: Mention) -> MentionInContext:
    """The mention with its surrounding text; falls back gracefully on stale offsets."""
    paragraph = zone_text(article, mention.zone, mention.paragraph)
    before, shown, after = mention_snippet(paragraph, mention.start, mention.end, mention.text)
    return MentionInContext(mention.zone, mention.paragraph, before, shown, after)


def zone_text(article: Article, zone: Zone, position: int) -> str | None:
    """The text a mention's offsets refer to: a body paragraph, a caption or a comment."""
    if position < 0:
        return None
    if zone == _BODY:
        return article.body[position] if position < len(article.body) else None
    if zone == _CAPTION:
        return article.images[position].caption if position < len(article.images) else None
    return article.comments[position].text if position < len(article.comments) else None


# The members themselves: reading ``Zone.BODY`` goes through the enum class (0.2 us a time).
_BODY, _CAPTION = Zone.BODY, Zone.CAPTION


@dataclass(frozen=True)
class Publisher:
    """The articles of one publisher, by id; ``name`` None groups those naming no publisher."""

    name: str | None
    slug: str
    articles: tuple[Article, ...]


def publisher_name(article: Article) -> str | None:
    """The publisher as grouped: whitespace collapsed, and a blank name counts as unknown."""
    name = " ".join((article.publisher or "").split())
    return name or None


def build_publisher_index(articles: Sequence[Article]) -> list[Publisher]:
    """Publishers by name (case-insensitively), then the unknown-publisher group if any.

    Nothing is dropped: an article without a publisher lands in the unknown group, whose slug
    no real name can produce.
    """
    by_name: dict[str | None, list[Article]] = defaultdict(list)
    for article in sorted(articles, key=lambda item: item.id):
        by_name[publisher_name(article)].append(article)
    named = sorted((name for name in by_name if name is not None), key=lambda n: (n.casefold(), n))
    slugs = _unique_slugs({name: len(by_name[name]) for name in named})
    groups = [Publisher(name, slugs[name], tuple(by_name[name])) for name in named]
    if None in by_name:
        groups.append(Publisher(None, UNKNOWN_PUBLISHER_SLUG, tuple(by_name[None])))
    return groups


def _unique_slugs(article_counts: dict[str, int]) -> dict[str, str]:
    """A distinct slug per name: where names share one ("Reuters", "REUTERS"), the name with
    the most articles keeps it (ties: alphabetical) and the others get a stable hash suffix."""
    by_slug: dict[str, list[str]] = defaultdict(list)
    for name in article_counts:
        by_slug[slugify(name)].append(name)
    slugs: dict[str, str] = {}
    for slug, names in by_slug.items():
        names.sort(key=lambda name: (-article_counts[name], name))
        slugs[names[0]] = slug
        for name in names[1:]:
            digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
            slugs[name] = f"{slug}-{digest}"
    return slugs

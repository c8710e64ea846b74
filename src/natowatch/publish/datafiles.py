"""``data/entities.json`` and ``data/timeline.json``: the cross-article views as plain data.

They hold what the entity pages and the timeline page show, built from the same
``natowatch.corpus.index`` results, so scripts can reuse the archive without scraping HTML. Both are
written like ``data/articles.json`` (sorted keys, compact, UTF-8, trailing newline) and
every list has a total order, so the same archive always gives the same bytes. Paths are
site-relative, as produced by ``natowatch.publish.urls``; the schemas are in ``docs/schemas/``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from itertools import groupby
from json.encoder import encode_basestring as _string  # json.dumps' own escaping
from operator import attrgetter
from typing import Any

from natowatch.core.jsonfile import json_array_parts, json_text
from natowatch.core.memory import archive_cache
from natowatch.core.model import Article, Zone
from natowatch.corpus.index import (
    EntityInArticle,
    IndexedEntity,
    Timeline,
    TimelineEntry,
    build_entity_index,
    build_timeline,
    date_key,
    record_id_of,
    timeline_order,
)
from natowatch.publish import urls

ENTITIES_JSON = "data/entities.json"
TIMELINE_JSON = "data/timeline.json"

Record = dict[str, Any]


def data_files(
    articles: Sequence[Article],
    entity_index: Mapping[str, IndexedEntity] | None = None,
    timeline: Timeline | None = None,
) -> dict[str, bytes]:
    """{site path: bytes} of the data files this module writes."""
    parts = data_file_parts(articles, entity_index, timeline)
    return {path: b"".join(chunks) for path, chunks in parts.items()}


def data_file_parts(
    articles: Sequence[Article],
    entity_index: Mapping[str, IndexedEntity] | None = None,
    timeline: Timeline | None = None,
    encode_entity: Callable[[IndexedEntity], bytes] | None = None,
    encode_run: RunEncoder | None = None,
) -> dict[str, Iterator[bytes]]:
    """{site path: its bytes in pieces}, made as they are written: for a large archive each
    file is tens of megabytes, and several times that as the records it is encoded from.

    ``render_site`` passes the entity index and timeline its pages were built from, so they
    are computed once per build; ``encode_entity`` and ``encode_run`` (default
    ``entity_json``, ``timeline_run_json``) may take stored bytes instead (``stored_json``).
    """
    return {
        ENTITIES_JSON: entities_json_parts(articles, entity_index, encode_entity),
        TIMELINE_JSON: timeline_json_parts(articles, timeline, encode_run),
    }


def entities_json(
    articles: Sequence[Article], index: Mapping[str, IndexedEntity] | None = None
) -> bytes:
    """Every entity of the archive once, merged across articles, sorted by id."""
    return b"".join(entities_json_parts(articles, index))


def entities_json_parts(
    articles: Sequence[Article],
    index: Mapping[str, IndexedEntity] | None = None,
    encode: Callable[[IndexedEntity], bytes] | None = None,
) -> Iterator[bytes]:
    index = index if index is not None else build_entity_index(articles)
    encode = encode or entity_json
    return json_array_parts(encode(entity) for _, entity in sorted(index.items()))


def entity_json(entity: IndexedEntity) -> bytes:
    """One entity's record in ``data/entities.json``, its appearances encoded one by one
    (``appearance_json``: a frequent entity has thousands, and after an edit all but one are
    as before: ``StoredJson`` takes those again).

    The record's keys are sorted and "articles" comes first, so the encoded appearances are
    spliced in ahead of the other fields: the same bytes as encoding the record whole."""
    appearances = [
        appearance_json(appearance)
        for appearance in sorted(entity.articles, key=lambda item: item.article.id)
    ]
    return entity_json_of(entity, appearances)


def entity_json_of(entity: IndexedEntity, appearances: Sequence[tuple[bytes, int]]) -> bytes:
    """``entity_json`` from its appearances already encoded, in article id order."""
    rest = _entity_fields(entity, sum(count for _, count in appearances))
    return b'{"articles":[' + b",".join(part for part, _ in appearances) + b"]," + rest[1:]


def appearance_json(appearance: EntityInArticle) -> tuple[bytes, int]:
    """One article's entry in an entity's "articles", with its number of mentions: the bytes
    ``json_text`` gives its record (an item of the schema's "articles"), written out directly
    from the mentions the entity index located there. A cold build at 5,000 articles encodes
    ~84,000 of them in its main process: 3.0 s through a dict and ``json.dumps`` each, with
    the article's entities searched for the id. Strings are escaped by ``json.dumps``' own
    function."""
    article, located = appearance.article, appearance.located
    mentions = ",".join(
        [
            f'{{"end":{mention.end},"in":{_string(mention.zone.value)},'
            f'"paragraph":{mention.paragraph},"start":{mention.start},'
            f'"text":{_string(mention.text)}}}'
            for mention in located
        ]
    )
    head, tail = _appearance_ends(article.id, article.slug)
    return f"{head}{mentions}{tail}".encode(), len(located)


@archive_cache(maxsize=8192)
def _appearance_ends(article_id: str, slug: str) -> tuple[str, str]:
    """What an article's appearances in every entity's record start and end with."""
    page = _string(urls.article_path(slug))
    return (
        f'{{"article":{_string(article_id)},"mentions":[',
        f'],"page":{page},"slug":{_string(slug)}}}',
    )


def timeline_json(articles: Sequence[Article], timeline: Timeline | None = None) -> bytes:
    """The timeline's dated entries in date order, and the undated ones in their own list."""
    return b"".join(timeline_json_parts(articles, timeline))


# Makes the bytes of a run of timeline entries (``timeline_run_json``); the first argument
# names the run (its list, its date or record, and which run of that name), the same in every
# build that has it.
RunEncoder = Callable[[Hashable, Sequence[TimelineEntry]], bytes]


def timeline_json_parts(
    articles: Sequence[Article],
    timeline: Timeline | None = None,
    encode_run: RunEncoder | None = None,
) -> Iterator[bytes]:
    """``{"dated":[...],"undated":[...]}`` in the data files' style, a run of entries at a
    time: the dated ones of one date, the undated ones of one record (``timeline_runs``).

    ``encode_run`` (default ``timeline_run_json``) may take stored bytes instead."""
    timeline = timeline if timeline is not None else build_timeline(articles)
    encode = encode_run or (lambda _, entries: timeline_run_json(entries))
    for opening, entries in ((b'{"dated":[', timeline.dated), (b'],"undated":[', timeline.undated)):
        yield opening
        for index, (name, run) in enumerate(timeline_runs(entries)):
            if index:
                yield b","
            yield encode(name, run)  # the very bytes kept (``publish.streams``)
    yield b"]}\n"


def timeline_runs(
    entries: Sequence[TimelineEntry],
) -> Iterator[tuple[Hashable, list[TimelineEntry]]]:
    """The entries (in the timeline's order) in runs of one date, or of one record for the
    undated, each with its name: a one-article edit changes a few runs of thousands, and a
    caller that keeps the bytes of the others (``serve``) encodes only those.

    A run is a longest stretch of entries of one day (``date_key``), or with no day of one
    record (its id). The entries are first taken in
    stretches of one date as written (``groupby`` in C: a key call per entry was 0.04 s of
    every rebuild at 5,000 articles); neighbouring stretches whose dates mean the same day are
    joined, and an undated stretch is split by record."""
    seen: dict[Hashable, int] = {}
    key: Hashable = None
    run: list[TimelineEntry] = []
    for date, stretch in groupby(entries, key=_DATE):
        for part_key, part in _parts(date_key(date), stretch):
            if run and part_key == key:
                run.extend(part)
                continue
            if run:
                ordinal = seen[key] = seen.get(key, -1) + 1
                yield (key, ordinal), run
            key, run = part_key, part
    if run:
        ordinal = seen[key] = seen.get(key, -1) + 1
        yield (key, ordinal), run


_DATE = attrgetter("date")


def _parts(
    day: Hashable, stretch: Iterable[TimelineEntry]
) -> list[tuple[Hashable, list[TimelineEntry]]]:
    """A stretch of one date as written: one part of that day, or with no day one per record."""
    if day is not None:
        return [(day, list(stretch))]
    return [(record, list(part)) for record, part in groupby(stretch, key=record_id_of)]


def timeline_run_json(
    entries: Sequence[TimelineEntry], encode_entry: Callable[[TimelineEntry], bytes] | None = None
) -> bytes:
    """A run of the timeline's entries as they appear in its array (joined by commas),
    each encoded by ``encode_entry`` (default ``timeline_entry_json``)."""
    return b",".join(map(encode_entry or timeline_entry_json, _in_order(entries)))


def timeline_entry_json(entry: TimelineEntry) -> bytes:
    """One entry's record in ``data/timeline.json``."""
    return _encoded(_entry_record(entry))


def _encoded(record: Record) -> bytes:
    """One record in the same JSON style as ``data/articles.json``, so all data files diff alike."""
    return json_text(record).encode("utf-8")


# --- entities ------------------------------------------------------------------------------


def _entity_fields(entity: IndexedEntity, mention_count: int) -> bytes:
    return _encoded(_entity_fields_record(entity, mention_count))


def _entity_fields_record(entity: IndexedEntity, mention_count: int) -> Record:
    """The entity's record in ``data/entities.json`` but its "articles" (the appearances)."""
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type.value,
        "description": entity.description,
        "wikidata": entity.wikidata,
        "refers_to": entity.refers_to,
        "page": urls.entity_path(entity.id),
        "mention_count": mention_count,
    }


# --- timeline ------------------------------------------------------------------------------


def _in_order(entries: Sequence[TimelineEntry]) -> list[TimelineEntry]:
    """A ``Timeline``'s entries, which come in its order (``corpus.index.timeline_order``),
    with each run of entries that tie on it ordered by the records' JSON: the whole record
    breaks any remaining tie.

    The order includes the record's id, so only neighbours from one record can tie: keys are
    made for those alone (keying and sorting all 55,000 entries at 5,000 articles cost 0.15 s
    a build)."""
    ordered = list(entries)
    start = 0
    while start < len(ordered):
        end = start + 1
        record = ordered[start].article.id
        if end < len(ordered) and ordered[end].article.id == record:
            key = timeline_order(ordered[start])
            while (
                end < len(ordered)
                and ordered[end].article.id == record
                and timeline_order(ordered[end]) == key
            ):
                end += 1
            if end - start > 1:
                ordered[start:end] = sorted(ordered[start:end], key=_tie_break)
        start = end
    return ordered


def _tie_break(entry: TimelineEntry) -> str:
    return json.dumps(_entry_record(entry), sort_keys=True)


def _entry_record(entry: TimelineEntry) -> Record:
    """An event, or an article's publication (whose event fields are null)."""
    article = entry.article
    page = urls.article_path(article.slug)
    record: Record = {
        "kind": "publication",
        "date": entry.date,
        "precision": _publication_precision(entry.date),
        "qualifier": None,
        "resolved": None,
        "expression": None,
        "sentence": None,
        "in": None,
        "paragraph": None,
        "entities": [],
        "article": article.id,
        "slug": article.slug,
        "page": page,
        "link": page,
    }
    event = entry.event
    if event is None:
        return record
    return {
        **record,
        "kind": "event",
        "precision": event.precision,
        "qualifier": event.qualifier,
        "resolved": event.resolved,
        "expression": event.expression,
        "sentence": event.sentence,
        "in": event.zone.value,
        "paragraph": event.paragraph,
        "entities": sorted(set(event.entities)),
        "link": _place_link(article, page, event.zone, event.paragraph),
    }


def _publication_precision(date: str | None) -> str | None:
    """Day for the loader's full dates; hand-made records may give only a year or a month."""
    key = date_key(date)
    if key is None:
        return None
    _, month, day = key
    return "day" if day else "month" if month else "year"


def _place_link(article: Article, page: str, zone: Zone, position: int) -> str:
    """The anchor the article page gives that paragraph, caption or comment; else the page."""
    if position < 0:
        return page
    if zone == Zone.BODY:
        count = len(article.body if article.body_html is None else article.body_html)
        fragment = urls.paragraph_fragment(position) if position < count else None
    elif zone == Zone.CAPTION:
        fragment = urls.figure_fragment(position) if position < len(article.images) else None
    else:
        fragment = urls.comment_fragment(position) if position < len(article.comments) else None
    return page if fragment is None else urls.with_fragment(page, fragment)

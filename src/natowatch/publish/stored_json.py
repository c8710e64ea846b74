"""Pieces of the data files kept in the record cache, so a rebuild encodes only what changed.

``data/articles.json``, ``data/entities.json`` and ``data/timeline.json`` are arrays of one JSON
record per article, entity and timeline entry; after a one-article edit nearly every record is
the same bytes as before, and encoding them all again was most of the cost of writing the data
files. Each piece is stored under a key that hashes everything it is made from: an article's
record key for its record and its timeline entries (see ``RecordDigests.record_key``; records
renamed by the alias pass have none and are encoded each time), an entity's own fields with the
digests of the records of its articles and natowatch's code. Pieces no build uses any more are
forgotten when the build finishes.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import partial
from typing import BinaryIO, Protocol, TypeVar, cast

from natowatch.archive.cache import RecordCache
from natowatch.core.fingerprints import code_fingerprint
from natowatch.core.model import Article
from natowatch.core.remembered import Remembered
from natowatch.corpus.index import (
    EntityInArticle,
    IndexedEntity,
    TimelineEntry,
    entry_events,
    record_id_of,
)
from natowatch.publish.datafiles import (
    ENTITIES_JSON,
    TIMELINE_JSON,
    appearance_json,
    entity_json_of,
    timeline_entry_json,
    timeline_run_json,
    timeline_runs,
)
from natowatch.publish.early_pieces import EarlyPieces
from natowatch.publish.page_inputs import RecordDigests
from natowatch.publish.previous_pieces import PreviousPieces
from natowatch.publish.record_pieces import (
    article_piece,
    listed_summary,
    summary_from,
    summary_key,
    summary_piece,
    timeline_key,
    timeline_piece,
)
from natowatch.publish.urls import ARTICLES_JSON
from natowatch.publish.views import View

# Pieces stored per transaction: a cold build of a large archive never holds them all.
STORE_BATCH = 256
# Pieces read per query when they were announced (``StoredJson.expect``).
READ_BATCH = 200


_Made = TypeVar("_Made")


class _LineSource(Protocol):
    def __getitem__(self, line: int, /) -> bytes: ...


# An article's timeline lines, and which line is each event's (by the event's identity).
_Lines = tuple[_LineSource, dict[int, int]]
# A run of timeline entries' bytes, with the stored pieces it was made from.
_Run = tuple[frozenset[str], bytes]


# The pieces the last build of this process used (``natowatch serve``), with their keys, by the
# record or merged entity each was made from: found again without hashing its inputs or asking
# the cache.
KeptPieces = Remembered[tuple[str | None, object]]


@dataclass(frozen=True)
class _EntityMade:
    """An entity's piece with what it was made from: its records by id, each one's (id,
    digest), and each one's encoded appearance (empty when the piece came from the cache)."""

    data: bytes
    records: tuple[Article, ...]
    pairs: list[tuple[str, str]]
    parts: list[tuple[bytes, int]]


class _SpilledLines:
    """A record's timeline lines kept in a file instead of memory (``StoredJson._spill``)."""

    __slots__ = ("_file", "_starts")

    def __init__(self, file: BinaryIO, piece: bytes) -> None:
        self._file = file
        base = file.seek(0, os.SEEK_END)
        file.write(piece)
        file.flush()  # (read back below the file object's buffer)
        starts = [base]
        at = piece.find(b"\n")
        while at >= 0:
            starts.append(base + at + 1)
            at = piece.find(b"\n", at + 1)
        starts.append(base + len(piece) + 1)  # (as if the piece ended with a newline)
        self._starts = starts

    def __getitem__(self, line: int) -> bytes:
        start, end = self._starts[line], self._starts[line + 1] - 1
        return os.pread(self._file.fileno(), end - start, start)


def _by_article_id(item: EntityInArticle) -> str:
    return item.article.id


def _by_id(article: Article) -> str:
    return article.id


def _places_in(records: Sequence[Article], last: Sequence[Article]) -> list[int | None]:
    """Each record's place among ``last``, if it is the very same object there; else None."""
    place = {id(record): at for at, record in enumerate(last)}
    found: list[int | None] = []
    for record in records:
        at = place.get(id(record))
        found.append(at if at is not None and last[at] is record else None)
    return found


def _in_changed_runs(
    timeline: Sequence[TimelineEntry], changed: AbstractSet[str]
) -> list[TimelineEntry]:
    """The entries (in the timeline's order) of the runs (``timeline_runs``) a changed record
    has an entry in: those made again, the unchanged records' among them from their stored
    lines."""
    return [
        entry
        for _, run in timeline_runs(timeline)
        if not changed.isdisjoint(map(record_id_of, run))
        for entry in run
    ]


class StoredJson:
    """``record_json`` and ``entity_json``, read back from the cache where an earlier build
    stored them (or from ``kept``, the last build of this process). Call ``finish`` once the
    data files are written."""

    def __init__(
        self,
        cache: RecordCache,
        digests: RecordDigests,
        kept: KeptPieces | None = None,
        early: EarlyPieces | None = None,
        previous: PreviousPieces | None = None,
    ) -> None:
        """``previous`` (command-line builds) gives the pieces of the previous site's files
        that no change reached; the pieces are laid out for the next build as they are written
        (``laid_out``)."""
        self.cache = cache
        self._early = early
        self._previous = previous
        self.digests = digests
        self.new: dict[str, bytes] = {}
        self.used: set[str] = set()
        self._kept = kept
        # Article id -> its timeline lines and each event's line, while the timeline is written,
        # and how many of them are still to be written: an article's lines are dropped once all
        # are (the timeline is in date order, so few articles are open at a time; holding every
        # article's lines to the end kept 36 MiB alive at the end of a 5,000-article render).
        self._entries: dict[str, _Lines | None] = {}
        self._left: dict[str, int] = {}
        # Pieces announced by ``expect`` (key -> the announced order and its place there),
        # and those read ahead with another, not asked for yet
        self._expected: dict[str, tuple[list[str], int]] = {}
        self._read: dict[str, bytes | None] = {}
        # Without a session, the lines of the records whose timeline entries are not all
        # written yet go to a temporary file: a record's first entry (its oldest event) comes
        # long before its last, and holding their lines (26 MiB at 5,000 articles) while the
        # pages render raised the build's memory peak.
        self._spill: BinaryIO | None = None

    def article(self, article: Article) -> bytes:
        if self._previous is not None:
            key = self.digests.record_key(article)
            found = self._previous.take(ARTICLES_JSON, article.id, (article.id,), 1)
            if found is None:
                data = self._piece(key, lambda: article_piece(article))
            else:
                data = found[0]
                if key is not None:
                    self.used.add(key)
            return self._previous.announce(ARTICLES_JSON, article.id, data, 1, None)

        def make() -> tuple[str | None, bytes]:
            key = self.digests.record_key(article)
            return key, self._piece(key, lambda: article_piece(article))

        return self._remembered("article", article.id, article, make)

    def entity(self, entity: IndexedEntity) -> bytes:
        if self._previous is not None:
            count = len(entity.articles)
            records = (item.article.id for item in entity.articles)
            found = self._previous.take(ENTITIES_JSON, entity.id, records, count)
            key: str | None
            if found is None:
                key, made_now = self._entity(entity)
                data = made_now.data
            else:
                data, key = found
                if key is not None:
                    self.used.add(key)
            return self._previous.announce(ENTITIES_JSON, entity.id, data, count, key)
        made: _EntityMade = self._remembered(
            "entity", entity.id, entity, lambda: self._entity(entity)
        )
        return made.data

    def _entity(self, entity: IndexedEntity) -> tuple[str, _EntityMade]:
        """The entity's piece, under a key of its fields and its records' digests. After an
        edit a frequent entity (thousands of records) is a new object with the same records
        but the edited one: the last build's digests and encoded appearances of the very same
        records are taken again (``serve``; 0.35 s a rebuild at 5,000 articles when each
        appearance was encoded again, 0.03 s when each was looked up)."""
        appearances = sorted(entity.articles, key=_by_article_id)
        records = tuple(item.article for item in appearances)
        last = self._last_entity(entity.id)
        before = _places_in(records, last.records if last is not None else ())
        pairs = [
            (record.id, self.digests.of(record)) if at is None else last.pairs[at]  # type: ignore[union-attr]
            for record, at in zip(records, before, strict=True)
        ]
        made_from = [
            code_fingerprint(),
            entity.id,
            entity.name,
            entity.type.value,
            entity.description,
            entity.wikidata,
            entity.refers_to,
            pairs,  # sorted by id, as the records
        ]
        key = "entity:" + hashlib.sha256(repr(made_from).encode()).hexdigest()
        parts: list[tuple[bytes, int]] = []

        def make() -> bytes:
            encoded = last.parts if last is not None else []
            parts.extend(
                encoded[at] if at is not None and encoded else appearance_json(appearance)
                for appearance, at in zip(appearances, before, strict=True)
            )
            return entity_json_of(entity, parts)

        data = self._piece(key, make)
        return key, _EntityMade(data, records, pairs, parts)

    def _last_entity(self, entity_id: str) -> _EntityMade | None:
        known = self._kept.last(("entity", entity_id)) if self._kept is not None else None
        return None if known is None else cast(_EntityMade, known[1])

    def summaries(self, articles: Sequence[Article]) -> dict[str, View]:
        """``listed_summary`` of each record by id, read back where stored (the listings of
        every build show every record: 5,000 ledes read as text again cost ~0.4 s of a one-edit
        build), or kept from the last build of this process for the very same record (serve);
        ``articles`` in the order they are wanted, which is the order they are read."""
        keys = [self.digests.record_key(article) for article in articles]
        if self._kept is None:
            self.expect(None if key is None else summary_key(key) for key in keys)
        found: dict[str, View] = {}
        for article, key in zip(articles, keys, strict=True):
            found[article.id] = self._remembered(
                "summary", article.id, article, partial(self._summary, article, key)
            )
        return found

    def _summary(self, article: Article, key: str | None) -> tuple[str | None, View]:
        if key is None:  # a record renamed by the alias pass: made each time
            return None, listed_summary(article)
        piece = self._piece(summary_key(key), partial(summary_piece, article))
        return summary_key(key), summary_from(piece)

    def expect_data_files(
        self, articles: Sequence[Article], timeline: Sequence[TimelineEntry]
    ) -> None:
        """``expect`` the pieces of ``data/articles.json`` (the records by id, as
        ``articles_json_parts`` writes them) and of ``data/timeline.json`` (each record's
        lines, where its first entry is). Another order only costs more queries.

        With ``previous``, it is told each record's digest first, and where the previous
        site's file gives the other pieces only those made again are expected: the changed
        records' and the timeline lines of the runs they are in (``_in_changed_runs``). The
        timeline lines of every record are kept stored all the same."""
        if self._early is not None:  # stopped before the data files start (``early_pieces``)
            self._early.finish()
        record_key = self.digests.record_key
        ordered = sorted(articles, key=_by_id)
        if self._previous is not None:
            self._previous.start({article.id: self.digests.of(article) for article in ordered})
            keys = (record_key(article) for article in ordered)
            self.used.update(timeline_key(key) for key in keys if key is not None)
            changed = self._previous.changed
            if self._previous.usable(ARTICLES_JSON):
                ordered = [article for article in ordered if article.id in changed]
            if self._previous.usable(TIMELINE_JSON):
                timeline = _in_changed_runs(timeline, changed)
        self.expect(record_key(article) for article in ordered)
        firsts = {id(entry.article): entry.article for entry in timeline}  # (in entry order)
        self.expect(
            None if (key := record_key(article)) is None else timeline_key(key)
            for article in firsts.values()
        )

    def laid_out(self, files: dict[str, Iterator[bytes]]) -> dict[str, Iterator[bytes]]:
        """The data files' parts, laid out for the next build as they pass (``previous``)."""
        previous = self._previous
        if previous is None:
            return files
        return {path: previous.laid_out(path, parts) for path, parts in files.items()}

    def timeline_entry(self, entry: TimelineEntry) -> bytes:
        """An entry of ``data/timeline.json``: the article's entries are stored together, one
        line each, under its record key (they are made from the record alone)."""
        article = entry.article
        if article.id not in self._entries:
            self._entries[article.id] = self._remembered(
                "timeline", article.id, article, lambda: self._timeline_lines(article)
            )
        made = self._entries[article.id]
        if made is None:  # a record renamed by the alias pass: encoded each time
            return timeline_entry_json(entry)
        lines, places = made
        left = self._left.get(article.id, len(places)) - 1
        if left > 0:
            self._left[article.id] = left
        else:  # the article's last entry: made again should it be asked for once more
            del self._entries[article.id]
            self._left.pop(article.id, None)
        return lines[places[id(entry.event)]]

    def timeline_run(self, name: Hashable, entries: Sequence[TimelineEntry]) -> bytes:
        """A run of ``data/timeline.json``'s entries (``timeline_run_json``), kept while it
        holds the very same entry objects (``serve``): after an edit the unchanged records'
        entries are, and joining 55,000 stored lines again cost 0.2 s a rebuild at 5,000
        articles. The pieces it was made from are counted as used all the same."""
        if self._previous is not None:
            records = (entry.article.id for entry in entries)
            found = self._previous.take(TIMELINE_JSON, name, records, len(entries))
            run = timeline_run_json(entries, self.timeline_entry) if found is None else found[0]
            return self._previous.announce(TIMELINE_JSON, name, run, len(entries), None)
        if self._kept is None:
            return timeline_run_json(entries, self.timeline_entry)

        def make() -> tuple[None, _Run]:
            data = timeline_run_json(entries, self.timeline_entry)
            keys = {self.digests.record_key(entry.article) for entry in entries}
            return None, (frozenset(timeline_key(key) for key in keys if key is not None), data)

        used, data = cast(_Run, self._kept.made(("timeline-run", name), tuple(entries), make)[1])
        self.used.update(used)
        return data

    def _timeline_lines(self, article: Article) -> tuple[str | None, _Lines | None]:
        key = self.digests.record_key(article)
        if key is None:
            return None, None
        stored = self._piece(timeline_key(key), lambda: timeline_piece(article))
        # Its lines are ``article_entries``' (``timeline_piece``), in ``entry_events`` order.
        places = {id(event): position for position, event in enumerate(entry_events(article))}
        if self._kept is not None or not article.events:  # (read at once: nothing to hold)
            return timeline_key(key), (stored.split(b"\n"), places)
        if self._spill is None:
            self._spill = tempfile.TemporaryFile()  # noqa: SIM115 - closed by finish()
        return timeline_key(key), (_SpilledLines(self._spill, stored), places)

    def finish(self) -> None:
        """Store what is new; forget the pieces this build did not use."""
        if self._early is not None:
            self._early.finish()
        self._store()
        self.cache.keep_encoded(self.used)
        self._entries, self._left = {}, {}
        if self._spill is not None:
            self._spill.close()
            self._spill = None
        self._expected, self._read = {}, {}
        if self._kept is not None:
            self._kept.finish()

    def _remembered(
        self, kind: str, name: str, source: object, make: Callable[[], tuple[str | None, _Made]]
    ) -> _Made:
        """What ``make`` gives for ``source``, reused from the last build when ``source`` is
        the same object; the stored piece's key, if any, counted as used."""
        if self._kept is None:
            return make()[1]
        known = self._kept.get((kind, name), (source,))
        if known is None:
            known = make()
        elif known[0] is not None:
            self.used.add(known[0])
        return cast(_Made, self._kept.put((kind, name), (source,), known)[1])

    def expect(self, keys: Iterable[str | None]) -> None:
        """The stored pieces about to be asked for, in order (``None``: not stored): they are
        read a batch at a time instead of one query each (10,000 queries were ~0.2 s of a
        command-line build at 5,000 articles). Pieces asked for otherwise are read alone."""
        order = list(dict.fromkeys(key for key in keys if key is not None))
        self._expected.update({key: (order, at) for at, key in enumerate(order)})

    def _stored(self, key: str) -> bytes | None:
        if key in self._read:
            return self._read.pop(key)
        expected = self._expected.pop(key, None)
        if expected is None:
            return self.cache.encoded(key)
        order, at = expected
        batch = order[at : at + READ_BATCH]
        found = self.cache.encoded_many(batch)
        for other in batch[1:]:  # read now, found or not
            if self._expected.pop(other, None) is not None:
                self._read[other] = found.get(other)
        return found.get(key)

    def _piece(self, key: str | None, make: Callable[[], bytes]) -> bytes:
        if key is None:
            return make()
        self.used.add(key)
        stored = self._stored(key)
        if stored is not None:
            return stored
        data = self.new[key] = make()
        if len(self.new) >= STORE_BATCH:
            self._store()
        return data

    def _store(self) -> None:
        self.cache.put_encoded(self.new)
        self.new = {}

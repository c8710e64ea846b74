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
from collections.abc import Callable

from natowatch.archive.cache import RecordCache
from natowatch.core.fingerprints import code_fingerprint
from natowatch.core.model import Article
from natowatch.corpus.index import IndexedEntity, TimelineEntry, article_entries
from natowatch.publish.datafiles import entity_json, timeline_entry_json
from natowatch.publish.page_inputs import RecordDigests
from natowatch.publish.site_files import record_json

# Pieces stored per transaction: a cold build of a large archive never holds them all.
STORE_BATCH = 256


class StoredJson:
    """``record_json`` and ``entity_json``, read back from the cache where an earlier build
    stored them. Call ``finish`` once the data files are written."""

    def __init__(self, cache: RecordCache, digests: RecordDigests) -> None:
        self.cache = cache
        self.digests = digests
        self.new: dict[str, bytes] = {}
        self.used: set[str] = set()
        # Article id -> its timeline lines and each event's line (by identity), while the
        # timeline is written.
        self._entries: dict[str, tuple[list[bytes], dict[int, int]]] = {}

    def article(self, article: Article) -> bytes:
        key = self.digests.record_key(article)
        return self._piece(key, lambda: record_json(article))

    def entity(self, entity: IndexedEntity) -> bytes:
        made_from = [
            code_fingerprint(),
            entity.id,
            entity.name,
            entity.type.value,
            entity.description,
            entity.wikidata,
            entity.refers_to,
            sorted((item.article.id, self.digests.of(item.article)) for item in entity.articles),
        ]
        key = "entity:" + hashlib.sha256(repr(made_from).encode()).hexdigest()
        return self._piece(key, lambda: entity_json(entity))

    def timeline_entry(self, entry: TimelineEntry) -> bytes:
        """An entry of ``data/timeline.json``: the article's entries are stored together, one
        line each, under its record key (they are made from the record alone)."""
        article = entry.article
        key = self.digests.record_key(article)
        if key is None:
            return timeline_entry_json(entry)
        made = self._entries.get(article.id)
        if made is None:
            entries = article_entries(article)
            stored = self._piece(
                "timeline:" + key, lambda: b"\n".join(map(timeline_entry_json, entries))
            )
            places = {id(item.event): position for position, item in enumerate(entries)}
            made = self._entries[article.id] = (stored.split(b"\n"), places)
        lines, places = made
        return lines[places[id(entry.event)]]

    def finish(self) -> None:
        """Store what is new; forget the pieces this build did not use."""
        self._store()
        self.cache.keep_encoded(self.used)
        self._entries = {}

    def _piece(self, key: str | None, make: Callable[[], bytes]) -> bytes:
        if key is None:
            return make()
        self.used.add(key)
        stored = self.cache.encoded(key)
        if stored is not None:
            return stored
        data = self.new[key] = make()
        if len(self.new) >= STORE_BATCH:
            self._store()
        return data

    def _store(self) -> None:
        self.cache.put_encoded(self.new)
        self.new = {}

"""The page keys of the last command-line build, saved beside the record cache.

Without a session, every entity, article and timeline page's key was made again on every
build (for an entity: sorting its articles newest first, its timeline's view, a hash per page;
for an article: its related list, thread and quote links with the link texts of the articles
they name, ~0.2 ms each): the largest part of a one-edit build's planning at 5,000 articles,
though an edit moves the pages of a dozen entities and a few dozen articles.

An entity's keys are saved by a mark of everything they read (``entity_inputs_mark``: the
digests of the records naming the entity, the entity it refers to, the page size, the quotes
view), and the next build takes them while its mark is the same. The mark is not even made
again (a digest of every record naming the entity: ~0.5 s of a one-edit build at 5,000
articles) for an entity that no changed record names, with as many appearances, events and
quotes as before and the same page size and referred entity: the records naming it are then
the very same ones (those not changed name it as they did), so its mark is the last one.

An article's key is saved with its record's digest and a digest of its reads
(``ArticleReads``: what it takes from the cross-article indexes; the ids of the other records
and entities it shows follow from those and the record), and taken while both are the same
and none of the records and entities the reads name changed since (``serve`` keeps its keys
so between rebuilds: ``kept_keys``). The reads themselves, saved, were 6 MB to pickle and
unpickle at 5,000 articles (~0.8 s).

A timeline year's page keys are saved by the year's name (the year, page size and
neighbouring years) with its number of entries, and taken while it has as many, none of a
changed record (``year_keys``): keying every year's pages again was ~0.2 s of a one-edit build.

"Changed" is always against the last build, by each record's digest (``start_articles``):
nothing is taken before the build has said so. A file made by other code, or unreadable, is
ignored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Mapping, Sequence
from pathlib import Path
from typing import cast

from natowatch.core.fingerprints import code_fingerprint
from natowatch.core.remembered import changed_names
from natowatch.core.saved import load_pickled, save_pickled
from natowatch.corpus.index import IndexedEntity, TimelineEntry, record_id_of
from natowatch.corpus.quote_links import QuoteMatch
from natowatch.corpus.similar import Related
from natowatch.publish.page_inputs import ArticleReads

SAVED_FILE = "page-keys.pickle"

# Entity id -> (the mark of its inputs, its pages' keys by path, its ``_Shape``)
_Saved = dict[str, tuple[str, dict[str, str], tuple[object, ...]]]
# Article id -> (its record's digest, its page's reads' digest, its page's key)
_SavedArticles = dict[str, tuple[str, bytes, str]]
# Entity id -> its merged name and type (the values article pages show)
_Names = dict[str, tuple[str, str]]
# A timeline year's name (year, page size, neighbours) -> (its entries, its pages' keys by path)
_Years = dict[Hashable, tuple[int, dict[str, str]]]


class SavedPageKeys:
    """The last build's page keys (``last``, ``last_articles``) and this build's (``now``,
    ``now_articles``, saved by ``save``)."""

    def __init__(
        self, folder: Path, saved: tuple[_Saved, _SavedArticles, _Names, _Years] | None = None
    ):
        self.folder = folder
        self.last, self.last_articles, self._last_names, self._last_years = saved or (
            {},
            {},
            {},
            {},
        )
        self._years: _Years = {}
        self.now: _Saved = {}
        self.now_articles: _SavedArticles = {}
        self._names: _Names = {}
        # Until ``start_articles`` says what changed, everything may have: nothing is taken.
        self._started = False
        self._changed: frozenset[str] = frozenset()
        self._renamed: frozenset[str] = frozenset()

    def keys(
        self,
        entity: IndexedEntity,
        settings: tuple[object, ...],
        mark: Callable[[], str],
        make: Callable[[], dict[str, str]],
    ) -> dict[str, str]:
        """The entity's page keys: the last build's under the same ``mark()``, else
        ``make()``; the mark itself is the last one while no record naming the entity changed
        and it is named as often, under the same ``settings`` (page size, referred entity).
        (The last mark is taken only once ``start_articles`` has said what changed.)"""
        known = self.last.get(entity.id)
        shape = (len(entity.articles), len(entity.events), len(entity.quotes), *settings)
        if (
            known is not None
            and known[2] == shape
            and self._started
            and not self._named_by_changed(entity)
        ):
            marked, keys = known[0], known[1]
        else:
            marked = mark()
            keys = known[1] if known is not None and known[0] == marked else make()
        self.now[entity.id] = (marked, keys, shape)
        return keys

    def _named_by_changed(self, entity: IndexedEntity) -> bool:
        changed = self._changed
        return not (
            changed.isdisjoint(map(record_id_of, entity.articles))
            and changed.isdisjoint(map(record_id_of, entity.events))
            and changed.isdisjoint(map(record_id_of, entity.quotes))
        )

    def start_articles(self, digests: Mapping[str, str], names: _Names) -> None:
        """This build's records' digests and merged entities' names by id, before any
        ``article_key``: the records and entities not as the last build had them are
        changed."""
        last = {record: saved[0] for record, saved in self.last_articles.items()}
        self._started = True
        self._changed = changed_names(last, digests)
        self._names = names
        self._renamed = changed_names(self._last_names, names)

    def article_key(
        self, article_id: str, digest: str, reads: ArticleReads, make: Callable[[], str]
    ) -> str:
        """The article page's key: the last build's when the record's digest and the page's
        reads are the same and none of the records and entities read changed; else
        ``make()``."""
        known = self.last_articles.get(article_id)
        marked = reads_digest(reads)
        if (
            known is not None
            and self._started
            and known[0] == digest
            and known[1] == marked
            and reads.name_none_of(self._changed, self._renamed)
        ):
            key = known[2]
        else:
            key = make()
        self.now_articles[article_id] = (digest, marked, key)
        return key

    def year_keys(self, name: Hashable, entries: Sequence[TimelineEntry]) -> dict[str, str]:
        """The last build's keys of a timeline year's pages (``plan.timeline_group``; ``name``
        holds the year, page size and neighbouring years), when it has as many entries as
        then and none of a changed record: then they are the same entries (those of the
        records not changed are as they were), so the pages and keys are the same. Else no
        keys: the caller makes them and ``keep_year``s them."""
        known = self._last_years.get(name)
        if (
            known is None
            or known[0] != len(entries)
            or not self._started
            or not self._changed.isdisjoint(map(record_id_of, entries))
        ):
            return {}
        return known[1]

    def keep_year(self, name: Hashable, count: int, keys: dict[str, str]) -> None:
        self._years[name] = (count, keys)

    def save(self) -> None:
        saved = (self.now, self.now_articles, self._names, self._years)
        save_pickled(self.folder / SAVED_FILE, code_fingerprint(), saved)


def reads_digest(reads: ArticleReads) -> bytes:
    """A digest of what the page's key takes of the reads (keep in step with
    ``article_page_inputs``): the publisher's link, each quote's other reports, the related
    articles with the entities each shares, the thread's window. Not the scores, which no page
    shows (their ``repr`` was most of the digest's cost). The ids of records and entities the
    reads name are made from these and the record."""
    quote_links = cast("tuple[tuple[QuoteMatch, ...], ...]", reads.coverage[0])
    related = cast("tuple[Related, ...]", reads.coverage[1])
    parts: list[object] = [reads.publisher_href, reads.coverage[2]]
    for matches in quote_links:
        parts.append([tuple(match.other) for match in matches])
    parts.append([(item.article_id, item.shared_entities) for item in related])
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).digest()


def load_page_keys(folder: Path, read: bool = True) -> SavedPageKeys:
    """The keys saved in ``folder`` by the last build of this code (none unless ``read``)."""
    saved = load_pickled(folder / SAVED_FILE, code_fingerprint()) if read else None
    if not (isinstance(saved, tuple) and len(saved) == 4):
        saved = None
    return SavedPageKeys(folder, saved)

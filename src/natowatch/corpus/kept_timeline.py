"""The timeline kept between a session's builds (``natowatch serve``): after an edit, the
changed records' entries are taken out and put back in their places, instead of every entry of
every record made and sorted again (55,000 entries at 5,000 articles).

The order is ``build_timeline``'s: by date, then by place in the record (``timeline_order``),
which includes the record's id, so entries of different records never tie; entries of one
record that tie keep the record's order, as they do in a stable sort. The tests hold the kept
timeline equal to a fresh one after any sequence of changes.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from natowatch.core.model import Article
from natowatch.corpus.index import (
    Timeline,
    TimelineEntry,
    article_entries,
    build_timeline,
    timeline_order,
)

# Where more than this share of the records changed, sorting everything afresh is cheaper.
AFRESH_SHARE = 0.25

_Order = tuple[object, ...]


class KeptTimeline:
    def __init__(self) -> None:
        self._records: dict[str, Article] = {}  # the records the kept timeline is made from
        self._dated: list[tuple[_Order, TimelineEntry]] = []
        self._undated: list[tuple[_Order, TimelineEntry]] = []
        self._timeline: Timeline | None = None

    def timeline(self, articles: Sequence[Article]) -> Timeline:
        """``build_timeline(articles)``, brought up to date from the last call's."""
        records = {article.id: article for article in articles}
        if len(records) != len(articles):  # ids not unique: no place is certain
            self._records, self._timeline = {}, None
            return build_timeline(articles)
        changed = {key for key, article in records.items() if self._records.get(key) is not article}
        changed.update(key for key in self._records if key not in records)
        if self._timeline is None or len(changed) > AFRESH_SHARE * max(len(records), 1):
            self._dated, self._undated = [], []
            self._insert(articles, sort=True)
        elif changed:
            for key in changed:
                if key in self._records:
                    self._remove(self._records[key])
            self._insert([records[key] for key in sorted(changed) if key in records], sort=False)
        else:
            self._records = records
            return self._timeline
        self._records = records
        self._timeline = Timeline(
            dated=tuple(entry for _, entry in self._dated),
            undated=tuple(entry for _, entry in self._undated),
        )
        return self._timeline

    def _remove(self, article: Article) -> None:
        """The record's entries taken out of the kept lists, each found by bisection on its
        order (filtering 55,000 entries for a few was most of an edit's timeline update)."""
        for entry in article_entries(article):
            dated, order = timeline_order(entry)
            into = self._dated if dated else self._undated
            place = bisect.bisect_left(into, order, key=_first)
            while place < len(into) and into[place][0] == order:  # and others of its order
                if into[place][1].article is article:
                    del into[place]
                    break
                place += 1
            else:  # not where its order says (never expected): the whole list is filtered
                into[:] = [pair for pair in into if pair[1].article is not article]

    def _insert(self, articles: Sequence[Article], sort: bool) -> None:
        """Each record's entries into the kept lists, in the record's order."""
        for article in articles:
            for entry in article_entries(article):
                dated, order = timeline_order(entry)
                into = self._dated if dated else self._undated
                if sort:
                    into.append((order, entry))
                else:
                    bisect.insort_right(into, (order, entry), key=_first)
        if sort:
            self._dated.sort(key=_first)
            self._undated.sort(key=_first)


def _first(pair: tuple[_Order, TimelineEntry]) -> _Order:
    return pair[0]
